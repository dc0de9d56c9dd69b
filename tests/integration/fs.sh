#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Filesystem isolation, capabilities, environment, limits, and the build
# profile, as an unprivileged user.
NB_NEEDS_FIXTURES=1
. "$(dirname "$0")/../libtest.sh"

before=$(nb_mounts)

mkdir -p "$T/proj" "$T/w"
cd "$T/proj" || exit 1

# The build profile: only the current directory is writable.
nb --profile build -- sh -c 'touch /etc/nb-x 2>&1; touch /usr/nb-x 2>&1; touch ./made-inside && echo made'
like "$out" "/etc/nb-x.*Read-only file system" "--profile build: /etc is read-only (EROFS)"
like "$out" "/usr/nb-x.*Read-only file system" "--profile build: /usr is read-only (EROFS)"
like "$out" "^made$" "--profile build: the current directory is writable"
test -f "$T/proj/made-inside"
ok $? "a write in the current directory lands on the host"
nb --profile build -- pwd
is "$out" "$T/proj" "--profile build starts in the current directory"
nb --profile build -- sh -c 'grep -E "^Cap(Eff|Bnd|Amb|Prm|Inh):" /proc/self/status | tr -d "\t" | tr "\n" " "'
is "$out" "CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 CapAmb:0000000000000000 " \
	"--profile build: no capabilities at all"
nb --profile build -- grep NoNewPrivs /proc/self/status
like "$out" "NoNewPrivs:.1" "--profile build: no_new_privs is set"
nb --profile build -- readlink /proc/self/ns/net
new_ns net "--profile build: a new network namespace"
nb --share net --profile build -- readlink /proc/self/ns/net
is "$rc:$out" "0:$(readlink /proc/self/ns/net)" "--share net before --profile build wins too: options compose in any order"
nb --profile build --share net -- readlink /proc/self/ns/net
is "$rc:$out" "0:$(readlink /proc/self/ns/net)" "--share net after --profile build overrides it"

# $HOME is hidden, except what the user binds.
echo secret >"$HOME/nb-secret.$$"
mkdir -p "$HOME/nb-proj.$$"
nb --profile build -- sh -c 'ls -A "$HOME" | wc -l'
is "$out" 0 "--profile build: \$HOME is an empty tmpfs"
nb --profile build --bind "$HOME/nb-proj.$$" "$HOME/nb-proj.$$" -- sh -c 'touch "$HOME/nb-proj.'$$'/in" && ls "$HOME"'
is "$out" "nb-proj.$$" "a path bound explicitly under \$HOME stays visible"
test -f "$HOME/nb-proj.$$/in"
ok $? "and writes there land on the host"
rm -rf "$HOME/nb-secret.$$" "$HOME/nb-proj.$$"

# --root ro: all of the host read-only, a private /tmp.
touch /tmp/nb-host-marker.$$
nb --root ro --chdir / -- sh -c 'ls /tmp; touch /tmp/nb-inside.$$ && echo tmp-ok; touch /var/nb-x'
# The last touch fails, so the shell exits 1.
ran_unlike 1 "$out" "^tmp-ok$" "nb-host-marker" "--root ro: the host's /tmp is not visible"
like "$out" "^tmp-ok$" "--root ro: /tmp is writable"
like "$out" "/var/nb-x.*Read-only file system" "--root ro: the rest is read-only"
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q '^tmp-ok$' && test ! -e /tmp/nb-inside.$$
ok $? "--root ro: files in the private /tmp do not reach the host"
rm -f /tmp/nb-host-marker.$$
# Only the topmost of stacked mounts is reachable, so only it counts; /tmp,
# /proc, /dev/shm and the empty tmpfs that hide the session (the runtime
# directories, ~/.gnupg) are the sandbox's own.
nb --root ro --chdir / -- sh -c 'awk "{ top[\$5] = \$6 } END { for (m in top) print m, top[m] }" /proc/self/mountinfo | grep -Ev "^(/tmp|/proc|/dev/shm|/run/user/[0-9]+|$HOME/.gnupg)(/| )" >/tmp/m && grep -c "^/ ro" /tmp/m && grep -v "^[^ ]* ro" /tmp/m | head -5'
is "$rc:$out" "0:1" "--root ro: every host mount is read-only, submounts included"

