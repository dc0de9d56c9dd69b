// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's fds: which inherited fds reach the command (--keep-fd, GNU
 * make's jobserver) and the engines' hook fds, each checked to be open.
 * Pure, as the rest of the plan.
 */
#include "autoconf.h"

#include "core/plan.h"
#include "core/plan-fds.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int keep(struct nb_plan *p, int fd, struct nb_error *e)
{
	for (size_t i = 0; i < p->n_keep_fds; i++)
		if (p->keep_fds[i] == fd)
			return 0;
	p->keep_fds = reallocarray(p->keep_fds, p->n_keep_fds + 1, sizeof(int));
	if (!p->keep_fds)
		return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning the fds");
	p->keep_fds[p->n_keep_fds++] = fd;
	return 0;
}

static bool fd_open(const struct nb_plan *p, int fd)
{
	return !p->host->fd_open || p->host->fd_open(fd);
}

/*
 * GNU make's jobserver: a recursive make -jN through nestbox stays parallel
 * when the command gets the jobserver's pipe fds, or sees its fifo.
 */
static int plan_jobserver(struct nb_plan *p, struct nb_error *e)
{
	const char *mf = p->host->makeflags;
	const char *auth;
	int r, w;

	if (!mf)
		return 0;
	auth = strstr(mf, "--jobserver-auth=");
	if (!auth && (auth = strstr(mf, "--jobserver-fds=")))
		auth += strlen("--jobserver-fds=");
	else if (auth)
		auth += strlen("--jobserver-auth=");
	if (!auth)
		return 0;
	if (strncmp(auth, "fifo:", 5) == 0) {
		char path[4096];
		const struct nb_mount_op bind = {
			.kind = NB_MNT_BIND,
			.src = path,
			.dst = path,
			.optional = true,
			.implicit = true,
			.why = "GNU make's jobserver fifo",
		};

		snprintf(path, sizeof(path), "%.*s", (int)strcspn(auth + 5, " "), auth + 5);
		/* Only where the sandbox would not see it. */
		if (!nb_is_abs_clean_path(path) || !nb_plan_hider_of(p, path))
			return 0;
		return nb_plan_push(p, &bind)
			   ? 0
			   : nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning");
	}
	if (sscanf(auth, "%d,%d", &r, &w) != 2 || r < 3 || w < 3 || !fd_open(p, r) ||
	    !fd_open(p, w))
		return 0; /* make says "jobserver unavailable" itself, as it would outside */
	return keep(p, r, e) < 0 ? -1 : keep(p, w, e);
}

int nb_plan_fds(struct nb_plan *p, struct nb_error *e)
{
	struct nb_hook_fd hooks[NB_N_HOOK_FDS];

	/* Refused before anything starts, never found out halfway. */
	nb_config_hook_fds(p->cfg, hooks);
	for (size_t i = 0; i < ARRAY_SIZE(hooks); i++)
		if (hooks[i].fd >= 0 && !fd_open(p, hooks[i].fd))
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "open it in the calling shell, e.g. 3>status.json",
				       "--%s %d: fd %d is not open", hooks[i].option, hooks[i].fd,
				       hooks[i].fd);
	for (size_t i = 0; i < p->cfg->proc.n_keep_fds; i++) {
		int fd = p->cfg->proc.keep_fds[i];

		/*
		 * The command must never write what its engine reads as nestbox's
		 * status (nestbox-bwrap passes every fd on, as bubblewrap does).
		 */
		for (size_t k = 0; p->cfg->proc.status_version && k < ARRAY_SIZE(hooks); k++)
			if (hooks[k].fd == fd)
				return nb_fail(e, NB_EXIT_FAILURE, 0,
					       "give the hook an fd of its own",
					       "--keep-fd %d: fd %d is --%s's", fd, fd,
					       hooks[k].option);

		if (!fd_open(p, fd))
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "open it in the calling shell, e.g. 7<file",
				       "--keep-fd %d: fd %d is not open", fd, fd);
		if (keep(p, fd, e) < 0)
			return nb_err(e);
	}
	return plan_jobserver(p, e);
}

/*
 * A destination on the host tree must exist, or lie under an earlier
 * operation's, since mount points are made only inside filesystems nestbox
 * mounted: refuse it now rather than from inside the sandbox.
 */
