#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run keeps working: a --quick run prints every section.  Timing goals
# are the benchmark's business, never asserted here.
. "$(dirname "$0")/../libtest.sh"

run=${NB_DOCS:+$NB_DOCS/bench-run}
run=${run:-$NESTBOX_SRCDIR/bench/run}
cd "$T" || exit 1
out=$(python3 "$run" --quick --rounds 5 --nestbox "$NESTBOX" 2>&1)
rc=$?
is "$rc" 0 "bench/run --quick exits 0"
for row in "^nestbox +[0-9.]+ +[0-9.]+-[0-9.]+" "^unshare --map-auto +[0-9.]+" "^bwrap \(build\) +[0-9.]+" \
	"^nestbox / unshare +[0-9.]+ +<=0.9" "^nestbox --profile build / bwrap \(build\) +[0-9.]+" \
	"^  one after another +nestbox +[0-9.]+ +bwrap +[0-9.]+ +ratio" "^  left behind by nestbox.s: " \
	"^  nestbox [0-9]+ KiB +bwrap [0-9]+ KiB" "^  exec of the command +at +[0-9.]+ ms"; do
	like "$out" "$row" "bench/run prints /$row/"
done
unlike "$out" "not seen" "the per-phase breakdown finds every phase in -vv"
done_testing
