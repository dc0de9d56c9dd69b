// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PID 1.  A process that is PID 1 of a namespace gets no signal it has no
 * handler for, so a command run as PID 1 ignores SIGTERM and Ctrl-C.  This
 * init runs the setup steps (steps.c), has the command spawned (spawn.c),
 * then only forwards signals to it, reaps every orphan that is reparented
 * to it, and exits with the command's status, which makes the kernel kill
 * whatever is left in the namespace.
 */
#include "autoconf.h"

#include "run/init.h"
#include "run/reap.h"
#include "run/spawn.h"
#include "run/steps.h"
#include "run/caps.h"
#include "lib/explain.h"
#include "run/lock.h"
#include "lib/util.h"
#include "lib/io.h"

#include <linux/capability.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <poll.h>
#include <fcntl.h>
#include <time.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * What the setup steps, the spawn and init share; static, so that the
 * command, which shares init's memory until it execs, never touches init's
 * stack.
 */
static struct nb_setup setup = { .procfd = -1, .cmd_mnt_fd = -1 };

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every fd from 3 up, except those of @keep (sorted here; -1 is none). */
static void close_all_but(int *keep, size_t n)
{
	unsigned from = 3;

	qsort(keep, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			close_range(from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

/*
 * Tells the host how the command ended, so that nestbox can die of the same
 * signal (init itself can only exit), then exits with the shell's code.
 */
static _Noreturn void finish(const struct nb_child *c, int status)
{
	struct nb_msg m = { .type = NB_MSG_STATUS, .status = status };

	(void)TEMP_FAILURE_RETRY(send(c->sync_fd, &m, sizeof(m), MSG_NOSIGNAL));
	_exit(exit_code(status));
}

/* --timeout fired: say so in one line, through the host, and exit 124. */
static _Noreturn void timed_out(const struct nb_child *c)
{
	struct nb_error e = { 0 };

	nb_fail(&e, NB_EXIT_TIMEOUT, 0, NULL, "--timeout: %u s are up, so the sandbox was ended",
		c->cfg->proc.timeout);
	nb_sync_fail(c->sync_fd, &e);
}

/* init's parent-death signal when no PID namespace of its own ends everything. */
#define NB_HOST_DEATH_SIGNAL (SIGRTMIN + 1)

/* Static, not on the stack, so that the vfork()ed command cannot clobber it. */
static int children_fd = -1;

_Noreturn void nb_init_main(struct nb_child *c)
{
	bool own_pid_ns = c->cfg->ns.unshare_flags & CLONE_NEWPID;
	struct nb_error e = { 0 };
	sigset_t fwd;
	pid_t cmd;
	int sfd;

	if (!own_pid_ns) {
		char path[64];
		sigset_t death;

		/*
		 * No PID namespace will end the sandbox if the host dies, so init
		 * must: its parent-death signal becomes one it handles, blocked
		 * until its loop reads it.
		 */
		sigemptyset(&death);
		sigaddset(&death, NB_HOST_DEATH_SIGNAL);
		if (sigprocmask(SIG_BLOCK, &death, NULL) < 0 ||
		    prctl(PR_SET_PDEATHSIG, NB_HOST_DEATH_SIGNAL, 0, 0, 0) < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL,
				"setting the parent-death signal");
			nb_child_fail(c, &e);
		}
		if (nb_host_gone(c))
			_exit(NB_EXIT_FAILURE);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "becoming a child subreaper");
			nb_child_fail(c, &e);
		}
		/* thread-self: init's pid may belong to a PID namespace that it joined. */
		snprintf(path, sizeof(path), "/proc/thread-self/children");
		children_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (children_fd < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, "--share pid needs the host's /proc",
				"opening %s", path);
			nb_child_fail(c, &e);
		}
	}
	setup.c = c;
	setup.procfd = nb_lock_open_proc(own_pid_ns, &e);
	if (setup.procfd < 0 || nb_setup_run(&setup, &e) < 0)
		nb_child_fail(c, &e);
	nb_abort_on_pending_signal();
	if (c->cfg->ns.as_pid1)
		nb_spawn_as_pid1(&setup);

	/*
	 * SIGCHLD must be blocked before the command exists: an unblocked
	 * SIGCHLD with the default disposition is discarded, and init would wait
	 * for it forever.  The command restores the caller's mask.
	 */
	nb_forwarded_signals(&fwd);
	sigaddset(&fwd, SIGCHLD);
	if (!own_pid_ns)
		sigaddset(&fwd, NB_HOST_DEATH_SIGNAL);
	if (sigprocmask(SIG_BLOCK, &fwd, NULL) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "blocking signals in init");
		nb_child_fail(c, &e);
	}

	cmd = nb_spawn_command(&setup, &e);
	if (cmd < 0)
		nb_child_fail(c, &e);

	/*
	 * Init keeps nothing of the host but the sync socket, to report the end,
	 * and its locks (and the command's mount namespace, see spawn.c); and of
	 * its capabilities only CAP_KILL, to forward signals.
	 */
	{
		int keep[3 + ARRAY_SIZE(setup.lock_fds)] = { children_fd, c->sync_fd,
							     setup.cmd_mnt_fd };

		memcpy(keep + 3, setup.lock_fds, setup.n_lock_fds * sizeof(int));
		close_all_but(keep, 3 + setup.n_lock_fds);
	}
	if (nb_caps_keep_only(1ULL << CAP_KILL, &e) < 0)
		nb_child_fail(c, &e);
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0)
		_exit(NB_EXIT_FAILURE);
	nb_narrate(2, "init", "command is PID %d; reaping and forwarding signals", (int)cmd);

	for (;;) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;
		int timeout = -1;

		if (c->deadline_ms) {
			int64_t left = c->deadline_ms - nb_now_ms();

			if (left <= 0) {
				/* --timeout: end everything, as timeout(1) would. */
				nb_narrate(1, "init", "--timeout expired; ending the sandbox");
				if (!own_pid_ns)
					nb_end_descendants(children_fd);
				timed_out(c);
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(&p, 1, timeout)) <= 0)
			continue;
		if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) != (ssize_t)sizeof(si))
			continue;
		/* The same signal, sent to nestbox by someone, goes on to the command. */
		if ((int)si.ssi_signo == NB_HOST_DEATH_SIGNAL && nb_sync_host_gone(c->sync_fd)) {
			/* The host is gone: end everything, as a PID namespace would. */
			nb_end_descendants(children_fd);
			_exit(128 + SIGKILL);
		}
		if (si.ssi_signo != SIGCHLD) {
			/*
			 * A terminal's signals (SI_KERNEL) go to its foreground process
			 * group.  If that is init's, the command got them too, unless
			 * it moved to a group of its own (as timeout(1) does).
			 */
			if (si.ssi_code != SI_KERNEL || getpgid(cmd) != getpgrp())
				kill(cmd, (int)si.ssi_signo);
			continue;
		}
		for (;;) {
			int status;
			pid_t w = waitpid(-1, &status, WNOHANG);

			if (w <= 0)
				break;
			if (w == cmd) {
				if (!own_pid_ns)
					nb_end_descendants(children_fd);
				finish(c, status);
			}
		}
	}
}
