#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox doctor for a user without /etc/subuid entries: it says so and how
# to add them, but the default sandbox needs none, so it still exits 0.
NB_TEST_USER=nbtestnosub
. "$(dirname "$0")/../libtest.sh"
nb_need_no_range

me=$(id -un)
nb doctor
is "$rc" 0 "doctor exits 0 without subordinate ids"
like "$out" "^warn +subuid +/etc/subuid has no entry for $me \(--map auto needs one\): usermod --add-subuids [0-9]+-[0-9]+ $me\$" \
	"it says the subuid entry is missing, with the usermod fix"
like "$out" "^warn +subgid +/etc/subgid has no entry for $me .*: usermod --add-subgids [0-9]+-[0-9]+ $me\$" \
	"and the same for subgid"
like "$out" "^ok +userns probe " "the probe still passes"

# The range offered must be free in both files, or the fix makes an overlap.
range=$(printf '%s\n' "$out" | sed -n 's/.*usermod --add-subuids \([0-9]*\)-\([0-9]*\) .*/\1 \2/p')
taken=$(cat /etc/subuid /etc/subgid | awk -F: -v r="$range" '
	BEGIN { split(r, a, " ") }
	NF == 3 && $2 <= a[2] && a[1] <= $2 + $3 - 1 { print }')
is "$taken" "" "the range it offers ($range) is used by nobody"

if command -v python3 >/dev/null; then
	got=$("$NESTBOX" doctor --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["ok"], [c["status"] for c in d["checks"] if c["name"] in ("subuid", "subgid")])')
	is "$got" "True ['warn', 'warn']" "--json: ok=true, with subuid and subgid warnings"
else
	skip "python3 is missing: cannot parse --json"
fi

done_testing
