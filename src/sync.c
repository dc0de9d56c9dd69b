// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sandbox's side of the sync socket: reporting a failure to the host,
 * noticing that the host is gone, and the signals passed on.
 */
#include "autoconf.h"

#include "sync.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void nb_forwarded_signals(sigset_t *set)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

	sigemptyset(set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(set, sigs[i]);
}

_Noreturn void nb_sync_fail(int sync_fd, const struct nb_error *e)
{
	struct nb_msg m = { .type = NB_MSG_ERROR, .status = e->status, .err = e->err };

	memcpy(m.text, e->msg, sizeof(m.text));
	m.text[sizeof(m.text) - 1] = '\0';
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
