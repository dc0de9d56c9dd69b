#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What nestbox hides stays hidden, and its helpers stay out of reach:
#  - $XDG_RUNTIME_DIR inside the project directory (or inside any directory
#    bound later): the bind must not bring the runtime directory back, in
#    the build profile, --root ro and --root empty;
#  - gpg-agent's socket in ~/.gnupg, its place without a runtime directory,
#    under --root ro;
#  - slirp4netns's API socket with no runtime directory and TMPDIR=/var/tmp,
#    which --root ro shows: the sandbox must not add a host port forward.
# Each attack prints a marker first, so that a sandbox that failed to start
# cannot pass for a refusal.  It runs in the private network namespace of
# libtest.sh (NB_NEEDS_NETNS), which the slirp4netns helper needs.
NB_NEEDS_NETNS=1
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
client='
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
    print("connected")
except OSError as e:
    print("refused errno=%d" % e.errno)
'
cat >"$T/listen.py" <<'EOF'
import os, select, socket, sys
socks = []
for a in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(a)
    s.listen(16)
    socks.append(s)
open(sys.argv[1] + ".ready", "w").close()
while True:
    for s in select.select(socks, [], [])[0]:
        s.accept()[0].close()
EOF
listen() { # listen SOCKET...: a listener on each, ready when this returns
	python3 "$T/listen.py" "$@" &
	listeners="${listeners:-} $!"
	for _i in $(seq 100); do [ -e "$1.ready" ] && break; sleep 0.05; done
	rm -f "$1.ready"
}
trap 'kill $listeners 2>/dev/null; rm -rf "${H:-/nonexistent}"; nb_cleanup' EXIT

