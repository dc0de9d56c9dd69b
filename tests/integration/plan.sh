#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One launch plan: --dry-run prints it and creates nothing, every check that
# needs no sandbox fails before any process is cloned, and a running sandbox
# is the host process, init and the command, with no zombie beside them.
. "$(dirname "$0")/../libtest.sh"

mkdir -p "$T/proj" "$T/src"
cd "$T/proj" || exit 1

nb run --dry-run -- true
is "$rc" 0 "--dry-run exits 0"
like "$out" "^namespaces:" "it lists the namespaces"
like "$out" "^  net +new$" "a new network namespace by default"
like "$out" "^  0 $NB_UID 1$" "the command's uid map, 0 onto the caller"
like "$out" "written by nestbox itself" "and who writes it"
like "$out" "^setgroups: deny, because" "setgroups deny, with the reason"
like "$out" "^ +1 +proc +/proc +\(implicit: a fresh /proc" "the implicit /proc is shown as implicit"
like "$out" "^ +- +sysfs +/sys" "and the fresh sysfs"
like "$out" "^hostname: nestbox$" "the hostname"
like "$out" "^capabilities: all, in the command's own user namespace$" "the capabilities"
like "$out" "^seccomp: default, refusing io_uring_setup" "the seccomp policy"
like "$out" "^working directory: $T/proj$" "the working directory"
like "$out" "^command: /(usr/)?bin/true$" "the command found on PATH"

nb run --dry-run --share net,uts --hostname h -- true
like "$out" "^  net +shared with the host$" "--share net is shown as shared"
unlike "$out" "sysfs" "no fresh sysfs without a new network namespace"
like "$out" "^hostname: the host's" "--share uts keeps the host's name"

nb run --dry-run --hostname box --bind "$T/src" /mnt --ro-bind /etc /opt --tmpfs /srv --cap-drop ALL \
	--cap-add net_raw --setenv A 1 --unsetenv B --rlimit nofile=64:128 --timeout 5 --seccomp none \
	--chdir /srv -- ls -l
is "$rc" 0 "--dry-run with many options exits 0"
like "$out" "^hostname: box$" "--hostname"
like "$out" "bind +/mnt +from $T/src$" "--bind with its source"
like "$out" "ro-bind +/opt +from /etc$" "--ro-bind"
like "$out" "tmpfs +/srv$" "--tmpfs, not implicit"
like "$out" "^capabilities: cap_net_raw$" "--cap-drop ALL --cap-add net_raw"
like "$out" "^seccomp: none, but the ioctls TIOCSTI and TIOCLINUX are still refused" "--seccomp none"
like "$out" "set A=1; unset B;" "--setenv and --unsetenv"
like "$out" "^rlimits: nofile=64:128$" "--rlimit"
like "$out" "^timeout: 5 s$" "--timeout"
like "$out" "^working directory: /srv$" "--chdir"
like "$out" "^command: /(usr/)?bin/ls -l$" "the command and its arguments"

nb run --dry-run --profile build -- make
like "$out" "tmpfs +/tmp +\(implicit: a private /tmp" "build: the private /tmp is implicit"
like "$out" "dev +/dev +\(implicit: a minimal /dev" "build: the minimal /dev is implicit"
like "$out" "bind +$T/proj +from $T/proj +\(implicit: the project directory" "build: the project bind is implicit"
like "$out" "tmpfs +$HOME +\(implicit: hides \\\$HOME" "build: the hidden \$HOME is implicit"
like "$out" "^capabilities: none$" "build: no capabilities"
like "$out" "^user namespaces inside: refused" "build: --disable-userns"
nb run --dry-run --root ro --chdir / -- true
like "$out" "root +/ +the host's tree, read-only" "--root ro: the read-only root"
unlike "$out" "hides .HOME" "--root ro --chdir / alone does not hide \$HOME"
XDG_RUNTIME_DIR=$T/src nb run --dry-run --root ro --chdir / -- true
like "$out" "tmpfs +$T/src +\(implicit: hides the session's sockets" "--root ro --chdir / hides the runtime directory"
DISPLAY=:9 nb run --dry-run --root ro --chdir / -- true
like "$out" "variables removed: DISPLAY;" "and removes the session's variables that are set"

