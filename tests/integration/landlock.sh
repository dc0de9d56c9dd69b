#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --isolation landlock and auto, on this host:
#  - every promise of the build profile, tried from inside a Landlock
#    sandbox, against real listeners and processes outside it;
#  - auto falls back to Landlock, with one line naming the gate, where no
#    user namespace can be made (user.max_user_namespaces=0 in a user
#    namespace of the test's own), and --isolation namespaces refuses there
#    with the gate and its fix, as the shell profile does;
#  - a kernel without Landlock (simulated: landlock_create_ruleset gives
#    ENOSYS) is refused with the gate named;
#  - on this host the build profile still uses namespaces, without a word.
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
# Landlock's private TMPDIRs go here, not into the /tmp that fs.sh watches.
export TMPDIR="$T"
if [ "$("$NB_HELPERS/nosys" landlock_create_ruleset true 2>&1; echo $?)" != 0 ]; then
	nb_bail "the nosys helper does not run"
fi
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
if [ "${abi:-0}" -lt 1 ] 2>/dev/null; then
	skip "the kernel has no Landlock"
	done_testing
	exit
fi

# Outside: a secret at home, listeners on TCP, UDP and an abstract socket,
# and a process to signal and ptrace.
H=$(mktemp -d /var/tmp/nestbox-llhome.XXXXXX) || exit 1
chmod 755 "$H"
echo "home-secret" >"$H/secret"
mkdir -p "$T/proj"
cat >"$T/listen.py" <<'EOF'
import os, select, socket, sys
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 0)); t.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
a = socket.socket(socket.AF_UNIX); a.bind("\0nestbox-ll-%d" % os.getpid()); a.listen(8)
open(sys.argv[1] + ".tmp", "w").write("%d %d %s\n" % (t.getsockname()[1], u.getsockname()[1], "nestbox-ll-%d" % os.getpid()))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    for s in select.select([t, a, u], [], [])[0]:
        if s is u:
            s.recvfrom(100)
            open(sys.argv[1] + ".udp", "w").close()
        else:
            s.accept()[0].close()
EOF
python3 "$T/listen.py" "$T/ports" &
listener=$!
sleep 300.$$ &
victim=$!
trap 'kill $listener $victim 2>/dev/null; rm -rf "$H"; nb_cleanup' EXIT
for _i in $(seq 100); do [ -e "$T/ports" ] && break; sleep 0.05; done
read -r tcp udp abstract <"$T/ports"

# In the project: the rest of /tmp is hidden in this mode.
cat >"$T/proj/probe.py" <<'EOF'
import ctypes, os, signal, socket, sys
tcp, udp, abstract, victim, home = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
print("probe-ran")
def attempt(name, f):
    try:
        f()
        print(name, "ALLOWED")
    except OSError as e:
        print(name, "refused", e.errno)
def write(p):
    with open(p, "w") as f:
        f.write("x")
attempt("write-etc", lambda: write("/etc/nestbox-ll"))
attempt("write-usr", lambda: write("/usr/nestbox-ll"))
attempt("read-home", lambda: open(home + "/secret").read())
attempt("list-home", lambda: os.listdir(home))
attempt("write-home", lambda: write(home + "/planted"))
attempt("list-tmp", lambda: os.listdir("/tmp"))
attempt("write-project", lambda: write("made-inside"))
attempt("write-tmpdir", lambda: write(os.environ["TMPDIR"] + "/t"))
attempt("tcp", lambda: socket.create_connection(("127.0.0.1", tcp), timeout=2))
def udp_send():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("127.0.0.1", udp))
attempt("udp", udp_send)
def abstract_connect():
    s = socket.socket(socket.AF_UNIX)
    s.connect("\0" + abstract)
attempt("abstract", abstract_connect)
attempt("signal", lambda: os.kill(victim, signal.SIGTERM))
libc = ctypes.CDLL(None, use_errno=True)
def ptrace():
    if libc.ptrace(16, victim, None, None) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")
attempt("ptrace", ptrace)
def userns():
    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
        raise OSError(ctypes.get_errno(), "unshare")
attempt("userns", userns)
print("tmpdir", os.environ["TMPDIR"])
print("session", os.environ.get("DBUS_SESSION_BUS_ADDRESS", "unset"))
sys.exit(3)
EOF
(cd "$T/proj" && HOME=$H DBUS_SESSION_BUS_ADDRESS=unix:path=/nowhere "$NESTBOX" run --profile build --isolation landlock -- \
	python3 probe.py "$tcp" "$udp" "$abstract" "$victim" "$H" >"$T/out" 2>&1)
rc=$?
out=$(cat "$T/out")
like "$out" "^probe-ran$" "landlock: the probe ran"
is "$rc" 3 "landlock: the command's exit status is passed on"
for what in write-etc write-usr read-home list-home write-home list-tmp tcp udp abstract signal ptrace userns; do
	like "$out" "^$what refused [0-9]+$" "landlock: $what is refused"
