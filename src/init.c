// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PID 1.  A process that is PID 1 of a namespace gets no signal it has no
 * handler for, so a command run as PID 1 ignores SIGTERM and Ctrl-C.  This
 * init forwards signals to the command (PID 2), reaps every orphan that is
 * reparented to it, and exits with the command's status, which makes the
 * kernel kill whatever is left in the namespace.
 */
#include "autoconf.h"

#include "init.h"
#include "exec.h"
#include "explain.h"
#include "mounts.h"
#include "net.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int setup(const struct nb_child *c, struct nb_error *e)
{
	const struct nb_config *cfg = c->cfg;
	const char *hostname = cfg->hostname ? cfg->hostname : NB_DEFAULT_HOSTNAME;

	if (cfg->unshare_flags & CLONE_NEWUTS) {
		if (sethostname(hostname, strlen(hostname)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the hostname");
		if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the domain name");
		nb_narrate(1, "init", "hostname is now '%s' in the new UTS namespace", hostname);
	}
	if (cfg->unshare_flags & CLONE_NEWNET) {
		if (nb_net_loopback_up(e) < 0)
			return -1;
		nb_narrate(1, "init", "brought up lo in the new network namespace");
	}
	return nb_mounts_setup(cfg, c->host, cfg->unshare_flags & CLONE_NEWPID, e);
}

/*
 * Without a PID namespace of its own, the sandbox is not ended by the kernel
 * when the command exits.  Init is then a child subreaper, so every orphan
 * comes to it; it kills its children until none is left.
 */
static void kill_descendants(void)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	for (int round = 0; round < 1000; round++) {
		ssize_t n = nb_read_file(path, buf, sizeof(buf));
		char *p, *end;

		if (n <= 0) {
			/* Nothing listed, or no /proc: reap what is there and stop. */
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			if (waitpid(-1, NULL, 0) < 0)
				return;
			continue;
		}
		for (p = buf; *p; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0)
				kill((pid_t)pid, SIGKILL);
		}
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

_Noreturn void nb_init_main(struct nb_child *c)
{
	struct nb_error e = { 0 };
	sigset_t fwd;
	pid_t cmd;
	int sfd;

	if (setup(c, &e) < 0)
		nb_child_fail(c, &e);
	if (c->cfg->as_pid1) {
		nb_narrate(1, "init", "exec'ing the command as PID 1 (--as-pid-1)");
		nb_exec_command(c);
	}

	/*
	 * SIGCHLD must be blocked before the command exists: an unblocked
	 * SIGCHLD with the default disposition is discarded, and init would wait
	 * for it forever.  The command restores the caller's mask.
	 */
	nb_forwarded_signals(&fwd);
	sigaddset(&fwd, SIGCHLD);
	if (!(c->cfg->unshare_flags & CLONE_NEWPID) &&
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "becoming a child subreaper");
		nb_child_fail(c, &e);
	}
	if (sigprocmask(SIG_BLOCK, &fwd, NULL) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "blocking signals in init");
		nb_child_fail(c, &e);
	}

	/*
	 * vfork: the command replaces its memory at exec anyway, so copying
	 * init's page tables for it would be wasted work on every start.  Init
	 * waits until the exec, and the child touches only its own settings.
	 */
	cmd = vfork();
	if (cmd < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
		nb_child_fail(c, &e);
	}
	if (cmd == 0)
		nb_exec_command(c);

	/* Init keeps nothing of the host: no sync socket, no inherited fd. */
	close_range(3, ~0U, 0);
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0)
		_exit(NB_EXIT_FAILURE);
	nb_narrate(2, "init", "command is PID %d; reaping and forwarding signals", (int)cmd);

	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si)));

		if (n != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			/* Terminal signals reach the command's process group directly. */
			if (si.ssi_code != SI_KERNEL)
				kill(cmd, (int)si.ssi_signo);
			continue;
		}
		for (;;) {
			int status;
			pid_t w = waitpid(-1, &status, WNOHANG);

			if (w <= 0)
				break;
			if (w == cmd) {
				if (!(c->cfg->unshare_flags & CLONE_NEWPID))
					kill_descendants();
				_exit(exit_code(status));
			}
		}
	}
}
