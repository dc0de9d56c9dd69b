#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scripts, CI runners and schedulers drive nestbox run: the status and sync
# fds in nestbox's own vocabulary, the exit-status contract, and the
# recipes of the README run exactly as an engine runs them (GNU make's
# SHELL, GitHub Actions' shell: template, a remote-execution wrapper).
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
# Landlock's private TMPDIRs go here, not into the /tmp that fs.sh watches.
export TMPDIR="$T"
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
mkdir -p "$T/proj"
cd "$T/proj" || exit 1
# json FILE KEY...: the values of KEY in each object of FILE, one line each
json() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    print(" ".join(str(o.get(k)) for k in sys.argv[2:]))' "$@"
}

# --json-status-fd: one object when the command starts, one when it ends.
"$NESTBOX" run --json-status-fd 3 -- sh -c 'exit 3' 3>"$T/st"
is "$?" 3 "--json-status-fd: the command's status is nestbox's"
is "$(json "$T/st" version event isolation exit-code timed-out | tr '\n' '|')" \
	"1 started namespaces None None|1 exited None 3 False|" "a versioned started and exited object"
pids=$(json "$T/st" child-pid init-pid | head -1)
like "$pids" "^[0-9]+ [0-9]+$" "started names the command's and init's host pids"
like "$(json "$T/st" pid-namespace mnt-namespace setup-ms | head -1)" "^[0-9]+ [0-9]+ [0-9]+$" \
	"and the namespaces' inodes and the setup time"
like "$(json "$T/st" user-ms system-ms max-rss-kib | tail -1)" "^[0-9]+ [0-9]+ [0-9]+$" \
	"exited has the resource use"
"$NESTBOX" run --json-status-fd 3 -- sh -c 'kill -TERM $$' 3>"$T/st" 2>/dev/null
is "$?:$(json "$T/st" exit-code signal | tail -1)" "143:143 15" "a death by signal: 128+N and the signal"
"$NESTBOX" run --json-status-fd 3 --timeout 1 -- sleep 20 3>"$T/st" 2>/dev/null
is "$?:$(json "$T/st" exit-code timed-out | tail -1)" "124:124 True" "--timeout: 124, and timed-out says so"
"$NESTBOX" run --profile build --isolation landlock --json-status-fd 3 -- true 3>"$T/st"
is "$?:$(json "$T/st" event isolation | head -1)" "0:started landlock" "under Landlock the status says so"

# --info-fd: one object, closed once the command runs.
"$NESTBOX" run --info-fd 4 -- true 4>"$T/info"
like "$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["version"], o["child-pid"] > 0)' "$T/info")" \
	"^1 True$" "--info-fd: one object with the command's pid"

# --block-fd: the command waits until the caller writes.
mkfifo "$T/block"
"$NESTBOX" run --block-fd 5 -- sh -c 'echo ran >"$0"' "$T/proj/ran" 5<"$T/block" &
bg=$!
exec 6>"$T/block"
sleep 0.2
ok "$([ ! -e "$T/proj/ran" ]; echo $?)" "--block-fd: the command has not run before the caller writes"
echo go >&6
exec 6>&-
wait "$bg"
is "$?:$(cat "$T/proj/ran" 2>/dev/null)" "0:ran" "and runs once it has"

