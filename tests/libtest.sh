# SPDX-License-Identifier: GPL-2.0-or-later
# Shared code of the integration tests: TAP assertions, a temp dir, and the
# switch to an unprivileged test user when the suite runs as root.
#
# A test script sets NB_TEST_USER (default: nbtest) and sources this file.
# The soak test runs as nbsoak, so that its count of leftovers sees no other
# test's sandboxes.

set -u
NB_TEST_USER=${NB_TEST_USER:-nbtest}
: "${NESTBOX:?set NESTBOX to the nestbox binary}"
: "${NESTBOX_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

# The subordinate ranges the test users get; tests compare maps against them.
NB_SUB1_START=100000 NB_SUB1_COUNT=65536
NB_SUB2_START=300000 NB_SUB2_COUNT=100

nb_setup_users() {
	# Serialised, idempotent and atomic: test scripts run in parallel, and one
	# may be mapping ids while another sets up, so /etc/subuid is replaced by
	# rename() only when it differs, never edited in place.
	mkdir -p /run/lock
	exec 9>/run/lock/nestbox-tests.lock
	flock 9
	for u in nbtest nbtestnosub nbsoak; do
		id "$u" >/dev/null 2>&1 || useradd -m -s /bin/sh "$u" || return 1
	done
	for f in /etc/subuid /etc/subgid; do
		touch "$f"
		want=$(grep -v -e '^nbtest:' -e '^nbtestnosub:' "$f"
			echo "nbtest:$NB_SUB1_START:$NB_SUB1_COUNT"
			echo "nbtest:$NB_SUB2_START:$NB_SUB2_COUNT")
		if [ "$(cat "$f")" != "$want" ]; then
			printf '%s\n' "$want" >"$f.nestbox-new" && chmod 644 "$f.nestbox-new" &&
				mv -f "$f.nestbox-new" "$f" || return 1
		fi
	done
	flock -u 9
	exec 9>&-
}

