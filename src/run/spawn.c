// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Spawning the command: the one home of the process that becomes it.  The
 * command starts in a user and mount namespace nested inside nestbox's
 * (lock.c) and waits; init writes its maps, reports its start, and lets it
 * go on to exec (exec.c).  With --as-pid-1, init itself moves into those
 * namespaces and becomes the command.
 */
#include "autoconf.h"

#include "run/spawn.h"
#include "core/idmap.h"
#include "core/plan.h"
#include "fs/sources.h"
#include "lib/cleanup.h"
#include "lib/explain.h"
#include "lib/util.h"
#include "run/exec.h"
#include "run/lock.h"
#include "run/nest.h"
#include "run/status.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

/* What the command applies before exec; static, as the command shares init's memory. */
static struct nb_exec_spec spec;

static void make_spec(const struct nb_setup *s)
{
	const struct nb_child *c = s->c;

	spec = (struct nb_exec_spec){
		.cfg = c->cfg,
		.ids = c->plan,
		.shell = c->host->shell,
		.cwd = c->launch->chdir,
		.mask = c->orig_mask,
		.sigchld_ignored = c->sigchld_ignored,
		/* --as-pid-1: the command is init, whose parent is the host. */
		.parent = c->cfg->ns.as_pid1 ? 0 : getpid(),
		.sync_fd = c->sync_fd,
		.keep_fds = c->launch->keep_fds,
		.n_keep_fds = c->launch->n_keep_fds,
		.progs = c->progs,
		.nouserns_filter = s->nouserns_filter,
	};
}

/* The command's end of the handshake with init, and its stack. */
static int go_rd = -1, go_wr = -1, started_rd = -1, started_wr = -1;
/* The command's stack, below which a guard page faults. */
static char *cmd_stack;
static size_t cmd_stack_size;

#ifdef __SANITIZE_ADDRESS__
/*
 * AddressSanitizer keeps one record of the thread's stack, which the
 * command shares with init as it shares all of init's memory.  The sanitizer
 * build runs this very path: once init has let the command go and waits for
 * its exec, the command tells ASan that it runs on its own stack (ASan's
 * fiber calls), and init takes its own back once the exec is done.
 */
static const void *init_stack;
static size_t init_stack_size;

static void onto_command_stack(void)
{
	void *fake = NULL;

	__sanitizer_start_switch_fiber(&fake, cmd_stack, cmd_stack_size);
	__sanitizer_finish_switch_fiber(fake, &init_stack, &init_stack_size);
}

static void back_to_init_stack(void)
{
	void *fake = NULL;

	if (!init_stack)
		return; /* the command never got that far */
	__sanitizer_start_switch_fiber(&fake, init_stack, init_stack_size);
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
	init_stack = NULL;
}
#else
static void onto_command_stack(void)
{
}

static void back_to_init_stack(void)
{
}
#endif

static int command_main(void *arg)
{
	char go;

	/* Only init's end may keep the pipe open: its death is then end of file. */
	close(go_wr);
	close(started_rd);
	if (TEMP_FAILURE_RETRY(read(go_rd, &go, 1)) != 1)
		_exit(NB_EXIT_FAILURE); /* init failed, and said why */
	close(go_rd);
	/* init waits for the exec from here on. */
	onto_command_stack();
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		struct nb_error e = { 0 };

		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "making the command non-dumpable");
		nb_sync_fail(spec.sync_fd, &e);
	}
	nb_exec(&spec);
}

/*
 * The command runs on init's memory from its clone to its exec, as vfork()
 * would, on a stack mapped for it with a guard page below: an overflow
 * faults instead of writing over init's data.  It stays mapped: a quarter
 * of a MiB of address space, touched only as far as the command's setup
 * went.  The sanitizer build takes this path too.
 */
static pid_t spawn(struct nb_child *c, int flags)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size = 256 * 1024;
	char *stack = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (stack == MAP_FAILED)
		return -1;
	if (mprotect(stack, page, PROT_NONE) < 0) {
		munmap(stack, size + page);
		return -1;
	}
	cmd_stack = stack + page;
	cmd_stack_size = size;
	return clone(command_main, stack + page + size, CLONE_VM | flags | SIGCHLD, c);
}

/* The command's namespaces, read while it waits for its maps to take effect. */
static void narrate_command_ns(const struct nb_setup *s, pid_t cmd)
{
	static const char *const names[] = { "user", "mnt", "uts", "ipc", "pid", "net", "cgroup" };

	if (!nb_narrating(1))
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[48];

		snprintf(path, sizeof(path), "%d/ns/%s", (int)cmd, names[i]);
		nb_narrate_ns(1, "init", s->procfd, path, "the command's");
	}
}

/*
 * The status fds: while init's memory is dumpable, the command's namespaces
 * can be looked at through proc, and init names them to the host.
 */
