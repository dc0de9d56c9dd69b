// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The usage texts, in util-linux's way: under 80 columns, <arg> required and
 * [arg] optional, --help and --version last.  tests/integration/docs.sh
 * checks that every option here is in the man page and the other way round.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "lib/util.h"

#include <stdio.h>

const char nb_usage_run[] =
    "Usage:\n"
    " nestbox [run] [options] [--] [command [arg...]]\n"
    "\n"
    "Run a command (by default your shell) in new user, UTS, PID, mount,\n"
    "network, IPC and cgroup namespaces: root inside, yourself outside.\n"
    "\n"
    "Namespaces:\n"
    "     --share <ns>[,<ns>...]   keep the host's mnt, net, ipc, uts, pid, cgroup\n"
    "     --unshare <ns>[,<ns>...] new namespaces only for these (and user)\n"
    "     --hostname <name>        hostname inside (default: nestbox)\n"
    "     --domainname <name>      NIS domain name inside\n"
    "     --as-pid-1               exec the command as PID 1, without an init\n"
    "\n"
    "Network:\n"
    "     --net <mode>             none (default: loopback only), host (the\n"
    "                              same as --share net), pasta, slirp4netns,\n"
    "                              or auto (pasta if installed, else slirp4netns)\n"
    " -p, --publish [hostaddr:]<hostport>:<port>[/tcp|/udp]\n"
    "                              forward a host port (on 127.0.0.1 and ::1\n"
    "                              unless hostaddr is given) to a port inside;\n"
    "                              repeatable\n"
    "     --net-allow-host-loopback  let the sandbox reach the host's 127.0.0.1\n"
    "\n"
    "ID mapping:\n"
    "     --map <mode>             root (default), user, auto or none\n"
    "     --uid-map <in:out:count> map uids, repeatable (replaces --map)\n"
    "     --gid-map <in:out:count> map gids, repeatable (replaces --map)\n"
    "     --uid <id>               run as this uid inside (must be mapped)\n"
    "     --gid <id>               run as this gid inside (must be mapped)\n"
    "     --allow-setgroups        with --map auto: allow setgroups() inside and\n"
    "                              drop your groups (see nestbox(1) first)\n"
    "     --show-map               print the maps and their meaning first\n"
    "\n"
    "Filesystem (applied in order, the later one wins):\n"
    "     --root <mode>            host (default), ro or empty\n"
    "     --bind <src> <dst>       bind src at dst, writable, recursively\n"
    "     --ro-bind <src> <dst>    bind src at dst, read-only, recursively\n"
    "     --bind-try <src> <dst>   --bind, skipped if src does not exist\n"
    "     --ro-bind-try <src> <dst>  --ro-bind, skipped if src does not exist\n"
    "     --rw <path>              the same as --bind <path> <path>\n"
    "     --size <bytes>           size of the next --tmpfs (k, m, g suffixes)\n"
    "     --tmpfs <dst>            mount a fresh tmpfs at dst\n"
    "     --proc <dst>             mount a fresh proc at dst\n"
    "     --dev <dst>              mount a minimal /dev at dst\n"
    "     --dir <dst>              create a directory\n"
    "     --symlink <target> <dst> create a symbolic link\n"
    "     --overlay <lower[:lower...]> <upper> <work> <dst>\n"
    "                              overlay; writes go to upper\n"
    "     --tmp-overlay <lower> <dst>  overlay whose writes vanish on exit\n"
    "     --chdir <dir>            working directory inside\n"
    "\n"
    "Security:\n"
    "     --cap-drop <cap|ALL>     drop a capability, repeatable\n"
    "     --cap-add <cap>          keep or grant a capability, repeatable\n"
    "     --no-new-privs           set no_new_privs (implied by --cap-drop)\n"
    "     --seccomp <policy>       default (see nestbox(1)) or none (TIOCSTI and\n"
    "                              TIOCLINUX are refused even then)\n"
    "     --disable-userns         the command cannot create user namespaces\n"
    "     --keep-fd <fd>           pass this inherited fd on, repeatable\n"
    "\n"
    "Environment and limits:\n"
    "     --setenv <key> <value>   set an environment variable\n"
    "     --unsetenv <key>         remove an environment variable\n"
    "     --clearenv               start from an empty environment\n"
    "     --rlimit <name>=<soft>[:<hard>]  set a resource limit (as, core,\n"
    "                              data, fsize, memlock, msgqueue, rss and stack\n"
    "                              take k, m, g suffixes)\n"
    "     --timeout <seconds>      kill the sandbox after this long (exit 124)\n"
    "\n"
    "For scripts, CI runners and schedulers:\n"
    "     --json-status-fd <fd>    a JSON object when the command starts and one\n"
    "                              when it ends (exit code, signal, timeout)\n"
    "     --info-fd <fd>           one JSON object when the command starts\n"
    "     --block-fd <fd>          the command starts once <fd> can be read\n"
    "     --sync-fd <fd>           held open while the sandbox runs\n"
    "     --lock-file <path>       hold a read lock on <path> while it runs\n"
    "\n"
    "     --name <name>            name the sandbox for ps and enter (default:\n"
    "                              the command's name and nestbox's pid)\n"
    "     --profile <name>         shell (default) or build, see below\n"
    "     --isolation <mode>       namespaces (default), landlock (no namespace:\n"
    "                              Landlock and seccomp, where user namespaces\n"
    "                              are refused), or auto (the build profile's:\n"
    "                              namespaces, else landlock with one line why)\n"
    "     --dry-run                print the whole plan; create nothing\n"
    "     --json                   with --dry-run: the plan as JSON\n"
    " -v, --verbose                narrate each step with the kernel's numbers;\n"
    "                              -vv adds the time of each step\n"
    " -h, --help                   display this help\n"
    " -V, --version                display version\n"
    "\n"
    "Profiles (defaults: explicit options win, wherever they stand):\n"
    " shell  new namespaces over the host tree; full capabilities inside\n"
    " build  --root ro --dev /dev --rw $PWD --chdir $PWD --cap-drop ALL\n"
    "        --no-new-privs --disable-userns --map user --isolation auto, new\n"
    "        net, ipc and pid namespaces, and $HOME hidden behind an empty\n"
    "        tmpfs (paths bound under it stay); refused in $HOME or above it\n"
    "\n"
    "--root ro and empty also hide the host session: its runtime directory\n"
    "and the variables that name its services (DISPLAY, SSH_AUTH_SOCK, ...).\n"
    "\n"
    "Exit status: the command's; 128+N if it died of signal N; 124 on\n"
    "--timeout; 125 if nestbox failed; 126 if the command cannot run;\n"
    "127 if it was not found.\n";

