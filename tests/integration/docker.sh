#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox inside a real Docker container, as an ordinary user there:
#  - under Docker's default seccomp profile no user namespace can be made:
#    --profile build falls back to Landlock with one line that names the
#    gate, and every promise is tried against listeners and a process of the
#    container outside the sandbox;
#  - --isolation namespaces and the shell profile refuse, naming the gate
#    and the fix;
#  - with --security-opt seccomp=unconfined the namespace sandbox starts
#    despite the container's masked /proc, keeping the container's PID
#    namespace, and says so.
# The test starts its own dockerd (its own data root, exec root and socket,
# --bridge=none --iptables=false) and an image made from this machine's
# files without a registry; containers run with --network none.  It needs
# root for dockerd; nestbox itself runs only as uid 1000 in the containers.
NB_ROOT_DRIVER=1
. "$(dirname "$0")/../libtest.sh"

if [ "$(id -u)" != 0 ]; then
	skip "needs root, to start a dockerd of its own"
	done_testing
	exit
fi
if ! command -v dockerd >/dev/null || ! [ -x /usr/bin/docker ]; then
	skip "needs docker.io (dockerd and docker)"
	done_testing
	exit
fi

D=$(mktemp -d /var/tmp/nestbox-docker.XXXXXX) || exit 1
mkdir -p "$D/data" "$D/exec" "$D/run" "$D/root"
sock=$D/run/docker.sock
dk() { /usr/bin/docker -H "unix://$sock" "$@"; }
# In a mount namespace of its own: its overlay mounts never reach the host's
# table, which other tests compare before and after.
unshare --mount --propagation private \
	dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/run/docker.pid" -H "unix://$sock" \
	--bridge=none --iptables=false --ip6tables=false >"$D/dockerd.log" 2>&1 &
dockerd_pid=$!
cleanup_docker() {
	dk rm -f $(dk ps -aq 2>/dev/null) >/dev/null 2>&1
	kill "$dockerd_pid" 2>/dev/null
	wait "$dockerd_pid" 2>/dev/null
	# Its mount namespace, and the overlay mounts in it, went with it.
	rm -rf "$D"
	nb_cleanup
}
trap cleanup_docker EXIT
for _i in $(seq 120); do dk version >/dev/null 2>&1 && break; sleep 0.25; done
dk version >/dev/null 2>&1 || nb_bail "dockerd did not start: $(tail -3 "$D/dockerd.log")"

# The image: nestbox, python3 and a few tools from this machine, with their
# libraries, a user "builder" (1000) with a secret at home, and the driver.
R=$D/root
mkdir -p "$R/usr/bin" "$R/usr/lib" "$R/usr/lib64" "$R/usr/local/bin" "$R/etc" "$R/tmp" "$R/var/tmp" \
	"$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/home/builder/proj" "$R/opt"
ln -s usr/bin "$R/bin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
ln -s usr/bin "$R/sbin"
bins=""
for b in python3.11 dash cat sleep id ls touch mkdir env true rm readlink grep; do
	# Debian's own, not a wrapper earlier in PATH (pyenv's python3 is a bash script).
	p=/usr/bin/$b
	[ -x "$p" ] || p=/bin/$b
	[ -x "$p" ] || nb_bail "$b is missing from /usr/bin"
	cp -L "$p" "$R/usr/bin/$b"
	bins="$bins $p"
done
ln -s python3.11 "$R/usr/bin/python3"
ln -s dash "$R/usr/bin/sh"
cp "$NESTBOX" "$R/usr/local/bin/nestbox"
# The standard library without what the tests do not need.
tar -C / -c --exclude='*/test' --exclude='*/tests' --exclude='*/idlelib' --exclude='*/tkinter' \
	--exclude='*/ensurepip' --exclude='*/lib2to3' --exclude='__pycache__' usr/lib/python3.11 | tar -C "$R" -x
