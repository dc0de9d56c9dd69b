# SPDX-License-Identifier: GPL-2.0-or-later
# Shared code of the integration tests: TAP assertions, a temp dir, and the
# switch to an unprivileged test user when the suite runs as root (the users
# come from tests/setup.sh).
#
# A test script sets NB_TEST_USER (default: nbtest) and sources this file.
# The soak test runs as nbsoak, so that its count of leftovers sees no other
# test's sandboxes.

set -u
NB_TEST_USER=${NB_TEST_USER:-nbtest}
: "${NESTBOX:?set NESTBOX to the nestbox binary}"
: "${NESTBOX_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

# The subordinate ranges that tests/setup.sh gives nbtest in /etc/subuid and
# /etc/subgid; tests compare maps against them.
NB_SUB1_START=100000 NB_SUB1_COUNT=65536
NB_SUB2_START=300000 NB_SUB2_COUNT=100

# NB_ROOT_DRIVER: a test that must stay root to drive a daemon (dockerd),
# and runs nestbox only as an ordinary user inside what it starts.
if [ "$(id -u)" = 0 ] && [ -z "${NB_ALLOW_ROOT:-}" ] && [ -z "${NB_ROOT_DRIVER:-}" ]; then
	# tests/setup.sh creates the test users, or finds them there; what it
	# says goes to the log as TAP comments.
	setup="$NESTBOX_SRCDIR/tests/setup.sh"
	said=$(sh "$setup" 2>&1)
	rc=$?
	printf '%s\n' "$said" | sed 's/^/# /'
	if [ "$rc" != 0 ]; then
		echo "Bail out! $setup failed (status $rc): cannot create the test users"
		exit 99
	fi
	# Copy what the test user needs somewhere it can read: the build tree may
	# sit under a home directory that it cannot enter.
	stage=$(mktemp -d /tmp/nestbox-test.XXXXXX)
	chmod 755 "$stage"
	mkdir -p "$stage/tests/integration" "$stage/helpers"
	cp "$NESTBOX" "$stage/nestbox"
	# The bubblewrap front end, built beside it (tests/integration/bwrap.sh).
	[ -x "$(dirname "$NESTBOX")/nestbox-bwrap" ] && cp "$(dirname "$NESTBOX")/nestbox-bwrap" "$stage/"
	cp "$NESTBOX_SRCDIR/tests/libtest.sh" "$stage/tests/"
	mkdir -p "$stage/doc"
	cp "$NESTBOX_SRCDIR/doc/nestbox.1" "$NESTBOX_SRCDIR/doc/nestbox-bwrap.1" "$NESTBOX_SRCDIR/README" "$stage/doc/"
	cp "$NESTBOX_SRCDIR/doc/tutorial.md" "$NESTBOX_SRCDIR/completion/nestbox" "$stage/doc/"
	cp "$NESTBOX_SRCDIR/bench/run" "$stage/doc/bench-run"
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
		# On it, two mounts stacked on one directory: the lower one is covered.
		mount -t tmpfs -o nosuid,nodev,noexec,size=1m nestbox-locked "$locked" &&
			echo fixture >"$locked/file" && mkdir "$locked/stack" &&
			mount -t tmpfs -o size=1m nestbox-covered "$locked/stack" &&
			mount -t tmpfs -o size=1m nestbox-over "$locked/stack"
		for f in configure.ac Makefile.am autogen.sh README m4 src tests doc bench completion .ci; do
			[ -e "$NESTBOX_SRCDIR/$f" ] && cp -R "$NESTBOX_SRCDIR/$f" "$stage/srctree/"
		done
		rm -f "$stage"/srctree/tests/*/*.log "$stage"/srctree/tests/*/*.trs
		chown -R "$NB_TEST_USER" "$stage/srctree"
		chmod -R u+w "$stage/srctree"
	fi
	chmod -R a+rX "$stage"
	# A file that the group users may not read, though everybody else may:
	# its group denies the test user (a member) what the world may do.
	if getent group users >/dev/null; then
		echo "denied to the group users" >"$stage/group-denied"
		chown root:users "$stage/group-denied"
		chmod 0604 "$stage/group-denied"
	fi
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
	# A test of the network helpers runs in a private network namespace:
	# a veth pair looped onto itself carries the default route, so nothing
	# the sandbox dials can leave the machine.  Its resolver is 10.200.0.1,
	# in that namespace, where the test may bind port 53 itself.
	if [ -n "${NB_NEEDS_NETNS:-}" ]; then
		echo "nameserver 10.200.0.1" >"$stage/resolv.conf"
		chmod 644 "$stage/resolv.conf"
		set -- unshare --net --mount -- sh -c '
			ip link set lo up &&
			ip link add nbv0 type veth peer name nbv1 &&
			ip addr add 10.200.0.1/24 dev nbv0 &&
			ip link set nbv0 up && ip link set nbv1 up &&
			ip route add default via 10.200.0.2 dev nbv0 &&
			echo 0 >/proc/sys/net/ipv4/ip_unprivileged_port_start &&
			mount --bind "$0/resolv.conf" /etc/resolv.conf || exit 99
			exec "$@"' "$stage"
	else
		set --
	fi
	"$@" setpriv --reuid="$NB_TEST_USER" --regid="$NB_TEST_USER" --init-groups \
		--inh-caps=-all -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$(getent passwd "$NB_TEST_USER" | cut -d: -f6)" \
		USER="$NB_TEST_USER" LOGNAME="$NB_TEST_USER" SHELL=/bin/sh LANG=C.UTF-8 \
		NESTBOX="$stage/nestbox" NB_HELPERS="$stage/helpers" \
		NESTBOX_SRCDIR="$NESTBOX_SRCDIR" NB_DOCS="$stage/doc" NB_TEST_USER="$NB_TEST_USER" \
		NESTBOX_MUST_WORK="${NESTBOX_MUST_WORK:-}" NB_STAGED=1 NB_STAGE="$stage" \
		NB_GROUP_DENIED="$stage/group-denied" \
		NB_LOCKED="${locked:-}" NB_BWRAP_TESTS="${NB_BWRAP_TESTS:-}" NB_PRIVATE_NETNS="${NB_NEEDS_NETNS:-}" \
		sh "$stage/tests/integration/$(basename "$0")"
	rc=$?
	cd /
	if [ -n "${locked:-}" ]; then
		umount -R "$locked" 2>/dev/null
		rmdir "$locked"
	fi
	rm -rf "$stage"
	exit $rc
