#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input is refused cleanly.  An id map within the kernel's 340 lines but
# longer than the 4096 bytes that uid_map takes in one write is refused with
# 125 and one line naming the limit, before the command starts.  Arguments
# that end up in an error message cannot break it into several lines or
# smuggle terminal escapes onto the caller's terminal: stderr is exactly one
# line with no control byte.  An empty command name is "not found", 127.
. "$(dirname "$0")/../libtest.sh"

# 340 ranges, within nbtest's 100000:65536 allotment, about 6.8 kB as text.
set -- --uid-map "0:$NB_SUB1_START:1"
k=1
while [ $k -lt 340 ]; do
	set -- "$@" --uid-map "$((4000000000 + 2 * k)):$((NB_SUB1_START + k)):1"
	k=$((k + 1))
done
nb -v "$@" -- sh -c 'echo STARTED'
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "a 340-line uid map of over 4096 bytes gives 125 and one line, even with -v"
like "$out" "^nestbox: .*4096" "the line names the 4096-byte limit"
ran_unlike 125 "$out" "^nestbox: .*4096" "STARTED|started pid|new user namespace" \
	"nothing started: no namespace, no command (-v narrates none)"
# Control: the same kind of map, short enough, works.
nb --uid-map "0:$NB_SUB1_START:1" --uid-map "4000000002:$((NB_SUB1_START + 1)):1" -- sh -c 'echo STARTED'
if [ -x /usr/bin/newuidmap ]; then
	is "$rc:$out" "0:STARTED" "control: a short map of the same shape starts the command"
else
	skip "newuidmap is missing"
fi

# One line, no control bytes, whatever the argument holds.
oneline() { # oneline DESCRIPTION ARGS...: nestbox must fail with one clean line
	d=$1
	shift
	"$NESTBOX" "$@" 2>"$T/err" >/dev/null
	rc=$?
	n=$(wc -l <"$T/err")
	last=$(tail -c 1 "$T/err" | od -An -c | tr -d ' ')
	ctl=$(tr -d '\n' <"$T/err" | LC_ALL=C tr -d '\040-\176\200-\377' | wc -c)
	is "$rc:$n:$last:$ctl" '125:1:\n:0' "$d: 125, one line, no control byte"
	[ "$ctl" = 0 ] && [ "$n" = 1 ] || od -c "$T/err" | head -4 | sed 's/^/#   /'
}
oneline "a newline in a --bind source" --bind "$(printf '/no\nsuch')" /mnt -- true
oneline "an ESC in a --bind source" --bind "$(printf '/no\033[2Jsuch')" /mnt -- true
oneline "an ESC in an unknown option" "--$(printf 'x\033[31my')"
oneline "a newline in --chdir (a setup step inside)" --chdir "$(printf '/no\nsuch')" -- true
oneline "a CR and BEL in --share" --share "$(printf 'net\r\007')" -- true

nb -- ''
is "$rc" 127 "nestbox run -- '' exits 127"
like "$out" "^nestbox: .*command not found" "with the command-not-found line"
done_testing