for f in $bins "$NESTBOX" /usr/lib/python3.11/lib-dynload/*.so; do
	ldd "$f" 2>/dev/null | grep -o '/[^ ]*'
done | sort -u | while read -r lib; do
	cp -L --parents "$lib" "$R" 2>/dev/null
done
printf 'root:x:0:0::/root:/bin/sh\nbuilder:x:1000:1000::/home/builder:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\nbuilder:x:1000:\n' >"$R/etc/group"
echo "container-home-secret" >"$R/home/builder/secret"
chown -R 1000:1000 "$R/home/builder"
chmod 1777 "$R/tmp" "$R/var/tmp"
cat >"$R/opt/driver.py" <<'EOF'
# Run as uid 1000 in the container: listeners and a victim outside the
# sandbox, then nestbox with the arguments given, and a probe inside.
import os, socket, subprocess, sys
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
a = socket.socket(socket.AF_UNIX); a.bind("\0nestbox-docker"); a.listen(8)
victim = subprocess.Popen(["sleep", "300"])
probe = r'''
import ctypes, os, signal, socket, sys
tcp, udp, victim = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print("probe-ran", flush=True)
libc = ctypes.CDLL(None, use_errno=True)
def attempt(name, f):
    try:
        f()
        print(name, "ALLOWED", flush=True)
    except OSError as e:
        print(name, "refused", e.errno, flush=True)
def write(p):
    with open(p, "w") as f:
        f.write("x")
def call(r, what):
    if r != 0:
        raise OSError(ctypes.get_errno(), what)
attempt("write-etc", lambda: write("/etc/planted"))
attempt("write-usr", lambda: write("/usr/planted"))
attempt("read-home", lambda: open("/home/builder/secret").read())
attempt("write-home", lambda: write("/home/builder/planted"))
attempt("write-project", lambda: write("made-inside"))
attempt("tcp", lambda: socket.create_connection(("127.0.0.1", tcp), timeout=2))
attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", udp)))
attempt("abstract", lambda: socket.socket(socket.AF_UNIX).connect("\0nestbox-docker"))
attempt("signal", lambda: os.kill(victim, signal.SIGTERM))
attempt("ptrace", lambda: call(libc.ptrace(16, victim, None, None), "ptrace"))
print("ns", os.readlink("/proc/self/ns/user"), flush=True)
sys.exit(3)
'''
os.chdir("/home/builder/proj")
with open("probe.py", "w") as f:
    f.write(probe)
print("container-userns", os.readlink("/proc/self/ns/user"), flush=True)
r = subprocess.run(["nestbox"] + sys.argv[1:] + ["--", "python3", "probe.py", str(t.getsockname()[1]),
                   str(u.getsockname()[1]), str(victim.pid)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True)
sys.stdout.write(r.stdout)
print("status", r.returncode)
print("victim", "alive" if victim.poll() is None else "dead")
print("home-planted", os.path.exists("/home/builder/planted"))
EOF
chmod 644 "$R/opt/driver.py"
tar -C "$R" -c . | dk import - nestbox-test:latest >/dev/null || nb_bail "docker import failed"

run() { # run [DOCKER-OPTIONS...] -- NESTBOX-ARGS...: the driver in a fresh container
	opts=""
	while [ "$1" != "--" ]; do opts="$opts $1"; shift; done
	shift
	# shellcheck disable=SC2086
	out=$(dk run --rm --network none --user 1000:1000 -e HOME=/home/builder $opts nestbox-test:latest \
		python3 /opt/driver.py "$@" 2>&1)
	rc=$?
}

# Docker's default seccomp profile: no user namespace.
run -- run --profile build
like "$out" "^probe-ran$" "default profile: the build ran"
like "$out" "^nestbox: no user namespace here \(creating a user namespace: Operation not permitted: a seccomp filter on this process refuses it .*gate: seccomp\).*running under Landlock instead" \
	"default profile: one line names the seccomp gate and says Landlock runs instead"
is "$(printf '%s\n' "$out" | grep -c '^nestbox:')" 1 "default profile: exactly one line of nestbox's"
for what in write-etc write-usr read-home write-home tcp udp abstract signal ptrace; do
	like "$out" "^$what refused [0-9]+$" "default profile, landlock: $what is refused"
done
like "$out" "^write-project ALLOWED$" "default profile, landlock: the project directory is writable"
like "$out" "^status 3$" "default profile, landlock: the exit status is the command's"
like "$out" "^victim alive$" "default profile, landlock: the process outside survived"
like "$out" "^home-planted False$" "default profile, landlock: nothing was planted at home"

run -- run --profile build --isolation namespaces
like "$out" "^status 125$" "--isolation namespaces under the default profile: 125"
like "$out" "^nestbox: creating a user namespace: .*gate: seccomp\) \(.*docker run --security-opt seccomp=unconfined" \
	"and the line names the gate and the fix"
run -- run
like "$out" "^status 125$" "the shell profile under the default profile: 125, no fallback"
like "$out" "gate: seccomp\) \(.*seccomp=unconfined" "and the gate and its fix"

# seccomp unconfined: namespaces, despite the masked /proc.
run --security-opt seccomp=unconfined -- run --profile build
like "$out" "^probe-ran$" "seccomp unconfined: the build ran"
like "$out" "^nestbox: /proc is masked here \(a container's\)" "seccomp unconfined: one line says /proc is masked and what is kept"
cuser=$(printf '%s\n' "$out" | sed -n 's/^container-userns //p')
suser=$(printf '%s\n' "$out" | sed -n 's/^ns //p')
ok "$([ -n "$suser" ] && [ "$suser" != "$cuser" ]; echo $?)" "seccomp unconfined: the command runs in a user namespace of its own ($suser)"
for what in write-etc write-usr read-home tcp abstract; do
	like "$out" "^$what refused [0-9]+$" "seccomp unconfined, namespaces: $what is refused"
done
like "$out" "^home-planted False$" "seccomp unconfined, namespaces: \$HOME is an empty tmpfs, and nothing reached the real one"
like "$out" "^status 3$" "seccomp unconfined: the exit status is the command's"

done_testing
