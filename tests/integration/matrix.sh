#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core promises, in every configuration that changes how a sandbox is
# built, as bubblewrap's test-run.sh loops over ALT: the default, --share
# pid, --map auto, --root ro, --as-pid-1 and --profile build.  Each runs
# as it is, and again under the nosys shim that makes mount_setattr(),
# clone3() and landlock_create_ruleset() fail with ENOSYS, as on an older
# kernel or under a container's seccomp profile: nestbox's fallbacks run
# here.  (--map auto needs the setuid newuidmap, which a seccomp filter's
# no_new_privs disarms: that pair is left out.)  Without openat2() nestbox
# refuses, in one line that names it.
#
# In each: the command runs, as uid 0 with hostname nestbox; every
# namespace asked for is new; the command's status, a death by signal, a
# missing command and a non-executable one give 7, 137, 127 and 126; only
# fds 0-2 reach it; SIGTERM reaches it; a background process dies with it;
# and killing nestbox with SIGKILL ends the sandbox.
. "$(dirname "$0")/../libtest.sh"

# The commands run in a project directory that every configuration shows:
# under --root ro, /tmp (and so $T) is the sandbox's own, so it is under
# /var/tmp, and removed with $T.
P=$(mktemp -d /var/tmp/nestbox-matrix.XXXXXX)
trap 'rm -rf "$P"; nb_cleanup' EXIT
cd "$P" || exit 1
echo 'echo hi' >noexec
chmod 644 noexec
nosys=$NB_HELPERS/nosys
calls=mount_setattr,clone3,landlock_create_ruleset
if ! [ -x "$nosys" ] || [ "$("$nosys" "$calls" true 2>&1; echo $?)" != 0 ]; then
	nb_bail "the nosys helper does not run"
fi

host_ns() { readlink "/proc/self/ns/$1"; }

for shim in "" "$nosys $calls"; do
	for alt in "" "--share pid" "--map auto" "--root ro" "--as-pid-1" "--profile build"; do
		name="${alt:-default}${shim:+, without $calls}"
		if [ "$alt" = "--map auto" ]; then
			if [ -n "$shim" ]; then
				continue
			fi
			if [ -z "$NB_SUBUIDS" ] || [ -z "$NB_SUBGIDS" ] || ! [ -u /usr/bin/newuidmap ]; then
				skip "$name: needs a subordinate range of $(id -un) and the setuid newuidmap"
				continue
			fi
		fi
		# run ARGS...: nestbox, with the configuration and the shim.
		# shellcheck disable=SC2086
		run() { $shim "$NESTBOX" $alt "$@"; }

		out=$(run -- sh -c 'echo ran; id -u; hostname; for n in user uts pid mnt net ipc cgroup; do readlink /proc/self/ns/$n; done' 2>&1)
		rc=$?
		# The build profile maps the caller as itself (--map user).
		uid=0
		[ "$alt" = "--profile build" ] && uid=$NB_UID
		is "$rc:$(printf '%s\n' "$out" | sed -n 1,3p | tr '\n' ' ')" "0:ran $uid nestbox " "$name: runs, as uid $uid, hostname nestbox"
		bad=""
		for n in user uts pid mnt net ipc cgroup; do
			got=$(printf '%s\n' "$out" | grep "^$n:")
			want_new=1
			case "$alt:$n" in "--share pid:pid") want_new=0 ;; esac
			if [ "$want_new" = 1 ] && [ "$got" = "$(host_ns $n)" ]; then bad="$bad $n(shared)"; fi
			if [ "$want_new" = 0 ] && [ "$got" != "$(host_ns $n)" ]; then bad="$bad $n(new)"; fi
			[ -n "$got" ] || bad="$bad $n(missing)"
		done
		is "$bad" "" "$name: each namespace new, or the host's where asked"

		if [ "$alt" = "--root ro" ]; then
			# Locked read-only, whichever way the flags were set (the
			# fallback without mount_setattr remounts each mount).
			out=$(run -- sh -c 'echo ran; mount -o remount,rw / 2>/dev/null; mount -o remount,rw /usr 2>/dev/null; touch /usr/nestbox-matrix-$$ 2>&1' 2>&1)
			rc=$?
			like "$rc:$(echo $out)" "^1:ran .*Read-only file system" "$name: / and /usr stay read-only for root inside, after remount attempts"
		fi
		run -- sh -c 'exit 7' >/dev/null 2>&1
		is "$?" 7 "$name: the command's status is passed on"
		run -- sh -c 'kill -KILL $$; echo survived' >"$T/killed" 2>&1
		rc=$?
		if [ "$alt" = --as-pid-1 ]; then
			# The kernel ignores a signal that PID 1 has no handler for,
			# when it comes from inside its own namespace, SIGKILL too.
			is "$rc:$(cat "$T/killed")" "0:survived" "$name: PID 1 survives its own SIGKILL, as the kernel wants"
		else
			is "$rc" 137 "$name: a death by SIGKILL gives 137"
		fi
		out=$(run -- no-such-command-$$ 2>&1)
		rc=$?
		is "$rc:$(printf '%s\n' "$out" | wc -l)" "127:1" "$name: a missing command: 127"
		like "$out" "^nestbox: no-such-command-$$: command not found" "$name: in one line that names it"
		out=$(run -- ./noexec 2>&1)
		like "$?:$out" "^126:nestbox: cannot run \./noexec: Permission denied" "$name: a file that is not executable: 126"
		out=$(exec 7</dev/null; run -- sh -c "$NB_CHILD_FDS" 2>&1)
		is "$out" "0 1 2" "$name: only fds 0, 1 and 2 reach the command"

		# SIGTERM, once the command says it waits for it.
		# A file of its own each round: a reused one could still say
		# "ready" from the last round, before the shell truncates it.
		rm -f "$T/sig"
		env --default-signal $shim "$NESTBOX" $alt -- sh -c "trap 'echo got-TERM; exit 42' TERM; echo ready; while :; do sleep 0.05; done" >"$T/sig" 2>&1 &
		pid=$!
		await_line "$T/sig" ready
		kill -TERM "$pid"
		wait "$pid"
		is "$?:$(grep got "$T/sig")" "42:got-TERM" "$name: SIGTERM reaches the command"

		marker="sleep 1000.$$"
		run -- sh -c "$marker >/dev/null & exit 0" >/dev/null 2>&1
		rc=$?
		[ "$rc" = 0 ] && gone "$marker"
		ok $? "$name: a background process dies with the command (status $rc)"

		$shim "$NESTBOX" $alt -- $marker &
		pid=$!
		if running "$marker"; then
			kill -KILL "$pid"
			wait "$pid" 2>/dev/null
			gone "$marker"
			ok $? "$name: killing nestbox (SIGKILL) ends the sandbox"
		else
			kill -KILL "$pid"
			wait "$pid" 2>/dev/null
			ok 1 "$name: killing nestbox (SIGKILL) ends the sandbox: it never ran $marker"
		fi
	done
done

# Without openat2() no path is resolved safely: one line, and nothing runs.
out=$("$nosys" openat2 "$NESTBOX" -- echo RAN 2>&1)
rc=$?
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "without openat2: 125 and one line"
like "$out" "^nestbox: /proc: this kernel has no openat2\(\) .*\(nestbox resolves every path with openat2\(\).*Linux 5\.6 or later\)$" \
	"which names openat2 and the kernel it needs"
unlike "$out" "RAN" "and the command does not run"
gone "sleep 1000.$$"
ok $? "nothing of the matrix is left running"

done_testing
