#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The classic sandbox escapes, each tried for real from inside: pushing
# keystrokes into the caller's terminal with TIOCSTI (also with junk in the
# request's upper 32 bits, which the kernel drops but a filter may not),
# inheriting the caller's open files, overwriting a user-owned nestbox
# binary through /proc/PID/exe, ptracing init, signalling a host process,
# and gaining host root from a setuid-root program.  Controls show that each
# attack works where it is not sandboxed.
. "$(dirname "$0")/../libtest.sh"

# TIOCSTI, plain and with the high bits set, under a pty of script(1).
if command -v script >/dev/null && [ -x "$NB_HELPERS/tiocsti" ]; then
	if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; then
		out=$(script -qec "$NB_HELPERS/tiocsti high" /dev/null </dev/null 2>&1)
		like "$out" "TIOCSTI: injected" "control: outside a sandbox the high-bits TIOCSTI injects"
		like "$out" "#" "control: and the injected byte shows in the pty's output"
	else
		skip "dev.tty.legacy_tiocsti is 0: the kernel refuses TIOCSTI anyway"
	fi
	# Even without the seccomp policy: the docs promise it in every profile.
	for policy in "" "--seccomp none"; do
		for v in "" high; do
			# script -e exits with the helper's status: 1 when TIOCSTI fails.
			out=$(script -qec "$NESTBOX $policy -- $NB_HELPERS/tiocsti $v" /dev/null </dev/null 2>&1)
			rc=$?
			like "$rc:$out" "^1:TIOCSTI: Operation not permitted" "${policy:+$policy: }TIOCSTI${v:+ with high bits} into the caller's terminal is refused with EPERM"
			ran_unlike 1 "$out" "^TIOCSTI: " "#" "${policy:+$policy: }TIOCSTI${v:+ with high bits}: nothing was injected"
		done
	done
else
	skip "script(1) or the tiocsti helper is missing"
fi

# Negative group permissions (CVE-2014-8989's class): a file that the
# group users may not read, though the world may, stays unreadable for a
# member of users under --map auto, whose supplementary groups stay.
if [ -n "${NB_GROUP_DENIED:-}" ] && [ -f "$NB_GROUP_DENIED" ] && id -nG | tr ' ' '\n' | grep -qx users &&
	[ -x /usr/bin/newuidmap ] && grep -q "^$(id -un):" /etc/subgid; then
	cat "$NB_GROUP_DENIED" >/dev/null 2>&1
	is "$?" 1 "control: outside, the group users denies this user $NB_GROUP_DENIED"
	for map in "--map auto" "--map root" "--map user"; do
		# shellcheck disable=SC2086
		nb $map -- sh -c 'echo ran; id -G; cat "$0"' "$NB_GROUP_DENIED"
		ran_unlike 1 "$out" "^ran$" "denied to the group" "$map: the file stays unreadable inside: the group still denies it"
		like "$out" "(^| )65534( |$)" "$map: the supplementary group stays, as nogroup"
	done
	nb --map auto --allow-setgroups -- sh -c 'echo ran; cat "$0"' "$NB_GROUP_DENIED"
	like "$rc:$out" "^0:ran" "--map auto --allow-setgroups drops the groups, as documented"
else
	skip "needs a member of the group users with subordinate ids, and the fixture of libtest.sh (run as root)"
fi

# Leaked descriptors: the caller holds 5 and 7.
out=$(exec 5</etc/passwd 7>"$T/f"; "$NESTBOX" -- sh -c "$NB_CHILD_FDS; ls -l /proc/1/fd 2>&1" 2>&1)
rc=$?
is "$(printf '%s\n' "$out" | sed -n 1p)" "0 1 2" "only fds 0, 1 and 2 reach the command"
initfds=$(printf '%s\n' "$out" | sed 1d)
outside=$(printf '%s\n' "$initfds" | awk '/ -> / { print $NF }' | grep -Ev '^(/dev/|pipe:|anon_inode:)')
# ls exits 0 (it read them), 1 or 2 (it could not); and the command ran.
ran=$( [ "$rc" -le 2 ] && printf '%s\n' "$out" | sed -n 1p | grep -qx '0 1 2' && echo ran)
is "$ran:$outside" "ran:" "init's fds are unreadable or point to nothing outside (no socket, no host path)"

# /proc/PID/exe of a user-owned copy of nestbox.
cp "$NESTBOX" "$T/nbcopy"
sum=$(sha256sum <"$T/nbcopy")
for how in "" "--share pid"; do
	# shellcheck disable=SC2086
	"$T/nbcopy" $how -- sh -c 'for p in /proc/[0-9]*; do cat /bin/true >"$p/exe" 2>/dev/null && echo "wrote $p"; done; echo tried' >"$T/exe.out" 2>&1
	rc=$?
	is "$rc:$(tail -1 "$T/exe.out"):$(sha256sum <"$T/nbcopy"):$(grep -c wrote "$T/exe.out")" "0:tried:$sum:0" \
		"${how:-default}: writing /proc/*/exe does not change the nestbox copy"
done

# ptrace of init, with a control on a child of the command.
nb -- "$NB_HELPERS/ptrace" 1
is "$rc:$out" "1:attach 1: Operation not permitted" "ptrace of init fails with EPERM"
nb -- sh -c 'sleep 5 & "$1" $!; kill $!' sh "$NB_HELPERS/ptrace"
like "$out" "^attach [0-9]+: attached$" "control: the command can ptrace its own child"

# A host process of the same user.
sleep 60 &
victim=$!
nb -- sh -c 'kill "$1" 2>/dev/null; echo "kill=$?"' sh "$victim"
is "$rc:$out" "0:kill=1" "kill of a host pid fails inside"
[ "$rc:$out" = 0:kill=1 ] && kill -0 "$victim" 2>/dev/null
ok $? "and the host process is still alive"
kill "$victim"

# A setuid-root program (root-owned, 4755, installed by libtest.sh).
if [ "$("$NB_HELPERS/showid" | sed 's/.*euid=\([0-9]*\).*/\1/')" = 0 ]; then
	ok 0 "control: outside, the setuid-root showid runs with euid 0"
	nb --map auto --uid 1000 -- "$NB_HELPERS/showid"
	is "$out" "uid=1000 euid=1000 capeff=0000000000000000" "--map auto --uid 1000: setuid root gains no euid 0 and no capability"
	mkdir -p "$T/proj" && cd "$T/proj" || exit 1
	nb --map root --profile build --ro-bind "$NB_HELPERS" /mnt -- /mnt/showid
	is "$out" "uid=0 euid=0 capeff=0000000000000000" "--map root --profile build: setuid root gains no capability"
	nb --profile build --ro-bind "$NB_HELPERS" /mnt -- /mnt/showid
	is "$out" "uid=$NB_UID euid=$NB_UID capeff=0000000000000000" "--profile build: setuid root gains no euid 0 and no capability"
	cd "$T" || exit 1
else
	skip "showid is not setuid root (needs the root test setup)"
fi
done_testing
