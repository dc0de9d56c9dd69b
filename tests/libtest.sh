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

# nb_skip_all REASON: the whole script cannot run here.  A skip, which
# fails when NESTBOX_MUST_WORK=1, as skip() does.
nb_skip_all() {
	if [ "${NESTBOX_MUST_WORK:-}" = 1 ]; then
		echo "Bail out! $1 (and NESTBOX_MUST_WORK=1)"
		exit 99
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
: "${NESTBOX:?set NESTBOX to the nestbox binary}"
: "${NESTBOX_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

# NB_ROOT_DRIVER: a test that must stay root to drive a daemon (dockerd),
# and runs nestbox only as an ordinary user inside what it starts.
if [ "$(id -u)" = 0 ] && [ -z "${NB_ALLOW_ROOT:-}" ] && [ -z "${NB_ROOT_DRIVER:-}" ]; then
	# The test users come from tests/setup.sh (make check-setup), a step
	# of its own: make check itself adds nothing to the machine.
	if ! id "$NB_TEST_USER" >/dev/null 2>&1; then
		nb_skip_all "the test user $NB_TEST_USER does not exist: as root, run make check-setup (tests/setup.sh) first"
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
	nb_skip_all "running nestbox as root proves nothing: run make check as a user, or as root without NB_ALLOW_ROOT"
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

# The subordinate ranges of the user who runs the tests, read from the
# machine's /etc/subuid and /etc/subgid (lines by name or by uid, any order,
# other users' lines around them): the tests compare maps against them.
# This parse is the oracle, independent of nestbox's.  NB_SUB1_* is the
# first uid range, NB_SUB2_* the second, NB_SUBG1_* and NB_SUBG2_* the gid
# ranges; empty where there is none.
nb_subids() { # nb_subids FILE: "start count" per range of ours, in file order
	awk -F: -v n="$(id -un)" -v u="$NB_UID" '
		($1 == n || $1 == u) && NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[1-9][0-9]*$/ { print $2, $3 }' "$1" 2>/dev/null
}
NB_SUBUIDS=$(nb_subids /etc/subuid)
NB_SUBGIDS=$(nb_subids /etc/subgid)
nb_range() { printf '%s\n' "$1" | sed -n "$2p" | cut -d' ' -f"$3"; }
NB_SUB1_START=$(nb_range "$NB_SUBUIDS" 1 1) NB_SUB1_COUNT=$(nb_range "$NB_SUBUIDS" 1 2)
NB_SUB2_START=$(nb_range "$NB_SUBUIDS" 2 1) NB_SUB2_COUNT=$(nb_range "$NB_SUBUIDS" 2 2)
NB_SUBG1_START=$(nb_range "$NB_SUBGIDS" 1 1) NB_SUBG1_COUNT=$(nb_range "$NB_SUBGIDS" 1 2)
NB_SUBG2_START=$(nb_range "$NB_SUBGIDS" 2 1) NB_SUBG2_COUNT=$(nb_range "$NB_SUBGIDS" 2 2)

# nb_auto_map uid|gid [json|helper]: what --map auto makes of these ranges:
# root inside is the caller, then each range in file order.  As norm_map
# prints a map, as ps --json does ("[[0, 1000, 1], ...]"), or as the
# arguments nestbox gives newuidmap for its outer, identity map.
nb_auto_map() {
	if [ "$1" = uid ]; then _l=$NB_SUBUIDS _id=$NB_UID; else _l=$NB_SUBGIDS _id=$NB_GID; fi
	printf '%s\n' "$_l" | awk -v id="$_id" -v how="${2:-norm}" '
		NF == 2 { n++; s[n] = $1; c[n] = $2 }
		END {
			if (how == "json") printf "[[0, %s, 1]", id
			else if (how == "helper") printf "%s %s 1", id, id
			else printf "0 %s 1", id
			at = 1
			for (i = 1; i <= n; i++) {
				if (how == "json") printf ", [%d, %s, %s]", at, s[i], c[i]
				else if (how == "helper") printf " %s %s %s", s[i], s[i], c[i]
				else printf ";%d %s %s", at, s[i], c[i]
				at += c[i]
			}
			if (how == "json") printf "]"
			print ""
		}'
}

# nb_need_ranges N: the script needs N subordinate uid and gid ranges of
# the user who runs it (make check-setup gives nbtest two); otherwise it
# is skipped.  nb_need_no_range: it needs a user without any.
nb_need_ranges() {
	if [ -z "$(nb_range "$NB_SUBUIDS" "$1" 1)" ] || [ -z "$(nb_range "$NB_SUBGIDS" "$1" 1)" ]; then
		nb_skip_all "needs $1 subordinate uid and gid ranges of $(id -un) in /etc/subuid and /etc/subgid (as root, make check-setup runs the tests as nbtest, which has two)"
	fi
}
nb_need_no_range() {
	if [ -n "$NB_SUBUIDS$NB_SUBGIDS" ]; then
		nb_skip_all "needs a user without subordinate ranges, and $(id -un) has some (as root, make check-setup runs this test as nbtestnosub)"
	fi
}
T=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-t.XXXXXX")
chmod 755 "$T"
if [ -z "${NB_STAGED:-}" ]; then
	# Run by an ordinary user's make check: start where the root run
	# starts, in a directory that ids mapped from a subordinate range may
	# enter (a clone under a home of mode 0700 is not one), and without
	# the jobserver of the make that runs the tests, whose fds are gone.
	cd "$T" || nb_bail "cannot enter $T"
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
fi
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

# nb_mounts: the mounts of the test's mount namespace that a leak of a
# sandbox could show, mount point and type: any under the directories the
# tests own (the stage, the temp dir, the user's home and runtime dir, and
# /tmp/nestbox-*), and any of nestbox's own names.  Mounts that the rest of
# a busy machine makes meanwhile elsewhere do not count.  (Run unprivileged,
# nestbox cannot mount in this namespace at all: this is the proof.)
nb_mounts() {
	awk -v t="$T" -v st="${NB_STAGE:-/nonexistent}" -v h="${HOME:-/nonexistent}" -v x="${XDG_RUNTIME_DIR:-/nonexistent}" '
		function under(p, d) { return p == d || index(p, d "/") == 1 }
		{ mp = $5; for (i = 7; $i != "-"; i++) ; fs = $(i + 1); src = $(i + 2) }
		under(mp, t) || under(mp, st) || under(mp, h) || under(mp, x) || mp ~ /^\/tmp\/nestbox-/ ||
			src ~ /^nestbox/ && src !~ /^nestbox-(locked|covered|over)$/ { print mp, fs }' /proc/self/mountinfo | sort
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

# await COMMAND...: run COMMAND until it succeeds, 10 s at most (1 if it
# never did): a poll with a deadline, where a test would otherwise guess a
# sleep.
await() {
	_n=200
	while [ "$_n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}

# await_line FILE LINE [SECONDS]: wait (10 s unless told) until FILE holds
# LINE, a handshake that a process inside has got that far; 1 if it never
# did.  A test waits for this instead of sleeping a guessed time.  FILE
# must be new to the round: remove it before starting the process, or a
# line from the last round passes for this one's.
await_line() {
	_n=$((${3:-10} * 20))
	while [ "$_n" -gt 0 ]; do
		grep -qxF "$2" "$1" 2>/dev/null && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}
