#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless networking: --net pasta and slirp4netns, -p/--publish, the
# host's loopback closed by default, the helper stopped at the end, and the
# errors.  It runs in a private network namespace that libtest.sh makes as
# root (NB_NEEDS_NETNS): only loopback addresses and addresses inside
# namespaces of this test are ever dialled.
NB_NEEDS_NETNS=1
. "$(dirname "$0")/../libtest.sh"

if [ -z "${NB_PRIVATE_NETNS:-}" ] || ! ip link show nbv0 >/dev/null 2>&1; then
	# Never outside the private namespace: a helper forwards to the real network.
	skip "needs root, to run in a private network namespace"
	done_testing
	exit
fi
cd "$T" || exit 1
# slirp4netns's API socket goes to a directory of nestbox's under
# $XDG_RUNTIME_DIR or $TMPDIR: not into /tmp, where another test run as the
# same user looks for changes.
export TMPDIR="$T"
# And what nestbox keeps per user (records of a sandbox whose host was
# SIGKILLed below) goes to this test's own runtime directory.
mkdir -m 700 "$T/run"
export XDG_RUNTIME_DIR="$T/run"

# Tiny servers and clients.  Each prints one word, so that a check reads it.
cat >"$T/tcp_server.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(4)
# A client that never comes must not hang the test: 30 s, then a failure
# (for a server of a few connections; the host's own serves all along).
if len(sys.argv) > 3:
    s.settimeout(30)
print("listening", flush=True)
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 1000000):
    c, _ = s.accept()
    c.sendall(b"hello-tcp\n")
    c.close()
PY
cat >"$T/udp_server.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("listening", flush=True)
data, peer = s.recvfrom(100)
s.sendto(b"pong-" + data, peer)
# The helper stops with the sandbox: give the reply time to leave.
time.sleep(1)
PY
# client.py tcp|udp ADDR PORT SECONDS: the reply, or "closed"
cat >"$T/client.py" <<'PY'
import socket, sys, time
proto, addr, port, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
end = time.time() + secs
while True:
    try:
        if proto == "tcp":
            c = socket.create_connection((addr, port), timeout=1)
            # A reply may be slow on a loaded machine: wait for it as long
            # as the whole budget, since the server answers once.
            c.settimeout(max(1.0, end - time.time()))
        else:
            c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            c.settimeout(0.5)
            c.sendto(b"ping", (addr, port))
        # A helper accepts on the host before the server inside listens,
        # and then closes: no reply yet means try again.
        got = c.recv(100).decode().strip()
        if not got:
            raise OSError("no reply")
        print(got)
        break
    except OSError:
        if time.time() > end:
            print("closed")
            break
        time.sleep(0.1)
PY
# A DNS server on the test's own namespace (the host's resolver there):
# every A query gets 10.200.0.99.
cat >"$T/dns_server.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.200.0.1", 53))
while True:
    q, peer = s.recvfrom(512)
    end = 12
    while q[end]:
        end += q[end] + 1
    question = q[12:end + 5]
    s.sendto(q[:2] + b"\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question +
             b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([10, 200, 0, 99]), peer)
PY
python3 "$T/dns_server.py" >"$T/dns.out" 2>&1 &
dns_server=$!
for _i in $(seq 30); do
	python3 -c 'import socket; print(socket.gethostbyname("control.test"))' >"$T/dns.control" 2>&1 && break
	sleep 0.1
done
is "$(cat "$T/dns.control")" 10.200.0.99 "control: the test's resolver answers on the host side"

# can_bind tcp|udp PORT [ADDR]: whether the host's port is free (on 127.0.0.1)
can_bind() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[3] else socket.AF_INET,
                  socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM)
# As a server would: a connection of the past in TIME_WAIT does not count.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[3], int(sys.argv[2])))
print("free")' "$1" "$2" "${3:-127.0.0.1}" 2>/dev/null || echo taken
}

# A server on the host's loopback, which the sandbox must not reach.
python3 "$T/tcp_server.py" 127.0.0.1 19090 >"$T/host_server.out" 2>&1 &
host_server=$!
trap 'kill $host_server $dns_server 2>/dev/null; nb_cleanup' EXIT
python3 "$T/client.py" tcp 127.0.0.1 19090 5 >/dev/null

# The IPv6 loopback, for the rounds that publish on it.
have6=$(can_bind tcp 0 ::1)

