#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The same mapping requests from a user without /etc/subuid entries.
NB_TEST_USER=nbtestnosub
. "$(dirname "$0")/../libtest.sh"

nb --map root -- cat /proc/self/uid_map
is "$(printf '%s\n' "$out" | norm_map)" "0 $NB_UID 1" "--map root works without subordinate ids"
nb --map auto -- sleep 1000.$$
is "$rc" 125 "--map auto without a subuid entry gives 125"
like "$out" "^nestbox: --map auto: /etc/subuid has no entry for $(id -un) \(ask an administrator" \
	"the error says what is missing and what to do"
is "$(printf '%s\n' "$out" | wc -l)" 1 "in one line"
nb --uid-map 0:$NB_UID:1 --uid-map 1:100000:10 -- true
is "$rc" 125 "an explicit range without a subuid entry gives 125"
like "$out" "/etc/subuid has no range for you" "and says the user has no range"
nb idmap --map auto
is "$rc" 125 "idmap --map auto fails the same way"
gone "sleep 1000.$$"
ok $? "nothing is left running"

done_testing
