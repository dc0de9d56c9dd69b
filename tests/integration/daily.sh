#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Daily use: a signal death is passed on, the build profile runs everyday
# build steps as they run outside, and -try binds skip missing sources.
. "$(dirname "$0")/../libtest.sh"

mkdir -p "$T/proj"
cd "$T/proj" || exit 1

# The caller sees WIFSIGNALED, as with env(1), so that a loop stops at Ctrl-C.
got=$(python3 -c '
import os, subprocess, sys
n = sys.argv[1]
for cmd in (["sh", "-c", "kill -INT $$"], ["sh", "-c", "kill -TERM $$"], ["sh", "-c", "exit 130"]):
    p = subprocess.run([n, "run", "--"] + cmd)
    print(p.returncode, end=" ")
' "$NESTBOX")
is "$got" "-2 -15 130 " "a command killed by SIGINT or SIGTERM kills nestbox with it; exit 130 stays an exit"
sh -c '"$1" run -- sh -c "kill -INT \$\$"; echo "shell sees $?"' sh "$NESTBOX" >"$T/sh.out" 2>&1
is "$(cat "$T/sh.out")" "shell sees 130" "a shell still sees 128+N"
nb run --timeout 1 -- sleep 10
is "$rc" 124 "--timeout still exits 124"

# Foreign owners: a tarball of uid 1234's files, cp -a and make install.
mkdir -p "$T/tar/d" && echo x >"$T/tar/d/f"
python3 -c '
import tarfile, sys
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("d", "d/f"):
        i = t.gettarinfo(sys.argv[2] + "/" + name, arcname=name)
        i.uid = i.gid = 1234
        i.uname = i.gname = ""
        with open(sys.argv[2] + "/" + name, "rb") if i.isfile() else open("/dev/null", "rb") as f:
            t.addfile(i, f if i.isfile() else None)
' "$T/proj/foreign.tar" "$T/tar"
tar tvf foreign.tar | grep -q " 1234/1234 "
ok $? "control: the tarball's files belong to uid 1234"
cat >Makefile <<'MK'
install:
	install -d $(DESTDIR)/usr/bin
	install -m 755 tool $(DESTDIR)/usr/bin/tool
MK
printf '#!/bin/sh\necho tool\n' >tool
nb --profile build -- sh -c 'tar xf foreign.tar && cp -a d d2 && make -s install DESTDIR=$PWD/stage && ls -n d/f d2/f stage/usr/bin/tool | awk "{ print \$3 }" | sort -u'
is "$rc:$out" "0:$NB_UID" "--profile build: tar xf, cp -a and make install DESTDIR work, all files the user's"
nb --profile build -- id -u
is "$out" "$NB_UID" "--profile build runs as the caller's own uid (--map user)"
nb --map root --profile build -- id -u
is "$out" "0" "an explicit --map before the profile wins"

# -try binds: a missing source is skipped, any other problem still fails.
nb run --bind-try "$T/missing" /mnt --ro-bind-try /etc /opt -- sh -c 'test -f /opt/passwd && echo ok'
is "$rc:$out" "0:ok" "--bind-try of a missing source is skipped, --ro-bind-try of a present one binds"
nb run --bind "$T/missing" /mnt -- true
is "$rc" 125 "control: a missing --bind source still fails"
mkdir -p "$T/real"
ln -s "$T/real" "$T/link"
nb run --bind-try "$T/link" /mnt -- true
is "$rc" 125 "--bind-try through a planted link still fails"
like "$out" "is a symbolic link to" "and says why"
# The working directory is kept where the sandbox shows it, never silently /.
mkdir -p "$T/cw"
cd "$T/cw" || exit 1
nb run -- pwd
is "$rc:$out" "0:$T/cw" "the default root keeps the working directory"
nb run --root ro -- pwd
is "$rc" 125 "--root ro from under /tmp (hidden by the private /tmp) gives 125"
like "$out" "^nestbox: the current directory $T/cw is not visible inside: a private /tmp \(--root ro\) covers it \(give --chdir DIR, or --bind " \
	"and names the directory and the fix"
nb run --root ro --bind "$T/cw" "$T/cw" -- pwd
is "$rc:$out" "0:$T/cw" "--root ro with the directory bound keeps it"
nb run --root ro --chdir / -- pwd
is "$rc:$out" "0:/" "--root ro with --chdir / is fine"
nb run --root empty --ro-bind /usr /usr -- /usr/bin/pwd
is "$rc" 125 "--root empty without the directory gives 125"
like "$out" "is not in the empty root" "and says so"
nb run --root empty --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --chdir / -- /usr/bin/pwd
is "$rc:$out" "0:/" "--root empty --chdir / is fine"
mkdir "$T/gone" && cd "$T/gone" && rmdir "$T/gone"
nb run -- pwd
is "$rc" 125 "a deleted working directory gives 125"
like "$out" "the current directory is gone" "and says so"
cd "$T/proj" || exit 1

# Options compose in any order: a profile sets defaults, an explicit option wins.
for order in "--share net --profile build" "--profile build --share net"; do
	nb $order -- readlink /proc/self/ns/net
	is "$out" "$(readlink /proc/self/ns/net)" "$order: the host's network is kept"
done
for order in "--cap-add net_raw --profile build" "--profile build --cap-add net_raw"; do
	nb $order -- grep CapEff /proc/self/status
	is "$out" "CapEff:	0000000000002000" "$order: CAP_NET_RAW is kept, nothing else"
done
for order in "--root host --profile build" "--profile build --root host"; do
	nb $order -- sh -c 'touch /tmp/nb-order.$$ && rm /tmp/nb-order.$$ && echo host-tmp'
	is "$out" "host-tmp" "$order: the explicit --root wins"
done
nb --tmpfs /dev/shm/x --profile build -- true
is "$rc" 0 "a mount under the profile's /dev, given before the profile, still applies after it"

# --keep-fd passes exactly the fds asked for; make's jobserver needs none.
nb run --keep-fd 7 -- sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "; read -r line <&7; echo "$line"' 7<"$T/proj/Makefile" 8<"$T/proj/Makefile"
is "$out" "0 1 2 3 7 install:" "--keep-fd 7 passes fd 7 and no other (fd 3 is ls's own directory)"
nb run --keep-fd 9 -- true
is "$rc:$out" "125:nestbox: --keep-fd 9: fd 9 is not open (open it in the calling shell, e.g. 7<file)" \
	"--keep-fd of a closed fd is refused while planning"
cat >"$T/proj/jobs.mk" <<'MK'
all:
	+@"$(NESTBOX)" --profile build -- $(MAKE) -s -f jobs.mk inner
inner:
	@echo "inner: $(findstring jobserver,$(MAKEFLAGS))"
MK
out=$(NESTBOX="$NESTBOX" make -s -j4 -f jobs.mk 2>&1)
is "$out" "inner: jobserver" "make -j4 through nestbox --profile build keeps its jobserver"
unlike "$out" "jobserver unavailable" "and make does not fall back to -j1"

# The user's own tools under a hidden $HOME stay on PATH, read-only.
mkdir -p "$HOME/.nb-bin.$$"
printf '#!/bin/sh\necho mytool\n' >"$HOME/.nb-bin.$$/nb-mytool"
chmod +x "$HOME/.nb-bin.$$/nb-mytool"
out=$(PATH="$HOME/.nb-bin.$$:$PATH" "$NESTBOX" --profile build -- sh -c 'nb-mytool; touch "$HOME/.nb-bin.'$$'/x" 2>&1' 2>&1)
like "$out" "^mytool$" "--profile build keeps a PATH directory under the hidden \$HOME"
like "$out" "Read-only file system" "and keeps it read-only"
nb --profile build -- sh -c "ls -A \$HOME"
is "$out" "" "control: what is not on PATH stays hidden"
echo secret >"$HOME/.nb-secret.$$"
out=$(PATH="$HOME:$PATH" "$NESTBOX" --profile build -- sh -c 'ls -A "$HOME"' 2>&1)
is "$out" "" "a PATH entry that is \$HOME itself does not bring \$HOME back"
rm -rf "$HOME/.nb-bin.$$" "$HOME/.nb-secret.$$"

# A private /dev names the caller's terminal: tty(1) works.
out=$(script -qec "$NESTBOX --profile build -- tty" /dev/null </dev/null 2>&1 | tr -d '\r')
is "$out" "/dev/console" "--profile build under a pty: tty names /dev/console"
nb --profile build -- tty
is "$rc:$out" "1:not a tty" "control: without a terminal, tty says so"

# Messages.
nb run --bind /tmp -- true
is "$rc:$out" "125:nestbox: --bind needs SRC and DST (see 'nestbox run --help')" \
	"'--bind /tmp -- cmd' says --bind needs SRC and DST"
nb run --overlay a b
like "$out" "^nestbox: --overlay needs LOWER.*, UPPER, WORK and DST" "a short --overlay names its arguments"
nb run --timeout 1 -- sleep 10
is "$rc:$out" "124:nestbox: --timeout: 1 s are up, so the sandbox was ended" "--timeout says so in one line"
nb run -vv -- true
is "$rc" 0 "-vv is accepted"
like "$out" "nestbox\[init \+[0-9]+\.[0-9]{3}ms\]: command is PID" "and -vv says more than -v, with times"
"$NESTBOX" --help >"$T/help"
grep -q -- "--bind <src> <dst>" "$T/help"
ok $? "nestbox --help lists the run options"
done_testing
