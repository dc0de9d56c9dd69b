# SPDX-License-Identifier: GPL-2.0-or-later
"""Times sandbox start-ups with one hyperfine run and measures peak memory."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

nestbox = os.path.abspath(sys.argv[1])
runs = os.environ.get("RUNS", "300")
commands = [
    ("true", ["/bin/true"]),
    ("nestbox", [nestbox, "run", "--", "/bin/true"]),
    ("unshare -Urpfmuin", ["unshare", "-Urpfmuin", "--mount-proc", "/bin/true"]),
    ("bwrap --unshare-all", ["bwrap", "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc",
                             "--dev", "/dev", "/bin/true"]),
    ("nestbox --profile build", [nestbox, "--profile", "build", "--", "/bin/true"]),
    ("nestbox --map auto", [nestbox, "--map", "auto", "--", "/bin/true"]),
]
# A network helper, where installed: its start and stop are on this path.
for helper in ("pasta", "slirp4netns"):
    if shutil.which(helper):
        commands.append((f"nestbox --net {helper}",
                         [nestbox, "--net", helper, "--", "/bin/true"]))

def tree(pid):
    """pid and all its descendants."""
    out = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            kids = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        for k in kids:
            out += tree(int(k))
    return out


def rss_kib(pid):
    # statm, not smaps: nestbox's processes are not dumpable, and statm is
    # readable all the same.  Resident pages, shared ones included.
    return int(open(f"/proc/{pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def overhead_kib(argv):
    """Memory the sandbox's own processes hold while the command runs:
    the resident set of every process but the command itself."""
    argv = [a if a != "/bin/true" else "/bin/sleep" for a in argv] + ["2"]
    if argv[0] == "/bin/sleep":
        return 0
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        procs = tree(p.pid)
        return sum(rss_kib(q) for q in procs
                   if not open(f"/proc/{q}/cmdline").read().startswith("/bin/sleep"))
    finally:
        p.kill()
        p.wait()


with tempfile.NamedTemporaryFile(suffix=".json") as js:
    args = ["hyperfine", "-N", "--warmup", "30", "--runs", runs, "--export-json", js.name]
    for name, argv in commands:
        args += ["-n", name, " ".join(argv)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    results = {r["command"]: r for r in json.load(open(js.name))["results"]}

base = results["nestbox"]["mean"]
mems = {name: overhead_kib(argv) for name, argv in commands}
base_mem = mems["nestbox"]
print(f"{'command':24} {'mean ms':>8} {'stddev':>7} {'time/nestbox':>13}"
      f" {'held KiB':>9} {'mem/nestbox':>12}")
for name, argv in commands:
    r = results[name]
    mem = mems[name]
    print(f"{name:24} {r['mean'] * 1e3:8.2f} {r['stddev'] * 1e3:7.2f} {r['mean'] / base:12.2f}x"
          f" {mem:9d} {mem / base_mem:11.2f}x")
print("held KiB: resident memory of the tool's own processes while the command runs")
