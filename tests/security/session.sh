#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The build profile shuts out the caller's desktop and login session: the
# sockets under $XDG_RUNTIME_DIR (here a real host listener), the variables
# that point at agents, buses and displays, and abstract unix sockets of the
# host's network namespace are out of reach, inside the build profile and
# under --root ro.  A build from $HOME, an ancestor of it, or / is refused,
# since the whole home would be writable.  Controls show that each socket
# really is reachable from outside.
. "$(dirname "$0")/../libtest.sh"

# Not under /tmp: --root ro replaces /tmp, which would hide the dir anyway.
R=$(mktemp -d /var/tmp/nestbox-run.XXXXXX) || exit 1
chmod 700 "$R"
trap 'kill "$listener" 2>/dev/null; rm -rf "$R"; nb_cleanup' EXIT
abstract="@nbtest-$$"
python3 -c '
import os, socket, sys
socks = []
for addr in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(addr.replace("@", "\0", 1) if addr[0] == "@" else addr)
    s.listen(64)
    socks.append(s)
open(sys.argv[1] + ".ready", "w").close()
import select
while True:
    for s in select.select(socks, [], [])[0]:
        s.accept()[0].close()
' "$R/bus" "$abstract" &
listener=$!
for _i in $(seq 50); do [ -e "$R/bus.ready" ] && break; sleep 0.1; done
rm -f "$R/bus.ready"
client='
import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(a.replace("@", "\0", 1) if a[0] == "@" else a)
    print("connected")
except OSError as e:
    print("refused errno=%d" % e.errno)
'
mkdir -p "$T/proj"
cd "$T/proj" || exit 1
export XDG_RUNTIME_DIR="$R"

is "$(python3 -c "$client" "$R/bus")" connected "control: the runtime-dir socket answers outside"
is "$(python3 -c "$client" "$abstract")" connected "control: the abstract socket answers outside"

for how in "--profile build" "--root ro --chdir /"; do
	# shellcheck disable=SC2086
	nb $how -- sh -c 'test -d "$XDG_RUNTIME_DIR" && echo exists; ls -A "$XDG_RUNTIME_DIR" 2>&1 | wc -l; python3 -c "$1" "$XDG_RUNTIME_DIR/bus"' sh "$client"
	is "$(printf '%s\n' "$out" | sed -n 1,2p | tr '\n' ' ')" "exists 0 " "$how: \$XDG_RUNTIME_DIR exists and is empty"
	like "$out" "^refused errno=[0-9]+$" "$how: connecting to the host's runtime-dir socket fails"
done

session_vars="DBUS_SESSION_BUS_ADDRESS SSH_AUTH_SOCK SSH_AGENT_PID GPG_AGENT_INFO TMUX TMUX_PANE DISPLAY WAYLAND_DISPLAY XAUTHORITY"
for how in "--profile build" "--root ro --chdir /"; do
	# shellcheck disable=SC2086
	out=$(env DBUS_SESSION_BUS_ADDRESS="unix:path=$R/bus" SSH_AUTH_SOCK="$R/bus" SSH_AGENT_PID=$$ \
		GPG_AGENT_INFO="$R/bus:0:1" TMUX="/tmp/tmux-1/default,1,0" TMUX_PANE=%0 DISPLAY=:0 \
		WAYLAND_DISPLAY=wayland-0 XAUTHORITY="$HOME/.Xauthority" NB_KEEP=1 "$NESTBOX" $how -- env 2>&1)
	rc=$?
	leaked=""
	for v in $session_vars; do
		printf '%s\n' "$out" | grep -q "^$v=" && leaked="$leaked $v"
	done
	is "$rc:$leaked" "0:" "$how: no session variable reaches the command"
	like "$out" "^NB_KEEP=1$" "$how: a harmless variable is kept"
done

for how in "" "--profile build"; do
	# shellcheck disable=SC2086
	nb $how -- python3 -c "$client" "$abstract"
	like "$out" "^refused errno=[0-9]+$" "${how:-default profile}: the host's abstract socket cannot be reached"
done

for d in "$HOME" "$(dirname "$HOME")" /; do
	out=$(cd "$d" && "$NESTBOX" --profile build -- true 2>&1)
	rc=$?
	is "$rc:$(printf '%s\n' "$out" | wc -l)" "125:1" "--profile build from $d is refused with 125 and one line"
	like "$out" "^nestbox: .*--bind" "and the line points to --bind"
done
done_testing
