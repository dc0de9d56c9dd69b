#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox-bwrap: bubblewrap's defaults and diagnostics, then bubblewrap's own
# test suite (kept outside this tree, as it is another project's code) run
# against it, when that suite is there.
. "$(dirname "$0")/../libtest.sh"

BWRAP=${NESTBOX_BWRAP:-$(dirname "$NESTBOX")/nestbox-bwrap}
[ -x "$BWRAP" ] || nb_bail "no nestbox-bwrap beside $NESTBOX"
# The suite lives beside the project (../shared), never in it; a clone
# elsewhere on the machine finds the workplace's copy.
SUITE=${NB_BWRAP_TESTS:-}
for _d in "$NESTBOX_SRCDIR/../shared/bwrap-tests" /work/shared/bwrap-tests; do
	[ -z "$SUITE" ] && [ -x "$_d/run" ] && SUITE=$_d
done

bw() {
	out=$("$BWRAP" "$@" 2>&1)
	rc=$?
}

# Only the mount namespace is new (in a user namespace); the rest is the caller's.
bw --ro-bind / / sh -c 'for n in user mnt pid net ipc uts cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done'
same=""
new=""
for n in user mnt pid net ipc uts cgroup; do
	inside=$(printf '%s\n' "$out" | sed -n "s/^$n //p")
	if [ "$inside" = "$(readlink /proc/self/ns/$n)" ]; then
		same="$same $n"
	elif [ -n "$inside" ]; then
		new="$new $n"
	fi
done
is "$rc:$new:$same" "0: user mnt: pid net ipc uts cgroup" "by default only the user and mount namespaces are new"

bw --ro-bind / / --unshare-pid --unshare-net readlink /proc/self/ns/pid /proc/self/ns/net
pid=$(printf '%s\n' "$out" | sed -n 1p)
net=$(printf '%s\n' "$out" | sed -n 2p)
[ "$rc" = 0 ] && [ -n "$pid" ] && [ -n "$net" ] && [ "$pid" != "$(readlink /proc/self/ns/pid)" ] &&
	[ "$net" != "$(readlink /proc/self/ns/net)" ]
ok $? "--unshare-pid and --unshare-net make new ones"

bw --ro-bind / / id -u
is "$rc:$out" "0:$NB_UID" "the caller's own uid inside by default"

bw --ro-bind / / --uid 0 --gid 0 sh -c 'id -u; grep -E "^Cap(Prm|Eff|Amb):" /proc/self/status'
is "$rc:$(printf '%s\n' "$out" | tr -s '\t\n' ' ')" \
	"0:0 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 " \
	"uid 0 inside has no capabilities"

bw --ro-bind / / --uid 0 --cap-add CAP_NET_ADMIN sh -c 'grep "^CapEff:" /proc/self/status'
is "$rc:$out" "0:CapEff:	0000000000001000" "--cap-add grants just that capability"

bw --no-such-option
is "$rc" 1 "an unknown option exits 1"
is "$out" "bwrap: Unknown option --no-such-option" "with a 'bwrap: ' message"

bw --ro-bind / / --bind /no/such/dir /mnt true
is "$rc:$out" "1:bwrap: Can't find source path /no/such/dir: No such file or directory" \
	"a setup error exits 1 with a 'bwrap: ' message"

bw --help
like "$out" "^usage: $BWRAP " "--help names the program as it was called"

out=$(DISPLAY=:9 SSH_AUTH_SOCK=/x "$BWRAP" --ro-bind / / sh -c 'echo "$DISPLAY $SSH_AUTH_SOCK"' 2>&1)
is "$out" ":9 /x" "the environment is passed on as it is, session variables too"

bw --ro-bind / / sh -c 'exit 7'
is "$rc" 7 "the command's exit status is passed on"