# Locked flags of a nosuid,nodev,noexec host mount survive read-only remounts.
if [ -n "${NB_LOCKED:-}" ] && grep -q " $NB_LOCKED " /proc/self/mountinfo; then
	nb --root ro --chdir / -- sh -c "awk '\$5 == \"$NB_LOCKED\" { print \$6 }' /proc/self/mountinfo; cat $NB_LOCKED/file"
	like "$out" "^ro,nosuid,nodev,noexec" "--root ro --chdir / keeps nosuid,nodev,noexec of a host mount"
	like "$out" "fixture" "and its contents stay readable"
	nb --ro-bind "$NB_LOCKED" /mnt -- sh -c "cat /mnt/file; awk '\$5 == \"/mnt\" { print \$6 }' /proc/self/mountinfo"
	is "$(printf '%s\n' "$out" | tr '\n' ' ')" "fixture ro,nosuid,nodev,noexec,relatime " "--ro-bind of a locked mount keeps its flags"
	# Of two mounts stacked on one directory, the covered one too, with
	# mount_setattr() (Linux 5.12); a remount by path reaches only the top.
	k=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	if [ "$k" -ge 5012 ]; then
		stacked='$5 == p { split($6, o, ","); printf "%s ", o[1] }'
		nb --root ro --chdir / -- awk -v p="$NB_LOCKED/stack" "$stacked" /proc/self/mountinfo
		is "$rc:$out" "0:ro ro " "--root ro makes a covered mount read-only too"
		nb --ro-bind "$NB_LOCKED" /mnt -- awk -v p=/mnt/stack "$stacked" /proc/self/mountinfo
		is "$rc:$out" "0:ro ro " "and so does --ro-bind"
	else
		skip "covered mounts read-only: Linux 5.12's mount_setattr()"
		skip "covered mounts read-only: Linux 5.12's mount_setattr()"
	fi
else
	skip "the nosuid,nodev,noexec fixture mount needs the root test setup"
fi

# Mount operations.
echo lower >"$T/w/l.txt"
mkdir -p "$T/ov/lower" "$T/ov/upper" "$T/ov/work" "$T/ov/dst"
echo base >"$T/ov/lower/base"
nb --overlay "$T/ov/lower" "$T/ov/upper" "$T/ov/work" "$T/ov/dst" -- sh -c "echo new >$T/ov/dst/new; echo changed >$T/ov/dst/base; cat $T/ov/dst/base"
is "$rc:$out" 0:changed "--overlay: writes are seen through the overlay"
is "$(cat "$T/ov/lower/base"):$(cat "$T/ov/upper/base" 2>&1):$(cat "$T/ov/upper/new" 2>&1)" "base:changed:new" \
	"--overlay: writes go to the upper directory only"
[ "$rc:$out" = 0:changed ] && test ! -e "$T/ov/lower/new"
ok $? "--overlay: the lower directory is untouched"
nb --tmp-overlay "$T/ov/lower" "$T/ov/lower" -- sh -c "echo tmp >$T/ov/lower/tmpfile; rm $T/ov/lower/base; ls $T/ov/lower"
is "$rc:$out" "0:tmpfile" "--tmp-overlay: the command sees its changes"
is "$rc:$out:$(ls "$T/ov/lower")" "0:tmpfile:base" "--tmp-overlay: nothing reaches the host"

nb --root empty --chdir / --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
	--dir /data --tmpfs /scratch --proc /proc -- /bin/sh -c 'ls /; touch /scratch/ok && echo scratch-ok; touch /x 2>&1'
is "$(printf '%s\n' "$out" | sed -n 1,8p | tr '\n' ' ')" "bin data lib lib64 proc scratch usr scratch-ok " \
	"--root empty: only what the operations put there"
like "$out" "/x.*Read-only file system" "--root empty: the root itself is read-only"

nb --root empty --chdir / --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
	--dev /dev -- /bin/sh -c 'ls /dev | tr "\n" " "; echo; echo x >/dev/null && echo null-ok; head -c 4 /dev/zero | wc -c; readlink /dev/ptmx; grep " /dev/pts " /proc/self/mountinfo | wc -l' 2>&1
is "$(printf '%s\n' "$out" | sed -n 1p)" "core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " \
	"--dev: the minimal device set"
