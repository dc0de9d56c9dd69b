#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Private by default: the host's POSIX shared memory (/dev/shm), its network
# interfaces as sysfs shows them, and the caller's session keyring stay out
# of the default sandbox (each with a control that shares the namespace or
# looks from outside); a default seccomp policy refuses the kernel's riskiest
# interfaces with EPERM in the default and build profiles unless
# --seccomp none; and --disable-userns (implied by the build profile) stops
# nested user namespaces even after root inside raises the sysctl.
. "$(dirname "$0")/../libtest.sh"

# /dev/shm.
shm=/dev/shm/nbtest-$$
echo host >"$shm"
trap 'rm -f "$shm" "$shm.in"; nb_cleanup' EXIT
nb -- sh -c 'ls -A /dev/shm; echo inside >"$1.in" && echo wrote' sh "$shm"
ran_unlike 0 "$out" "^wrote$" "nbtest-$$\$" "a file in the host's /dev/shm is not visible inside"
like "$out" "^wrote$" "the command can write to its own /dev/shm"
[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^wrote$' && test ! -e "$shm.in"
ok $? "a file created in /dev/shm inside does not appear on the host"
nb --share ipc -- cat "$shm"
is "$rc:$out" "0:host" "control: with --share ipc the host's file is visible"

# sysfs network view.
nb -- ls /sys/class/net
is "$rc:$(printf '%s\n' "$out" | tr '\n' ' ')" "0:lo " "/sys/class/net inside shows exactly lo"
nb --share net -- ls /sys/class/net
is "$out" "$(ls /sys/class/net)" "control: with --share net it shows the host's interfaces"

# The caller's session keyring.
if command -v keyctl >/dev/null; then
	out=$(keyctl session - sh -c 'id=$(keyctl add user nbk secret-$$ @s) || exit 9
		echo "out=$(keyctl print "$id" 2>&1)"
		v=$("$1" -- keyctl print "$id" 2>&1); echo "inrc=$?"; echo "in=$v"' sh "$NESTBOX" 2>/dev/null)
	rc=$?
	like "$out" "^out=secret-[0-9]+$" "control: the session key is readable outside"
	# keyctl's own failure is 1; nestbox's would be 125.
	like "$out" "^inrc=1$" "keyctl print of the caller's session key fails inside"
	ran_unlike 0 "$out" "^in=keyctl[a-z_]*: " "^in=secret" "and does not print the secret"
else
	skip "keyctl (keyutils) is missing"
fi

# The default seccomp policy.
cat >"$T/sys.py" <<'PY'
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
calls = [("io_uring_setup", 425, 1, 0), ("io_uring_enter", 426, -1, 0), ("io_uring_register", 427, -1, 0),
         ("userfaultfd", 323, 0, 0), ("perf_event_open", 298, 0, 0), ("bpf", 321, -1, 0),
         ("kexec_load", 246, 0, 0), ("kexec_file_load", 320, -1, -1), ("open_by_handle_at", 304, -1, 0),
         ("init_module", 175, 0, 0), ("finit_module", 313, -1, 0), ("delete_module", 176, 0, 0),
         ("iopl", 172, 4, 0), ("ioperm", 173, 0x10000, 1), ("swapon", 167, 0, 0), ("swapoff", 168, 0, 0),
         ("reboot", 169, 0, 0), ("acct", 163, 0, 0)]
for name, nr, a, b in calls:
    r = libc.syscall(nr, a, b, 0, 0, 0)
    print("%s=%s" % (name, ctypes.get_errno() if r < 0 else "ok"))
PY
for how in "" "--profile build"; do
	mkdir -p "$T/proj" && cd "$T/proj" || exit 1
	# shellcheck disable=SC2086
	nb $how -- python3 - <"$T/sys.py"
	cd "$T" || exit 1
	is "$rc:$(printf '%s\n' "$out" | grep -c '=')" "0:18" "${how:-default profile}: all 18 syscalls were tried"
	is "$(printf '%s\n' "$out" | grep -v '=1$' | tr '\n' ' ')" "" "${how:-default profile}: each fails with EPERM"
done
nb --seccomp none -- python3 -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
p = ctypes.create_string_buffer(120)
r = libc.syscall(425, 1, p)
print("uring=%d errno=%d" % (r, ctypes.get_errno() if r < 0 else 0))'
if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
	like "$out" "^uring=[0-9]+ errno=0$" "--seccomp none: io_uring_setup works"
else
	like "$out" "^uring=-?[0-9]+ errno=([02-9]|[1-9][0-9]+)$" "--seccomp none: io_uring_setup is not refused with EPERM"
fi
nb --seccomp bogus -- true
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "--seccomp bogus gives 125 and one line"
like "$out" "bogus" "and names the bad policy"

# Nested user namespaces.
try_userns='echo ran; [ -z "${1:-}" ] || echo 1000000 >/proc/sys/user/max_user_namespaces 2>/dev/null; unshare -U true 2>/dev/null; echo "userns=$?"'
mkdir -p "$T/proj" && cd "$T/proj" || exit 1
nb --profile build -- sh -c "$try_userns"
like "$(printf '%s\n' "$out" | tr '\n' ' ')" "^ran userns=[1-9][0-9]* $" "--profile build: unshare -U fails"
cd "$T" || exit 1
nb -- sh -c "$try_userns"
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "ran userns=0 " "control: the default profile can nest a user namespace"
nb --disable-userns -- sh -c "$try_userns"
like "$(printf '%s\n' "$out" | tr '\n' ' ')" "^ran userns=[1-9][0-9]* $" "--disable-userns: unshare -U fails"
nb --disable-userns -- sh -c "$try_userns" sh raise
like "$(printf '%s\n' "$out" | tr '\n' ' ')" "^ran userns=[1-9][0-9]* $" "--disable-userns: still after root raises user.max_user_namespaces"
done_testing
