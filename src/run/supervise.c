// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's supervision of a running sandbox: the one home of its loop.
 * It reads the sandbox's messages (an error, the command's start, its
 * status), waits on init's pidfd, forwards the signals sent to nestbox,
 * and enforces --timeout.
 */
#include "autoconf.h"

#include "run/supervise.h"
#include "lib/explain.h"
#include "lib/io.h"
#include "lib/util.h"
#include "run/status.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int status_to_exit(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return NB_EXIT_FAILURE;
}

static void take_message(struct nb_watch *h, const struct nb_msg *m)
{
	if (m->type == NB_MSG_PID && m->pid > 0 && h->init <= 0) {
		h->init = m->pid;
	} else if (m->type == NB_MSG_STATUS) {
		h->have_status = true;
		h->cmd_status = m->status;
	} else if (m->type == NB_MSG_STARTED && !h->started) {
		uint64_t ino[NB_STATUS_NS];
		pid_t init = h->init;

		h->started = true;
		nb_status_decode(m->text, ino);
		/* init may report the command before the child has named init. */
		if (h->init <= 0) {
			uint64_t start;
			pid_t parent = 0;

			if (nb_proc_stat(m->pid, &start, &parent) == 0 && parent > 0)
				init = h->cfg->ns.as_pid1 ? m->pid : parent;
		}
		nb_status_started(h->cfg,
				  &(struct nb_status_start){ .pid = m->pid,
							     .init_pid = init,
							     .isolation = "namespaces",
							     .setup_ms = nb_now_ms() - h->t0_ms,
							     .ino = ino });
	} else if (m->type == NB_MSG_ERROR && !h->have_error) {
		h->have_error = true;
		h->error = *m;
		h->error.text[sizeof(m->text) - 1] = '\0';
	}
}

/*
 * One message; a STARTED one without a pid names the command through its
 * credentials, which the kernel gave in the host's PID namespace.  The
 * host reads only what poll() said is there.
 */
static ssize_t recv_msg(int fd, struct nb_msg *m, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n = TEMP_FAILURE_RETRY(recvmsg(fd, &msg, flags | MSG_CMSG_CLOEXEC));

	if (n == (ssize_t)sizeof(*m) && m->type == NB_MSG_STARTED && m->pid == 0)
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cred;

				memcpy(&cred, CMSG_DATA(c), sizeof(cred));
				m->pid = cred.pid;
			}
	return n;
}

/* Reads whatever the sandbox has sent, without waiting; 0 at end of file. */
ssize_t nb_watch_drain(struct nb_watch *h)
{
	struct nb_msg m;
	ssize_t n;

	while ((n = recv_msg(h->sync_fd, &m, MSG_DONTWAIT)) == (ssize_t)sizeof(m))
		take_message(h, &m);
	return n;
}

/* Reads the one message that poll() saw; 0 at end of file. */
static ssize_t read_message(struct nb_watch *h)
{
	struct nb_msg m;
	ssize_t n = recv_msg(h->sync_fd, &m, 0);

	if (n == (ssize_t)sizeof(m))
		take_message(h, &m);
	return n;
}

/*
 * Waits for the child to name init.  Signals that come first are kept and
 * passed on once init is known; --timeout still applies.
 */
int nb_watch_init(struct nb_watch *h, int sfd, int64_t deadline, struct nb_error *e)
{
	sigset_t early;

	/*
	 * Until init is named or every sandbox process is gone (end of file):
	 * an error may come first, from init or the command, and the outcome
	 * is still init's exit status.
	 */
	sigemptyset(&early);
	while (h->init <= 0) {
		struct pollfd p[2] = {
			{ .fd = h->sync_fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		int timeout = -1;
		ssize_t n;

		if (deadline) {
			int64_t left = deadline - nb_now_ms();

			if (left <= 0) {
				h->timed_out = true;
				return 0;
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(p, 2, timeout)) <= 0)
			continue;
		if (p[1].revents) {
			/* A terminal's signals reach the sandbox directly (see supervise()). */
			if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) == (ssize_t)sizeof(si) &&
			    nb_forward_this(&si))
				sigaddset(&early, (int)si.ssi_signo);
			continue;
		}
		n = read_message(h);
		if (n == 0)
			break;
		if (n < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading from the sandbox");
	}
	if (h->init <= 0)
		return 0;
	/* init is our unreaped child, so its pid cannot have been reused. */
	h->init_fd = nb_pidfd_open(h->init);
	if (h->init_fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 5.3",
			       "opening a pidfd for the sandbox");
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&early, sig))
			kill(h->init, sig);
	return 0;
}

/* Reaps every child, waiting for those that are on their way out. */
void nb_reap_all(void)
{
	while (TEMP_FAILURE_RETRY(waitpid(-1, NULL, __WALL)) > 0)
		;
}

void nb_kill_and_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		(void)TEMP_FAILURE_RETRY(waitpid(pid, NULL, __WALL));
	}
}

/*
 * Waits for init, forwarding signals.  Init enforces --timeout itself, so
 * that it can end every process first; the host steps in only for a command
 * that is PID 1 itself, or when init has not finished a second later.
 */
int nb_watch_run(struct nb_watch *h, const struct nb_config *cfg, int sfd, int64_t deadline_ms,
		 int *status, struct nb_error *e)
{
	int64_t deadline = deadline_ms ? deadline_ms + (cfg->ns.as_pid1 ? 0 : 1000) : -1;
	/*
	 * The status fds want to hear of the command's start while it runs.
	 * The command's end, which init reports just before it exits, is when
	 * the record goes: nestbox removes it while init's exit tears the
	 * namespaces down, rather than after.
	 */
	bool want_start = !h->started && (cfg->proc.info_fd >= 0 || cfg->proc.json_status_fd >= 0);
	bool listen = want_start || (!h->have_status && h->claim->fd >= 0);

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = h->init_fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = listen ? h->sync_fd : -1, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		int timeout = -1;

		if (deadline >= 0) {
			int64_t left = deadline - nb_now_ms();

			if (left <= 0) {
				nb_narrate(1, "host", "--timeout expired; killing the sandbox");
				nb_kill_and_reap(h->init);
				nb_kill_and_reap(h->child);
				h->timed_out = true;
				return nb_fail(e, NB_EXIT_TIMEOUT, 0, NULL,
					       "--timeout: %u s are up, so the sandbox was ended",
					       cfg->proc.timeout);
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(p, 3, timeout)) <= 0)
			continue;
		if (p[2].revents) {
			ssize_t n = read_message(h);

			if (h->have_status)
				nb_state_release(h->claim);
			if (n == 0 || ((h->started || !want_start) && h->claim->fd < 0))
				listen = false;
			continue;
		}
		if (p[0].revents) {
			if (TEMP_FAILURE_RETRY(wait4(h->init, status, __WALL, &h->ru)) != h->init)
				return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
					       "waiting for the sandbox");
			return status_to_exit(*status);
		}
		if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) != (ssize_t)sizeof(si))
			continue;
		/*
		 * A terminal's signals (SI_KERNEL) already reach the whole foreground
		 * process group, the command included: passing them on would
		 * deliver them twice.
		 */
		if (nb_forward_this(&si))
			kill(h->init, (int)si.ssi_signo);
	}
}