const char nb_usage_idmap[] = "Usage:\n"
			      " nestbox idmap [mapping options] [--json]\n"
			      "\n"
			      "Print the uid and gid mapping that 'nestbox run' would set up, "
			      "with\n"
			      "who each range is outside and where the ranges come from.\n"
			      "\n"
			      "Options:\n"
			      "     --map <mode>             root (default), user, auto or "
			      "none\n"
			      "     --uid-map <in:out:count> map uids, repeatable (replaces "
			      "--map)\n"
			      "     --gid-map <in:out:count> map gids, repeatable (replaces "
			      "--map)\n"
			      "     --uid <id>               the uid the command would run as\n"
			      "     --gid <id>               the gid the command would run as\n"
			      "     --json                   print JSON instead of a table\n"
			      " -h, --help                   display this help\n"
			      " -V, --version                display version\n";

const char nb_usage_doctor[] =
    "Usage:\n"
    " nestbox doctor [--json]\n"
    "\n"
    "Check what this machine offers a sandbox: kernel, namespace limits,\n"
    "subordinate ids, newuidmap, overlayfs, seccomp, networking, cgroups,\n"
    "and a real attempt at the namespaces a default sandbox creates.  Each\n"
    "line says what was found and, when something is wrong, the fix.\n"
    "\n"
    "Options:\n"
    "     --json                   print one JSON object instead\n"
    " -h, --help                   display this help\n"
    "\n"
    "Exit status: 0 if a default sandbox can run, 1 if it cannot, 125 on\n"
    "a bad option.\n";

