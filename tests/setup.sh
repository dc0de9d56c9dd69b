#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the integration tests need on this machine, as root.  make check runs
# it once before the tests, and tests/libtest.sh before each, as root.
#   sh tests/setup.sh           adds
#     - the users nbtest, nbtestnosub and nbsoak, each with a home directory;
#       nbtest in the group users, as Debian's adduser makes a user
#     - mode 0666 on /dev/net/tun, as udev makes it, for pasta and
#       slirp4netns (--remove leaves it)
#     - the lines nbtest:100000:65536 and nbtest:300000:100 to /etc/subuid
#       and to /etc/subgid, in place of any other line for nbtest or
#       nbtestnosub (nbtestnosub gets none: it tests the lack of one)
#   sh tests/setup.sh --remove  deletes those users with their homes, and
#                               exactly those lines
# It is idempotent and safe to run while test scripts run: it holds a lock,
# and replaces /etc/subuid and /etc/subgid by rename() when they must change,
# never editing them in place under a newuidmap that reads them.
set -eu
me=tests/setup.sh
users="nbtest nbtestnosub nbsoak"
# tests/libtest.sh has the same ranges: the tests compare maps against them.
lines="nbtest:100000:65536 nbtest:300000:100"

case "${1:-}" in
"") add=1 ;;
--remove) add=0 ;;
*) echo "usage: $me [--remove]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "$me: must run as root, to create or remove the test users" >&2
	exit 1
fi

mkdir -p /run/lock
exec 9>/run/lock/nestbox-tests.lock
flock 9

# rewrite FILE: FILE without our lines and, when adding, without any other
# line of nbtest or nbtestnosub, but with ours at the end.
rewrite() {
	touch "$1"
	want=$(awk -v ours="$lines" -v add=$add '
		BEGIN { n = split(ours, l, " "); for (i = 1; i <= n; i++) mine[l[i]] = 1 }
		$0 in mine { next }
		add && /^(nbtest|nbtestnosub):/ { next }
		{ print }
		END { if (add) for (i = 1; i <= n; i++) print l[i] }' "$1")
	if [ "$(cat "$1")" = "$want" ]; then
		echo "  $1: already right"
		return 0
	fi
	{ [ -z "$want" ] || printf '%s\n' "$want"; } >"$1.nestbox-new"
	chmod 644 "$1.nestbox-new"
	mv -f "$1.nestbox-new" "$1"
	echo "  $1: rewritten"
}

if [ $add = 1 ]; then
	echo "$me: adding the test users $users, and the lines $lines to /etc/subuid and /etc/subgid (undo: sh $me --remove)"
	for u in $users; do
		if id "$u" >/dev/null 2>&1; then
			echo "  user $u: already there"
			continue
		fi
		# No subordinate range of useradd's choice: the lines are ours alone.
		useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$u"
		echo "  user $u: created, home $(getent passwd "$u" | cut -d: -f6)"
	done
	# As Debian's adduser makes a user: a member of "users", a supplementary
	# group that the sandbox shows as nogroup and must never drop.
	if getent group users >/dev/null && ! id -nG nbtest | tr ' ' '\n' | grep -qx users; then
		usermod -a -G users nbtest
		echo "  user nbtest: added to the group users, as adduser does"
	fi
	rewrite /etc/subuid
	rewrite /etc/subgid
	if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
		chmod 0666 /dev/net/tun
		echo "  /dev/net/tun: mode 0666, for the network helpers"
	fi
else
	echo "$me: removing the test users $users with their homes, and the lines $lines from /etc/subuid and /etc/subgid"
	rewrite /etc/subuid
	rewrite /etc/subgid
	for u in $users; do
		if ! id "$u" >/dev/null 2>&1; then
			echo "  user $u: not there"
			continue
		fi
		home=$(getent passwd "$u" | cut -d: -f6)
		# userdel refuses while a process of the user runs, as it should.
		# It also warns that the user has no mail spool, which is no news.
		err=$(userdel -r "$u" 2>&1) || true
		if id "$u" >/dev/null 2>&1; then
			printf '%s\n' "$err" >&2
			echo "$me: cannot remove the user $u" >&2
			exit 1
		fi
		echo "  user $u: removed, and its home $home"
	done
fi
