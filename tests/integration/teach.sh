#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Teaching: --map none, exactly the namespaces asked for (--unshare), and
# nestbox compare, each checked against what the kernel shows in /proc.
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
NSES="user mnt uts ipc pid net cgroup"

# pid_of NAME: the command's host pid, once ps knows it (3 s at most).
pid_of() {
	for _i in $(seq 30); do
		_p=$("$NESTBOX" ps --json 2>/dev/null | python3 -c '
import json, sys
print(next((s["pid"] for s in json.load(sys.stdin) if s["name"] == sys.argv[1] and s["pid"] > 0), ""))
' "$1")
		[ -n "$_p" ] && [ -n "$(readlink /proc/"$_p"/ns/user 2>/dev/null)" ] && echo "$_p" && return 0
		sleep 0.1
	done
	return 1
}

# --map none: no map at all.
nb run --map none -- id -u
is "$rc:$out" "0:65534" "--map none: the command runs as the overflow uid"
nb run --map none -- id -g
is "$out" 65534 "and the overflow gid"
"$NESTBOX" run --map none --name unmapped -- sleep 30 &
bg=$!
p=$(pid_of unmapped)
is "$(wc -c </proc/"$p"/uid_map):$(wc -c </proc/"$p"/gid_map)" "0:0" "no uid_map or gid_map was written (empty from outside)"
is "$(cat /proc/"$p"/setgroups)" allow "nor setgroups"
is "$(awk '/^CapEff/ { print $2 }' /proc/"$p"/status)" 0000000000000000 "the command has no capability"
kill "$bg"
wait "$bg" 2>/dev/null
nb run -v --map none -- true
like "$out" "^nestbox\[host\]: --map none: writing no setgroups, gid_map or uid_map; only a process outside could" \
	"-v says why nothing is written"
nb run --map none --show-map -- true
like "$out" "^nestbox: both maps are empty: --map none wrote nothing" "--show-map says the maps are empty"
nb run --map none --bind "$T" /mnt -- true
like "$rc:$out" "^125:nestbox: --map none: --bind needs a map: " "a bind needs a map: one line and 125"
nb run --map none --root ro -- true
like "$rc:$out" "^125:nestbox: --map none: --root ro needs a map" "--root ro needs a map"
nb run --map none --uid 0 -- true
like "$rc:$out" "^125:nestbox: --map none maps no id, so --uid cannot pick one" "--uid needs a map"
nb idmap --map none --json
is "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["uid_map"], d["gid_map"], d["uid"])')" \
	"[] [] 65534" "idmap --map none --json: the empty maps"
nb idmap --map none
like "$out" "^uid map: empty \(--map none: nothing is written\)" "idmap --map none shows the empty map"
nb run --dry-run --map none -- true
like "$out" "^uid map: none$" "--dry-run shows no map"

# Exactly the namespaces asked for.
outside=$(for n in $NSES; do readlink /proc/self/ns/$n; done)
diffs() { # diffs ARGS...: the namespaces that differ from ours inside run ARGS
	"$NESTBOX" run "$@" -- sh -c 'for n in '"$NSES"'; do readlink /proc/self/ns/$n; done' >"$T/in" 2>&1 || return 1
	printf '%s\n' "$outside" | paste -d' ' - "$T/in" | awk '$1 != $2 { split($1, a, ":"); printf "%s ", a[1] }'
}
is "$(diffs --unshare uts)" "user uts " "--unshare uts: exactly a user and a UTS namespace"
is "$(diffs --unshare none)" "user " "--unshare none: only the user namespace"
is "$(diffs --unshare net,ipc)" "user ipc net " "--unshare net,ipc: those two"
is "$(diffs)" "user mnt uts ipc pid net cgroup " "the default: all seven"
is "$(diffs --share mnt,pid)" "user uts ipc net cgroup " "--share mnt,pid keeps the host's mount and PID namespaces"
nb run --unshare uts --hostname lab -- hostname
is "$out" lab "the hostname is set before the command starts"
nb run --unshare pid -- true
like "$rc:$out" "^125:nestbox: a new PID namespace needs a new mount namespace for its /proc" \
	"a PID namespace without a mount namespace: one line and 125"
nb run --share mnt,pid --tmpfs /mnt -- true
like "$rc:$out" "^125:nestbox: --tmpfs needs a mount namespace of its own" "--share mnt with a mount: refused"
nb run --unshare bogus -- true
like "$rc:$out" "^125:nestbox: --unshare: unknown namespace 'bogus'" "an unknown namespace: refused"

# compare: one table, every value from the kernel.
"$NESTBOX" compare --json --name cmp -- sleep 2 >"$T/cmp.json" 2>"$T/cmp.err" &
c=$!
p=$(pid_of cmp)
sandbox=$(for n in $NSES; do readlink /proc/"$p"/ns/$n | tr -dc 0-9; echo; done | tr '\n' ' ')
wait "$c"
is "$?" 0 "compare exits with the command's status"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ns = "user mnt uts ipc pid net cgroup".split()
print(" ".join(str(d["host"]["namespaces"][n]) for n in ns))
print(" ".join(str(d["sandbox"]["namespaces"][n]) for n in ns) + " ")
print(d["sandbox"]["uid"], d["sandbox"]["uid_on_host"], d["sandbox"]["hostname"], d["sandbox"]["pid"], d["sandbox"]["pid_on_host"])
print(d["sandbox"]["interfaces"], d["sandbox"]["processes"], all(not v for v in d["same"].values()))
' "$T/cmp.json" 2>&1)
is "$(printf '%s\n' "$got" | sed -n 1p)" "$(for n in $NSES; do readlink /proc/self/ns/$n | tr -dc 0-9; echo; done | tr '\n' ' ' | sed 's/ $//')" \
	"compare's host inodes are /proc/self/ns/* outside"
is "$(printf '%s\n' "$got" | sed -n 2p)" "$sandbox" "its sandbox inodes are /proc/PID/ns/* of the command"
is "$(printf '%s\n' "$got" | sed -n 3p)" "0 $NB_UID nestbox 2 $p" "uid 0 inside is ours outside; hostname; the command is PID 2, host pid $p"
is "$(printf '%s\n' "$got" | sed -n 4p)" "lo 2 True" "only lo; init and the command; every namespace new"
nb compare --share net,ipc --json
is "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin)["same"]; print(d["net"], d["ipc"], d["uts"])')" \
	"True True False" "a shared namespace is marked same, a new one not"
nb compare
like "$out" "^uts ns +uts:\[[0-9]+\] +uts:\[[0-9]+\] +new$" "the table marks new namespaces"
like "$out" "^uid +$NB_UID +0 \(host sees $NB_UID\)" "and shows the uid inside and as the host sees it"
like "$out" "^capabilities +none +all [0-9]+$" "and the capabilities"
nb compare --unshare uts
like "$out" "^mnt ns +mnt:\[[0-9]+\] +mnt:\[[0-9]+\] +same$" "compare --unshare uts: the mount namespace is the same"
# Short commands: compare holds the command before it starts until both
# views are read, so the table is always there, whole, and the command's
# output and status come through.
whole() { # whole: the header, and mounts and lo read from the sandbox
	printf '%s\n' "$1" | awk '$1 == "HOST" && $2 == "SANDBOX" { h = 1 } $1 == "mounts" && $3 > 0 { m = 1 }
		$1 == "interfaces" && $NF == "lo" { i = 1 } END { print h && m && i ? "whole" : "partial" }'
}
nb compare -- true
is "$rc:$(whole "$out")" "0:whole" "compare -- true: the whole table, status 0"
nb compare -- id -u
is "$rc:$(whole "$out"):$(printf '%s\n' "$out" | grep -cx 0)" "0:whole:1" "compare -- id -u: the table and id's output (0)"
nb compare -- sh -c 'exit 3'
is "$rc:$(whole "$out")" "3:whole" "compare -- sh -c 'exit 3': the table, and status 3"
# The hold goes to an fd from 3 to 9 (sh reads no other in a redirection).
out=$(exec 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 8</dev/null; "$NESTBOX" compare -- true 2>&1)
is "$?:$(whole "$out")" "0:whole" "compare -- true with fds 3-8 open: the table still"
out=$(exec 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 8</dev/null 9</dev/null; "$NESTBOX" compare -- true 2>&1)
like "$?:$out" "^125:nestbox: compare: holding the command needs an fd from 3 to 9" "with all of 3-9 open: one line that says so"
nb compare -- sleep 0.3
is "$rc:$(whole "$out")" "0:whole" "compare -- sleep 0.3: a command that runs a while, too"
nb compare -- no-such-command-here
is "$rc:$(whole "$out")" "127:whole" "a command that is not there: the table, and 127"
like "$out" "no-such-command-here: not found" "and the line that names it"
nb compare --bind /no/such/source /mnt -- true
is "$rc:$out" "125:nestbox: --bind #1 /mnt: bind source /no/such/source: No such file or directory (check the path, or use --bind-try or --ro-bind-try to skip a missing source)" \
	"a sandbox that fails first: its own status and its one line"
is "$("$NESTBOX" ps -q)" "" "compare leaves no sandbox behind"

# The setup inside is a table of steps (src/run/steps.c): -vv names each one
# that runs, in the table's order, and -vvv the ones this sandbox does not need.
: >"$T/lock"
nb run -vv --lock-file "$T/lock" -- true
steps=$(printf '%s\n' "$out" | sed -n 's/^nestbox\[init[^]]*\]: step \([a-z-]*\): .*/\1/p' | tr '\n' ' ')
is "$rc:$steps" "0:hostname mounts keyring seccomp netns sysfs locks " "-vv names each setup step that runs, in order"
nb run -vvv --share uts,net -- true
steps=$(printf '%s\n' "$out" | sed -n 's/^nestbox\[init[^]]*\]: step \([a-z-]*\): not needed here$/\1/p' | tr '\n' ' ')
is "$rc:$steps" "0:hostname netns sysfs no-userns net-ready locks " "-vvv names the steps this sandbox does not need"

done_testing