# 1. The runtime directory inside a directory that a later bind shows.
for how in build ro empty; do
	P=$T/proj-$how
	R=$P/run
	mkdir -p "$R"
	chmod 700 "$R"
	echo "runtime-secret" >"$R/secret"
	listen "$R/bus"
	is "$(python3 -c "$client" "$R/bus")" connected "control ($how): the runtime directory's socket answers outside"
	case $how in
	build) set -- --profile build ;;
	ro) set -- --root ro --rw "$P" --chdir "$P" ;;
	empty) set -- --root empty --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
		--symlink usr/lib64 /lib64 --bind "$P" "$P" --chdir "$P" ;;
	esac
	out=$(cd "$P" && XDG_RUNTIME_DIR=$R "$NESTBOX" run "$@" -- /usr/bin/python3 -c '
import os, socket, sys
print("sandbox-ran")
r = sys.argv[1]
print("entries:", sorted(os.listdir(r)) if os.path.isdir(r) else "none")
try:
    print(open(os.path.join(r, "secret")).read().strip())
except OSError as e:
    print("secret: errno", e.errno)
try:
    os.mkdir(os.path.join(r, "nestbox-planted"))
    print("wrote into the runtime directory")
except OSError as e:
    print("write: errno", e.errno)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(os.path.join(r, "bus"))
    print("connected")
except OSError as e:
    print("refused errno=%d" % e.errno)
' "$R" 2>&1)
	rc=$?
	ran_unlike 0 "$out" "^sandbox-ran$" "runtime-secret" "$how: the runtime directory inside the bound project stays hidden (secret unread)"
	like "$out" "^entries: \[\]$" "$how: and it is empty inside"
	unlike "$out" "^connected$" "$how: its bus socket cannot be reached"
	ok "$([ ! -e "$R/nestbox-planted" ]; echo $?)" "$how: nothing written inside reached the host's runtime directory"
	out=$(cd "$P" && XDG_RUNTIME_DIR=$R "$NESTBOX" run --dry-run "$@" -- true 2>&1)
	order=$(printf '%s\n' "$out" | grep -E "^ +[0-9]+ +(bind|tmpfs) +$P(/run)?( |$)" | awk '{ print $3 }' | tr '\n' ' ')
	like "$order" "$P $R $" "$how: --dry-run shows the hiding tmpfs after the bind"
done

# 1b. A bind of a directory that holds the runtime directory, somewhere
# else; and a bind of another directory over its parent, which must not fail.
P=$T/proj-ro
R=$P/run
out=$(cd "$T" && XDG_RUNTIME_DIR=$R "$NESTBOX" run --root ro --ro-bind "$P" /mnt --chdir / -- \
	sh -c 'echo sandbox-ran; ls -A /mnt/run; cat /mnt/run/secret' 2>&1)
rc=$?
ran_unlike 1 "$out" "^sandbox-ran$" "runtime-secret" "--ro-bind of its parent elsewhere: the runtime directory stays hidden there too"
mkdir -p "$T/other"
out=$(cd "$T" && XDG_RUNTIME_DIR=$R "$NESTBOX" run --root ro --ro-bind "$T/other" "$P" --chdir / -- echo started 2>&1)
is "$?:$out" "0:started" "a bind of another directory over the runtime directory's parent starts"

# 2. gpg-agent's socket in ~/.gnupg, with no runtime directory.
# Not under /tmp, which --root ro replaces with a tmpfs that hides it anyway.
H=$(mktemp -d /var/tmp/nestbox-home.XXXXXX) || exit 1
chmod 755 "$H"
mkdir -p "$H/.gnupg"
chmod 700 "$H/.gnupg"
listen "$H/.gnupg/S.gpg-agent"
is "$(python3 -c "$client" "$H/.gnupg/S.gpg-agent")" connected "control: gpg-agent's socket in ~/.gnupg answers outside"
for how in "--root ro" "--profile build"; do
	mkdir -p "$T/w"
	# shellcheck disable=SC2086
	out=$(cd "$T/w" && env -u XDG_RUNTIME_DIR HOME="$H" "$NESTBOX" run $how --rw "$T/w" --chdir "$T/w" -- \
		sh -c 'echo sandbox-ran; python3 -c "$1" "$HOME/.gnupg/S.gpg-agent"' sh "$client" 2>&1)
	rc=$?
	ran_unlike 0 "$out" "^sandbox-ran$" "^connected$" "$how: gpg-agent's socket in \$HOME cannot be reached"
done
out=$(cd "$T/w" && env -u XDG_RUNTIME_DIR HOME="$H" "$NESTBOX" run --root ro --ro-bind "$H" /mnt --chdir / -- \
	sh -c 'echo sandbox-ran; python3 -c "$1" /mnt/.gnupg/S.gpg-agent' sh "$client" 2>&1)
rc=$?
ran_unlike 0 "$out" "^sandbox-ran$" "^connected$" "--ro-bind \$HOME elsewhere: gpg-agent's socket there cannot be reached either"

# 3. slirp4netns's API socket with no runtime directory and TMPDIR=/var/tmp.
if [ -z "${NB_PRIVATE_NETNS:-}" ] || ! ip link show nbv0 >/dev/null 2>&1 || ! command -v slirp4netns >/dev/null; then
	skip "needs slirp4netns and root, to run in a private network namespace"
else
	mkdir -p "$T/p3"
	out=$(cd "$T/p3" && env -u XDG_RUNTIME_DIR TMPDIR=/var/tmp "$NESTBOX" run --profile build --net slirp4netns \
		-p 127.0.0.1:18094:80 -- python3 -c '
import glob, json, os, socket
print("sandbox-ran")
found = 0
for d in ["/var/tmp", "/tmp", os.environ.get("TMPDIR", "/tmp")]:
    for p in glob.glob(d + "/nestbox-net.*/*"):
        found += 1
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(p)
            s.sendall(json.dumps({"execute": "add_hostfwd", "arguments": {"proto": "tcp",
                "host_addr": "127.0.0.1", "host_port": 18095, "guest_port": 8080}}).encode() + b"\n")
            print("api:", s.recv(200).decode().strip())
        except OSError as e:
            print("api: errno", e.errno)
print("api sockets found:", found)
' 2>&1)
	rc=$?
	ran_unlike 0 "$out" "^sandbox-ran$" "return" "the sandbox cannot add a host port forward through slirp4netns's API"
	like "$out" "^api sockets found: 0$" "it finds no API socket at all"
	ls -d /var/tmp/nestbox-net.* >/dev/null 2>&1
	is "$?" 2 "and nothing of nestbox's is left in /var/tmp"
fi

done_testing