fi

if [ "$(id -u)" = 0 ] && [ -z "${NB_ROOT_DRIVER:-}" ]; then
	echo "1..0 # SKIP running as root proves nothing; run as a user"
	exit 0
fi

# nb_bail REASON: stop the whole script; automake's TAP driver reports it.
nb_bail() {
	echo "Bail out! $1"
	exit 99
}

# The tools the assertions rely on: without them a check must not pass.
for _tool in pgrep seq; do
	command -v "$_tool" >/dev/null || nb_bail "$_tool is missing (install procps and coreutils)"
done

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

unlike() { # unlike GOT GREP-PATTERN DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   got: /'
	else
		ok 0 "$3"
	fi
}

# ran_unlike STATUS GOT SHAPE PATTERN DESCRIPTION: the last command exited
# with STATUS (in $rc, as nb leaves it) and GOT has a line matching SHAPE, so
# the command really ran, and no line of GOT matches PATTERN.  A bare unlike
# passes as well when nestbox failed and printed nothing but its error.
ran_unlike() {
	if [ "$rc" = "$1" ] && printf '%s\n' "$2" | grep -Eq -- "$3"; then
		unlike "$2" "$4" "$5"
		return
	fi
	ok 1 "$5"
	printf '#   exit status %s (wanted %s); wanted a line like /%s/, got:\n' "$rc" "$1" "$3"
	printf '%s\n' "$2" | head -20 | sed 's/^/#   got: /'
}

# new_ns NS DESCRIPTION: the last nb exited 0 and printed the link of an NS
# namespace, not ours.
new_ns() {
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -Eqx -- "$1:\[[0-9]+\]" &&
		[ "$out" != "$(readlink "/proc/self/ns/$1")" ]; then
		ok 0 "$2"
	else
		ok 1 "$2"
		printf '#   status %s, got: %s, ours: %s\n' "$rc" "$out" "$(readlink "/proc/self/ns/$1")"
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

# A shell snippet, for sh -c inside a sandbox, that prints the fds of a child
# the shell started before any pipe (a shell's own list races with the pipe
# it makes), once that child sleeps: while ld.so loads sleep's libraries it
# holds fd 3 for a moment, which a loaded machine shows.
NB_CHILD_FDS='sleep 30 & p=$!; i=0
until grep -q nanosleep /proc/$p/wchan 2>/dev/null || [ $i -ge 1000 ]; do
	i=$((i + 1)); sleep 0.01
done
(cd /proc/$p/fd && echo *); kill $p'

# Normalised map: one "inside outside count" line per range, ';'-joined.
norm_map() {
	awk '{ printf "%s%s %s %s", (NR > 1 ? ";" : ""), $1, $2, $3 }'
}

# nb_pgrep_wait WANT PATTERN: wait up to 3 s until pgrep -f PATTERN, over our
# processes, answers WANT (0: some match, 1: none).  Only those two answers
# count: a pgrep that cannot run must not pass for "nothing is left".
nb_pgrep_wait() {
	for _i in $(seq 30); do
		pgrep -u "$NB_UID" -f "$2" >/dev/null
		_st=$?
		[ "$_st" = "$1" ] && return 0
		[ "$_st" -le 1 ] || nb_bail "pgrep -u $NB_UID -f '$2' failed (status $_st): cannot tell what runs"
		sleep 0.1
	done
	return 1
}

# gone MARKER: no process of ours mentions MARKER any more.
gone() { nb_pgrep_wait 1 "$1"; }

# running COMMAND: a process of ours runs COMMAND; not nestbox itself, whose
# command line mentions COMMAND too.
running() { nb_pgrep_wait 0 "^$1"; }

# await_line FILE LINE [SECONDS]: wait (10 s unless told) until FILE holds
# LINE, a handshake that a process inside has got that far; 1 if it never
# did.  A test waits for this instead of sleeping a guessed time.
await_line() {
	_n=$((${3:-10} * 20))
	while [ "$_n" -gt 0 ]; do
		grep -qxF "$2" "$1" 2>/dev/null && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}
