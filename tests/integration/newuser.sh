#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What a new user tripped over, each as it was met:
#  - --rlimit as=100m (the size-like limits take --size's suffixes);
#  - --help's first line names every namespace, the cgroup one included;
#  - doctor advises nothing about cgroups, which nestbox does not use;
#  - --dry-run refuses a missing bind source as the run does (125);
#  - an --overlay whose lower layer is a parent of the current directory
#    keeps it in view, and what covers it is named by its own option;
#  - enter works for a --map auto --uid 1000 sandbox.
. "$(dirname "$0")/../libtest.sh"

cd "$T" || exit 1
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR

# as=100m is planned, not run: AddressSanitizer (CI's second pass) needs
# terabytes of address space before the command's exec.
nb run --dry-run --rlimit as=100m -- true
like "$rc:$out" "rlimits: as=104857600:104857600" "--rlimit as=100m: 100 MiB"
nb --rlimit memlock=1m -- sh -c 'grep "^Max locked memory" /proc/self/limits'
like "$rc:$out" "^0:Max locked memory +1048576 +1048576 +bytes" "--rlimit memlock=1m: 1 MiB, applied"
nb --rlimit stack=8m:16m -- sh -c 'ulimit -s; ulimit -Hs'
is "$rc:$(printf '%s' "$out" | tr '\n' ' ')" "0:8192 16384" "--rlimit stack=8m:16m: soft and hard with suffixes"
nb --rlimit nofile=1k -- true
like "$rc:$out" "^125:nestbox: --rlimit: malformed limit 'nofile=1k'" "a count (nofile) takes no suffix: 125, one line"

like "$("$NESTBOX" --help | sed -n '/^A rootless/,/^$/p' | tr '\n' ' ')" "IPC and cgroup namespaces" \
	"--help's summary names the cgroup namespace, as run --help and the README do"
out=$("$NESTBOX" doctor 2>&1)
unlike "$out" "reboot|unified_cgroup_hierarchy" "doctor gives no cgroup advice: nestbox uses no cgroup"
like "$out" "^info +cgroup " "and still says which cgroup hierarchy this is"

nb run --dry-run --bind /no/such/source /mnt -- true
like "$rc:$out" "^125:nestbox: --bind #1 /mnt: bind source /no/such/source: No such file or directory" \
	"--dry-run refuses a missing bind source with 125, as the run does"
nb run --dry-run --bind-try /no/such/source /mnt -- true
is "$rc" 0 "control: --dry-run with --bind-try of a missing source plans it"

# An overlay of a parent of the current directory, on itself.
mkdir -p "$T/top/src" "$T/up" "$T/work"
echo here >"$T/top/src/file"
out=$(cd "$T/top/src" && "$NESTBOX" --overlay "$T/top" "$T/up" "$T/work" "$T/top" -- sh -c 'pwd; cat file; echo new >made' 2>&1)
is "$?:$(printf '%s' "$out" | tr '\n' ' ')" "0:$T/top/src here" "--overlay of a parent of the current directory keeps it in view"
ok "$([ -f "$T/up/src/made" ] && [ ! -e "$T/top/src/made" ]; echo $?)" "and writes go to the upper directory"
out=$(cd "$T/top/src" && "$NESTBOX" --tmpfs "$T/top" -- true 2>&1)
like "$?:$out" "^125:nestbox: the current directory $T/top/src is not visible inside: the --tmpfs on $T/top covers it" \
	"a --tmpfs over it is named as such"
out=$(cd "$T/top/src" && "$NESTBOX" --tmp-overlay "$T/up" "$T/top" -- true 2>&1)
like "$?:$out" "^125:nestbox: the current directory $T/top/src is not visible inside: the --tmp-overlay on $T/top covers it" \
	"an overlay of another lower directory is named by its own option, not --tmpfs"

# enter into a sandbox whose command runs as a subordinate uid.
if [ -x /usr/bin/newuidmap ] && grep -q "^$(id -un):" /etc/subuid; then
	"$NESTBOX" --map auto --uid 1000 --chdir / --name subuid -- sh -c 'export MARK=inside; sleep 30' &
	bg=$!
	for _i in $(seq 100); do "$NESTBOX" ps -q 2>/dev/null | grep -qx subuid && break; sleep 0.05; done
	nb enter subuid -- sh -c 'id -u; echo "${MARK:-no-mark}"'
	is "$rc:$(printf '%s' "$out" | head -1)" "0:1000" "enter into --map auto --uid 1000: runs, as uid 1000"
	kill "$bg"
	wait "$bg" 2>/dev/null
else
	skip "needs newuidmap and a subordinate range for this user"
fi

done_testing
