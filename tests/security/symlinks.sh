#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Mount sources never follow a symbolic link that the user could have
# planted: a --bind, --ro-bind or --overlay source whose path goes through a
# link in a directory the user can write (last or intermediate component) is
# refused with 125 and one line naming the link and its target, while links
# that only root can change (/lib -> usr/lib) are still followed.  A race
# that swaps a directory for a link while 500 sandboxes bind it must never
# give a sandbox the link's target.
. "$(dirname "$0")/../libtest.sh"

mkdir -p "$T/w/data" "$T/secret/dir" "$T/real"
echo SECRET >"$T/secret/marker"
echo SECRET >"$T/secret/dir/marker"
echo PUBLIC >"$T/real/marker"
ln -s "$T/secret" "$T/w/data/sub"

# A single line naming the link and where it points; 125.
refused() { # refused DESCRIPTION LINK TARGET
	is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "$1: refused with 125 and one line"
	like "$out" "^nestbox: .*$2.*$3" "$1: the line names the link and its target"
	[ -z "${4:-}" ] || ran_unlike 125 "$out" "^nestbox: .*$2" "SECRET" "$1: the command did not see the target"
}
nb --bind "$T/w/data/sub" /mnt -- cat /mnt/marker
refused "--bind through a planted link" "$T/w/data/sub" "$T/secret" seen
nb --ro-bind "$T/w/data/sub" /mnt -- cat /mnt/marker
refused "--ro-bind through a planted link" "$T/w/data/sub" "$T/secret" seen
ln -s "$T/secret" "$T/w/link"
nb --ro-bind "$T/w/link/dir" /mnt -- cat /mnt/marker
refused "--ro-bind through a planted intermediate link" "$T/w/link" "$T/secret" seen

# Overlays: a planted link as lower, upper or work directory.
mkdir -p "$T/ov/l1" "$T/ov/l2" "$T/ov/u" "$T/ov/w" "$T/ov/d" "$T/ovsecret/u" "$T/ovsecret/w"
echo SECRET >"$T/ovsecret/marker"
ln -s "$T/ovsecret" "$T/ov/lowlink"
ln -s "$T/ovsecret/u" "$T/ov/uplink"
ln -s "$T/ovsecret/w" "$T/ov/worklink"
ln -s "$T/ovsecret" "$T/ov/midlink"
ov() { nb --overlay "$1" "$2" "$3" "$T/ov/d" -- sh -c "cat $T/ov/d/marker 2>/dev/null; echo new >$T/ov/d/new"; }
ov "$T/ov/l1:$T/ov/lowlink" "$T/ov/u" "$T/ov/w"
refused "--overlay with a planted link as a lower" "$T/ov/lowlink" "$T/ovsecret" seen
ov "$T/ov/l1" "$T/ov/uplink" "$T/ov/w"
refused "--overlay with a planted link as upper" "$T/ov/uplink" "$T/ovsecret/u"
ov "$T/ov/l1" "$T/ov/u" "$T/ov/worklink"
refused "--overlay with a planted link as work" "$T/ov/worklink" "$T/ovsecret/w"
ov "$T/ov/l1" "$T/ov/midlink/u" "$T/ov/w"
refused "--overlay with an upper behind a planted intermediate link" "$T/ov/midlink" "$T/ovsecret"
is "$(find "$T/ovsecret" -mindepth 1 -maxdepth 2 2>/dev/null | sort | tr '\n' ' ')" \
	"$T/ovsecret/marker $T/ovsecret/u $T/ovsecret/w " "no overlay wrote into the link targets"
ov "$T/ov/l1:$T/ov/l2" "$T/ov/u" "$T/ov/w"
is "$rc:$(cat "$T/ov/u/new" 2>&1)" "0:new" "control: the same overlay without links works"

# Links only root can change are followed.
if [ -L /lib ] && [ "$(stat -c %u /lib):$(stat -c %u /)" = 0:0 ] && [ -d /lib/x86_64-linux-gnu ]; then
	nb --ro-bind /lib/x86_64-linux-gnu /mnt -- sh -c 'test -e /mnt/libc.so.6 && echo found'
	is "$rc:$out" "0:found" "--ro-bind through the root-owned link /lib -> $(readlink /lib) works"
elif [ -L /bin ] && [ "$(stat -c %u /bin):$(stat -c %u /)" = 0:0 ]; then
	nb --ro-bind /bin /mnt -- sh -c 'test -e /mnt/sh && echo found'
	is "$rc:$out" "0:found" "--ro-bind through the root-owned link /bin works"
else
	skip "neither /lib nor /bin is a root-owned symlink here"
fi

# The race: a swapper exchanges a real directory and a link to the secret
# (renameat2 RENAME_EXCHANGE, so the path always exists) while sandboxes run.
rm "$T/w/data/sub"
mkdir "$T/w/data/sub"
echo PUBLIC >"$T/w/data/sub/marker"
ln -s "$T/secret" "$T/w/data/alt"
python3 -c '
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
a, b = sys.argv[1].encode(), sys.argv[2].encode()
end = time.time() + 90
while time.time() < end:
    libc.syscall(316, -100, a, -100, b, 2)
' "$T/w/data/sub" "$T/w/data/alt" &
swapper=$!
i=0
: >"$T/race"
start=$(date +%s)
while [ $i -lt 500 ] && [ $(($(date +%s) - start)) -lt 55 ]; do
	"$NESTBOX" --bind "$T/w/data/sub" /mnt -- cat /mnt/marker >>"$T/race" 2>/dev/null || echo REFUSED >>"$T/race"
	i=$((i + 1))
done
kill "$swapper"
wait "$swapper" 2>/dev/null
secret=$(grep -c SECRET "$T/race")
public=$(grep -c PUBLIC "$T/race")
refusals=$(grep -c REFUSED "$T/race")
# None saw the secret, and some did see the real directory: the race ran.
is "$secret:$([ "$public" -gt 0 ] && echo ran)" "0:ran" \
	"race: $i sandboxes bound a path being swapped with a link: $secret saw the secret ($public public, $refusals refused)"
if [ "$public" -gt 0 ]; then r=0; else r=1; fi
ok $r "race: some sandboxes did bind the real directory (the race ran, $public)"
done_testing