# Every option of 'run --help' changes the plan the way it says.  Each line:
# OPTION|ARGUMENTS|PATTERN the dry run must show.
mkdir -p "$T/ov/l" "$T/ov/u" "$T/ov/w"
cases="share|--share ipc|^  ipc +shared with the host\$
unshare|--unshare uts|^  mnt +shared with the host\$
hostname|--hostname hb|^hostname: hb\$
domainname|--domainname dn|^domain name: dn\$
as-pid-1|--as-pid-1|^PID 1: the command itself
map|--map user|^  $NB_UID $NB_UID 1\$
uid-map|--uid-map 0:$NB_UID:1|^  0 $NB_UID 1\$
gid-map|--gid-map 0:$NB_GID:1|^  0 $NB_GID 1\$
uid|--map user --uid $NB_UID|^identity: uid $NB_UID,
gid|--map user --gid $NB_GID|^identity: uid $NB_UID, gid $NB_GID\$
show-map|--show-map|^--show-map: the kernel's maps
root|--root empty --chdir /|root +/ +an empty read-only tmpfs
bind|--bind $T/src /mnt|bind +/mnt +from $T/src\$
ro-bind|--ro-bind $T/src /mnt|ro-bind +/mnt +from $T/src\$
bind-try|--bind-try $T/nope /mnt|bind +/mnt +from $T/nope +\\(skipped if the source is missing\\)
ro-bind-try|--ro-bind-try $T/nope /mnt|ro-bind +/mnt +from $T/nope +\\(skipped
rw|--rw $T/src|bind +$T/src +from $T/src\$
size|--size 1m --tmpfs /mnt|tmpfs +/mnt\$
tmpfs|--tmpfs /mnt|tmpfs +/mnt\$
proc|--proc /mnt|proc +/mnt\$
dev|--dev /mnt|dev +/mnt\$
dir|--tmpfs /mnt --dir /mnt/y|dir +/mnt/y\$
symlink|--symlink /etc /x|symlink +/x +from /etc\$
overlay|--overlay $T/ov/l $T/ov/u $T/ov/w /mnt|overlay +/mnt +from $T/ov/l +upper $T/ov/u +work $T/ov/w
tmp-overlay|--tmp-overlay $T/ov/l /mnt|tmp-overlay +/mnt +from $T/ov/l\$
chdir|--chdir /etc|^working directory: /etc\$
cap-drop|--cap-drop ALL|^capabilities: none\$
cap-add|--cap-drop ALL --cap-add chown|^capabilities: cap_chown\$
no-new-privs|--no-new-privs|^no_new_privs: yes\$
seccomp|--seccomp none|^seccomp: none, but the ioctls TIOCSTI and TIOCLINUX are still refused
allow-setgroups|--map auto --allow-setgroups|^setgroups: allow, because --allow-setgroups
disable-userns|--disable-userns|^user namespaces inside: refused
keep-fd|--keep-fd 5|^file descriptors: 0, 1, 2, 5\$
setenv|--setenv K V|set K=V;
unsetenv|--unsetenv K|unset K;
clearenv|--clearenv|^environment: cleared;
rlimit|--rlimit core=0|^rlimits: core=0:0\$
timeout|--timeout 9|^timeout: 9 s\$
net|--net slirp4netns|^network: slirp4netns, a new network namespace, connected by slirp4netns\$
publish|--net slirp4netns -p 8080:80/udp|^  publish: 127.0.0.1:8080 -> port 80/udp inside\$
net-allow-host-loopback|--net slirp4netns --net-allow-host-loopback|^  the host's loopback: reachable
name|--name web|^name: web\$
profile|--profile build|^capabilities: none\$
isolation|--isolation landlock --profile build|^isolation: landlock, ABI [0-9]+\$
json-status-fd|--json-status-fd 5|^hook: --json-status-fd 5\$
info-fd|--info-fd 5|^hook: --info-fd 5\$
block-fd|--block-fd 5|^hook: --block-fd 5\$
sync-fd|--sync-fd 5|^hook: --sync-fd 5\$
lock-file|--lock-file /tmp/l|^hook: --lock-file /tmp/l
json|--json|\"namespaces\":
verbose|-v|^namespaces:
dry-run||^namespaces:"
covered=""
exec 5</dev/null
while IFS='|' read -r name args pattern; do
	# shellcheck disable=SC2086
	nb run --dry-run $args -- true
	if [ "$rc" = 0 ]; then like "$out" "$pattern" "--dry-run $args"; else is "$rc" 0 "--dry-run $args"; fi
	covered="$covered $name"
done <<EOF2
$cases
EOF2
missing=""
for o in $("$NESTBOX" run --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
	case " $covered help version " in *" ${o#--} "*) ;; *) missing="$missing $o" ;; esac
