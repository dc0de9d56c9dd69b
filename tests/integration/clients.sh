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

if ! command -v ansible-runner >/dev/null || ! command -v bwrap >/dev/null; then
	skip "needs ansible-runner (python3-ansible-runner) and Debian's bubblewrap"
	done_testing
	exit
fi
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
	case $which in
	debian) b=$(command -v bwrap) ;;
	nestbox) b=$BWRAP ;;
	esac
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
		case $which in
		debian) b=$(command -v bwrap) ;;
		nestbox) b=$BWRAP ;;
		esac
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

done_testing