static int report_start(const struct nb_setup *s, pid_t cmd, struct nb_error *e)
{
	const struct nb_child *c = s->c;
	uint64_t ino[NB_STATUS_NS];
	char who[16];

	if (c->cfg->proc.info_fd < 0 && c->cfg->proc.json_status_fd < 0)
		return 0;
	snprintf(who, sizeof(who), "%d", (int)cmd);
	nb_status_collect(s->procfd, cmd == getpid() ? "self" : who, ino);
	if (nb_status_send(c->sync_fd, cmd,
			   (c->cfg->ns.unshare_flags & CLONE_NEWPID) ||
			       c->cfg->compat.join_pidns_fd >= 0,
			   ino) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reporting the command's start");
	return 0;
}

/*
 * Init holds the command's own mount namespace until init itself exits.
 * Otherwise the command's exit tears it down (an RCU grace period for its
 * unmounts) before init even hears of that exit; this way both go at init's
 * exit.  0.1 ms less per start here.  Best effort: without it, only slower.
 */
static void hold_command_mnt_ns(struct nb_setup *s, pid_t cmd)
{
	char path[32];

	if (!(nb_lock_flags(s->c->cfg) & CLONE_NEWNS))
		return;
	snprintf(path, sizeof(path), "%d/ns/mnt", (int)cmd);
	s->cmd_mnt_fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
}

/*
 * Starts the command in a user and mount namespace nested inside nestbox's
 * (lock.c), writes its maps, and returns once it has exec'd or failed: like
 * vfork(), the command shares init's memory until then, but init must run
 * meanwhile to write the maps.
 */
pid_t nb_spawn_command(struct nb_setup *s, struct nb_error *e)
{
	struct nb_child *c = s->c;
	int go[2], started[2];
	pid_t cmd;
	char buf;

	make_spec(s);
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(started, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the command's pipes");
	go_rd = go[0], go_wr = go[1], started_rd = started[0], started_wr = started[1];
	/*
	 * Dumpable only while the maps are written; nothing of the command runs
	 * yet, and the host's source fds, which init no longer needs, go first.
	 */
	nb_sources_close(c->src);
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the command's maps");
	cmd = spawn(c, nb_lock_flags(c->cfg));
	if (cmd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
	close(go_rd);
	close(started_wr);
	if (report_start(s, cmd, e) < 0 ||
	    (nb_lock_flags(c->cfg) && nb_lock_write_maps(s->procfd, cmd, c->plan, e) < 0)) {
		kill(cmd, SIGKILL);
		return nb_err(e);
	}
	hold_command_mnt_ns(s, cmd);
	/* Read while the command is still dumpable, and before any of it runs. */
	narrate_command_ns(s, cmd);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making the command non-dumpable");
		kill(cmd, SIGKILL);
		return nb_err(e);
	}
	if (c->cfg->ids.show_map) {
		nb_idmap_show_live(s->procfd, cmd, stderr);
		if (c->plan->uid_method == NB_MAP_SKIP)
			fputs("nestbox: both maps are empty: --map none wrote nothing, and only a "
			      "process outside the namespace may write them\n",
			      stderr);
	}
	if (c->plan->uid_method == NB_MAP_SKIP)
		nb_narrate(1, "init",
			   "--map none: the command stays in nestbox's user namespace; an unmapped "
			   "uid keeps no capability across exec, so it cannot change a mount, and "
			   "it cannot create files in the fresh /dev/shm, whose root is unmapped");
	else
		nb_narrate(
		    1, "init",
		    "the command runs in a nested user namespace, where every mount is locked");
	if (TEMP_FAILURE_RETRY(write(go_wr, "g", 1)) != 1) {
		kill(cmd, SIGKILL);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
	}
	close(go_wr);
	/* End of file: the command exec'd (close-on-exec) or died. */
	(void)TEMP_FAILURE_RETRY(read(started_rd, &buf, 1));
	close(started_rd);
	back_to_init_stack();
	return cmd;
}

/* --as-pid-1: init moves into the nested namespaces itself; a helper writes the maps. */
static int lock_self(struct nb_setup *s, struct nb_error *e)
{
	struct nb_child *c = s->c;
	int go[2], status;
	pid_t helper, self = getpid();
	char buf;

	if (!nb_lock_flags(c->cfg))
		return report_start(s, self, e);

	if (pipe2(go, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe");
	nb_sources_close(c->src);
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the nested maps");
	helper = nb_clone_fork(0, SIGCHLD);
	if (helper < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the map helper");
	if (helper == 0) {
		close(go[1]);
		if (TEMP_FAILURE_RETRY(read(go[0], &buf, 1)) != 1)
			_exit(NB_EXIT_FAILURE);
		if (nb_lock_write_maps(s->procfd, self, c->plan, e) < 0)
			nb_child_fail(c, e);
		if (c->cfg->ids.show_map)
			nb_idmap_show_live(s->procfd, self, stderr);
		_exit(0);
	}
	close(go[0]);
	if (unshare(nb_lock_flags(c->cfg)) < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the nested namespaces");
		close(go[1]);
		(void)TEMP_FAILURE_RETRY(waitpid(helper, NULL, 0));
		return nb_err(e);
	}
	if (TEMP_FAILURE_RETRY(write(go[1], "g", 1)) != 1)
		kill(helper, SIGKILL);
	close(go[1]);
	if (TEMP_FAILURE_RETRY(waitpid(helper, &status, 0)) != helper || status != 0)
		_exit(NB_EXIT_FAILURE); /* the helper said why */
	if (report_start(s, self, e) < 0)
		return nb_err(e);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making init non-dumpable");
	return 0;
}

_Noreturn void nb_spawn_as_pid1(struct nb_setup *s)
{
	struct nb_error e = { 0 };

	if (lock_self(s, &e) < 0)
		nb_child_fail(s->c, &e);
	nb_closep(&s->procfd);
	nb_narrate(1, "init", "exec'ing the command as PID 1 (--as-pid-1)");
	make_spec(s);
	nb_exec(&spec);
}
