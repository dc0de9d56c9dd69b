#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox enter, attacked from inside the sandbox it joins:
#  - a thief in the sandbox takes fd 0 of the entered process and keeps it
#    after enter returns, to type into the caller's terminal and read what
#    the caller types next.  The caller's terminal is a pty that this test
#    drives, with a shell that outlives enter.  The entered process must
#    get a pty of nestbox's own, dead once enter returns; a non-interactive
#    enter gets no terminal at all.  The pty keeps the window size and ^C.
#  - a forged record, kept locked, that names a process of the caller's
#    own made with unshare -Urm (full capabilities, no seccomp): enter and
#    ps refuse it.
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR

# The sandbox: a thief that waits for the entered process (its command line
# holds ENTERED-MARK), keeps its fd 0, and once told that enter returned,
# writes into it and reads from it.
cat >"$T/thief.py" <<'EOF'
import os, select, sys, time
T = sys.argv[1]
def say(name, text):
    with open(os.path.join(T, name + ".tmp"), "w") as f:
        f.write(text)
    os.rename(os.path.join(T, name + ".tmp"), os.path.join(T, name))
open(os.path.join(T, "thief-ready"), "w").close()
deadline = time.time() + 20
fd = victim = None
errors = set()
while fd is None and time.time() < deadline:
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            if b"ENTERED-MARK" in open("/proc/%s/cmdline" % p, "rb").read():
                fd = os.open("/proc/%s/fd/0" % p, os.O_RDWR | os.O_NOCTTY)
                victim = p
                break
        except OSError as e:
            errors.add("%s: %s" % (p, e))
    time.sleep(0.01)
if fd is None:
    say("thief-result", "found no entered process; %s\n" % "; ".join(sorted(errors)))
    sys.exit(0)
res = ["kept fd 0 of pid %s: %s" % (victim, os.readlink("/proc/self/fd/%d" % fd))]
say("thief-kept", "\n".join(res))
while not os.path.exists(os.path.join(T, "enter-returned")) and time.time() < deadline:
    time.sleep(0.01)
try:
    os.write(fd, b"INJECTED-BY-SANDBOX\n")
    res.append("write: ok")
except OSError as e:
    res.append("write: errno %d" % e.errno)
say("thief-wrote", "")
got = b""
end = time.time() + 3
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            d = os.read(fd, 100)
        except OSError as e:
            res.append("read: errno %d" % e.errno)
            break
        if not d:
            res.append("read: end of file")
            break
        got += d
        if b"\n" in got:
            break
if got:
    res.append("read: %r" % got)
say("thief-result", "\n".join(res) + "\n")
EOF

# The caller: a pty of this test's, and in it a shell that enters the
# sandbox, then reads a line (a password, say) after enter returned.
cat >"$T/caller.py" <<'EOF'
import fcntl, os, pty, select, struct, sys, termios, time
T, nestbox, inner = sys.argv[1], sys.argv[2], sys.argv[3]
pid, m = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", "-c",
        'tty >"$0/caller-tty"; "$1" enter victim -- sh -c "$2" "$0"; echo ENTER-RC=$?; '
        'touch "$0/enter-returned"; read line; echo "SHELL-GOT:$line"', T, nestbox, inner])
fcntl.ioctl(m, termios.TIOCSWINSZ, struct.pack("HHHH", 37, 91, 0, 0))
out = b""
sent_int = sent_secret = False
deadline = time.time() + 20
def exists(n):
    return os.path.exists(os.path.join(T, n))
while time.time() < deadline:
    r, _, _ = select.select([m], [], [], 0.05)
    if r:
        try:
            d = os.read(m, 4096)
        except OSError:
            break
        if not d:
            break
        out += d
    if b"READY-FOR-INT" in out and not sent_int:
        os.write(m, b"\x03")
        sent_int = True
    if exists("enter-returned") and (exists("thief-wrote") or exists("thief-result")) and not sent_secret:
        os.write(m, b"SECRET-LINE\n")
        sent_secret = True
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
EOF

"$NESTBOX" run --name victim -- python3 "$T/thief.py" "$T" &
host=$!
for _i in $(seq 100); do [ -e "$T/thief-ready" ] && break; sleep 0.05; done
[ -e "$T/thief-ready" ] || nb_bail "the sandbox with the thief did not start"

# The entered process waits until the thief holds its fd (a handshake, not a sleep).
inner='echo ENTERED-MARK; i=0; while [ ! -e "$0/thief-kept" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
tty; stty size; trap "echo GOT-INT" INT; echo READY-FOR-INT; sleep 5; echo done'
out=$(python3 "$T/caller.py" "$T" "$NESTBOX" "$inner" 2>&1)
for _i in $(seq 100); do [ -e "$T/thief-result" ] && break; sleep 0.05; done
thief=$(cat "$T/thief-result" 2>/dev/null)
caller_tty=$(cat "$T/caller-tty" 2>/dev/null)
wait "$host" 2>/dev/null

like "$out" "ENTERED-MARK" "the entered process ran (its marker reached the caller's terminal)"
like "$thief" "^kept fd 0 of pid" "the thief in the sandbox found the entered process and kept its fd 0"
inner_tty=$(printf '%s\n' "$out" | grep -m1 '^/dev/pts/' | tr -d '\r')
ok "$([ -n "$inner_tty" ] && [ -n "$caller_tty" ] && [ "$inner_tty" != "$caller_tty" ]; echo $?)" \
	"the entered process has a terminal of its own ($inner_tty), not the caller's ($caller_tty)"