is "$(printf '%s\n' "$out" | sed -n 2,4p | tr '\n' ' ')" "null-ok 4 pts/ptmx " "--dev: the nodes work and ptmx points into pts"

mkdir -p "$T/w/sub"
nb --bind "$T/w" /srv/nb-w -- true
is "$rc" 125 "with --root host a missing destination is refused rather than created on the host"
like "$out" "/srv/nb-w does not exist" "and says so"
nb --bind /no/such/source /mnt -- true
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "a missing bind source gives 125 and one line"
like "$out" "bind source /no/such/source: No such file or directory \(check the path, or use --bind-try" "and names it, in nestbox's words, with the fix"
nb --bind "$T/w" relative -- true
like "$rc:$out" "^125:nestbox: --bind: .*'relative'" "a relative destination gives 125"
# Symlinks in destinations resolve inside the sandbox root, never out of it.
ln -s /etc "$T/w/esc"
ln -s ../../../../../../../../etc "$T/w/up"
nb --root ro --chdir / --bind "$T/w" /mnt --tmpfs /mnt/esc -- sh -c 'ls -A /etc | wc -l; ls /mnt/esc | wc -l'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "0 0 " "an absolute symlink in a destination leads to the sandbox's /etc, not the host's"
nb --root ro --chdir / --bind "$T/w" /mnt --tmpfs /mnt/up -- sh -c 'ls -A /etc | wc -l'
is "$out" 0 "a ../ symlink in a destination is clamped at the sandbox root"
nb --root ro --chdir / --bind "$T/w" /mnt --tmpfs /mnt/esc/nb-x -- true
is "$rc" 125 "a missing destination behind a symlink is refused, not created on the host"
test ! -e /etc/nb-x
ok $? "and nothing appeared in the host's /etc"
nb --root empty --chdir / --dir /a --symlink /etc /a/link --tmpfs /a/link/x -- true
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "a symlink planted by --symlink resolves inside the empty root"
nb --root ro --chdir / --tmpfs /var/run -- sh -c 'touch /run/nb-x && echo ok'
is "$out" ok "an in-root absolute symlink (/var/run) is followed inside the root"

# Mount points are made only on filesystems nestbox mounted, never through a
# host directory bound over one of them.
nb --root ro --chdir / --bind "$T/w" /tmp --dir /tmp/nb-hostdir -- true
is "$rc" 125 "--dir under a host directory bound over the private /tmp is refused"
test ! -e "$T/w/nb-hostdir"
ok $? "and the host directory is unchanged"
nb --profile build --ro-bind /usr/share/doc "$T/proj/vendor/doc" -- true
is "$rc" 125 "a mount point inside the writable project is not created on the host"
test ! -e "$T/proj/vendor"
ok $? "and the project is unchanged"
long=$(printf '%04000d' 0)
nb --root empty --chdir / --symlink x "/$long" -- true
is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "an over-long destination is refused in one line"
like "$out" "path too long" "and says why"
nb --dev /dev -- sh -c 'ls /dev | tr "\n" " "'
is "$out" "core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " "--dev /dev works over the host's /dev"

# The root itself is never a destination, and / as the project is refused.
nb --tmpfs / -- true
like "$rc:$out" "^125:nestbox: --tmpfs: " "--tmpfs / is refused"
(cd / && "$NESTBOX" --profile build -- true) >/dev/null 2>&1
is "$?" 125 "--profile build from / is refused (all would be writable)"
out=$(HOME=/ "$NESTBOX" --profile build -- sh -c 'ls / | wc -l' 2>&1)
if [ "$out" -gt 5 ] 2>/dev/null; then r=0; else r=1; fi
ok $r "--profile build with HOME=/ does not hide the whole tree"

# Capabilities.
nb --cap-drop ALL -- grep -E "^Cap(Eff|Bnd|Amb)" /proc/self/status
is "$(printf '%s\n' "$out" | awk '{ print $2 }' | tr '\n' ' ')" "0000000000000000 0000000000000000 0000000000000000 " \
	"--cap-drop ALL: CapEff, CapBnd and CapAmb are 0"
nb --cap-drop ALL --cap-add net_raw -- grep -E "^Cap(Eff|Bnd|Amb)" /proc/self/status
is "$(printf '%s\n' "$out" | awk '{ print $2 }' | tr '\n' ' ')" "0000000000002000 0000000000002000 0000000000002000 " \
	"--cap-add net_raw keeps exactly CAP_NET_RAW"