if [ "$(id -u)" = 0 ] && [ -z "${NB_ALLOW_ROOT:-}" ]; then
	# Copy what the test user needs somewhere it can read: the build tree may
	# sit under a home directory that it cannot enter.
	nb_setup_users || { echo "Bail out! cannot create the test users"; exit 99; }
	stage=$(mktemp -d /tmp/nestbox-test.XXXXXX)
	chmod 755 "$stage"
	mkdir -p "$stage/tests/integration" "$stage/helpers"
	cp "$NESTBOX" "$stage/nestbox"
	cp "$NESTBOX_SRCDIR/tests/libtest.sh" "$stage/tests/"
	mkdir -p "$stage/doc"
	cp "$NESTBOX_SRCDIR/doc/nestbox.1" "$NESTBOX_SRCDIR/README" "$stage/doc/"
	cp "$0" "$stage/tests/integration/"
	for h in "$(dirname "$NESTBOX")"/tests/helpers/*; do
		[ -f "$h" ] && [ -x "$h" ] && cp "$h" "$stage/helpers/"
	done
	# A host mount with nosuid,nodev,noexec, whose locked flags --root ro
	# and --ro-bind must keep; and a copy of the source tree to build.
	if [ -n "${NB_NEEDS_FIXTURES:-}" ]; then
		# Not under /tmp, which --root ro replaces by a private tmpfs.
		locked=$(mktemp -d /var/tmp/nestbox-locked.XXXXXX)
		chmod 755 "$locked"
		mkdir -p "$stage/srctree"
		mount -t tmpfs -o nosuid,nodev,noexec,size=1m nestbox-locked "$locked" &&
			echo fixture >"$locked/file"
		for f in configure.ac Makefile.am autogen.sh README src tests doc bench .ci; do
			[ -e "$NESTBOX_SRCDIR/$f" ] && cp -R "$NESTBOX_SRCDIR/$f" "$stage/srctree/"
		done
		rm -f "$stage"/srctree/tests/*/*.log "$stage"/srctree/tests/*/*.trs
		chown -R "$NB_TEST_USER" "$stage/srctree"
		chmod -R u+w "$stage/srctree"
	fi
	chmod -R a+rX "$stage"
	# A helper that passes nestbox's setuid check and then fails, to test
	# that the real helper's message is passed on.
	if [ -x "$stage/helpers/fakemap" ]; then
		chmod 4755 "$stage/helpers/fakemap"
	fi
	# A setuid-root program that prints its ids: the security tests check
	# that inside a sandbox the bit gains nothing.
	if [ -x "$stage/helpers/showid" ]; then
		chmod 4755 "$stage/helpers/showid"
	fi
	cd "$stage"
	setpriv --reuid="$NB_TEST_USER" --regid="$NB_TEST_USER" --init-groups \
		--inh-caps=-all -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$(getent passwd "$NB_TEST_USER" | cut -d: -f6)" \
		USER="$NB_TEST_USER" LOGNAME="$NB_TEST_USER" SHELL=/bin/sh LANG=C.UTF-8 \
		NESTBOX="$stage/nestbox" NB_HELPERS="$stage/helpers" \
		NESTBOX_SRCDIR="$NESTBOX_SRCDIR" NB_DOCS="$stage/doc" NB_TEST_USER="$NB_TEST_USER" \
		NESTBOX_MUST_WORK="${NESTBOX_MUST_WORK:-}" NB_STAGED=1 NB_STAGE="$stage" \
		NB_LOCKED="${locked:-}" \
		sh "$stage/tests/integration/$(basename "$0")"
	rc=$?
	cd /
	if [ -n "${locked:-}" ]; then
		umount "$locked" 2>/dev/null
		rmdir "$locked"
	fi
	rm -rf "$stage"
	exit $rc
fi

if [ "$(id -u)" = 0 ]; then
	echo "1..0 # SKIP running as root proves nothing; run as a user"
	exit 0
fi

NB_HELPERS=${NB_HELPERS:-$(dirname "$NESTBOX")/tests/helpers}
NB_UID=$(id -u)
NB_GID=$(id -g)
T=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-t.XXXXXX")
chmod 755 "$T"
trap 'nb_cleanup' EXIT
nb_cleanup() {
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}

_nb_n=0
_nb_failed=0

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
	_nb_n=$((_nb_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_nb_n - $2"
	else
		echo "not ok $_nb_n - $2"
		_nb_failed=$((_nb_failed + 1))
	fi
}

is() { # is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | sed 's/^\([^#]\)/#   \1/'
	fi
}

like() { # like GOT GREP-PATTERN DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   got: /'
		printf '#   wanted: /%s/\n' "$2"
	fi
}

unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   got: /'
	else
		ok 0 "$3"
	fi
}

skip() { # skip REASON: a skip that fails when NESTBOX_MUST_WORK=1
	_nb_n=$((_nb_n + 1))
	if [ "${NESTBOX_MUST_WORK:-}" = 1 ]; then
		echo "not ok $_nb_n - $1 (skipped, but NESTBOX_MUST_WORK=1)"
		_nb_failed=$((_nb_failed + 1))
	else
		echo "ok $_nb_n # SKIP $1"
	fi
}

done_testing() {
	echo "1..$_nb_n"
	[ "$_nb_failed" -eq 0 ]
}

# nb ARGS...: run nestbox, output in $out (stdout+stderr), status in $rc.
nb() {
	out=$("$NESTBOX" "$@" 2>&1)
	rc=$?
}

# Normalised map: one "inside outside count" line per range, ';'-joined.
norm_map() {
	awk '{ printf "%s%s %s %s", (NR > 1 ? ";" : ""), $1, $2, $3 }'
}

# No process of ours mentions MARKER any more (waits up to 3 s for the kernel).
gone() {
	for _i in $(seq 30); do
		pgrep -u "$NB_UID" -f "$1" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}