const char nb_usage_compare[] =
    "Usage:\n"
    " nestbox compare [run options] [--json] [--] [command [arg...]]\n"
    "\n"
    "Start a sandbox as 'run' would and print one table: the host's view\n"
    "and the sandbox's, side by side, each read from the kernel.  Rows: each\n"
    "namespace's inode (same or new), the uid and gid inside and as the host\n"
    "sees them, the maps, the hostname, the command's pid inside and on the\n"
    "host, the processes visible, the mounts, the network interfaces and\n"
    "the capabilities.  Without a command, a shell waits until both views\n"
    "are read; a command runs to its end, and its status is compare's.\n"
    "\n"
    "Options: those of 'nestbox run --help', and\n"
    "     --json                   print one JSON object instead\n"
    " -h, --help                   display this help\n";

const char nb_usage_ps[] = "Usage:\n"
			   " nestbox ps [--json] [-q]\n"
			   "\n"
			   "List your running sandboxes: name, host pids of init and of the\n"
			   "command, the command, uptime, the namespaces with their inodes, and\n"
			   "the uid mapping.  Every value is read from the kernel.\n"
			   "\n"
			   "Options:\n"
			   "     --json                   print a JSON array instead of a table\n"
			   " -q, --quiet                  print only the names\n"
			   " -h, --help                   display this help\n";

const char nb_usage_enter[] =
    "Usage:\n"
    " nestbox enter [-v] <name|pid> [--] [command [arg...]]\n"
    "\n"
    "Run a command (by default your shell) inside a running sandbox: in\n"
    "all of its namespaces, its root and working directory, with the\n"
    "command's ids, capabilities, no_new_privs, seccomp policy and limits.\n"
    "\n"
    "Options:\n"
    " -v, --verbose                narrate each step\n"
    " -h, --help                   display this help\n"
    "\n"
    "Exit status: the command's, as for run; 125 if the sandbox is not a\n"
    "running nestbox sandbox of yours.\n";

/*
 * The top-level help, from the command table (cli.c): one synopsis and one
 * line per command, in the table's order.  Built once, into static storage.
 */
static const char *usage_top(void)
{
	static char text[2048];
	size_t n = 0;

	if (text[0])
		return text;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "Usage:\n");
	for (size_t i = 0; i < nb_n_subcommands; i++) {
		const struct nb_subcommand *c = &nb_subcommands[i];

		n += (size_t)snprintf(text + n, sizeof(text) - n, " nestbox %s%s%s %s\n",
				      i == 0 ? "[" : "", c->name, i == 0 ? "]" : "", c->synopsis);
	}
	n += (size_t)snprintf(text + n, sizeof(text) - n, " nestbox help [");
	for (size_t i = 0; i < nb_n_subcommands; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i ? "|" : "",
				      nb_subcommands[i].name);
	n += (size_t)snprintf(
	    text + n, sizeof(text) - n,
	    "]\n\n"
	    "A rootless sandbox: your command runs as root in new user, UTS, PID,\n"
	    "mount, network, IPC and cgroup namespaces, while it is only you outside.\n"
	    "\n"
	    "Commands:\n");
	for (size_t i = 0; i < nb_n_subcommands; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %-7s %s%s\n",
				      nb_subcommands[i].name, nb_subcommands[i].summary,
				      i == 0 ? " (the default)" : "");
	snprintf(text + n, sizeof(text) - n,
		 "\n"
		 "Run 'nestbox <command> --help' for a command's options; those of\n"
		 "'run', the default, follow.\n"
		 "\n"
		 " -h, --help     display this help\n"
		 " -V, --version  display version\n");
	return text;
}

const char *nb_cli_usage(const char *subcommand)
{
	const struct nb_subcommand *c = subcommand ? nb_subcommand_find(subcommand) : NULL;

	return c ? c->usage : usage_top();
}