done
like "$out" "^write-project ALLOWED$" "landlock: the project directory is writable"
like "$out" "^write-tmpdir ALLOWED$" "landlock: the private TMPDIR is writable"
is "$(cat "$T/proj/made-inside" 2>/dev/null)" x "landlock: what the command wrote in the project is there"
ok "$([ ! -e "$H/planted" ] && [ ! -e "$T/ports.udp" ]; echo $?)" "landlock: nothing reached \$HOME, and no datagram the listener"
kill -0 "$victim"
ok $? "landlock: the process outside is alive"
like "$out" "^session unset$" "landlock: the session's variables are removed"
tmpdir=$(printf '%s\n' "$out" | sed -n 's/^tmpdir //p')
ok "$([ -n "$tmpdir" ] && [ ! -e "$tmpdir" ]; echo $?)" "landlock: the private TMPDIR is gone afterwards"

# Limits and statuses, as with namespaces.
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --timeout 1 -- sleep 30 >/dev/null 2>&1)
is "$?" 124 "landlock: --timeout ends it with 124"
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock -- sh -c 'sleep 60 & echo $! >left; exit 0')
sleep_pid=$(cat "$T/proj/left")
for _i in $(seq 50); do kill -0 "$sleep_pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$sleep_pid" 2>/dev/null
is "$?" 1 "landlock: a process the command left behind is ended with it"
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock -- no-such-command-x >/dev/null 2>&1)
is "$?" 127 "landlock: a missing command gives 127"
out=$(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --hostname x -- true 2>&1)
like "$?:$out" "^125:nestbox: --isolation landlock: --hostname needs namespaces" "landlock: --hostname is refused with one line, not ignored"

# Everything the command left is ended, however deep, and at --timeout at once.
start=$(date +%s)
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --timeout 1 -- \
	sh -c '(sleep 15; true) & (sleep 15; true) & wait' >/dev/null 2>&1)
is "$?:$(($(date +%s) - start < 5))" "124:1" "landlock: --timeout ends a command whose children wait, at once"
printf 'n=$1\nif [ "$n" -gt 0 ]; then sh "$0" $((n - 1)) & fi\nexec sleep 77\n' >"$T/proj/chain.sh"
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --timeout 2 -- sh chain.sh 60 >/dev/null 2>&1)
is "$(pgrep -u "$NB_UID" -f 'sleep 77' | wc -l)" 0 "landlock: a chain of 60 nested processes is ended whole"

# Another terminal of the caller's: neither readable nor writable.
cat >"$T/ptytest.py" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
name = os.ttyname(s)
os.write(m, b"secret-keystrokes\n")
r = subprocess.run(sys.argv[1:] + [name], capture_output=True, text=True)
print(r.stdout.strip())
sys.exit(r.returncode)
PY
out=$(cd "$T/proj" && python3 "$T/ptytest.py" "$NESTBOX" run --profile build --isolation landlock -- \
	sh -c 'echo ran; (head -c 17 <"$0") 2>/dev/null || echo read-refused; (echo x >"$0") 2>/dev/null || echo write-refused' 2>&1)
rc=$?
ran_unlike 0 "$out" "^ran" "secret-keystrokes" "landlock: another pty of the caller's cannot be read"
like "$out" "write-refused" "landlock: nor written"

# $HOME as given is only a name: with a trailing slash, or "//".
for home in "$H/" "$(printf '%s' "$H" | sed 's|/|//|')"; do
	out=$(cd "$T/proj" && HOME=$home "$NESTBOX" run --profile build --isolation landlock -- \
		sh -c 'echo ran; cat "$0"' "$H/secret" 2>&1)
	rc=$?
	ran_unlike 1 "$out" "^ran$" "home-secret" "landlock: HOME=$home: the home stays hidden"
done

# Options: --ro-bind cannot be kept under a writable path, so it is refused;
# --keep-fd and --lock-file work as with namespaces.
echo "from-fd-7" >"$T/fd7"
mkdir -p "$T/proj/sub"
out=$(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --ro-bind "$T/proj/sub" "$T/proj/sub" -- true 2>&1)
like "$?:$out" "^125:nestbox: --isolation landlock: --ro-bind" "landlock: --ro-bind is refused, not left writable"
out=$(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --keep-fd 7 -- sh -c 'cat <&7' 7<"$T/fd7" 2>&1)
is "$?:$out" "0:from-fd-7" "landlock: --keep-fd passes the fd on"
: >"$T/lock"
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock --lock-file "$T/lock" -- \
	sh -c 'touch locked; i=0; while [ ! -e release ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done' \
	>/dev/null 2>&1) &
bg=$!
await test -e "$T/proj/locked"
is "$(python3 -c 'import fcntl, sys
try:
    fcntl.lockf(open(sys.argv[1], "w"), fcntl.LOCK_EX | fcntl.LOCK_NB); print("free")
except OSError:
    print("held")' "$T/lock")" held "landlock: --lock-file is held while the command runs"
touch "$T/proj/release"
wait "$bg"

