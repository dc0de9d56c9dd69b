#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A soak: 1,000 sandboxes, two at a time, about a quarter of them killed with
# SIGKILL or SIGTERM 0-20 ms after they start, so that some die in the middle
# of their setup.  Afterwards nothing of the soak's may be left: no nestbox
# process and no command of its sandboxes, no mount (nb_mounts), and no file
# under its $XDG_RUNTIME_DIR or of nestbox's own in /tmp.  Only the soak's
# own processes count, so that it passes beside other tests run by the same
# user: its nestbox is a copy under a name of its own, whose sandboxes'
# processes (hosts, inits and commands alike) all carry that name or the
# command's unique marker.
NB_TEST_USER=nbsoak
. "$(dirname "$0")/../libtest.sh"

cp "$NESTBOX" "$T/nbsoak-$$"
NESTBOX="$T/nbsoak-$$"
marker="sleep 0.05$$"
own_now() { pgrep -u "$NB_UID" -f "$T/nbsoak-$$|$marker" | sort; }
ns_now() {
	for p in $(own_now); do readlink "/proc/$p/ns/user" "/proc/$p/ns/net" 2>/dev/null; done | sort -u
}
files_now() {
	# The state directory itself stays for the next sandbox; what is in it
	# may not.  In /tmp, only names that nestbox itself makes count: the
	# other tests' directories (nestbox-t.*, nestbox-test.*) come and go.
	find "$XDG_RUNTIME_DIR" -mindepth 1 ! -path "$XDG_RUNTIME_DIR/nestbox" 2>/dev/null
	find /tmp -maxdepth 1 -name 'nestbox-*' ! -name 'nestbox-t.*' ! -name 'nestbox-test.*' \
		! -name 'nestbox-sanitize.*' -user "$NB_UID" 2>/dev/null
}
settle() { # settle FUNCTION EXPECTED: wait up to 3 s for FUNCTION to print EXPECTED
	for _i in $(seq 30); do
		[ "$($1)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
export XDG_RUNTIME_DIR="$T/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"
mounts0=$(nb_mounts)
files0=$(files_now)

# The plan: one line per sandbox, "run -" or "KILL|TERM delay".
awk -v seed=$$ 'BEGIN { srand(seed); for (i = 0; i < 1000; i++) {
	r = rand(); d = sprintf("0.%03d", int(rand() * 21));
	print (r < 0.125 ? "KILL " d : r < 0.25 ? "TERM " d : "run -") } }' >"$T/plan"
worker() {
	awk -v w="$1" 'NR % 2 == w' "$T/plan" | while read -r mode delay; do
		if [ "$mode" = run ]; then
			"$NESTBOX" -- true >/dev/null 2>&1
			echo "run $?"
		else
			"$NESTBOX" -- $marker >/dev/null 2>&1 &
			p=$!
			sleep "$delay"
			kill -s "$mode" "$p" 2>/dev/null
			wait "$p"
			echo "$mode $?"
		fi
	done >"$T/status.$1"
}
start=$(date +%s)
worker 0 2>>"$T/worker.err" &
w0=$!
worker 1 2>>"$T/worker.err"
wait "$w0"
took=$(($(date +%s) - start))
cat "$T/status.0" "$T/status.1" >"$T/status"
is "$(wc -l <"$T/status")" 1000 "1000 sandboxes ran in ${took}s ($(grep -c '^[KT]' "$T/status") killed)"
is "$(grep '^run' "$T/status" | grep -vc ' 0$')" 0 "every sandbox that was not killed exited 0"
bad=$(grep -E '^(KILL|TERM)' "$T/status" | grep -Ev '^(KILL (0|137)|TERM (0|143))$' | sort | uniq -c | tr '\n' ';')
is "$bad" "" "killed sandboxes exit 0 (finished first), 137 (KILL) or 143 (TERM)"

settle "pgrep -u $NB_UID -f $T/nbsoak-$$" ""
ok $? "no nestbox process of the soak is left"
gone "$marker"
ok $? "no command of a killed sandbox is left"
settle ns_now ""
is "$(ns_now)" "" "no user or network namespace is held by a process of the soak"
is "$(nb_mounts)" "$mounts0" "no new host mounts"
# A host killed with SIGKILL cannot remove its record: the next reader of
# the records (ps, enter) finds its lock free and removes it.  The soak's
# kills may all land before or after a record exists, so one host is
# killed for sure while its sandbox runs.
"$NESTBOX" run --name soak-stale -- sleep 30 &
stale_host=$!
for _ in $(seq 100); do
	[ -e "$XDG_RUNTIME_DIR/nestbox/soak-stale" ] && break
	sleep 0.05
done
kill -KILL "$stale_host"
wait "$stale_host" 2>/dev/null
stale=$(find "$XDG_RUNTIME_DIR/nestbox" -type f 2>/dev/null | wc -l)
ok $((stale == 0 ? 1 : 0)) "SIGKILLed hosts left records behind ($stale), for the next reader to remove"
is "$("$NESTBOX" ps -q)" "" "ps lists none of them: they are stale"
is "$(files_now)" "$files0" "and then no files are left under \$XDG_RUNTIME_DIR or /tmp/nestbox-*"
done_testing
