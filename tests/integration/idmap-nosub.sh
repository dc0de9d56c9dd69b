#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The same mapping requests from a user without /etc/subuid entries.
NB_TEST_USER=nbtestnosub
. "$(dirname "$0")/../libtest.sh"
nb_need_no_range

nb --map root -- cat /proc/self/uid_map
is "$(printf '%s\n' "$out" | norm_map)" "0 $NB_UID 1" "--map root works without subordinate ids"
# A refusal runs a short command: one that ran would print its marker, and
# never hangs the suite.
nb --map auto -- echo RAN-$$
is "$rc" 125 "--map auto without a subuid entry gives 125"
unlike "$out" "RAN-$$" "and the command does not run"
like "$out" "^nestbox: --map auto: /etc/subuid has no entry for $(id -un) \(ask an administrator" \
	"the error says what is missing and what to do"
is "$(printf '%s\n' "$out" | wc -l)" 1 "in one line"
# The hint proposes a block that no line of /etc/subuid or /etc/subgid uses.
range=$(printf '%s\n' "$out" | sed -n 's/.*--add-subuids \([0-9]*\)-\([0-9]*\) --add-subgids \1-\2 .*/\1 \2/p')
set -- $range
if [ -n "$range" ]; then
	clash=$(cat /etc/subuid /etc/subgid | awk -F: -v lo="$1" -v hi="$2" \
		'!/^#/ && NF == 3 && $2 <= hi && $2 + $3 - 1 >= lo' | head -1)
	is "$clash" "" "the proposed range $1-$2 overlaps no entry of /etc/subuid or /etc/subgid"
else
	ok 1 "the hint proposes a range for --add-subuids and --add-subgids"
fi
nb --uid-map 0:$NB_UID:1 --uid-map 1:100000:10 -- true
is "$rc" 125 "an explicit range without a subuid entry gives 125"
like "$out" "/etc/subuid has no range for you" "and says the user has no range"
nb idmap --map auto
like "$rc:$out" "^125:nestbox: --map auto: /etc/subuid has no entry for $(id -un) " "idmap --map auto fails the same way"

done_testing
