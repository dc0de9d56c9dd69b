#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live sandboxes: --name, nestbox ps and nestbox enter, checked against what
# the kernel shows in /proc for the sandbox's processes.
. "$(dirname "$0")/../libtest.sh"
# One sandbox here has --map auto: it needs a subordinate range.
nb_need_ranges 1

cd "$T" || exit 1
# A state directory of this test's own: other tests run sandboxes meanwhile.
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
S=$XDG_RUNTIME_DIR/nestbox

# wait_named NAME: until ps knows the sandbox's command (3 s at most).
wait_named() {
	for _i in $(seq 30); do
		"$NESTBOX" ps --json 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if any(s["name"] == sys.argv[1] and s["pid"] > 0 for s in json.load(sys.stdin)) else 1)
' "$1" && return 0
		sleep 0.1
	done
	return 1
}

# field NAME KEY: a value of sandbox NAME from ps --json.
field() {
	"$NESTBOX" ps --json | python3 -c '
import json, sys
s = [s for s in json.load(sys.stdin) if s["name"] == sys.argv[1]][0]
v = s
for k in sys.argv[2].split("."):
    v = v[k]
print(v)
' "$1" "$2"
}

"$NESTBOX" run --name alpha -- sleep 60 &
a=$!
"$NESTBOX" run --map auto -- sleep 61 &
b=$!
wait_named alpha
ok $? "a named sandbox shows up in ps"
for _i in $(seq 30); do
	[ "$("$NESTBOX" ps -q | wc -l)" -ge 2 ] && break
	sleep 0.1
done
names=$("$NESTBOX" ps -q)
like "$names" "^alpha$" "ps -q lists the named sandbox"
like "$names" "^sleep-$b$" "a sandbox without --name gets the command's name and nestbox's pid"
json=$("$NESTBOX" ps --json)
printf '%s' "$json" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert len(l) == 2, l
for s in l:
    assert s["pid"] > 0 and s["init_pid"] > 0 and s["host_pid"] > 0, s
    assert s["command"][0] == "sleep", s
    assert set(s["namespaces"]) == {"user", "mnt", "uts", "ipc", "pid", "net", "cgroup"}, s
'
ok $? "ps --json parses: two sandboxes with pids, command and seven namespaces"
pid=$(field alpha pid)
init=$(field alpha init_pid)
is "$(tr '\0' ' ' </proc/"$pid"/cmdline)" "sleep 60 " "the pid ps gives is the command's"
is "$(awk '/^PPid/ { print $2 }' /proc/"$pid"/status)" "$init" "and its parent is init"
bad=0
for ns in user mnt uts ipc pid net cgroup; do
	want=$(readlink /proc/"$pid"/ns/$ns | tr -dc 0-9)
	[ "$(field alpha namespaces.$ns)" = "$want" ] || bad=$((bad + 1))
done
is "$bad" 0 "ps's inodes are those of /proc/PID/ns/* of the command"
is "$(field alpha uid_map)" "[[0, $NB_UID, 1]]" "ps shows the one-id map"
is "$(field "sleep-$b" uid_map)" "$(nb_auto_map uid json)" \
	"ps shows the subordinate ranges of --map auto"
table=$("$NESTBOX" ps)
like "$table" "^alpha +$init +$pid +[0-9]+s +0:$NB_UID:1 +sleep 60$" "the table has name, pids, uptime, map and command"
like "$table" "user:\[$(readlink /proc/"$pid"/ns/user | tr -dc 0-9)\]" "and the namespace inodes"

# enter blocks SIGTERM to forward it, hence -s KILL.  In the sanitizer
# build, LeakSanitizer's check at exit once spun for ever in an enter that
# had joined a PID namespace.
timeout -s KILL 30 "$NESTBOX" enter alpha -- true
is "$?" 0 "enter returns once its process has exited"

# enter: the same namespaces, inode by inode.
got=$("$NESTBOX" enter alpha -- sh -c 'for n in user mnt uts ipc pid net cgroup; do readlink /proc/self/ns/$n; done' | tr '\n' ' ')
want=$(for n in user mnt uts ipc pid net cgroup; do readlink /proc/"$pid"/ns/$n; done | tr '\n' ' ')
is "$got" "$want" "enter lands in all seven namespaces of the command"
is "$("$NESTBOX" enter "$pid" -- hostname)" nestbox "enter takes the command's pid"
is "$("$NESTBOX" enter "$init" -- cat /proc/1/comm)" nestbox "and init's, and sees init as PID 1"
is "$(cd / && "$NESTBOX" enter alpha -- pwd)" "$T" "enter starts in the command's working directory"