# What flatpak, BuildStream and ansible-runner rely on (checked by hand
# against Debian's bubblewrap 0.8, which behaves the same).
# /proc/self/ns/user: the sandbox's own user namespace, as flatpak binds it.
bw --ro-bind / / --tmpfs /run --ro-bind-try /proc/self/ns/user /run/.userns \
	sh -c 'echo "user:[$(stat -L -c %i /run/.userns)]"; readlink /proc/self/ns/user'
ok "$([ "$rc" = 0 ] && [ "$(printf '%s\n' "$out" | sort -u | wc -l)" = 1 ] &&
	[ "$(printf '%s\n' "$out" | head -1)" != "$(readlink /proc/self/ns/user)" ]; echo $?)" \
	"--ro-bind-try /proc/self/ns/user binds the sandbox's own user namespace, not the caller's"
# /proc/self/fd/N: the caller's fd N.
echo "from-fd-5" >"$T/fd5"
out=$("$BWRAP" --ro-bind / / --tmpfs /tmp --ro-bind /proc/self/fd/5 /tmp/f cat /tmp/f 5<"$T/fd5" 2>&1)
is "$?:$out" "0:from-fd-5" "--ro-bind /proc/self/fd/5 binds the file open on the caller's fd 5"
# Only a namespace's own name, and only fds the caller passed.
out=$("$BWRAP" --ro-bind / / --tmpfs /tmp --ro-bind-try /proc/self/fd/9 /tmp/f sh -c 'test -e /tmp/f && echo bound || echo skipped' 2>&1)
is "$?:$out" "0:skipped" "--ro-bind-try of a /proc/self/fd/N the caller did not pass is skipped"
bw --ro-bind / / --tmpfs /tmp --ro-bind /proc/self/fd/9 /tmp/f true
like "$rc:$out" "^1:bwrap: .*fd/9" "and without -try refused, never nestbox's own fd 9"
# The symlink rules stay for any other path.
ln -s /etc "$T/link"
bw --ro-bind / / --ro-bind "$T/link" /mnt true
like "$rc:$out" "^1:bwrap: .*symbolic link" "a planted symbolic link is still refused as a source"
# BuildStream: binds under / stay writable after --remount-ro /.
mkdir -p "$T/w"
bw --ro-bind / / --bind "$T/w" "$T/w" --remount-ro / touch "$T/w/made"
is "$rc:$(test -e "$T/w/made" && echo made)" "0:made" "--remount-ro / leaves the binds under it writable (not recursive)"
bw --ro-bind / / --tmpfs /mnt --remount-ro /mnt touch /mnt/x
like "$rc:$out" "^1:touch: .*Read-only file system" "and makes the mount at DEST itself read-only"
# ansible-runner: the root is a writable tmpfs, with tmpfs's size, gone at exit.
bw --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
	sh -c 'mkdir -p /home/u/.ansible/tmp && i=0; while [ $i -lt 20 ]; do cat /usr/bin/sh; i=$((i+1)); done >/big && test $(wc -c </big) -gt 1048576 && echo ok; ls -d /home/u/.ansible/tmp'
is "$rc:$(printf '%s' "$out" | tr '\n' ' ')" "0:ok /home/u/.ansible/tmp" "the root is writable, more than 1 MiB of it"
# Smaller differences.
printf '#!/nonexistent/interpreter\n' >"$T/badinterp"
chmod 755 "$T/badinterp"
bw --ro-bind / / "$T/badinterp"
is "$rc:$out" "1:bwrap: execvp $T/badinterp: No such file or directory" "a missing interpreter: bubblewrap's line"
out=$("$BWRAP" 2>&1)
is "$?:$(printf '%s\n' "$out" | head -2 | tr '\n' '|')" "1:bwrap: No command specified|usage: $BWRAP [OPTIONS...] [--] COMMAND [ARGS...]|" \
	"no arguments: the usage on stderr, and 1"
bw --ro-bind / / --proc /proc awk '$5 == "/proc" { print $6 }' /proc/self/mountinfo
like "$(printf '%s\n' "$out" | tail -1)" "nosuid,nodev" "--proc is mounted nosuid,nodev"

