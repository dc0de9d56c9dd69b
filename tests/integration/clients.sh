#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real programs that exec bwrap, taken unchanged from Debian, run once with
# Debian's bubblewrap and once with nestbox-bwrap, as an ordinary user: the
# outcome must be the same.
#  - ansible-runner 2.3 --process-isolation, a local playbook.  Both need
#    --symlink usr/lib /lib on merged-/usr Debian (ansible-runner's own bug),
#    which a small wrapper adds in front of either bwrap.
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

done_testing