# The same restrictions as the command, each seen from inside.
restrictions() {
	grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):'
}
mkdir -p "$T/proj"
for mode in "" "--profile build" "--map auto" "--map none" "--map user --cap-drop ALL --cap-add CAP_NET_RAW" "--seccomp none --rlimit nofile=64"; do
	# shellcheck disable=SC2086
	(cd "$T/proj" && exec "$NESTBOX" run --name mode $mode -- sleep 60) &
	m=$!
	wait_named mode
	cmd=$("$NESTBOX" enter mode -- cat /proc/2/status 2>&1 | restrictions)
	mine=$("$NESTBOX" enter mode -- cat /proc/self/status | restrictions)
	if [ -n "$cmd" ] && [ "$cmd" = "$mine" ]; then
		ok 0 "enter ${mode:-(default)}: the same ids, Cap*, NoNewPrivs and Seccomp lines as the command"
	else
		ok 1 "enter ${mode:-(default)}: the same ids, Cap*, NoNewPrivs and Seccomp lines as the command"
		printf '%s\n--\n%s\n' "$cmd" "$mine" | sed 's/^/#   /'
	fi
	lim=$("$NESTBOX" enter mode -- sh -c 'ulimit -n')
	is "$lim" "$("$NESTBOX" enter mode -- sh -c 'cat /proc/2/limits' | awk '/open files/ { print $4 }')" \
		"enter ${mode:-(default)}: the same open-files limit"
	kill "$m"
	wait "$m" 2>/dev/null
done

# The record is where a sandbox may write (~/.nestbox under a visible HOME):
# enter takes the seccomp policy from the kernel, not from it.
# (Rewritten in place: sed -i would make a new, unlocked file, a stale record.)
rewritten=$(sed 's/^seccomp=default$/seccomp=none/' "$S/alpha")
printf '%s\n' "$rewritten" >"$S/alpha"
is "$("$NESTBOX" enter alpha -- awk '/^Seccomp:/ { print $2 }' /proc/self/status)" 2 \
	"a record rewritten to seccomp=none: enter still installs the policy the command has"

# Only 0, 1 and 2 reach the process, whatever the caller holds.
got=$("$NESTBOX" enter alpha -- sh -c "$NB_CHILD_FDS" 5</dev/null 7>"$T/seven")
is "$got" "0 1 2" "enter passes only fds 0-2"

# Its exit status is the command's; a death by signal is passed on.
"$NESTBOX" enter alpha -- sh -c 'exit 7'
is "$?" 7 "enter exits with the command's status"
sh -c '"$1" enter alpha -- sh -c "kill -TERM \$\$"; echo "status $?"' sh "$NESTBOX" >"$T/sig.out" 2>&1
is "$(tail -n 1 "$T/sig.out")" "status 143" "a command killed by SIGTERM: enter dies of it too"
nb enter alpha -- no-such-command-here
is "$rc" 127 "a missing command exits 127"
like "$out" "^nestbox: no-such-command-here: command not found" "with one line"

# Non-dumpable until exec: while it waits, the host side's /proc entry is root's.
"$NESTBOX" enter alpha -- sleep 3.$$ &
e=$!
# It waits once its command runs inside.
await pgrep -u "$NB_UID" -f "^sleep 3\.$$\$"
is "$(stat -c %u /proc/$e/environ)" 0 "the nestbox enter process is non-dumpable (its /proc/PID/environ is root's)"
kill "$e"
wait "$e" 2>/dev/null

