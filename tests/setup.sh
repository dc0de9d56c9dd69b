#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The root part of the test suite, a step of its own: make check-setup, or
#   sh tests/setup.sh           adds, with shadow's own tools
#     - nbtest, an account as Debian's adduser makes one (home 0700, in the
#       group users), with two subordinate uid and gid ranges, 65536 ids
#       and 100 ids, that overlap no other user's;
#     - nbtestnosub, with no subordinate range (the tests of its lack), and
#       nbsoak, for the soak test;
#     - mode 0666 on /dev/net/tun, as udev makes it, for pasta and
#       slirp4netns; the mode it had is kept in $state_dir.
#   sh tests/setup.sh --remove  deletes those users with their homes and
#     ranges (userdel), and gives /dev/net/tun back the mode it had.
# It says what it changes, and running it again changes nothing.  make
# check as root runs the tests as these users; as an ordinary user it runs
# them as that user, and needs none of this.
set -eu
me=tests/setup.sh
users="nbtest nbtestnosub nbsoak"
state_dir=/var/lib/nestbox-tests

case "${1:-}" in
"") add=1 ;;
--remove) add=0 ;;
*) echo "usage: $me [--remove]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "$me: must run as root, to add or remove the test users (make check as an ordinary user needs none)" >&2
	exit 1
fi
for tool in useradd usermod userdel; do
	command -v $tool >/dev/null || { echo "$me: $tool is missing: install the passwd package" >&2; exit 1; }
done

mkdir -p /run/lock
exec 9>/run/lock/nestbox-tests.lock
flock 9

# ranges USER: USER's ranges in /etc/subuid and /etc/subgid (lines by name
# or by uid, as shadow reads them), "start count" per line, uid file first.
ranges() {
	uid=$(id -u "$1")
	for f in /etc/subuid /etc/subgid; do
		[ -e $f ] || continue
		awk -F: -v n="$1" -v u="$uid" '($1 == n || $1 == u) && NF == 3 { print $2, $3 }' $f
	done
}

# free_start COUNT: the lowest start from 100000 up, in steps of 65536, of
# a block of COUNT ids that overlaps no range of any other user in either
# file (nbtest's own lines count as taken: they may stay).
free_start() {
	cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: -v want="$1" '
		NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { s[n] = $2; e[n] = $2 + $3; n++ }
		END {
			for (start = 100000; start < 4000000000; start += 65536) {
				clash = 0
				for (i = 0; i < n; i++)
					if (start < e[i] && s[i] < start + want) { clash = 1; break }
				if (!clash) { print start; exit }
			}
			exit 1
		}'
}

# overlaps_other USER START COUNT: whether START..START+COUNT-1 overlaps a
# range of another user in either file.
overlaps_other() {
	uid=$(id -u "$1")
	cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: -v n="$1" -v u="$uid" -v s="$2" -v c="$3" '
		NF == 3 && $1 != n && $1 != u && s < $2 + $3 && $2 < s + c { found = 1 }
		END { exit !found }'
}

drop_ranges() { # drop_ranges USER: removes every range of USER
	uid=$(id -u "$1")
	for kind in uid gid; do
		awk -F: -v n="$1" -v u="$uid" '($1 == n || $1 == u) && NF == 3 { print $2, $3 }' /etc/sub$kind |
			while read -r s c; do
				usermod --del-sub${kind}s "$s-$((s + c - 1))" "$1"
			done
	done
	echo "  user $1: its subordinate ranges removed"
}

if [ $add = 1 ]; then
	echo "$me: adding the test users $users (undo: sh $me --remove)"
	for u in $users; do
		if id "$u" >/dev/null 2>&1; then
			echo "  user $u: already there"
			continue
		fi
		if [ "$u" = nbtest ] && command -v adduser >/dev/null; then
			# A real Debian account: adduser's home mode, groups and range.
			adduser --quiet --disabled-password --gecos "" nbtest
		elif [ "$u" = nbtest ]; then
			useradd -m -s /bin/sh nbtest
		else
			# No subordinate range of useradd's choice.
			useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$u"
		fi
		echo "  user $u: created, uid $(id -u "$u"), home $(getent passwd "$u" | cut -d: -f6)"
	done
	if getent group users >/dev/null && ! id -nG nbtest | tr ' ' '\n' | grep -qx users; then
		usermod -a -G users nbtest
		echo "  user nbtest: added to the group users, as adduser does"
	fi
	for u in nbtestnosub nbsoak; do
		[ -z "$(ranges $u)" ] || drop_ranges $u
	done
	# nbtest: two ranges in each file, 65536 ids then 100, the same in
	# both, overlapping nobody else's.  Anything else is replaced.
	have=$(ranges nbtest)
	right=1
	[ "$(printf '%s\n' "$have" | awk 'NF' | wc -l)" = 4 ] || right=0
	[ "$(printf '%s\n' "$have" | sort | uniq -d | awk '{ print $2 }' | sort -n | tr '\n' ' ')" = "100 65536 " ] || right=0
	if [ $right = 1 ]; then
		printf '%s\n' "$have" | sort -u | while read -r s c; do
			overlaps_other nbtest "$s" "$c" && exit 1
			:
		done || right=0
	fi
	counts="65536 100"
	if [ $right = 1 ]; then
		echo "  user nbtest: its ranges are right: $(printf '%s\n' "$have" | sort -u | tr '\n' ' ')"
	else
		# adduser's one range of 65536, the same in both files and
		# overlapping nobody's, stays; only the second is added.
		set -- $have
		if [ $# = 4 ] && [ "$1 $2" = "$3 $4" ] && [ "$2" = 65536 ] && ! overlaps_other nbtest "$1" "$2"; then
			echo "  user nbtest: keeps adduser's range $1-$(($1 + $2 - 1))"
			counts=100
		else
			[ -z "$have" ] || drop_ranges nbtest
		fi
		for count in $counts; do
			s=$(free_start $count) || { echo "$me: no free block of $count subordinate ids" >&2; exit 1; }
			usermod --add-subuids "$s-$((s + count - 1))" --add-subgids "$s-$((s + count - 1))" nbtest
			echo "  user nbtest: subordinate uids and gids $s-$((s + count - 1)) ($count), overlapping no other user's"
		done
	fi
	if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
		mkdir -p "$state_dir"
		[ -e "$state_dir/dev-net-tun.mode" ] || stat -c %a /dev/net/tun >"$state_dir/dev-net-tun.mode"
		chmod 0666 /dev/net/tun
		echo "  /dev/net/tun: mode 0666 (was $(cat "$state_dir/dev-net-tun.mode")), for the network helpers"
	fi
else
	echo "$me: removing the test users $users with their homes and ranges"
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
		echo "  user $u: removed, with its home $home and its subordinate ranges"
	done
	if [ -e "$state_dir/dev-net-tun.mode" ]; then
		mode=$(cat "$state_dir/dev-net-tun.mode")
		[ -c /dev/net/tun ] && chmod "$mode" /dev/net/tun
		rm -f "$state_dir/dev-net-tun.mode"
		rmdir "$state_dir" 2>/dev/null || true
		echo "  /dev/net/tun: mode $mode again"
	fi
fi
