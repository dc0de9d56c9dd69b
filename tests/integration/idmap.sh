#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ID mapping with the real newuidmap/newgidmap, as a user with subordinate
# ranges (whatever /etc/subuid and /etc/subgid give the user who runs it;
# make check-setup gives nbtest two of each).
. "$(dirname "$0")/../libtest.sh"

nb_need_ranges 1
# The ranges of whoever runs the tests, from /etc/subuid and /etc/subgid:
# the first uid and gid ranges, and the last gid range (the same one for a
# user with one).
S1=$NB_SUB1_START C1=$NB_SUB1_COUNT G1=$NB_SUBG1_START
GL=$(printf '%s\n' "$NB_SUBGIDS" | tail -n 1 | cut -d' ' -f1)
auto_uid=$(nb_auto_map uid)
auto_gid=$(nb_auto_map gid)
allowed=$(printf '%s\n' "$NB_SUBUIDS" | awk -v id="$NB_UID" '{ printf ", %d-%d", $1, $1 + $2 - 1 } END { print "" }')
allowed="$NB_UID$allowed"

if [ ! -u /usr/bin/newuidmap ] && [ ! -u /usr/bin/newgidmap ]; then
	skip "newuidmap/newgidmap (package uidmap) are not installed setuid"
	done_testing
	exit $?
fi

# The exact maps of every mode.
nb --map root -- cat /proc/self/uid_map
is "$(printf '%s\n' "$out" | norm_map)" "0 $NB_UID 1" "--map root: uid_map"
nb --map user -- sh -c 'cat /proc/self/uid_map; id -u; id -g'
is "$(printf '%s\n' "$out" | sed -n 1p | norm_map)" "$NB_UID $NB_UID 1" "--map user: uid_map"
is "$(printf '%s\n' "$out" | sed -n 2,3p | tr '\n' ' ')" "$NB_UID $NB_GID " "--map user: the caller keeps its ids"
nb --map auto -- cat /proc/self/uid_map
is "$(printf '%s\n' "$out" | norm_map)" "$auto_uid" "--map auto: uid_map is the caller plus each subuid range"
nb --map auto -- cat /proc/self/gid_map
is "$(printf '%s\n' "$out" | norm_map)" "$auto_gid" "--map auto: gid_map is the caller plus each subgid range"
nb --map auto -- cat /proc/self/setgroups
is "$out" deny "--map auto: setgroups is deny, written before newgidmap"
nb --map auto --allow-setgroups -- cat /proc/self/setgroups
is "$out" allow "--map auto --allow-setgroups: setgroups stays allow, as with newgidmap"
nb --map auto -- id -G
if [ -n "$(id -G | cut -s -d' ' -f2-)" ]; then
	is "$out" "0 65534" "--map auto: the supplementary groups stay, unmappable, as nogroup"
else
	is "$out" 0 "--map auto: no supplementary group outside, none inside"
fi
nb --map auto --allow-setgroups -- id -G
is "$out" 0 "--map auto --allow-setgroups: the unmappable supplementary groups are dropped"
nb --uid-map 0:$NB_UID:1 --uid-map 1:$S1:10 --gid-map 0:$NB_GID:1 --gid-map 5:$((GL + 3)):2 -- \
	sh -c 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map'
is "$(printf '%s\n' "$out" | sed -n '1,2p' | norm_map)" "0 $NB_UID 1;1 $S1 10" "--uid-map: explicit uid_map"
is "$(printf '%s\n' "$out" | sed -n '4,5p' | norm_map)" "0 $NB_GID 1;5 $((GL + 3)) 2" "--gid-map: explicit gid_map"
nb --uid-map 0:$NB_UID:1 -- cat /proc/self/gid_map
is "$(printf '%s\n' "$out" | norm_map)" "0 $NB_GID 1" "a missing --gid-map defaults to the one-id map"

nb --uid-map 0:$S1:1 --uid-map 1000:$NB_UID:1 --gid-map 0:$G1:1 --gid-map 1000:$NB_GID:1 \
	--uid 0 --gid 0 -- sh -c 'id -u; id -g'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "0 0 " "--uid 0 --gid 0 switch to 0 when the caller is not 0 inside"

# Ownership round trips.
mkdir "$T/rt"
chmod 777 "$T/rt"
nb --map auto -- sh -c 'touch "$1/root-file"' sh "$T/rt"
is "$(stat -c %u:%g "$T/rt/root-file")" "$NB_UID:$NB_GID" "a file made by root inside belongs to the caller outside"
nb --map auto --uid 1000 --gid 1000 -- sh -c 'id -u; id -g; touch "$1/user-file"' sh "$T/rt"
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "1000 1000 " "--uid/--gid pick the identity inside"
is "$(stat -c %u:%g "$T/rt/user-file" 2>&1)" "$((S1 + 999)):$((G1 + 999))" \
	"a file made by uid 1000 inside belongs to subuid_start+999 outside"
