// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Ending every process a sandbox left, for a subreaper without a PID
 * namespace of its own to do it (init under --share pid, and the Landlock
 * run): whatever is orphaned comes to it, so it kills its children until
 * none is left, however deep the tree was.
 */
#include "autoconf.h"

#include "run/reap.h"
#include "core/config.h"
#include "lib/io.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The pids in the children file behind @fd, read whole from its start. */
static size_t children(int fd, pid_t **out)
{
	char *buf = NULL;
	size_t len = 0, n = 0;

	*out = NULL;
	if (lseek(fd, 0, SEEK_SET) < 0 || nb_read_all_fd(fd, NB_READ_MAX, &buf, &len) < 0)
		return 0;
	/* Only whole numbers, each ended by a separator, are pids. */
	for (char *p = buf, *end;; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p || (*end != ' ' && *end != '\n'))
			break;
		if (pid > 1) {
			*out = nb_grow(*out, n, sizeof(**out));
			(*out)[n++] = (pid_t)pid;
		}
	}
	free(buf);
	return n;
}

void nb_end_descendants(int children_fd)
{
	for (;;) {
		pid_t *kids = NULL;
		size_t n;

		/*
		 * Reaped before the list is read: a listed child that ends stays
		 * a zombie until we reap it, so its pid names nobody else.
		 */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		n = children(children_fd, &kids);
		if (n == 0) {
			free(kids);
			return;
		}
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		for (size_t i = 0; i < n; i++)
			(void)TEMP_FAILURE_RETRY(waitpid(kids[i], NULL, 0));
		free(kids);
	}
}
