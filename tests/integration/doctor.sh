#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox doctor: a healthy run, its JSON, and each failure made real rather
# than simulated: a user namespace whose max_user_namespaces is 0, and a
# newuidmap that is missing or not setuid.  The user without subordinate ids
# is doctor-nosub.sh.
. "$(dirname "$0")/../libtest.sh"

checks="kernel|user namespaces|uts namespaces|pid namespaces|mnt namespaces|net namespaces"
checks="$checks|ipc namespaces|cgroup namespaces|userns_clone|apparmor userns|subuid|subgid"
checks="$checks|newuidmap|newgidmap|overlayfs|seccomp|tiocsti|tun|pasta|slirp4netns|cgroup"
checks="$checks|userns probe"

# json_get EXPR: evaluate a Python expression over the JSON on stdin as d.
json_get() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}

nb doctor
is "$rc" 0 "doctor exits 0 where a default sandbox can run"
IFS='|'
for c in $checks; do
	like "$out" "^(ok|info|warn|FAIL) +$c  " "it reports $c"
done
unset IFS
like "$out" "^ok +userns probe +created and mapped a user namespace" \
	"the probe really creates the namespaces"
unlike "$out" "^FAIL" "and nothing fails"
lines=$(printf '%s\n' "$out" | grep -cE '^(ok|info|warn|FAIL) ')
is "$lines" 23 "one line per check"
misaligned=$(printf '%s\n' "$out" | grep -E '^(ok|info|warn|FAIL) ' |
	awk 'substr($0, 25, 1) != " " || substr($0, 26, 1) == " "' | head -3)
is "$misaligned" "" "what was found starts in the same column on every line"

nb doctor --bogus
is "$rc" 125 "a bad option is doctor's own failure: 125"
nb doctor -h
is "$rc" 0 "--help exits 0"
like "$out" "^ nestbox doctor \[--json\]" "and shows doctor's usage"

if command -v python3 >/dev/null; then
	json=$("$NESTBOX" doctor --json)
	rc=$?
	is "$rc" 0 "--json exits 0 too"
	printf '%s' "$json" | python3 -c 'import json, sys; json.load(sys.stdin)'
	ok $? "--json prints valid JSON"
	is "$(printf '%s' "$json" | json_get 'd["ok"] is True')" True "with ok=true"
	is "$(printf '%s' "$json" | json_get 'len(d["checks"])')" "$lines" \
		"and the same checks as the table"
	is "$(printf '%s' "$json" |
		json_get 'all(set(c) == {"name", "status", "found", "fix"} and
			c["status"] in ("ok", "warn", "fail", "info") for c in d["checks"])')" \
		True "each check has name, status (ok, warn, fail, info), found and fix"
else
	skip "python3 is missing: cannot parse --json"
fi

# (1) A user namespace whose own limit is 0: its root may write that, and
# doctor, run inside it, then cannot create the namespace nestbox needs.
if unshare -Ur true 2>/dev/null; then
	inner='echo 0 >/proc/sys/user/max_user_namespaces || exit 99; "$@"'
	out=$(unshare -Ur sh -c "$inner" sh "$NESTBOX" doctor 2>&1)
	rc=$?
	is "$rc" 1 "with max_user_namespaces=0, doctor exits 1"
	like "$out" "^FAIL +user namespaces +max_user_namespaces=0, and a sandbox needs 2" \
		"it names max_user_namespaces"
	like "$out" "^FAIL +user namespaces .*: .*echo [0-9]+ > /proc/sys/user/max_user_namespaces" \
		"with the fix"
	like "$out" "^FAIL +userns probe +cannot create a user namespace: ENOSPC: user.max_user_namespaces is 0" \
		"the probe's ENOSPC is put down to the limit"
	like "$out" "^nestbox cannot run a default sandbox here" "and says it cannot run"
	if command -v python3 >/dev/null; then
		got=$(unshare -Ur sh -c "$inner" sh "$NESTBOX" doctor --json |
			json_get '(d["ok"], [c["status"] for c in d["checks"] if c["name"] == "user namespaces"])')
		is "$got" "(False, ['fail'])" "--json says ok=false and fail there too"
	fi
else
	skip "unshare -Ur does not work here"
fi

# (3) NESTBOX_NEWUIDMAP naming a missing helper, and a PATH without one.
mkdir "$T/bin"
out=$(env PATH="$T/bin" NESTBOX_NEWUIDMAP="$T/bin/newuidmap" "$NESTBOX" doctor 2>&1)
rc=$?
is "$rc" 0 "a missing newuidmap does not stop a default sandbox"
like "$out" "^warn +newuidmap +$T/bin/newuidmap \(from NESTBOX_NEWUIDMAP\): missing, none on PATH: install the uidmap package \(apt-get install uidmap\)" \
	"it is reported, with the package that provides it"
like "$out" "^ok +newgidmap +/usr/bin/newgidmap, setuid root" "newgidmap is checked on its own"
out=$(env PATH="$T/bin:/usr/bin:/bin" NESTBOX_NEWUIDMAP="$T/bin/newuidmap" "$NESTBOX" doctor 2>&1)
like "$out" "^warn +newuidmap .*: set NESTBOX_NEWUIDMAP=/usr/bin/newuidmap, or unset it" \
	"one found on PATH is offered instead"
cp /usr/bin/newuidmap "$T/bin/newuidmap"
out=$(env NESTBOX_NEWUIDMAP="$T/bin/newuidmap" "$NESTBOX" doctor 2>&1)
like "$out" "^warn +newuidmap +$T/bin/newuidmap \(from NESTBOX_NEWUIDMAP\) is not setuid root.*: reinstall the uidmap package" \
	"a copy without the setuid bit is reported too"

done_testing