like "$out" "^37 91" "the pty has the caller's window size"
like "$out" "GOT-INT" "^C reaches the entered process through the pty"
like "$out" "ENTER-RC=0" "enter passed the exit status on"
unlike "$out" "INJECTED-BY-SANDBOX" "nothing the sandbox wrote to the kept fd reached the caller's terminal"
like "$thief" "^write: errno [0-9]+" "writing to the kept fd after enter returned fails"
unlike "$thief" "SECRET" "the sandbox read nothing the caller typed after enter returned"
like "$out" "SHELL-GOT:SECRET-LINE" "the caller's shell got its line"

# Not interactive: no terminal at all, though stdout and stderr are one.
cat >"$T/noninteractive.py" <<'EOF'
import os, pty, sys
pid, m = pty.fork()
if pid == 0:
    fd = os.open("/dev/null", os.O_RDONLY)
    os.dup2(fd, 0)
    os.execvp(sys.argv[1], [sys.argv[1], "enter", "victim2", "--", "sh", "-c",
              "for f in 0 1 2; do readlink /proc/self/fd/$f; done; echo to-stderr >&2; "
              "if (exec 3<>/dev/tty) 2>/dev/null; then echo OPENED-DEV-TTY; else echo no-dev-tty; fi"])
out = b""
while True:
    try:
        d = os.read(m, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
EOF
"$NESTBOX" run --name victim2 -- sleep 30 &
host2=$!
for _i in $(seq 100); do "$NESTBOX" ps -q 2>/dev/null | grep -qx victim2 && break; sleep 0.05; done
out=$(python3 "$T/noninteractive.py" "$NESTBOX" | tr -d '\r')
like "$out" "to-stderr" "a non-interactive enter ran (its stderr reached the caller's terminal)"
is "$(printf '%s\n' "$out" | grep -c '^/dev/pts\|^/dev/tty')" 0 "a non-interactive enter passes no terminal on fd 0, 1 or 2"
like "$out" "^no-dev-tty$" "and /dev/tty (the caller's terminal) cannot be opened: a session of its own"
kill "$host2"
wait "$host2" 2>/dev/null

# A forged record, kept locked, for a namespace of the caller's own: the
# locker is the parent of an unshare -Urm process, as a host is of init.
S=$XDG_RUNTIME_DIR/nestbox
mkdir -p -m 700 "$S"
: >"$S/forged"
flock -x "$S/forged" unshare -Urm sleep 30 &
locker=$!
fake=""
for _i in $(seq 100); do
	fake=$(pgrep -P "$locker" | head -1)
	[ -n "$fake" ] && [ "$(readlink /proc/"$fake"/ns/user)" != "$(readlink /proc/self/ns/user)" ] && break
	sleep 0.05
done
start=$(awk '{ print $22 }' "/proc/$fake/stat")
printf 'nestbox-record 1\nname=forged\nhost_pid=%s\ninit_pid=%s\ninit_start=%s\nstarted=0\npid_ns=0\nas_pid1=1\nseccomp=default\nmap=root\nnet=none\n' \
	"$locker" "$fake" "$start" >"$S/forged"
# The control: the process is one the caller may join, with every capability.
is "$(nsenter -t "$fake" -U -m --preserve-credentials sh -c 'grep CapEff /proc/self/status' 2>&1 | awk '{ print $2 }')" \
	000001ffffffffff "control: the forged record's process could be joined, with full capabilities"
nb enter forged -- grep -E 'CapEff|Seccomp:' /proc/self/status
like "$rc:$out" "^125:nestbox: no running sandbox of yours is named 'forged'" "enter refuses a forged record naming an unshare -Urm process: 125, one line"
nb ps -q
unlike "$out" "forged" "ps does not list it"
kill "$fake" 2>/dev/null
wait 2>/dev/null

# A forger inside a sandbox that shares our PID namespace: it holds the
# lock of its record itself, and its "init" and "command" are its children,
# two user namespaces below ours under nestbox's filters, as a real
# sandbox's are.  Only the host's seccomp filters tell it apart.
cat >"$T/forge.py" <<'EOF'
import fcntl, os, sys, time
S = sys.argv[1]
f = open(os.path.join(S, "forgedinside"), "w")
fcntl.flock(f, fcntl.LOCK_EX)
init = os.fork()
if init == 0:
    cmd = os.fork()
    if cmd == 0:
        os.execvp("sleep", ["sleep", "30"])
    os.waitpid(cmd, 0)
    os._exit(0)
start = open("/proc/%d/stat" % init).read().rsplit(")", 1)[1].split()[19]
time.sleep(0.2)
f.write("nestbox-record 1\nname=forgedinside\nhost_pid=%d\ninit_pid=%d\ninit_start=%s\n"
        "started=0\npid_ns=0\nas_pid1=0\nseccomp=default\nmap=root\nnet=none\n" % (os.getpid(), init, start))
f.flush()
open(os.path.join(S, "..", "forged-ready"), "w").close()
time.sleep(30)
EOF
"$NESTBOX" run --share pid --name forger -- python3 "$T/forge.py" "$S" &
forger=$!
for _i in $(seq 100); do [ -e "$XDG_RUNTIME_DIR/forged-ready" ] && break; sleep 0.05; done
is "$(sed -n 's/^name=//p' "$S/forgedinside" 2>/dev/null)" forgedinside "control: the sandbox planted a locked record of its own"
nb enter forgedinside -- true
like "$rc:$out" "^125:nestbox: no running sandbox of yours is named 'forgedinside'" "enter refuses a record forged from inside a --share pid sandbox"
kill "$forger" 2>/dev/null
wait 2>/dev/null

done_testing
