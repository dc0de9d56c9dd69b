#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Mounts that nestbox sets up cannot be undone from inside, even by root with
# every capability of its user namespace (the default shell profile): no
# remount read-write of --root ro --chdir / or of a --ro-bind (by mount(8) or by
# mount_setattr(2)), no umount, move or non-recursive bind that uncovers what
# a --tmpfs hides.  Root still mounts and unmounts its own filesystems, and
# nothing is ever mounted on the host.  Every attack runs for real; each case
# checks the status of the attacking call and that the host is unchanged.
. "$(dirname "$0")/../libtest.sh"

before=$(nb_mounts)
hostfile="$HOME/nb-locked.$$"
rm -f "$hostfile"

# The attacker really is root with the full capability set.
nb -- sh -c 'id -u; grep CapEff /proc/self/status | cut -f2'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "0 000001ffffffffff " "the shell profile runs uid 0 with every capability"

# --root ro: remount / (and the mount holding $HOME) read-write, then write.
homemnt=$(stat -c %m "$HOME")
nb --root ro --chdir / -- sh -c 'mount -o remount,bind,rw / 2>/dev/null; echo "root=$?"
	mount -o remount,bind,rw "$2" 2>/dev/null; echo "home=$?"
	touch "$1" 2>/dev/null; echo "touch=$?"' sh "$hostfile" "$homemnt"
like "$out" "^root=[1-9]" "--root ro: mount -o remount,bind,rw / fails"
like "$out" "^home=[1-9]" "--root ro: remounting the mount of \$HOME ($homemnt) rw fails"
like "$out" "^touch=[1-9]" "--root ro: the write after the remounts fails"
[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^touch=' && test ! -e "$hostfile"
ok $? "--root ro: no file appeared on the host"
rm -f "$hostfile"

# --ro-bind: remount the bind read-write, or a fresh copy of it.
mkdir -p "$T/ro" "$T/copy"
echo orig >"$T/ro/file"
nb --ro-bind "$T/ro" /mnt -- sh -c 'mount -o remount,bind,rw /mnt 2>/dev/null; echo "remount=$?"
	echo changed 2>/dev/null >/mnt/file; echo "write=$?"'
like "$out" "^remount=[1-9]" "--ro-bind: mount -o remount,bind,rw DST fails"
like "$out" "^write=[1-9]" "--ro-bind: the write after it fails"
nb --ro-bind "$T/ro" /mnt -- sh -c 'mount --bind /mnt "$1" && mount -o remount,bind,rw "$1" 2>/dev/null; echo "copy=$?"
	echo changed 2>/dev/null >"$1/file"; echo "write=$?"' sh "$T/copy"
like "$out" "^copy=[1-9]" "--ro-bind: a bind copy of DST cannot be remounted rw either"
like "$out" "^write=[1-9]" "and writing through the copy fails"
is "$rc:$(printf '%s\n' "$out" | grep -c '^write=')/$(cat "$T/ro/file"):$(ls "$T/ro" | tr '\n' ' ')" "0:1/orig:file " \
	"--ro-bind: the host directory is unchanged"

# mount_setattr(2) clearing MOUNT_ATTR_RDONLY recursively on / under --root ro.
cat >"$T/setattr.py" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
attr = ctypes.create_string_buffer(struct.pack("QQQQ", 0, 1, 0, 0))  # attr_clr = RDONLY
for name, flags in (("recursive", 0x8000), ("single", 0)):  # AT_RECURSIVE or not
    r = libc.syscall(442, -100, b"/", flags, attr, 32)  # AT_FDCWD
    print("%s=%d errno=%d" % (name, r, ctypes.get_errno() if r < 0 else 0))
try:
    open(sys.argv[1], "w").close()
    print("write=ok")
except OSError as e:
    print("write=%d" % e.errno)
PY
nb --root ro --chdir / -- python3 - "$hostfile" <"$T/setattr.py"
like "$out" "^recursive=-1 errno=[1-9]" "--root ro: mount_setattr(/, AT_RECURSIVE, clear RDONLY) fails"
like "$out" "^single=-1 errno=[1-9]" "--root ro: mount_setattr(/, 0, clear RDONLY) fails"
like "$out" "^write=[0-9]+$" "--root ro: and the write after it fails"
[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^write=' && test ! -e "$hostfile"
ok $? "mount_setattr: no file appeared on the host"
rm -f "$hostfile"

# A --tmpfs over a host directory hides what is in it, for good.
mkdir -p "$T/pub/hid" /mnt 2>/dev/null
echo SECRET-$$ >"$T/pub/hid/secret"
D="$T/pub/hid"
nb --tmpfs "$D" -- sh -c 'ls -A "$1" | wc -l; umount "$1" 2>/dev/null; echo "umount=$?"; cat "$1/secret" 2>/dev/null' sh "$D"
is "$(printf '%s\n' "$out" | sed -n 1p)" 0 "--tmpfs DIR: the directory looks empty inside"
like "$out" "^umount=[1-9]" "--tmpfs DIR: umount DIR fails"
# cat fails, so the shell exits 1.
ran_unlike 1 "$out" "^umount=" "SECRET-$$" "--tmpfs DIR: the hidden file stays hidden after umount"
# mount(8) may exit 16 (it could not write utab) after a move that worked, so
# the kernel's view decides: DIR must still be a mount point, /mnt not.
nb --tmpfs "$D" -- sh -c 'mount --move "$1" /mnt 2>/dev/null; echo "move=$?"
	mountpoint -q "$1" && echo dir-still-mounted; mountpoint -q /mnt && echo mnt-mounted
	cat "$1/secret" 2>/dev/null' sh "$D"
like "$out" "^move=[1-9]" "--tmpfs DIR: mount --move DIR /mnt exits non-zero"
is "$(printf '%s\n' "$out" | grep -E 'mounted$' | tr '\n' ' ')" "dir-still-mounted " "--tmpfs DIR: the tmpfs did not move"
ran_unlike 1 "$out" "^move=" "SECRET-$$" "--tmpfs DIR: the hidden file stays hidden after the move"
nb --tmpfs "$D" -- sh -c 'mount --bind "$1" /mnt 2>/dev/null; echo "bind=$?"; cat /mnt/hid/secret 2>/dev/null; echo ran' sh "$T/pub"
like "$out" "^ran$" "the non-recursive bind attack ran"
ran_unlike 0 "$out" "^ran$" "SECRET-$$" "--tmpfs DIR: a non-recursive bind of DIR's parent does not show the hidden file"

# Root keeps its own mounts.
mkdir -p "$T/own"
nb -- sh -c 'mount -t tmpfs x "$1" && touch "$1/f" && echo mounted && umount "$1" && echo unmounted' sh "$T/own"
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "mounted unmounted " "root inside mounts a tmpfs of its own and unmounts it"
[ "$rc" = 0 ] && test ! -e "$T/own/f"
ok $? "and its file never reached the host directory"

is "$(nb_mounts)" "$before" "nothing was mounted on the host"
done_testing
