// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sandbox's side of the sync socket: reporting a failure to the host,
 * noticing that the host is gone, and the signals passed on.
 */
#include "autoconf.h"

#include "run/sync.h"
#include "lib/util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * catatonit's rule: every signal goes on to the command but SIGCHLD, the
 * ones the kernel raises for a fault of the process itself (SIGFPE, SIGILL,
 * SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS), and those no process can
 * catch.  The terminal's stop signals stay too: nestbox must stop with its
 * command on ^Z, or the caller's shell would wait for a job that never
 * stops.
 */
void nb_forwarded_signals(sigset_t *set)
{
	static const int kept[] = { SIGCHLD, SIGFPE,  SIGILL,  SIGSEGV, SIGBUS,	 SIGABRT, SIGTRAP,
				    SIGSYS,  SIGKILL, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };

	sigemptyset(set);
	for (int sig = 1; sig < NSIG; sig++) {
		bool keep = false;

		for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
			keep = keep || kept[i] == sig;
		/* The C library's own real-time signals (32, 33) cannot be added: fine. */
		if (!keep)
			(void)sigaddset(set, sig);
	}
}

bool nb_forward_this(const struct signalfd_siginfo *si)
{
	/*
	 * A terminal's signals (SI_KERNEL) already reached its foreground
	 * process group; what the kernel raised for nestbox's own doing (a
	 * write to a closed pipe: SIGPIPE, SIGXFSZ) names nestbox as sender.
	 */
	return si->ssi_code != SI_KERNEL &&
	       !((si->ssi_signo == SIGPIPE || si->ssi_signo == SIGXFSZ) &&
		 (pid_t)si->ssi_pid == getpid());
}

void nb_error_from_msg(struct nb_error *e, const struct nb_msg *m)
{
	e->status = m->status ? m->status : NB_EXIT_FAILURE;
	e->err = m->err;
	e->kind = m->kind >= NB_ERR_PLAIN && m->kind <= NB_ERR_GATE ? (enum nb_error_kind)m->kind
								    : NB_ERR_PLAIN;
	snprintf(e->msg, sizeof(e->msg), "%.*s", (int)sizeof(m->text) - 1, m->text);
	snprintf(e->arg, sizeof(e->arg), "%.*s", (int)sizeof(m->arg) - 1, m->arg);
}

int nb_sync_take_error(int sync_fd, struct nb_error *e)
{
	struct nb_msg m;

	if (TEMP_FAILURE_RETRY(recv(sync_fd, &m, sizeof(m), MSG_DONTWAIT)) != (ssize_t)sizeof(m) ||
	    m.type != NB_MSG_ERROR)
		return 0;
	nb_error_from_msg(e, &m);
	return -(m.err ? m.err : EINVAL);
}

_Noreturn void nb_sync_fail(int sync_fd, const struct nb_error *e)
{
	struct nb_msg m = {
		.type = NB_MSG_ERROR, .status = e->status, .err = e->err, .kind = (int32_t)e->kind
	};

	memcpy(m.text, e->msg, sizeof(m.text));
	m.text[sizeof(m.text) - 1] = '\0';
	memcpy(m.arg, e->arg, sizeof(m.arg));
	m.arg[sizeof(m.arg) - 1] = '\0';
	(void)TEMP_FAILURE_RETRY(send(sync_fd, &m, sizeof(m), MSG_NOSIGNAL));
	_exit(e->status ? e->status : NB_EXIT_FAILURE);
}

void nb_abort_on_pending_signal(void)
{
	static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	sigset_t pending;

	/*
	 * These arrived before the command existed (Ctrl-C during a slow setup,
	 * say): they meant to stop it, so it does not start.
	 */
	if (sigpending(&pending) < 0)
		return;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (sigismember(&pending, fatal[i]))
			_exit(128 + fatal[i]);
}

bool nb_sync_host_gone(int sync_fd)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };

	/* Only the host holds the other end; its death hangs the socket up. */
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}