nb --map auto -- stat -c %U:%G /etc/shadow
is "$out" "nobody:nogroup" "a host root file appears as nobody:nogroup inside"
nb --map auto -- sh -c 'chown 5:5 "$1/root-file" && stat -c %u:%g "$1/root-file"' sh "$T/rt"
is "$out" "5:5" "root inside can chown to a mapped id"
is "$(stat -c %u "$T/rt/root-file")" "$((S1 + 4))" "which lands on the subordinate id outside"
nb --map root -- chown 5 "$T/rt/user-file"
is "$rc" 1 "with a one-id map, chown to an unmapped id fails"
# Clean up files the test user cannot delete by itself.
"$NESTBOX" --map auto -- rm -rf "$T/rt"

# idmap: the human table and JSON.
nb idmap --map auto
like "$out" "uid map, applied by newuidmap" "idmap names the helper"
like "$out" "0 \(root\) +$NB_UID +$(id -un) +your own id" "idmap shows root inside is the caller"
like "$out" "1-$C1 +$S1-$((S1 + C1 - 1)) .*/etc/subuid line [0-9]+: $(id -un):$S1:$C1" "idmap shows the subuid line"
like "$out" "as uid 65534 \(nobody\) and gid 65534 \(nogroup\)" "idmap explains the overflow ids"
nb idmap
like "$out" "applied by nestbox \(one id, written directly\)" "idmap: the default map is written directly"
nb idmap --map auto --json
like "$out" "^\{\"uid_map\":\[\{\"inside\":0,\"outside\":$NB_UID,\"count\":1," "idmap --json gives the uid map"
like "$out" "\"overflow_uid\":65534" "idmap --json gives the overflow id"
if command -v python3 >/dev/null; then
	n=$(($(printf '%s\n' "$NB_SUBGIDS" | wc -l) + 1))
	printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if len(d["gid_map"]) == int(sys.argv[1]) else 1)' "$n"
	ok $? "idmap --json is valid JSON with $n gid ranges"
fi

# --show-map: the live maps before the command starts.
out=$("$NESTBOX" --map auto --show-map -- echo COMMAND 2>&1)
like "$out" "uid_map \(the kernel's map of the command\)" "--show-map prints the kernel's uid_map"
like "$out" "0 +$NB_UID +1 +inside uid 0 is outside $NB_UID \($(id -un)\)" "--show-map explains root inside"
like "$(printf '%s\n' "$out" | tail -1)" "^COMMAND$" "--show-map prints before the command runs"

# Errors: one line, status 125, nothing left running.  The marker outlives
# gone's wait, so a leak is seen; a refusal that does not happen is cut by
# timeout(1) (status 124) rather than hanging the suite.
marker="sleep 1000.$$"
nb() {
	out=$(timeout 10 "$NESTBOX" "$@" 2>&1)
	rc=$?
}
nb --uid-map 0:5000:1 -- $marker
is "$rc" 125 "a range outside the allotment gives 125"
like "$out" "outside uid range 5000 is not yours to map \(allowed: $allowed\)" \
	"the error names the allowed ranges"
# One past the end of the range that ends last (ranges may touch).
end=$(printf '%s\n' "$NB_SUBUIDS" | awk '{ e = $1 + $2; if (e > m) m = e } END { print m }')
nb --uid-map 0:$((end - 1)):2 -- $marker
like "$rc:$out" "^125:nestbox: outside uid range $((end - 1))-$end is not yours to map" "a range one past the allotment gives 125"
nb --uid-map 0:x:1 -- $marker
is "$rc:$(printf '%s\n' "$out" | wc -l):$(printf '%s\n' "$out" | grep -c "^nestbox: --uid-map: .*'0:x:1'")" "125:1:1" \
	"a malformed --uid-map gives one line and 125"
nb --map auto --uid 999999 -- $marker
is "$rc" 125 "an unmapped --uid gives 125"
like "$out" "--uid 999999 is not mapped" "and says so"
NESTBOX_NEWUIDMAP=/nonexistent/newuidmap nb --map auto -- $marker
is "$rc" 125 "a missing newuidmap gives 125"
like "$out" "install the 'uidmap' package" "and names the package"
cp /usr/bin/newuidmap "$T/newuidmap"
NESTBOX_NEWUIDMAP="$T/newuidmap" nb --map auto -- $marker
is "$rc" 125 "a newuidmap that is not setuid gives 125"
like "$out" "is not setuid root" "and says so"
if [ -u "$NB_HELPERS/fakemap" ]; then
	NESTBOX_NEWGIDMAP="$NB_HELPERS/fakemap" nb --map auto -- $marker
	is "$rc" 125 "a failing newgidmap gives 125"
	like "$out" "^nestbox: fakemap failed: .*fake helper refuses pid [0-9]+" "and its message is passed on"
else
	skip "the setuid fake helper was not staged (needs the root test setup)"
fi
gone "$marker"
ok $? "no process survives a mapping error"
nb --map auto -- true
is "$rc" 0 "the real helpers still work after the failures"
timeout 20 env --ignore-signal=CHLD "$NESTBOX" --map auto -- true
is "$?" 0 "--map auto works for a caller that ignores SIGCHLD"

done_testing