done
is "$missing" "" "every option of run --help has a dry-run case here"
exec 5<&-

if [ -x /usr/bin/newuidmap ] && [ -n "$NB_SUBUIDS" ] && [ -n "$NB_SUBGIDS" ]; then
	nb run --dry-run --map auto -- true
	like "$out" "newuidmap PID $(nb_auto_map uid helper)$" "--map auto: newuidmap's exact arguments"
	like "$out" "newgidmap PID $(nb_auto_map gid helper)$" "and newgidmap's"
	like "$out" "^  1 $NB_SUB1_START $NB_SUB1_COUNT$" "the command's map has the subordinate range"
	like "$out" "^setgroups: deny, because nestbox writes it before newgidmap" "setgroups is deny, with the reason"
else
	skip "newuidmap is not installed"
fi

json=$("$NESTBOX" run --dry-run --json --profile build -- make 2>&1)
rc=$?
is "$rc" 0 "--dry-run --json exits 0"
got=$(printf '%s' "$json" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(p["namespaces"]["net"], p["uid_map"]["command"][0], p["capabilities"],
      [m["kind"] for m in p["mounts"] if m["implicit"]][:3], p["argv"])')
is "$got" "new $NB_UID $NB_UID 1 none ['root', 'proc', 'tmpfs'] ['make']" "the JSON parses and says the same"
nb run --json -- true
is "$rc" 125 "--json without --dry-run gives 125"

# Nothing is created: no clone, fork or vfork, for a plan or a refusal.
if command -v strace >/dev/null; then
	for args in "--dry-run -- true" "--dry-run --map auto --profile build -- true" \
		"--bind $T/none /mnt -- true" "--chdir /no/such -- true" \
		"--as-pid-1 --share pid -- true" "--bind /etc /no/such/dst -- true" "--overlay $T/a:$T/b:$T/c:$T/d:$T/e:$T/f:$T/g:$T/h:$T/i $T/u $T/w /mnt -- true"; do
		# LeakSanitizer (the sanitizer build of CI) clones a tracer at exit: not ours.
		# shellcheck disable=SC2086
		trace=$(ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3,fork,vfork "$NESTBOX" run $args 2>&1 >/dev/null)
		r=$?
		case $args in --dry-run*) want=0 ;; *) want=125 ;; esac
		calls=$(printf '%s\n' "$trace" | grep -cE '^(\[pid +[0-9]+\] )?(clone|clone3|fork|vfork)\(')
		is "$r:$calls" "$want:0" "no process is created: run $args"
	done
	# The check works: a real run does clone.
	trace=$(strace -f -qq -e trace=clone,clone3 "$NESTBOX" run -- true 2>&1 >/dev/null)
	like "$trace" "clone" "control: a real run does clone, and strace sees it"
else
	skip "strace is missing (apt-get install strace)"
fi

# A running sandbox: the host process, init and the command, no zombie.
"$NESTBOX" run -- sleep 30 &
host=$!
for _i in $(seq 50); do
	init=$(pgrep -P "$host" | head -1)
	[ -n "$init" ] && pgrep -P "$init" >/dev/null && break
	sleep 0.1
done
kids=$(ps -o stat=,comm= --ppid "$host")
is "$(printf '%s\n' "$kids" | wc -l):$(printf '%s\n' "$kids" | grep -c '^Z')" "1:0" \
	"the host process has one child, init, and no zombie"
kill "$host"
wait "$host" 2>/dev/null
done_testing