if [ -n "$NB_SUBUIDS" ] && [ -n "$NB_SUBGIDS" ]; then
	nb --map auto --uid 1000 --cap-drop ALL --cap-add net_raw -- grep -E "^Cap(Eff|Amb)" /proc/self/status
	is "$(printf '%s\n' "$out" | awk '{ print $2 }' | tr '\n' ' ')" "0000000000002000 0000000000002000 " \
		"--cap-add reaches a non-root uid through the ambient set"
else
	skip "--map auto needs a subordinate range of $(id -un) (make check-setup gives nbtest one)"
fi
nb --cap-drop sys_admin -- grep -E "^CapBnd" /proc/self/status
like "$out" "000001ffffdfffff" "--cap-drop sys_admin removes only that bit"
nb --cap-drop net_flying -- true
like "$rc:$out" "^125:nestbox: .*'net_flying'" "an unknown capability gives 125"

# Environment, limits, timeout.
nb --clearenv --setenv A 1 --setenv B "two words" -- env
is "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" "A=1 B=two words " "--clearenv and --setenv"
NB_DROP=1 nb --unsetenv NB_DROP -- sh -c 'echo "[${NB_DROP:-unset}]"'
is "$out" "[unset]" "--unsetenv"
nb --rlimit nofile=64:128 -- sh -c 'ulimit -n; ulimit -Hn'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "64 128 " "--rlimit sets soft and hard limits"
marker="sleep 1000.$$"
nb --timeout 1 -- sh -c "$marker & $marker"
is "$rc" 124 "--timeout kills the sandbox and exits 124"
[ "$rc" = 124 ] && gone "$marker"
ok $? "--timeout leaves nothing running"

is "$(nb_mounts)" "$before" "nothing was mounted on the host"

# End to end: build a real autotools project (nestbox itself) under the
# build profile, offline, and check that nothing outside the tree changed.
# The root run stages a copy; an ordinary user's run takes the committed
# tree of its git checkout.
srctree() {
	if [ -n "${NB_STAGE:-}" ] && [ -f "$NB_STAGE/srctree/configure.ac" ]; then
		cp -R "$NB_STAGE/srctree" "$T/build"
	elif git -C "$NESTBOX_SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
		mkdir "$T/build" && git -C "$NESTBOX_SRCDIR" archive HEAD | tar -x -C "$T/build"
	else
		return 1
	fi
}
if command -v autoreconf >/dev/null && srctree; then
	chmod -R u+w "$T/build"
	touch "$T/stamp"
	sleep 1
	cd "$T/build" || exit 1
	"$NESTBOX" --profile build -- sh -c './autogen.sh && ./configure && make -j2' >"$T/build.log" 2>&1
	rc=$?
	is "$rc" 0 "the nestbox tree configures and builds under --profile build"
	[ "$rc" = 0 ] || tail -20 "$T/build.log" | sed 's/^/# /'
	test -x "$T/build/nestbox" && "$T/build/nestbox" --version >/dev/null
	ok $? "the built binary runs"
	# Other tests run in parallel as the same user: $HOME's own mtime,
	# locked.sh's target, daily.sh's PATH directory, the records of their
	# running sandboxes (~/.nestbox), the /tmp/bwrap-test-* file of the
	# bubblewrap suite that bwrap.sh runs and the private TMPDIRs of Landlock
	# runs are theirs.
	changed=$( (find "$HOME" -mindepth 1 -newer "$T/stamp" ! -name "nb-locked.*" ! -name ".nb-bin.*" \
		! -path "$HOME/.nestbox" ! -path "$HOME/.nestbox/*" ! -path "$HOME/.nb-bin.*"; find "$T" -mindepth 1 -maxdepth 1 -newer "$T/stamp" ! -path "$T/build" ! -path "$T/build.log"; \
		find /tmp -maxdepth 1 -newer "$T/stamp" -user "$(id -u)" ! -name 'nestbox-t.*' ! -name 'bwrap-test-*' \
			! -name 'nestbox-landlock.*') 2>/dev/null)
	is "$rc:$changed" "0:" "nothing outside the tree changed"
	cd "$T" || exit 1
else
	skip "autoreconf, or a copy of the source tree (the root run's, or a git checkout's) is missing"
fi

done_testing
