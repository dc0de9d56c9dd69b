#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Start-up time and peak memory of nestbox beside unshare(1) and bubblewrap,
# measured in one run and reported as ratios to nestbox.  Run it as an
# unprivileged user:   sh bench/startup.sh [path/to/nestbox]
# As root it runs itself as BENCH_USER (default nbtest, which the test suite
# creates).  RUNS sets the number of timed runs per command.  Rows for
# --net pasta and --net slirp4netns appear where those are installed.
set -eu
nestbox=${1:-./nestbox}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
	user=${BENCH_USER:-nbtest}
	id "$user" >/dev/null 2>&1 || { echo "create an unprivileged user $user first" >&2; exit 1; }
	tmp=$(mktemp -d /tmp/nestbox-bench.XXXXXX)
	cp "$nestbox" "$here/startup.sh" "$here/startup.py" "$tmp/"
	chmod -R a+rX "$tmp"
	cd /tmp
	rc=0
	setpriv --reuid "$user" --regid "$user" --init-groups -- \
		env RUNS="${RUNS:-300}" sh "$tmp/startup.sh" "$tmp/nestbox" || rc=$?
	rm -rf "$tmp"
	exit $rc
fi
for tool in hyperfine unshare bwrap python3; do
	command -v "$tool" >/dev/null ||
		{ echo "missing $tool (apt-get install hyperfine bubblewrap util-linux python3)" >&2; exit 1; }
done
exec python3 "$here/startup.py" "$nestbox"
