#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real programs that exec bwrap, taken unchanged from Debian, run once with
# Debian's bubblewrap and once with nestbox-bwrap, as an ordinary user: the
# outcome must be the same.
#  - ansible-runner 2.3 --process-isolation, a local playbook.  Both need
#    --symlink usr/lib /lib on merged-/usr Debian (ansible-runner's own bug),
#    which a small wrapper adds in front of either bwrap.
#  - BuildStream 1.6: bst build and bst checkout of a manual element over a
#    base of busybox, offline; bst finds bwrap on PATH, where a wrapper that
#    notes each call stands first.
#  - flatpak 1.14 (FLATPAK_BWRAP): a runtime and an app made here from
#    host files, run with its exit status, with --unshare=network, and
#    entered while it runs, under a private D-Bus session and system bus.
. "$(dirname "$0")/../libtest.sh"

BWRAP=${NESTBOX_BWRAP:-$(dirname "$NESTBOX")/nestbox-bwrap}
cd "$T" || exit 1
# bwrap_of debian|nestbox: the bwrap that each round runs.
bwrap_of() { if [ "$1" = debian ]; then command -v bwrap; else echo "$BWRAP"; fi; }

if ! command -v bwrap >/dev/null; then
	skip "needs Debian's bubblewrap, to compare with"
	done_testing
	exit
fi

# ansible-runner.
if ! command -v ansible-runner >/dev/null; then
	skip "needs ansible-runner (python3-ansible-runner)"
else
	mkdir -p "$T/ar/project"
	cat >"$T/ar/project/site.yml" <<'EOF'
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - command: echo hello-from-ansible
      register: out
    - debug: var=out.stdout
    - file: path={{ playbook_dir }}/../made-by-ansible state=touch
