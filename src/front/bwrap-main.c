// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox-bwrap: bubblewrap's command line in front of nestbox's sandbox.
 * argv -> struct nb_config (bwrap-cli.c), then the same planner and
 * executor as nestbox; an error -> "bwrap: ..." and exit status 1, as
 * bubblewrap says it.
 */
#include "autoconf.h"

#include "front/bwrap-cli.h"
#include "front/host.h"
#include "core/idmap.h"
#include "core/plan.h"
#include "run/sandbox.h"
#include "lib/util.h"
#include "lib/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool level_prefix;

static void say(int level, const char *msg)
{
	char line[4 * 1200 + 1];

	nb_escape(msg, line, sizeof(line));
	if (level_prefix)
		fprintf(stderr, "<%d>", level);
	fprintf(stderr, "bwrap: %s\n", line);
}

/*
 * bubblewrap's words for the failures that its users and its test suite
 * read, from the kind of the error (util.h); the rest in nestbox's.
 */
static void reword(const struct nb_error *e, char *out, size_t size)
{
	const char *why = e->err ? strerror(e->err) : NULL;
	char first[sizeof(e->arg)];
	const char *second = strchr(e->arg, '\001');

	snprintf(first, sizeof(first), "%.*s", second ? (int)(second - e->arg) : (int)sizeof(first),
		 e->arg);
	switch (e->kind) {
	case NB_ERR_NO_SOURCE:
		snprintf(out, size, "Can't find source path %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_SYMLINK_EXISTS:
		if (second)
			snprintf(out, size, "Can't make symlink at %s: existing destination is %s",
				 first, second + 1);
		else
			snprintf(out, size, "Can't make symlink at %s: %s", first, why ? why : "");
		return;
	case NB_ERR_CHDIR:
		snprintf(out, size, "Can't chdir to %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_LOCK_OPEN:
		snprintf(out, size, "Can't open lock file %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_LOCK:
		snprintf(out, size, "Can't lock file %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_SECCOMP_READ:
		snprintf(out, size, "Can't read seccomp data: %s", why ? why : "");
		return;
	case NB_ERR_SECCOMP_SIZE:
		snprintf(out, size, "Invalid seccomp data, must be multiple of 8");
		return;
	case NB_ERR_CHMOD_FIND:
		snprintf(out, size, "Can't find %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_CHMOD:
		snprintf(out, size, "Can't chmod %s: %s", e->arg, why ? why : "");
		return;
	case NB_ERR_USERNS2:
		snprintf(out, size, "Setting userns2 failed: %s", why ? why : "");
		return;
	case NB_ERR_EXEC:
		snprintf(out, size, "execvp %s: %s", e->arg, strerror(e->err ? e->err : ENOENT));
		return;
	case NB_ERR_PLAIN:
	case NB_ERR_GATE:
		break;
	}
	snprintf(out, size, "%s", e->msg);
}

static int fail(const struct nb_error *e)
{
	char msg[1200];

	reword(e, msg, sizeof(msg));
	say(3, msg);
	return 1;
}

static char *read_fd(int fd, size_t *len)
{
	char *buf;

	/* bubblewrap sets no limit on --args: nor does this, short of memory. */
	return nb_read_all_fd(fd, SIZE_MAX / 4, &buf, len) < 0 ? NULL : buf;
}

/* The fds the caller passes on: open and not close-on-exec. */
static size_t inherited_fds(int *fds, size_t max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *ent;
	size_t n = 0;

	if (!d)
		return 0;
	while ((ent = readdir(d)) && n < max) {
		int fd = atoi(ent->d_name), flags;

		if (fd < 3 || fd == dirfd(d))
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			fds[n++] = fd;
	}
	closedir(d);
	return n;
}

static const char usage[] =
    "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n"
    "\n"
    "  --help                       show this help\n"
    "  --version                    show the version\n"
    "  --args FD                    read more NUL-separated options from FD\n"
    "  --argv0 VALUE                the command's argv[0]\n"
    "  --level-prefix               start messages with a syslog level\n"
    "  --unshare-all                new ipc, pid, net, uts, cgroup namespaces\n"
    "  --share-net                  keep the network after --unshare-all\n"
    "  --unshare-user               a user namespace (always made)\n"
    "  --unshare-user-try           the same\n"
    "  --unshare-ipc                a new IPC namespace\n"
    "  --unshare-pid                a new PID namespace\n"
    "  --unshare-net                a new network namespace with only lo\n"
    "  --unshare-uts                a new UTS namespace\n"
    "  --unshare-cgroup             a new cgroup namespace\n"
    "  --unshare-cgroup-try         the same\n"
    "  --userns FD                  join user namespace FD\n"
    "  --userns2 FD                 switch to user namespace FD\n"
    "  --disable-userns             no user namespaces for the command\n"
    "  --assert-userns-disabled     fail if user namespaces work here\n"
    "  --pidns FD                   join PID namespace FD\n"
    "  --uid UID                    the uid inside\n"
    "  --gid GID                    the gid inside\n"
    "  --hostname NAME              the hostname (with --unshare-uts)\n"
    "  --chdir DIR                  the working directory inside\n"
    "  --clearenv                   an empty environment (PWD stays)\n"
    "  --setenv VAR VALUE           set a variable\n"
    "  --unsetenv VAR               remove a variable\n"
    "  --lock-file DEST             hold a lock on DEST while running\n"
    "  --sync-fd FD                 FD stays open while running\n"
    "  --bind SRC DEST              bind the host's SRC on DEST\n"
    "  --bind-try SRC DEST          --bind, skipped if SRC is missing\n"
    "  --dev-bind SRC DEST          --bind, devices usable\n"
    "  --dev-bind-try SRC DEST      --dev-bind, skipped if SRC is missing\n"
    "  --ro-bind SRC DEST           bind SRC read-only on DEST\n"
    "  --ro-bind-try SRC DEST       --ro-bind, skipped if SRC is missing\n"
    "  --bind-fd FD DEST            bind the directory open as FD\n"
    "  --ro-bind-fd FD DEST         the same, read-only\n"
    "  --remount-ro DEST            make DEST read-only\n"
    "  --overlay-src SRC            a lower layer for the next overlay\n"
    "  --overlay RWSRC WORKDIR DEST overlay writing to RWSRC\n"
    "  --tmp-overlay DEST           overlay writing to a hidden tmpfs\n"
    "  --ro-overlay DEST            read-only overlay on DEST\n"
    "  --exec-label LABEL           SELinux exec label\n"
    "  --file-label LABEL           SELinux file label\n"
    "  --proc DEST                  a new proc on DEST\n"
    "  --dev DEST                   a minimal /dev on DEST\n"
    "  --tmpfs DEST                 a new tmpfs on DEST\n"
    "  --mqueue DEST                a new mqueue on DEST\n"
    "  --dir DEST                   make the directory DEST\n"
    "  --file FD DEST               copy FD's data into the file DEST\n"
    "  --bind-data FD DEST          bind a file of FD's data on DEST\n"
    "  --ro-bind-data FD DEST       the same, read-only\n"
    "  --symlink SRC DEST           make the link DEST to SRC\n"
    "  --chmod OCTAL PATH           change the mode of PATH\n"
    "  --seccomp FD                 install the BPF program from FD\n"
    "  --add-seccomp-fd FD          add one more BPF program\n"
    "  --block-fd FD                wait for FD before the command\n"
    "  --userns-block-fd FD         wait for FD before the id maps\n"
    "  --info-fd FD                 write JSON about the sandbox\n"
    "  --json-status-fd FD          write JSON start and exit status\n"
    "  --new-session                a session of its own (setsid)\n"
    "  --die-with-parent            end when the caller's parent dies\n"
    "  --as-pid-1                   the command is PID 1, no init\n"
    "  --cap-add CAP                give the command CAP (or ALL)\n"
    "  --cap-drop CAP               take CAP (or ALL) away again\n"
    "  --perms OCTAL                mode of the next file operation\n"
    "  --size BYTES                 size of the next --tmpfs\n"
    "  --nestbox-seccomp            nestbox's seccomp policy (no TIOCSTI)\n";

static int run(struct nb_config *cfg, struct nb_host *host)
{
	struct nb_idplan ids = { 0 };
	struct nb_error e = { 0 };
	struct nb_plan plan;
	int r;

	if (nb_idplan_load(cfg, host, &ids, &e) < 0 ||
	    nb_plan_build(cfg, host, &ids, &plan, &e) < 0) {
		nb_idplan_free(&ids);
		return fail(&e);
	}
	r = nb_sandbox_run(&plan, &e);
	if (r < 0)
		r = fail(&e);
	else if (r & NB_EXIT_SIGNALLED)
		r = 128 + (r & 0xff);
	nb_plan_free(&plan);
	nb_idplan_free(&ids);
	return r;
}

int main(int argc, char **argv)
{
	struct nb_config cfg;
	struct nb_bwrap_cli cli;
	struct nb_error e = { 0 };
	char cwd[PATH_MAX];
	struct nb_host host;
	int fds[256];
	size_t n_fds;
	int r;

	nb_host_ensure_std_fds();
	/* As bubblewrap: no arguments at all is the usage, on stderr, and 1. */
	if (argc < 2) {
		fputs("bwrap: No command specified\n", stderr);
		fprintf(stderr, usage, argv[0]);
		return 1;
	}
	nb_host_gather(&host, cwd, sizeof(cwd));
	n_fds = inherited_fds(fds, sizeof(fds) / sizeof(fds[0]));
	nb_config_init(&cfg);
	if (nb_bwrap_parse(argc, argv, &host, read_fd, fds, n_fds, &cfg, &cli, &e) < 0) {
		level_prefix = cli.level_prefix;
		r = fail(&e);
		goto out;
	}
	level_prefix = cli.level_prefix;
	if (cli.help) {
		printf(usage, argv[0]);
		r = fflush(stdout) == 0 ? 0 : 1;
		goto out;
	}
	if (cli.version) {
		printf("bubblewrap 0.11.1 (nestbox-bwrap %s)\n", PACKAGE_VERSION);
		r = fflush(stdout) == 0 ? 0 : 1;
		goto out;
	}
	for (size_t i = 0; i < cli.n_warnings; i++)
		say(4, cli.warnings[i]);
	r = run(&cfg, &host);
out:
	nb_bwrap_cli_free(&cli);
	nb_config_free(&cfg);
	return r;
}