# --sync-fd: held by nestbox while the command runs (looked at once the
# command says so, not right after the start), never the command's own,
# and closed at the end.  Made to fail once by closing it after parsing.
out=$(python3 - "$NESTBOX" <<'EOF'
import os, subprocess, sys
r, w = os.pipe()
p = subprocess.Popen([sys.argv[1], "run", "--sync-fd", str(w), "--", "sh", "-c",
                      "ls /proc/self/fd | wc -l; read x"],
                     pass_fds=[w], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
os.close(w)
fds = p.stdout.readline().strip()
os.set_blocking(r, False)
try:
    os.read(r, 1)
    print("closed-early")
except BlockingIOError:
    print("held")
# ls's own fds: 0, 1, 2 and its directory; a fifth would be the sync fd.
print("command-fds=" + fds.decode())
p.stdin.write(b"go\n")
p.stdin.close()
p.wait()
os.set_blocking(r, True)
print("closed" if os.read(r, 1) == b"" else "data")
EOF
)
is "$(printf '%s' "$out" | tr '\n' ' ')" "held command-fds=4 closed" "--sync-fd: held while the command runs, not the command's, closed at its end"

# --lock-file: init holds a read lock on it while the command runs.
: >"$T/lock"
# The command holds on until the test has looked (20 s at most), not for a
# guessed time.
"$NESTBOX" run --lock-file "$T/lock" -- sh -c 'touch "$0"; i=0
	while [ ! -e "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done' "$T/proj/locked" "$T/proj/release" &
bg=$!
await test -e "$T/proj/locked"
python3 -c 'import fcntl, sys
try:
    fcntl.lockf(open(sys.argv[1], "w"), fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("free")
except OSError:
    print("held")' "$T/lock" >"$T/lockstate"
is "$(cat "$T/lockstate")" held "--lock-file: the lock is held while the command runs"
touch "$T/proj/release"
wait "$bg"

# Bad input: refused with one line before anything starts.
nb run --info-fd 9 -- touch "$T/proj/never"
like "$rc:$out" "^125:nestbox: --info-fd 9: fd 9 is not open" "an fd that is not open: 125, one line"
out=$("$NESTBOX" run --info-fd 3 --json-status-fd 3 -- touch "$T/proj/never" 2>&1 3>/dev/null)
like "$?:$out" "^125:nestbox: --json-status-fd 3: fd 3 is already another hook's" "one fd for two hooks: 125"
out=$("$NESTBOX" run --block-fd 3 --block-fd 4 -- touch "$T/proj/never" 2>&1 3>/dev/null 4>/dev/null)
like "$?:$out" "^125:nestbox: --block-fd: given twice" "a hook given twice: 125"
out=$("$NESTBOX" run --keep-fd 3 --json-status-fd 3 -- touch "$T/proj/never" 2>&1 3>/dev/null)
like "$?:$out" "^125:nestbox: --keep-fd 3: fd 3 is --json-status-fd's" "the command cannot get the status fd (--keep-fd): 125"
ok "$([ ! -e "$T/proj/never" ]; echo $?)" "and nothing ran"

# The exit-status contract, one case each.
printf 'not a program\n' >"$T/proj/noexec"
chmod 644 "$T/proj/noexec"
for c in "0|true" "3|sh -c 'exit 3'" "137|sh -c 'kill -KILL \$\$'" "124|--timeout 1 -- sleep 20" \
	"125|--bind /no/such /mnt -- true" "126|./noexec" "127|no-such-command-x"; do
	want=${c%%|*}
	args=${c#*|}
	case $args in --*) ;; *) args="-- $args" ;; esac
	eval "\"\$NESTBOX\" run $args" >/dev/null 2>&1
	is "$?" "$want" "exit status $want: nestbox run $args"
done

# GNU make: each recipe line in the build profile.
cat >"$T/proj/Makefile" <<EOF
SHELL = $NESTBOX
.SHELLFLAGS = run --profile build -- sh -c
all:
	readlink /proc/self/ns/user >inside-ns
	touch /etc/made-by-make 2>/dev/null || echo etc-refused >refused
EOF
make -s -C "$T/proj" >/dev/null 2>&1
rc=$?
ok "$([ "$rc" = 0 ] && [ "$(cat "$T/proj/inside-ns")" != "$(readlink /proc/self/ns/user)" ] &&
	[ "$(cat "$T/proj/refused")" = etc-refused ]; echo $?)" "make with SHELL=nestbox: each recipe line ran in the build profile"

# GitHub Actions' shell: template, with {0} replaced by the script file.
printf 'echo step-ran\nfalse\necho not-reached\n' >"$T/proj/step.sh"
template="$NESTBOX run --profile build -- bash --noprofile --norc -eo pipefail {0}"
# shellcheck disable=SC2086
out=$(eval "$(printf '%s' "$template" | sed "s|{0}|$T/proj/step.sh|")" 2>&1)
is "$?:$out" "1:step-ran" "GitHub Actions' shell: template: the step runs, and -e stops it with its status"

# A remote-execution wrapper: nestbox as an argv prefix, with the action's
# own environment and directory, and its timeout in the status.
mkdir -p "$T/action"
out=$(cd "$T/action" && env -i PATH=/usr/bin:/bin ACTION_VAR=value "$NESTBOX" run --profile build \
	--timeout 2 --json-status-fd 3 -- sh -c 'echo "$ACTION_VAR $(pwd)"; sleep 20' 3>"$T/st" 2>/dev/null)
is "$?:$out" "124:value $T/action" "a wrapper prefix: the action's environment and directory, and 124 at its timeout"
is "$(json "$T/st" event timed-out | tail -1)" "exited True" "and the status says it timed out"

done_testing