EOF
	for which in debian nestbox; do
		b=$(bwrap_of "$which")
		printf '#!/bin/sh\nexec "%s" --symlink usr/lib /lib "$@"\n' "$b" >"$T/bw-$which"
		chmod 755 "$T/bw-$which"
		rm -rf "$T/ar/artifacts" "$T/ar/made-by-ansible"
		out=$(timeout 300 ansible-runner run "$T/ar" -p site.yml --process-isolation \
			--process-isolation-executable "$T/bw-$which" 2>&1)
		rc=$?
		status=$(cat "$T"/ar/artifacts/*/status 2>/dev/null)
		is "$rc:$status" "0:successful" "ansible-runner --process-isolation with $which's bwrap: successful"
		like "$out" "hello-from-ansible" "and the task's output came through ($which)"
		eval "result_$which=\"\$rc:\$status:\$(printf '%s\\n' \"\$out\" | grep -c 'ok=3')\""
	done
	is "$result_nestbox" "$result_debian" "nestbox-bwrap's outcome is Debian bubblewrap's"
fi

# BuildStream.  Its sandbox binds the build and install directories under
# / and then remounts / read-only, not recursively: the binds stay writable.
if ! command -v bst >/dev/null || ! [ -x /bin/busybox ]; then
	skip "needs BuildStream (buildstream) and a static busybox (busybox-static)"
else
	P=$T/bst/proj
	mkdir -p "$P/elements" "$P/files/base/bin" "$P/files/hello"
	cp /bin/busybox "$P/files/base/bin/"
	for t in sh cat echo mkdir; do ln -s busybox "$P/files/base/bin/$t"; done
	echo "hello from bst" >"$P/files/hello/hello.txt"
	printf 'name: hello\nelement-path: elements\n' >"$P/project.conf"
	printf 'kind: import\nsources:\n- kind: local\n  path: files/base\n' >"$P/elements/base.bst"
	cat >"$P/elements/hello.bst" <<'EOF'
kind: manual
depends:
- filename: base.bst
  type: build
sources:
- kind: local
  path: files/hello
config:
  install-commands:
  - mkdir -p %{install-root}/share
  - cat hello.txt > %{install-root}/share/hello.txt
  - echo built-in-the-sandbox >> %{install-root}/share/hello.txt
EOF
	for which in debian nestbox; do
		b=$(bwrap_of "$which")
		mkdir -p "$T/bst/bin-$which"
		printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$T/bst/calls-$which" "$b" >"$T/bst/bin-$which/bwrap"
		chmod 755 "$T/bst/bin-$which/bwrap"
		out=$(cd "$P" && PATH="$T/bst/bin-$which:$PATH" HOME="$T/bst/home-$which" \
			XDG_CACHE_HOME="$T/bst/cache-$which" XDG_CONFIG_HOME="$T/bst/config-$which" \
			timeout 300 bst --no-interactive build hello.bst 2>&1 &&
			PATH="$T/bst/bin-$which:$PATH" HOME="$T/bst/home-$which" \
				XDG_CACHE_HOME="$T/bst/cache-$which" XDG_CONFIG_HOME="$T/bst/config-$which" \
				timeout 120 bst --no-interactive checkout hello.bst "$T/bst/out-$which" 2>&1)
		rc=$?
		got=$(cat "$T/bst/out-$which/share/hello.txt" 2>&1 | tr '\n' ' ')
		is "$rc:$got" "0:hello from bst built-in-the-sandbox " "bst build and checkout with $which's bwrap"
		[ "$rc" = 0 ] || printf '%s\n' "$out" | grep -E "FAILURE|rror" | head -5 | sed 's/^/# /'
		like "$(cat "$T/bst/calls-$which" 2>/dev/null)" "--remount-ro /" "bst ran the build through $which's bwrap, with --remount-ro /"
		eval "bst_$which=\"\$rc:\$got\""
	done
	is "$bst_nestbox" "$bst_debian" "BuildStream: nestbox-bwrap's outcome is Debian bubblewrap's"
	# bst's cache holds read-only files: make them removable.
	chmod -R u+w "$T/bst" 2>/dev/null
fi

# flatpak.  A runtime of busybox and an app whose command prints a line
# and exits with its argument, from a local repository; a private D-Bus
# session and system bus, whose activated helpers end with them.
if ! command -v flatpak >/dev/null || ! command -v dbus-daemon >/dev/null || ! [ -x /bin/busybox ]; then
	skip "needs flatpak, dbus-daemon (dbus) and a static busybox (busybox-static)"
else
	F=$T/fp
	mkdir -p "$F/home" "$F/run" "$F/rt/usr/bin" "$F/rt/files"
	chmod 700 "$F/run"
	fp_env() {
		HOME="$F/home" XDG_DATA_HOME="$F/data" XDG_CONFIG_HOME="$F/config" XDG_CACHE_HOME="$F/cache" \
			XDG_RUNTIME_DIR="$F/run" DBUS_SESSION_BUS_ADDRESS="unix:path=$F/session" \
			DBUS_SYSTEM_BUS_ADDRESS="unix:path=$F/system" "$@"
	}
	for bus in session system; do
		dbus-daemon --session --fork --print-pid=3 --address="unix:path=$F/$bus" 3>"$F/$bus.pid"
	done
	# However the script ends, the buses end with it.
	trap 'for bus in session system; do kill "$(cat "$F/$bus.pid")" 2>/dev/null; done; nb_cleanup' EXIT
	cp /bin/busybox "$F/rt/usr/bin/"
	for t in sh cat echo mkdir chmod printf sleep; do ln -s busybox "$F/rt/usr/bin/$t"; done
	printf '[Runtime]\nname=org.nestbox.Platform\nruntime=org.nestbox.Platform/x86_64/1\nsdk=org.nestbox.Platform/x86_64/1\n' >"$F/rt/metadata"
	fp_env flatpak build-export --runtime "$F/repo" "$F/rt" 1 >"$F/setup.log" 2>&1 &&
		fp_env flatpak --user remote-add --no-gpg-verify local "$F/repo" >>"$F/setup.log" 2>&1 &&
		fp_env flatpak --user install -y --noninteractive local org.nestbox.Platform//1 >>"$F/setup.log" 2>&1
	is "$?" 0 "flatpak: the handmade runtime is exported and installed"
	for which in debian nestbox; do
		b=$(bwrap_of "$which")
		# flatpak build: the app's files are made in the sandbox, under /app.
		fp_env flatpak build-init "$F/app-$which" org.nestbox.Hello org.nestbox.Platform org.nestbox.Platform 1 >>"$F/setup.log" 2>&1
		FLATPAK_BWRAP=$b fp_env flatpak build "$F/app-$which" sh -c \
			'mkdir -p /app/bin && printf "#!/bin/sh\necho hello-from-flatpak\nexit \${1:-0}\n" >/app/bin/hello && chmod 755 /app/bin/hello' >"$F/build-$which.log" 2>&1
		rc=$?
		is "$rc:$(head -2 "$F/app-$which/files/bin/hello" 2>&1 | tail -1)" "0:echo hello-from-flatpak" "flatpak build with $which's bwrap makes the app's files"
		fp_build=$rc
		if [ "$which" = debian ]; then
			fp_env flatpak build-finish "$F/app-$which" --command=hello >>"$F/setup.log" 2>&1 &&
				fp_env flatpak build-export "$F/repo" "$F/app-$which" >>"$F/setup.log" 2>&1 &&
				fp_env flatpak --user install -y --noninteractive local org.nestbox.Hello >>"$F/setup.log" 2>&1 ||
				sed 's/^/# /' "$F/setup.log"
		fi
		out=$(FLATPAK_BWRAP=$b fp_env flatpak run org.nestbox.Hello 7 2>&1)
		rc=$?
		is "$rc:$out" "7:hello-from-flatpak" "flatpak run with $which's bwrap: the app's output and exit status 7"
		fp_run="$rc:$out"
		out=$(FLATPAK_BWRAP=$b fp_env flatpak run --unshare=network --command=sh org.nestbox.Hello -c 'cat /proc/net/dev' 2>&1)
		rc=$?
		devs=$(printf '%s\n' "$out" | awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' | tr '\n' ' ')
		is "$rc:$devs" "0:lo " "flatpak run --unshare=network with $which's bwrap: only lo"
		# flatpak enter: into a running instance, through the user
		# namespace that the sandbox's /run/.userns holds.
		# $! is flatpak run, the pid that flatpak ps shows.
		long="sleep 60.$$"
		(
			export FLATPAK_BWRAP="$b"
			exec env HOME="$F/home" XDG_DATA_HOME="$F/data" XDG_CONFIG_HOME="$F/config" \
				XDG_CACHE_HOME="$F/cache" XDG_RUNTIME_DIR="$F/run" \
				DBUS_SESSION_BUS_ADDRESS="unix:path=$F/session" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$F/system" \
				flatpak run --command=sleep org.nestbox.Hello 60.$$
		) >/dev/null 2>&1 &
		fp_pid=$!
		inst=""
		for _i in $(seq 100); do
			inst=$(fp_env flatpak ps --columns=instance,pid 2>/dev/null | awk -v p="$fp_pid" '$2 == p { print $1 }')
			[ -n "$inst" ] && fp_env sh -c '[ -s "$XDG_RUNTIME_DIR/.flatpak/$1/bwrapinfo.json" ]' sh "$inst" && break
			sleep 0.1
		done
		out=$(fp_env flatpak enter "$inst" sh -c 'echo entered; cat /proc/1/cmdline | tr "\0" " "' 2>&1)
		rc=$?
		like "$rc:$out" "^0:entered" "flatpak enter into an instance made by $which's bwrap"
		like "$out" " -- $long $" "and it sees the instance's own processes"
		fp_enter=$(printf '%s\n' "$rc:$out" | head -1)
		# As a user ends one: flatpak kill, which kills the instance's bwrap.
		fp_env flatpak kill "$inst" >/dev/null 2>&1 || kill "$fp_pid" 2>/dev/null
		wait "$fp_pid" 2>/dev/null
		gone "$long" && gone "bwrap --args [0-9]+ -- xdg-dbus-proxy"
		r=$?
		[ "$r" = 0 ] || pgrep -a -u "$NB_UID" -f "$long|xdg-dbus-proxy" | sed "s/^/# left: /"
		ok $r "flatpak: ending the instance made by $which's bwrap ends its processes and its D-Bus proxy"
		eval "fp_$which=\"\$fp_build|\$fp_run|\$devs|\$fp_enter\""
	done
	is "$fp_nestbox" "$fp_debian" "flatpak: nestbox-bwrap's outcome is Debian bubblewrap's"
	for bus in session system; do kill "$(cat "$F/$bus.pid")" 2>/dev/null; done
	# The helpers the session bus started (flatpak-session-helper, the
	# accessibility bus) leave once their bus is gone.
	gone "$F/run/at-spi" && gone "libexec/flatpak-session-helper"
	ok $? "flatpak: nothing of the test's buses is left running"
	chmod -R u+w "$F" 2>/dev/null
fi

done_testing