# One vocabulary: --help and the man page list the same options.
man="${NB_DOCS:-$NESTBOX_SRCDIR/doc}/nestbox-bwrap.1"
help_opts=$("$BWRAP" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
man_opts=$(grep -oE -- '\\-\\-[a-z][a-z0-9\\-]+' "$man" | sed 's/\\//g' | sort -u)
is "$(printf '%s\n' "$help_opts" | wc -l | awk '$1 >= 60 { print "many" }')" many "--help lists bubblewrap's options"
is "$(printf '%s\n' "$help_opts" | tr '\n' ' ')" "$(printf '%s\n' "$man_opts" | tr '\n' ' ')" \
	"the man page documents exactly the options of --help"
unknown=""
for o in $help_opts; do
	case $o in --help | --version) continue ;; esac
	out=$("$BWRAP" "$o" </dev/null 2>&1)
	case $out in *"Unknown option"*) unknown="$unknown $o" ;; esac
done
is "$unknown" "" "every option of --help is accepted"

# As with bubblewrap, what the caller leaves open reaches the command.
echo passed-on >"$T/fd-data"
out=$(exec 7<"$T/fd-data"; "$BWRAP" --ro-bind / / sh -c 'cat <&7' 2>&1)
is "$out" "passed-on" "an inherited fd reaches the command"

# --argv0 renames the command in its own copy of the list: the command
# shares nestbox's memory until it execs, and the list it was given once
# came back renamed and was freed twice ("double free", status 134).
out=$("$BWRAP" --ro-bind / / --argv0 renamed sh -c 'echo "$0"' 2>&1)
is "$?:$out" "0:renamed" "--argv0 names the command, and nestbox exits cleanly"

# No filter of its own unless asked; --nestbox-seccomp asks for nestbox's.
if [ -x "$NB_HELPERS/tiocsti" ]; then
	bw --ro-bind / / "$NB_HELPERS/tiocsti" </dev/null
	is "$out" "TIOCSTI: Inappropriate ioctl for device" "no seccomp filter by default"
	bw --nestbox-seccomp --ro-bind / / "$NB_HELPERS/tiocsti" </dev/null
	is "$out" "TIOCSTI: Operation not permitted" "--nestbox-seccomp refuses TIOCSTI"
else
	skip "the tiocsti helper is not built"
fi

if [ -z "$SUITE" ]; then
	# The suite runs when ../shared/bwrap-tests exists (issue #18); a
	# machine without it has nothing to run, which is no failure of ours.
	_nb_n=$((_nb_n + 1))
	echo "ok $_nb_n # SKIP bubblewrap's test suite is not on this machine (../shared/bwrap-tests)"
elif [ ! -x "$SUITE/run" ]; then
	skip "bubblewrap's test suite is not at $SUITE"
elif ! python3 -c 'import seccomp' 2>/dev/null || ! PATH="$PATH:/usr/sbin:/sbin" command -v getpcaps >/dev/null; then
	skip "bubblewrap's test suite needs python3-seccomp and libcap2-bin"
else
	# Its runner cannot remove the read-only copy it makes: that noise stays apart.
	touch "$T/suite.stamp"
	result=$(TMPDIR=$T "$SUITE/run" "$BWRAP" 2>"$T/suite.err")
	# test-run.sh leaves a file of its own in /tmp (mktemp /tmp/bwrap-test-XXXXXXXX).
	find /tmp -maxdepth 1 -name 'bwrap-test-*' -user "$(id -u)" -newer "$T/suite.stamp" -exec rm -f {} + 2>/dev/null
	printf '%s\n' "$result" | sed 's/^/# /'
	is "$(printf '%s\n' "$result" | grep -E '^[0-9]+ passed, [0-9]+ failed$')" "72 passed, 0 failed" \
		"bubblewrap 0.11.1's own tests pass"
fi

done_testing