# Bash completion: it loads, and completes from nestbox itself.
comp=${NB_DOCS:-$NESTBOX_SRCDIR/completion}/nestbox
complete_words() { # complete_words WORD...: the candidates for the last word
	PATH=$(dirname "$NESTBOX"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nestbox; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@"
}
bash -c '. "$1" && complete -p nestbox' sh "$comp" >/dev/null 2>&1
ok $? "the completion script loads and registers nestbox"
like "$(complete_words nestbox enter al)" "^alpha$" "enter completes the names of running sandboxes"
like "$(complete_words nestbox "")" "^enter$" "subcommands complete"
like "$(complete_words nestbox run --pro)" "^--profile$" "run's options complete, read from --help"
like "$(complete_words nestbox ps -)" "^--json$" "ps's options complete"
is "$(complete_words nestbox run --profile "" | tr '\n' ' ')" "shell build " "profile names complete"
is "$(complete_words nestbox run --isolation "" | tr '\n' ' ')" "auto namespaces landlock " "isolation modes complete"
like "$(complete_words nestbox run --cap-drop cap_net_r)" "^CAP_NET_RAW$" "capability names complete"

# Names.
nb run --name alpha -- sh -c "touch $T/clash-ran"
is "$rc" 125 "a name already running: 125"
ok "$([ ! -e "$T/clash-ran" ]; echo $?)" "and the command never ran"
like "$out" "^nestbox: a sandbox named 'alpha' is already running \(choose another --name" "with one line"
nb run --name 123 -- true
is "$rc" 125 "an all-digit name is refused"
nb run --name 'a/b' -- true
like "$rc:$out" "^125:nestbox: --name: invalid name 'a/b'" "a name with a slash is refused"

# Not a nestbox sandbox of ours: 125, one line.
sleep 30 &
plain=$!
nb enter "$plain"
like "$rc:$out" "^125:nestbox: pid $plain is not a running nestbox sandbox of yours" "enter a plain process: 125"
unshare -Ur sleep 30 &
us=$!
await sh -c '[ "$(readlink /proc/$1/ns/user)" != "$(readlink /proc/self/ns/user)" ]' sh "$us"
nb enter "$us"
is "$rc" 125 "enter an unshare(1) process: 125"
kill "$plain" "$us"
nb enter nosuch
like "$rc:$out" "^125:nestbox: no running sandbox of yours is named 'nosuch'" "enter an unknown name: 125"

# A forged, locked record that points at another user's process: the kernel refuses.
victim=$(ps -u root -o pid= -o ppid= | awk '$2 > 1 { print $1; exit }')
vstart=$(awk '{ sub(/.*\) /, ""); print $20 }' /proc/"$victim"/stat)
vppid=$(awk '{ sub(/.*\) /, ""); print $2 }' /proc/"$victim"/stat)
printf 'nestbox-record 1\nname=forged\nhost_pid=%s\ninit_pid=%s\ninit_start=%s\nstarted=0\npid_ns=1\nas_pid1=1\nseccomp=default\nmap=root\nnet=none\n' \
	"$vppid" "$victim" "$vstart" >"$S/forged"
flock -o -x "$S/forged" sleep 5 &
fl=$!
await sh -c '! flock -n "$1" true' sh "$S/forged"
nb enter forged -- true
like "$rc:$out" "^125:nestbox: " "a record forged to point at root's pid $victim: 125"
# The same record with a start time that is not the process's: a reused pid.
kill "$fl"
wait "$fl" 2>/dev/null
sed -i "s/^init_start=.*/init_start=1/" "$S/forged"
flock -o -x "$S/forged" sleep 5 &
fl=$!
await sh -c '! flock -n "$1" true' sh "$S/forged"
nb enter forged -- true
like "$rc:$out" "^125:nestbox: no running sandbox of yours is named 'forged'" "a record whose start time differs (a reused pid): 125"
kill "$fl"
wait "$fl" 2>/dev/null

# A stale record, whose host is gone: ignored and removed.
cp "$S/forged" "$S/stale"
sed -i 's/^name=.*/name=stale/' "$S/stale"
nb enter stale -- true
is "$rc" 125 "enter a stale record: 125"
"$NESTBOX" ps >/dev/null
[ ! -e "$S/stale" ] && [ ! -e "$S/forged" ]
ok $? "stale records are removed"
is "$(stat -c %a "$S")" 700 "the state directory is mode 0700"

# The record goes with the sandbox.
kill "$a" "$b"
wait "$a" "$b" 2>/dev/null
is "$(ls -A "$S")" "" "no record is left once the sandboxes ended"
is "$("$NESTBOX" ps -q)" "" "ps lists nothing then"

# Without XDG_RUNTIME_DIR: a directory of the user's own under HOME, never /tmp.
HOME=$T/home
mkdir -p "$HOME"
(unset XDG_RUNTIME_DIR && exec "$NESTBOX" run --name homed -- sleep 30) &
h=$!
XDG_RUNTIME_DIR='' wait_named homed
ok $? "without XDG_RUNTIME_DIR, ps still finds the sandbox"
is "$(stat -c %a "$HOME/.nestbox")" 700 "in ~/.nestbox, mode 0700"
kill "$h"
wait "$h" 2>/dev/null
listed=$(unset XDG_RUNTIME_DIR && "$NESTBOX" ps -q)
is "$listed:$(stat -c %a "$HOME/.nestbox"):$(ls -A "$HOME/.nestbox")" ":700:" \
	"the last sandbox removes its record; the directory stays for the next one, ps or not"
# Made readable by others, by someone else.
chmod 755 "$HOME/.nestbox"
(unset XDG_RUNTIME_DIR && exec "$NESTBOX" run --name homed -- true) >"$T/open.out" 2>&1
like "$?:$(cat "$T/open.out")" "^125:nestbox: --name homed: the state directory .* is not yours alone" \
	"a state directory that others can read is refused"

# -v: the kernel's numbers.  Each inode it names is the command's own.
"$NESTBOX" run -v -- sh -c 'for n in user mnt uts ipc pid net cgroup; do readlink /proc/self/ns/$n; done' >"$T/v.out" 2>"$T/v.err"
bad=""
while read -r link; do
	n=${link%%:*}
	grep -qF "nestbox[init]: the command's $n namespace $link, owned by user:[" "$T/v.err" || bad="$bad $link"
done <"$T/v.out"
is "$(wc -l <"$T/v.out"):$bad" "7:" "-v names each namespace of the command with the inode readlink shows inside"
user_outer=$(sed -n 's/^nestbox\[host\]: started pid [0-9]* in a new user namespace user:\[\([0-9]*\)\], owned by user:\[\([0-9]*\)\]$/\1 \2/p' "$T/v.err")
is "${user_outer#* }" "$(readlink /proc/self/ns/user | tr -dc 0-9)" "-v: the new user namespace is owned by the caller's"
grep -q "the command's user namespace user:\[[0-9]*\], owned by user:\[${user_outer% *}\]" "$T/v.err"
ok $? "-v: the command's user namespace is nested in nestbox's"
like "$(cat "$T/v.err")" "^nestbox\[host\]: /proc/[0-9]+/setgroups <- \"deny\": " "-v: setgroups deny first, with why"
like "$(cat "$T/v.err")" "^nestbox\[host\]: /proc/[0-9]+/uid_map <- \"$NB_UID $NB_UID 1\"$" "-v: the uid_map line nestbox writes"
like "$(cat "$T/v.err")" "^nestbox\[init\]: the command's /proc/2/uid_map <- \"0 $NB_UID 1\"$" "-v: and the command's"
like "$(cat "$T/v.err")" "^nestbox\[cmd\]: capabilities \"=ep\"; the bounding set keeps" "-v: the command's capabilities"
like "$(cat "$T/v.err")" "^nestbox\[init\]: installed the seccomp policy 'default'" "-v: its seccomp policy"
like "$(cat "$T/v.err")" "^nestbox\[host\]: the command exited with status 0$" "-v: how the command ended"
nb run -v --map auto -- true
like "$out" "^nestbox\[host\]: running /usr/bin/newuidmap [0-9]+ $NB_UID $NB_UID 1 " "-v --map auto: the exact newuidmap command line"
nb run -vv -- true
like "$out" "^nestbox\[init \+[0-9]+\.[0-9]{3}ms\]: " "-vv: each line with the time since nestbox started"
printf '%s' "$out" | grep -q "$(printf '\033')"
is "$?" 1 "no colour when stderr is not a terminal"
if command -v script >/dev/null; then
	script -qec "$NESTBOX run -v -- true" /dev/null >"$T/tty.out" 2>&1
	grep -q "$(printf '\033')\[36mnestbox\[host\]" "$T/tty.out"
	ok $? "colour on a terminal"
	NO_COLOR=1 script -qec "$NESTBOX run -v -- true" /dev/null >"$T/tty.out" 2>&1
	grep -q "$(printf '\033')" "$T/tty.out"
	is "$?" 1 "none with NO_COLOR"
else
	skip "script(1) is missing: install bsdutils"
fi

done_testing