# A host killed with SIGKILL cannot remove its private TMPDIR: the next
# Landlock run does, as the next ps removes a stale record.
(cd "$T/proj" && exec "$NESTBOX" run --profile build --isolation landlock -- sleep 30) &
host=$!
for _i in $(seq 100); do ls -d "${TMPDIR:-/tmp}/nestbox-landlock.$host."* >/dev/null 2>&1 && break; sleep 0.05; done
left=$(ls -d "${TMPDIR:-/tmp}/nestbox-landlock.$host."* 2>/dev/null)
kill -KILL "$host"
wait "$host" 2>/dev/null
ok "$([ -n "$left" ] && [ -d "$left" ]; echo $?)" "control: a SIGKILLed host leaves its private TMPDIR ($left)"
(cd "$T/proj" && "$NESTBOX" run --profile build --isolation landlock -- true)
ok "$([ -n "$left" ] && [ ! -e "$left" ]; echo $?)" "the next Landlock run removes it"

# auto, where no user namespace can be made: a user namespace of ours with
# user.max_user_namespaces=0, inside which nestbox runs.
gate() { # gate ARGS...: nestbox run ARGS in a user namespace that may not nest
	unshare -U -r --kill-child sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && cd "$0" && exec "$@"' \
		"$T/proj" "$NESTBOX" run "$@"
}
out=$(gate --profile build -- sh -c 'echo ran; cat /proc/self/status | grep -c NoNewPrivs' 2>&1)
rc=$?
like "$rc:$out" "^0:nestbox: no user namespace here \(creating a user namespace: .*gate: max_user_namespaces\) \(sysctl -w user.max_user_namespaces=[0-9]+\)\); running under Landlock instead" \
	"auto: max_user_namespaces=0: one line names the gate and says Landlock runs instead"
like "$out" "^ran$" "auto: and the build ran under Landlock"
is "$(printf '%s\n' "$out" | grep -c '^nestbox:')" 1 "auto: exactly one line of nestbox's"
out=$(gate --profile build --isolation namespaces -- echo ran 2>&1)
like "$?:$out" "^125:nestbox: creating a user namespace: .*gate: max_user_namespaces\) \(sysctl -w user.max_user_namespaces" \
	"--isolation namespaces: refused with 125, the gate and its fix"
out=$(gate -- echo ran 2>&1)
like "$?:$out" "^125:nestbox: creating a user namespace: .*gate: max_user_namespaces" "the shell profile never falls back: the gate and its fix"

out=$(gate --profile build --dry-run -- true 2>&1)
like "$?:$out" "^0:.*" "--dry-run under the gate: status 0"
like "$out" "^isolation: landlock, ABI [0-9]+ \(auto: no user namespace here, gate: max_user_namespaces\)$" \
	"--dry-run says auto chooses landlock here, and which gate"
out=$(unshare -U -r --kill-child sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" doctor' "$NESTBOX" 2>&1)
like "$out" "^warn +isolation +no user namespace here: the build profile runs under Landlock ABI [0-9]+" \
	"doctor says the build profile gets Landlock here, and the shell profile cannot run"
out=$("$NESTBOX" doctor 2>&1)
like "$out" "^ok +isolation +both profiles use namespaces here" "doctor on this host: namespaces for both profiles"

# A kernel without Landlock.
out=$(cd "$T/proj" && "$NB_HELPERS/nosys" landlock_create_ruleset "$NESTBOX" run --profile build --isolation landlock -- echo ran 2>&1)
like "$?:$out" "^125:nestbox: --isolation landlock: the kernel has no Landlock" "no Landlock: --isolation landlock refuses, naming it"

# The fallback's command gets the caller's signals, not the mask under
# which nestbox forwarded them while it tried namespaces.
out=$(cd "$T/proj" && unshare -U -r --kill-child sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" run --profile build -- grep SigBlk /proc/self/status' "$NESTBOX" 2>&1)
like "$out" "^SigBlk:[[:space:]]+0+$" "after the fallback to Landlock the command has no signal blocked"
# Neither a user namespace nor Landlock: the gate and its fix, no fallback announced.
out=$(cd "$T/proj" && unshare -U -r --kill-child sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" landlock_create_ruleset "$0" run --profile build -- echo ran' "$NESTBOX" "$NB_HELPERS/nosys" 2>&1)
rc=$?
like "$rc:$out" "^125:nestbox: creating a user namespace: .*max_user_namespaces" \
	"no user namespace and no Landlock: 125 and the gate, with its fix"
unlike "$out" "Landlock|^ran" "and no word of a Landlock fallback, nothing run"

# This host: namespaces, and not a word about it.
out=$(cd "$T/proj" && "$NESTBOX" run --profile build -- sh -c 'readlink /proc/self/ns/user' 2>&1)
is "$(printf '%s\n' "$out" | grep -c '^nestbox:')" 0 "on this host the build profile says nothing about isolation"
ok "$([ "$out" != "$(readlink /proc/self/ns/user)" ]; echo $?)" "and runs in a user namespace of its own"

done_testing