port=18080
for helper in pasta slirp4netns; do
	if ! command -v "$helper" >/dev/null; then
		skip "$helper is not installed (tests/install-deps.sh installs it)"
		continue
	fi
	case $helper in
	pasta) dns=169.254.1.1 ;;
	*) dns=10.0.2.3 ;;
	esac

	nb run --net "$helper" -- sh -c 'ip -o -4 addr show scope global; ip route show default; cat /etc/resolv.conf'
	like "$out" "^[0-9]+: [a-z0-9]+ +inet [0-9.]+/" "$helper: a non-loopback interface has an address"
	like "$out" "^default via [0-9.]+ dev " "$helper: a default route"
	like "$out" "^nameserver $dns\$" "$helper: resolv.conf names the helper's DNS forwarder"
	is "$rc" 0 "$helper: the command exits 0"
	gw=$(printf '%s\n' "$out" | awk '/^default via/ { print $3 }')
	nb run --net "$helper" -- python3 -c 'import socket; print(socket.gethostbyname("example.test"))'
	is "$rc:$out" "0:10.200.0.99" "$helper: a name resolves through the forwarder"

	# TCP published on the host's loopback.
	port=$((port + 1))
	# Files of their own each round: a reused one could still say
	# "listening" from the last helper's round.
	rm -f "$T/srv.out" "$T/usrv.out"
	"$NESTBOX" run --name "web-$helper" --net "$helper" -p "127.0.0.1:$port:80" -- \
		python3 "$T/tcp_server.py" 0.0.0.0 80 1 >"$T/srv.out" 2>&1 &
	sb=$!
	# ps shows the network mode, the helper's pid and the published port.
	for _i in $(seq 50); do
		rec=$("$NESTBOX" ps --json | python3 -c '
import json, sys
s = [s for s in json.load(sys.stdin) if s["name"] == sys.argv[1]]
print(s[0]["net"], s[0]["ports"], s[0]["net_helper_pid"]) if s and s[0]["net_helper_pid"] else None
' "web-$helper")
		[ -n "$rec" ] && break
		sleep 0.1
	done
	hp=${rec##* }
	# The server inside says it listens before any client dials: a helper
	# that accepts first and finds nobody inside closes, and a client that
	# gave up on a slow reply would waste the server's one connection.
	await_line "$T/srv.out" listening || echo "# the TCP server inside never said it listens: $(cat "$T/srv.out")"
	is "${rec% *}" "$helper ['127.0.0.1:$port:80/tcp']" "$helper: ps --json shows the network mode and the published port"
	like "$(tr '\0' ' ' <"/proc/${hp:-0}/cmdline" 2>/dev/null)" "^(/usr/bin/)?$helper " "$helper: and the pid of the running helper"
	like "$("$NESTBOX" ps)" " net:$helper \(helper $hp\) ports:127.0.0.1:$port:80/tcp;" "$helper: the ps table shows them too"
	if [ "$have6" = free ]; then
		got=$(python3 "$T/client.py" tcp ::1 "$port" 1)
		is "$got" closed "$helper: a port published on 127.0.0.1 is not on ::1"
	fi
	got=$(python3 "$T/client.py" tcp 127.0.0.1 "$port" 10)
	is "$got" "hello-tcp" "$helper: -p 127.0.0.1:$port:80 reaches a TCP server inside"
	wait $sb
	is "$?" 0 "$helper: the server's sandbox exits 0"
	gone "bin/$helper " && ok 0 "$helper: no helper process remains after exit" ||
		ok 1 "$helper: no helper process remains after exit"
	is "$(can_bind tcp "$port")" free "$helper: the host port can be bound again"
	is "$(ls -a "$T" "$T/run" | grep nestbox-net)" "" "$helper: nothing of the helper's is left in \$XDG_RUNTIME_DIR or \$TMPDIR"

	if [ "$have6" = free ]; then
		# Without an address: both loopbacks, as a client of "localhost" may
		# try ::1 first.  The helpers forward 127.0.0.1; nestbox relays ::1.
		port=$((port + 1))
		rm -f "$T/srv6.out"
		"$NESTBOX" run --net "$helper" -p "$port:80" -- python3 "$T/tcp_server.py" 0.0.0.0 80 2 >"$T/srv6.out" 2>&1 &
		sb=$!
		await_line "$T/srv6.out" listening || echo "# the server inside never said it listens: $(cat "$T/srv6.out")"
		got=$(python3 "$T/client.py" tcp ::1 "$port" 10)
		is "$got" "hello-tcp" "$helper: -p $port:80 reaches the TCP server inside through ::1"
		got=$(python3 "$T/client.py" tcp 127.0.0.1 "$port" 10)
		is "$got" "hello-tcp" "$helper: and through 127.0.0.1"
		wait $sb
		is "$?" 0 "$helper: that sandbox exits 0"
		is "$(can_bind tcp "$port" ::1):$(can_bind tcp "$port")" "free:free" "$helper: both host ports can be bound again"
		# ::1 taken: one line that names it, and nothing starts.  (A file of
		# its own: the last helper's round left one that says "bound".)
		rm -f "$T/busy6.out"
		python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6)
# As a server would: the connections above may leave the port in TIME_WAIT.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::1", int(sys.argv[1]))); s.listen(1)
print("bound", flush=True); time.sleep(30)' "$port" >"$T/busy6.out" 2>&1 &
		busy6=$!
		await_line "$T/busy6.out" bound
		nb run --net "$helper" -p "$port:80" -- echo ran
		kill $busy6
		is "$rc:$out" "125:nestbox: --publish $port:80: port $port/tcp on ::1 is already in use (pick another HOSTPORT, or name the address to publish on)" \
			"$helper: ::1's port in use: 125, one line naming it"
	else
		skip "$helper: no IPv6 loopback here, to publish on ::1 too"
	fi

	# UDP.  A client on the host itself is seen inside as coming from the
	# host (the gateway), so its replies need the host's side opened: the
	# helpers here drop them otherwise (see the README).  pasta of Debian
	# 12 answers UDP through its loopback splice not at all, so its client
	# uses the address of the test's own namespace.
	port=$((port + 1))
	uaddr=127.0.0.1
	[ "$helper" = pasta ] && uaddr=10.200.0.1
	"$NESTBOX" run --net "$helper" --net-allow-host-loopback -p "$uaddr:$port:53/udp" -- \
		python3 "$T/udp_server.py" 0.0.0.0 53 >"$T/usrv.out" 2>&1 &
	sb=$!
	await_line "$T/usrv.out" listening || echo "# the UDP server inside never said it listens: $(cat "$T/usrv.out")"
	got=$(python3 "$T/client.py" udp "$uaddr" "$port" 10)
	is "$got" "pong-ping" "$helper: -p $uaddr:$port:53/udp: a UDP round trip"
	wait $sb
	is "$?" 0 "$helper: the UDP server's sandbox exits 0"
	is "$(can_bind udp "$port" "$uaddr")" free "$helper: the UDP host port can be bound again"

	# The host's loopback: closed through every address, unless opened.
	nb run --net "$helper" -- sh -c "python3 $T/client.py tcp 127.0.0.1 19090 1; python3 $T/client.py tcp $gw 19090 1"
	is "$(echo $out)" "closed closed" "$helper: the host's 127.0.0.1 is unreachable through 127.0.0.1 and the gateway $gw"
	nb run --net "$helper" --net-allow-host-loopback -- python3 "$T/client.py" tcp "$gw" 19090 3
	is "$out" "hello-tcp" "$helper: --net-allow-host-loopback reaches it through the gateway"
	gone "bin/$helper " && ok 0 "$helper: nothing left running" || ok 1 "$helper: nothing left running"

	# Errors.
	port=$((port + 1))
	python3 "$T/tcp_server.py" 127.0.0.1 "$port" >/dev/null 2>&1 &
	busy=$!
	python3 "$T/client.py" tcp 127.0.0.1 "$port" 5 >/dev/null
	nb run --net "$helper" -p "127.0.0.1:$port:80" -- echo ran
	kill $busy
	is "$rc" 125 "$helper: a port in use exits 125"
	like "$out" "^nestbox: --publish 127.0.0.1:$port:80: port $port/tcp on 127.0.0.1 is already in use" "$helper: in one line naming it"
	is "$(printf '%s\n' "$out" | wc -l)" 1 "$helper: only that line"

	nb run --net "$helper" -p "[::1]:$port:80" -- true
	if [ "$helper" = slirp4netns ]; then
		is "$rc" 125 "slirp4netns: an IPv6 publish is refused"
	fi

	mkdir -p "$T/nopath"
	ln -sf "$(command -v python3)" "$T/nopath/python3"
	out=$(PATH="$T/nopath" "$NESTBOX" run --net "$helper" -- /bin/echo ran 2>&1)
	rc=$?
	is "$rc" 125 "$helper: a helper missing from PATH exits 125"
	like "$out" "^nestbox: --net $helper: $helper is not on PATH" "$helper: and names it"

	# nestbox ended by a signal: SIGTERM stops the helper, and after
	# SIGKILL it dies with nestbox (its parent-death signal).
	for sig in TERM KILL; do
		"$NESTBOX" run --net "$helper" -- sleep 37 &
		sb=$!
		running "$(command -v "$helper") " || true
		kill -$sig $sb
		{ wait $sb; } 2>/dev/null
		gone "bin/$helper " && ok 0 "$helper: after SIG$sig of nestbox no helper is left" ||
			ok 1 "$helper: after SIG$sig of nestbox no helper is left"
	done

	# A caller that ignores SIGPIPE (Python's posix_spawn, a shell's trap):
	# the helper still starts with every signal at its default.
	out=$(trap '' PIPE; "$NESTBOX" run --net "$helper" -- echo ran 2>&1)
	is "$?:$out" "0:ran" "$helper: starts when the caller ignores SIGPIPE"

	# A sandbox that fails while its helper starts: its own message wins.
	nb run --net "$helper" --tmpfs /etc/hostname -- echo ran
	like "$rc:$out" "^125:nestbox: --tmpfs #1 /etc/hostname: attaching tmpfs" "$helper: a setup failure inside is reported as without a helper"
	gone "bin/$helper " && ok 0 "$helper: and the helper is stopped" || ok 1 "$helper: and the helper is stopped"

	# A helper that fails: its message, 125, nothing left running.
	mkdir -p "$T/fake"
	printf '#!/bin/sh\necho "fake %s: cannot do it" >&2\nexit 3\n' "$helper" >"$T/fake/$helper"
	chmod 755 "$T/fake/$helper"
	out=$(PATH="$T/fake:$PATH" "$NESTBOX" run --net "$helper" -- echo ran 2>&1)
	rc=$?
	is "$rc" 125 "$helper: a helper that fails aborts the sandbox with 125"
	like "$out" "^nestbox: --net $helper: .*/fake/$helper failed: fake $helper: cannot do it" "$helper: with its message"
	unlike "$out" "^ran" "$helper: the command did not run"
	gone "fake/$helper" && ok 0 "$helper: nothing is left running" || ok 1 "$helper: nothing is left running"
done

nb run -p 8080 -- true
is "$rc" 125 "a malformed --publish exits 125"
like "$out" "^nestbox: --publish 8080: give HOSTPORT:SANDBOXPORT" "in one line"
is "$(printf '%s\n' "$out" | wc -l)" 1 "only that line"
nb run --net pasta -p 127.0.0.1:8080:80/sctp -- true
like "$rc:$out" "^125:nestbox: --publish 127.0.0.1:8080:80/sctp: the protocol must be tcp or udp" "an unknown protocol is refused"

if command -v pasta >/dev/null; then
	nb run -v --net auto -- true
	like "$out" "nestbox\[host\]: pasta is pid [0-9]+" "--net auto picks pasta"
	nb run --net auto --dry-run -- true
	like "$out" "^network: pasta," "and --dry-run says so"
else
	skip "pasta is not installed"
fi
mkdir -p "$T/none"
ln -sf "$(command -v python3)" "$T/none/python3"
out=$(PATH="$T/none" "$NESTBOX" run --net auto -- /bin/true 2>&1)
rc=$?
like "$rc:$out" "^125:nestbox: --net auto: neither pasta nor slirp4netns .*passt or slirp4netns" "--net auto without either names both packages"

# The plan shows the mode, the helper's command line, the ports and the
# private resolv.conf, in text and JSON.
nb run --net slirp4netns -p 127.0.0.1:8080:80 --dry-run -- true
like "$out" '^ +[0-9]+  text +/etc/resolv.conf  containing "nameserver 10.0.2.3"  \(implicit' "--dry-run lists the private resolv.conf as an implicit mount"
like "$out" "^    /[^ ]*/slirp4netns --configure .*--disable-host-loopback .*--api-socket /proc/self/fd/7/api.sock .*/proc/self/fd/4 tap0\$" "and the helper's command line"
like "$out" "^  publish: 127.0.0.1:8080 -> port 80/tcp inside\$" "and the published port"
nb run --net pasta -p 127.0.0.1:8080:80 --dry-run --json -- true
got=$(printf '%s' "$out" | python3 -c '
import json, sys
n = json.load(sys.stdin)["network"]
p = n["publish"][0]
print(n["mode"], n["dns"], n["host_loopback"], n["helper_argv"][0] == n["helper"], "--no-map-gw" in n["helper_argv"], p["host_addr"], p["host_port"], p["sandbox_port"], p["proto"])')
is "$got" "pasta 169.254.1.1 False True True 127.0.0.1 8080 80 tcp" "--dry-run --json: the network as an object"

nb run -v --net slirp4netns -p 127.0.0.1:18200:80/udp -- true
like "$out" "^nestbox\[host\]: network: slirp4netns; its helper starts" "-v names the network mode"
like "$out" "^nestbox\[host\]: slirp4netns is pid [0-9]+, ready after [0-9]+ ms: /[^ ]*/slirp4netns --configure " "-v shows the helper's pid and command line"
like "$out" "^nestbox\[host\]: published 127.0.0.1 port 18200/udp on the sandbox's port 80\$" "-v shows the published ports"
like "$out" "^nestbox\[host\]: stopped slirp4netns \(pid [0-9]+\)\$" "-v says the helper was stopped"

# --share net and --net host are one setting.
nb run --share net --dry-run --json -- true
a=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["network"]["mode"], d["namespaces"]["net"])')
nb run --net host --dry-run --json -- true
b=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["network"]["mode"], d["namespaces"]["net"])')
is "$a|$b" "host shared with the host|host shared with the host" "--share net and --net host plan the same"

done_testing
