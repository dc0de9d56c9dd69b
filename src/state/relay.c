// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The terminal of an entered process.  'nestbox enter' never hands the
 * caller's terminal to a process in a sandbox: that process is dumpable and
 * has the sandbox's uid, so anything in the sandbox could take the fd from
 * it (/proc/PID/fd/0, pidfd_getfd) and keep it, to type into the caller's
 * shell or read the password it asks for next.
 *
 * Interactive (stdin is a terminal): the process gets a pseudo-terminal of
 * nestbox's own, in a session of its own with the pty as its controlling
 * terminal, so job control works inside.  nestbox puts the caller's terminal
 * in raw mode and copies bytes both ways, and the window size on SIGWINCH.
 * When the process ends nestbox closes the master: every fd of the pty that
 * the sandbox kept then reads end-of-file or EIO and writes nowhere.
 *
 * Not interactive: stdin passes as it is (it is no terminal), and a
 * terminal on stdout or stderr is replaced by a pipe that nestbox copies
 * to it, so that no terminal at all reaches the sandbox.
 */
#include "autoconf.h"

#include "state/relay.h"
#include "lib/cleanup.h"
#include "run/sync.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

void nb_relay_init(struct nb_relay *r)
{
	*r = (struct nb_relay){ .master = -1, .slave = -1 };
	for (int i = 0; i < 3; i++)
		r->pipe_rd[i] = r->pipe_wr[i] = -1;
}

