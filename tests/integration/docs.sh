#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One vocabulary: every option that --help lists is in the man page, every
# option the man page lists is accepted, and the README's commands exist.
. "$(dirname "$0")/../libtest.sh"

docs=${NB_DOCS:-$NESTBOX_SRCDIR/doc}
man="$docs/nestbox.1"
readme="$docs/README"
[ -f "$readme" ] || readme="$NESTBOX_SRCDIR/README"

usage=$("$NESTBOX" --help && "$NESTBOX" run --help && "$NESTBOX" idmap --help)
usage_rc=$?
help_opts=$( ("$NESTBOX" run --help; "$NESTBOX" idmap --help; "$NESTBOX" ps --help; "$NESTBOX" enter --help) | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
man_opts=$(grep -oE -- '\\-\\-[a-z][a-z0-9\\-]+' "$man" | sed 's/\\//g' | grep -v -- '--$' | sort -u)
# Empty lists would make every comparison below pass.
is "$usage_rc:$(printf '%s\n' "$help_opts" | wc -l | awk '$1 >= 20 { print "many" }')" "0:many" \
	"the three usages print (exit 0) and list at least 20 options"
is "$(printf '%s\n' "$man_opts" | wc -l | awk '$1 >= 20 { print "many" }')" many "the man page lists at least 20 options"

missing=""
for o in $help_opts; do
	printf '%s\n' "$man_opts" | grep -qx -- "$o" || missing="$missing $o"
done
is "$usage_rc:$missing" "0:" "every option in --help is in the man page"

unknown=""
for o in $man_opts; do
	printf '%s\n' "$help_opts" | grep -qx -- "$o" || unknown="$unknown $o"
done
is "$unknown" "" "every option in the man page is in --help"

for sub in run ps; do
	for o in $("$NESTBOX" $sub --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		case $o in --help | --version | --json) continue ;; esac
		out=$("$NESTBOX" $sub "$o" </dev/null 2>&1)
		case $out in *"unknown option"*) unknown="$unknown $sub:$o" ;; esac
	done
done
is "$unknown" "" "every documented run and ps option is accepted by the parser"

# Options in nestbox command lines only: the README quotes other tools too.
# What follows a bare -- is the command's, not nestbox's.
readme_opts=$(grep -oE 'nestbox( +[^ `|;&()]+)*' "$readme" | sed 's/ -- .*//' | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
bad=""
for o in $readme_opts; do
	printf '%s\n' "$help_opts" | grep -qx -- "$o" || bad="$bad $o"
done
is "$bad" "" "every option the README uses exists"
test "$(printf '%s\n' "$readme_opts" | wc -l)" -ge 8
ok $? "the README shows at least eight nestbox options"

"$NESTBOX" help run | grep -q -- '--profile'
ok $? "'nestbox help run' prints the run usage"
"$NESTBOX" --help | grep -q '^ idmap'
ok $? "'nestbox --help' lists the commands"
[ "$usage_rc" = 0 ] && [ "$(printf '%s\n' "$usage" | wc -l)" -gt 20 ] &&
	printf '%s\n' "$usage" | awk '{ if (length($0) > 79) bad = 1 } END { exit bad }'
ok $? "usage lines fit in 80 columns"

# The quick start runs as written: the sandbox command of its first line, and
# the output it promises (with this user's uid for 1001).
line=$(grep -m1 'su - nbtest -c "nestbox run -- ' "$readme")
inner=${line#*su - nbtest -c \"nestbox }
inner=${inner%\"}
want=$(sed -n '/^The sandbox prints, where nbtest is uid 1001/,/^Root inside/p' "$readme" |
	sed -n 's/^  //p' | sed "s/ 1001 / $NB_UID /")
got=$(eval "\"\$NESTBOX\" $inner" 2>&1 | sed 's/^ *//; s/  */ /g')
want=$(printf '%s\n' "$want" | sed 's/^ *//; s/  */ /g')
is "$got" "$want" "the README's quick start: $inner"
# One command table (src/front/cli.c): the commands --help lists are those
# of the man page's COMMANDS section and of the bash completion, in any order.
help_cmds=$("$NESTBOX" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | sort | tr '\n' ' ')
man_cmds=$(sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$docs/nestbox.1" | awk 'prev == ".TP" && $1 == ".B" { print $2 } { prev = $1 }' | grep -vx help | sort | tr '\n' ' ')
# As root, the tests run as a test user, who reads a staged copy (libtest.sh).
comp=${NB_DOCS:-$NESTBOX_SRCDIR/completion}/nestbox
comp_cmds=$(sed -n 's/.*compgen -W "\(run [^"$]*\)" -- "$cur".*/\1/p' "$comp" | head -1 | tr ' ' '\n' | grep -vx help | sort | tr '\n' ' ')
is "$man_cmds" "$help_cmds" "the man page's COMMANDS are the commands of --help"
is "$comp_cmds" "$help_cmds" "and so are the completion's"
like "$help_cmds" "^compare doctor enter idmap ps run $" "--help lists every command"
done_testing
