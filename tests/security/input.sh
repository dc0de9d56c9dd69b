#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input is refused cleanly.  An id map within the kernel's 340 lines but
# longer than the 4096 bytes that uid_map takes in one write is refused with
# 125 and one line naming the limit, before the command starts.  Arguments
# that end up in an error message cannot break it into several lines or
# smuggle terminal escapes onto the caller's terminal: stderr is exactly one
# line with no control byte.  An empty command name is "not found", 127.
. "$(dirname "$0")/../libtest.sh"

# 340 ranges, within the first subordinate range of whoever runs the test
# (nbtest's 65536), about 6.8 kB as text.
if [ "${NB_SUB1_COUNT:-0}" -ge 340 ] && [ -u /usr/bin/newuidmap ]; then
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
	is "$rc:$out" "0:STARTED" "control: a short map of the same shape starts the command"
else
	skip "needs a subordinate uid range of 340 ids or more and a setuid newuidmap (make check-setup gives nbtest one)"
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

oneline "a newline in --hostname" --hostname "$(printf 'a\nb')" -- true
oneline "an ESC in --hostname" --hostname "$(printf 'x\033]0;t\007')" -- true
oneline "a space in --domainname" --domainname "a b" -- true
oneline "an empty label in --hostname" --hostname "a..b" -- true
nb --hostname build-7.example_x -- hostname
is "$rc:$out" "0:build-7.example_x" "control: letters, digits, '-', '_' and dots are a hostname"

# ps writes nothing from a record or /proc unescaped: a terminal would obey
# an OSC 52 (clipboard) or a title sequence in them.
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
esc=$(printf '\033]52;c;cHduZWQ=\007\033]0;pwned\007\233')
short=$(printf '\033]0;pw\007')
"$NESTBOX" --name escaped -- sh -c 'sleep 30' "$esc" &
bg=$!
for _i in $(seq 100); do "$NESTBOX" ps -q 2>/dev/null | grep -qx escaped && break; sleep 0.05; done
rec=$XDG_RUNTIME_DIR/nestbox/escaped
# The sandbox's own record, rewritten in place (its host holds the lock):
# net= and ports= carry the escape sequences.
# Not sed -i, which makes a new file that no host locks (a stale record).
content=$(LC_ALL=C sed "s/^net=.*/net=$short/; s/^ports=.*/ports=$esc/" "$rec") && printf '%s\n' "$content" >"$rec"
grep -q "$(printf '\033')" "$rec"
is "$?" 0 "control: the record holds escape sequences"
"$NESTBOX" ps >"$T/ps.out" 2>&1
"$NESTBOX" ps --json >"$T/ps.json" 2>"$T/ps.err"
is "$(LC_ALL=C tr -d '\n\040-\176' <"$T/ps.out" | wc -c)" 0 "ps writes no control byte and no C1 byte, whatever a record or /proc holds"
is "$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$T/ps.json" | wc -c)" 0 "nor does ps --json"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/ps.json"
is "$?:$(cat "$T/ps.err")" "0:" "and the JSON stays valid, with nothing on stderr"
# The command line, straight from /proc, with its escapes shown escaped.
content=$(LC_ALL=C sed "s/^net=.*/net=none/; s/^ports=.*/ports=/" "$rec") && printf '%s\n' "$content" >"$rec"
"$NESTBOX" ps >"$T/ps.out" 2>&1
like "$(cat "$T/ps.out")" "^escaped .*sh -c sleep 30 .x1b]52;c;cHduZWQ=.x07" "ps shows the command line's escapes as \\xNN"
kill "$bg"
wait "$bg" 2>/dev/null

nb -- ''
is "$rc" 127 "nestbox run -- '' exits 127"
like "$out" "^nestbox: .*command not found" "with the command-not-found line"
done_testing