static int open_pty(struct nb_relay *r, struct nb_error *e)
{
	struct winsize ws;

	r->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (r->master < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "is devpts mounted on /dev/pts?",
			       "opening a pseudo-terminal for the entered process");
	if (grantpt(r->master) < 0 || unlockpt(r->master) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "unlocking the pseudo-terminal");
	/* The peer through the master, never by a path someone could swap. */
	r->slave = ioctl(r->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (r->slave < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 4.13",
			       "opening the pseudo-terminal's peer");
	/* It starts as the caller's terminal is: modes and window size. */
	if (tcgetattr(STDIN_FILENO, &r->saved) == 0) {
		r->have_saved = true;
		(void)tcsetattr(r->slave, TCSANOW, &r->saved);
	}
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(r->slave, TIOCSWINSZ, &ws);
	return 0;
}

int nb_relay_prepare(struct nb_relay *r, struct nb_error *e)
{
	r->interactive = isatty(STDIN_FILENO);
	if (r->interactive) {
		if (open_pty(r, e) < 0)
			return nb_err(e);
		/* Output and errors that go to a terminal go to the pty; a file or pipe stays. */
		for (int fd = 1; fd < 3; fd++)
			r->to_pty[fd] = isatty(fd);
		r->out = isatty(STDOUT_FILENO)	 ? STDOUT_FILENO
			 : isatty(STDERR_FILENO) ? STDERR_FILENO
						 : STDOUT_FILENO;
		return 0;
	}
	for (int fd = 1; fd < 3; fd++) {
		int p[2];

		if (!isatty(fd))
			continue;
		if (pipe2(p, O_CLOEXEC) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe for fd %d",
				       fd);
		r->pipe_rd[fd] = p[0];
		r->pipe_wr[fd] = p[1];
	}
	return 0;
}

int nb_relay_child(struct nb_relay *r, struct nb_error *e)
{
	/*
	 * A session of its own in both modes: left in the caller's, the
	 * process (and whatever it leaves behind) could open /dev/tty, which
	 * is the caller's terminal, and take the foreground with tcsetpgrp().
	 */
	if (setsid() < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting a session");
	if (r->interactive) {
		if (ioctl(r->slave, TIOCSCTTY, 0) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "making the pseudo-terminal the controlling terminal");
		if (dup2(r->slave, STDIN_FILENO) < 0 ||
		    (r->to_pty[1] && dup2(r->slave, STDOUT_FILENO) < 0) ||
		    (r->to_pty[2] && dup2(r->slave, STDERR_FILENO) < 0))
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "passing the pseudo-terminal on");
		return 0;
	}
	for (int fd = 1; fd < 3; fd++)
		if (r->pipe_wr[fd] >= 0 && dup2(r->pipe_wr[fd], fd) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "passing a pipe as fd %d",
				       fd);
	return 0;
}

void nb_relay_parent(struct nb_relay *r)
{
	/* The process holds its ends now: ours would keep the pipes from ending. */
	nb_closep(&r->slave);
	for (int fd = 1; fd < 3; fd++)
		nb_closep(&r->pipe_wr[fd]);
	/* Never blocked on a full pty: input waits in our buffer instead. */
	if (r->interactive)
		(void)fcntl(r->master, F_SETFL, fcntl(r->master, F_GETFL) | O_NONBLOCK);
	if (r->interactive && r->have_saved) {
		struct termios raw = r->saved;

		cfmakeraw(&raw);
		r->raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0;
	}
}

/* Copies what @from has to @to; false at its end. */
static bool copy(int from, int to)
{
	char buf[8192];
	ssize_t n = TEMP_FAILURE_RETRY(read(from, buf, sizeof(buf)));

	if (n <= 0)
		return false;
	/* The reader may be gone (a closed pipe): the bytes are dropped, not the process. */
	(void)nb_write_fd_all(to, buf, (size_t)n);
	return true;
}

/* Whether the process should get @si: it has a session of its own, so the terminal's too. */
static bool forward(const struct signalfd_siginfo *si)
{
	return si->ssi_code == SI_KERNEL || nb_forward_this(si);
}

int nb_relay_wait(struct nb_relay *r, pid_t pid, int pidfd, int sfd)
{
	bool in_open = r->interactive, eof_due = false;
	char in[4096];
	size_t in_len = 0;
	int status = 0;

	for (;;) {
		struct pollfd p[6] = {
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = in_open && in_len < sizeof(in) ? STDIN_FILENO : -1,
			  .events = POLLIN },
			{ .fd = r->interactive ? r->master : r->pipe_rd[1], .events = POLLIN },
			{ .fd = r->interactive ? -1 : r->pipe_rd[2], .events = POLLIN },
			{ .fd = r->interactive && (in_len || eof_due) ? r->master : -1,
			  .events = POLLOUT },
		};
		struct signalfd_siginfo si;

		if (TEMP_FAILURE_RETRY(poll(p, 6, -1)) <= 0)
			continue;
		if (p[2].revents) {
			ssize_t n = TEMP_FAILURE_RETRY(
			    read(STDIN_FILENO, in + in_len, sizeof(in) - in_len));

			if (n > 0) {
				in_len += (size_t)n;
			} else {
				/* End of the caller's input: the pty's reader sees end-of-file. */
				in_open = false;
				eof_due = r->have_saved;
			}
		}
		if (p[5].revents & POLLOUT) {
			ssize_t n = in_len ? write(r->master, in, in_len) : 0;

			if (n > 0) {
				memmove(in, in + n, in_len - (size_t)n);
				in_len -= (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				in_len = 0;
			}
			if (!in_len && eof_due) {
				char eof = (char)r->saved.c_cc[VEOF];

				if (write(r->master, &eof, 1) == 1 || errno != EAGAIN)
					eof_due = false;
			}
		}
		if (p[3].revents && !copy(p[3].fd, r->interactive ? r->out : STDOUT_FILENO)) {
			if (!r->interactive)
				nb_closep(&r->pipe_rd[1]);
		}
		if (p[4].revents && !copy(p[4].fd, STDERR_FILENO))
			nb_closep(&r->pipe_rd[2]);
		if (p[1].revents &&
		    TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) == (ssize_t)sizeof(si)) {
			struct winsize ws;

			if (si.ssi_signo == SIGWINCH && r->interactive) {
				if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
					(void)ioctl(r->master, TIOCSWINSZ, &ws);
			} else if (forward(&si)) {
				kill(pid, (int)si.ssi_signo);
			}
		}
		if (p[0].revents) {
			if (TEMP_FAILURE_RETRY(waitpid(pid, &status, 0)) != pid)
				return NB_EXIT_FAILURE;
			break;
		}
	}
	/* What the process wrote last is still to be passed on. */
	for (;;) {
		struct pollfd p = { .fd = r->interactive ? r->master : r->pipe_rd[1],
				    .events = POLLIN };

		if (p.fd < 0 || TEMP_FAILURE_RETRY(poll(&p, 1, 0)) <= 0 ||
		    !copy(p.fd, r->interactive ? r->out : STDOUT_FILENO))
			break;
	}
	for (;;) {
		struct pollfd p = { .fd = r->interactive ? -1 : r->pipe_rd[2], .events = POLLIN };

		if (p.fd < 0 || TEMP_FAILURE_RETRY(poll(&p, 1, 0)) <= 0 ||
		    !copy(p.fd, STDERR_FILENO))
			break;
	}
	if (WIFSIGNALED(status))
		return NB_EXIT_SIGNALLED | WTERMSIG(status);
	return WEXITSTATUS(status);
}

void nb_relay_end(struct nb_relay *r)
{
	if (r->raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &r->saved);
	r->raw = false;
	/* Every fd of the pty that the sandbox kept is dead from here on. */
	nb_closep(&r->master);
	nb_closep(&r->slave);
	for (int fd = 0; fd < 3; fd++) {
		nb_closep(&r->pipe_rd[fd]);
		nb_closep(&r->pipe_wr[fd]);
	}
}
