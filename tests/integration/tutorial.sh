#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# doc/tutorial.md cannot rot: every "$ command" in it is run, in order, and
# its output is compared with the lines the tutorial shows under it.
. "$(dirname "$0")/../libtest.sh"

tutorial=${NB_DOCS:-$NESTBOX_SRCDIR/doc}/tutorial.md
mkdir -p "$T/tut"
cd "$T/tut" || exit 1
# A state directory of its own: ps must see only the tutorial's sandboxes.
XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
PATH=$(dirname "$NESTBOX"):$PATH
export PATH
# The tutorial's alice has two ranges, of 65536 and of 100 ids, the same in
# /etc/subuid and /etc/subgid: the outputs shown count on those sizes.
# Where they start and on which lines they stand is the machine's: the
# check reads both from the files (nbtest's come after other users').
nb_need_ranges 2
if [ "$NB_SUB1_COUNT $NB_SUB2_COUNT" != "65536 100" ] || [ "$NB_SUBUIDS" != "$NB_SUBGIDS" ]; then
	nb_skip_all "the tutorial's outputs assume ranges of 65536 and 100 ids, the same for uids and gids (make check-setup gives nbtest those); $(id -un) has others"
fi

python3 - "$tutorial" "$(id -un)" "$NB_UID" "$NB_GID" "$NB_SUB1_START" "$NB_SUB2_START" <<'PY'
import re, subprocess, sys, time

path, user, uid, gid, s1, s2 = sys.argv[1:7]
s1, s2 = int(s1), int(s2)

def our_lines(f):
    # The line numbers of the user's two ranges, by name or by uid.
    with open(f) as fh:
        return [str(i) for i, l in enumerate(fh, 1) if l.split(":")[0] in (user, uid)][:2]
lines = {"uid": our_lines("/etc/subuid"), "gid": our_lines("/etc/subgid")}
# The tutorial's numbers of alice's ranges, and this machine's.
numbers = {100000: s1, 165535: s1 + 65535, 100999: s1 + 999, 300000: s2, 300099: s2 + 99}
steps = []  # (command, expected lines)
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("    $ "):
        steps.append((line[6:], []))
    elif line.startswith("    ") and steps and steps[-1][1] is not None:
        steps[-1][1].append(line[4:])
    elif steps:
        # Prose ends a block: later indented lines are not output.
        steps[-1] = (steps[-1][0], steps[-1][1])
        if line.strip():
            steps.append((None, None))
steps = [s for s in steps if s[0] is not None]

def subst(text):
    # The tutorial's alice, uid and gid 1000, is the test user here, with
    # her ranges where this machine has them.
    text = re.sub(r"\balice\b", user, text)
    text = re.sub(r"/etc/sub(uid|gid) line ([12]):",
                  lambda m: "/etc/sub%s line %s:" % (m.group(1), lines[m.group(1)][int(m.group(2)) - 1]), text)
    text = re.sub(r"(?<![\w.])(100000|165535|100999|300000|300099)(?![\w.])",
                  lambda m: str(numbers[int(m.group(1))]), text)
    return re.sub(r"(?<![\w/-])1000(?![\w-])", uid, text)

def norm(text):
    # Inodes differ every run, and a longer name shifts the columns.
    text = re.sub(r"\[[0-9]+\]", "[N]", text)
    return re.sub(r"\s+", " ", text).strip()

def line_match(pattern, line):
    rx = ".*".join(re.escape(p) for p in pattern.split("..."))
    return re.fullmatch(rx, line) is not None

def match(expected, got):
    # A line of "..." alone stands for any number of lines.
    if not expected:
        return not got
    if expected[0] == "...":
        return any(match(expected[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and line_match(expected[0], got[0]) and match(expected[1:], got[1:])

n = 0
failed = 0
background = []
for cmd, expected in steps:
    n += 1
    if cmd.endswith("&"):
        # exec: so that terminate() below reaches nestbox, not a shell.
        background.append(subprocess.Popen(["sh", "-c", "exec " + cmd[:-1]], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        # Until ps shows it: the next steps look at it.
        for _ in range(50):
            if subprocess.run(["nestbox", "ps", "-q"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.1)
        time.sleep(0.3)
        print(f"ok {n} - tutorial: $ {cmd}")
        continue
    want = [norm(subst(l)) for l in expected]
    for attempt in range(3):
        p = subprocess.run(["sh", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace")
        got = [norm(l) for l in p.stdout.splitlines()]
        if match(want, got):
            break
        time.sleep(0.3)
    if match(want, got):
        print(f"ok {n} - tutorial: $ {cmd}")
    else:
        failed += 1
        print(f"not ok {n} - tutorial: $ {cmd}")
        for l in want:
            print(f"#   wanted: {l}")
        for l in got:
            print(f"#   got:    {l}")
for b in background:
    b.terminate()
    b.wait()
n += 1
if len(steps) >= 25:
    print(f"ok {n} - the tutorial has {len(steps)} commands, and all were run")
else:
    failed += 1
    print(f"not ok {n} - the tutorial has only {len(steps)} commands: is the parser broken?")
print(f"1..{n}")
sys.exit(1 if failed else 0)
PY
