// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening every mount source on the host, before the sandbox exists.  A
 * missing or refused source therefore fails before any process is started,
 * and a later mount inside cannot hide or swap what a source means.
 */
#include "autoconf.h"

#include "fs/sources.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "fs/resolve.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const nb_dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
const size_t nb_n_dev_nodes = sizeof(nb_dev_nodes) / sizeof(nb_dev_nodes[0]);

/*
 * The next lower directory of @*p, a list in overlayfs's own syntax: ':'
 * separates, and a backslash keeps the next character as it is.
 */
static char *next_lower(char **p)
{
	char *start = *p, *out = *p, *in = *p;

	if (!*in)
		return NULL;
	for (; *in && *in != ':'; in++) {
		if (*in == '\\' && in[1])
			in++;
		*out++ = *in;
	}
	*p = *in ? in + 1 : in;
	*out = '\0';
	return start;
}

static int open_lowers(const struct nb_mount_op *op, int *fds, struct nb_error *e)
{
	char lowers[8192];
	char *l, *p = lowers;
	int k = 0;

	/* Cut short, a list would name another directory than the user's. */
	if (snprintf(lowers, sizeof(lowers), "%s", op->src) >= (int)sizeof(lowers))
		return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, "use shorter paths",
			       "the overlay lowers for %s", op->dst);
	while ((l = next_lower(&p))) {
		if (k == NB_MAX_LOWERS)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "nestbox takes up to 8 lower directories",
				       "too many overlay lowers for %s", op->dst);
		fds[k] = nb_open_nofollow(l, "overlay lower directory", e);
		if (fds[k++] < 0)
			return nb_err(e);
	}
	return 0;
}

static int open_one(const struct nb_mount_op *op, struct nb_sources *s, size_t i,
		    struct nb_error *e)
{
	switch (op->kind) {
	case NB_MNT_BIND:
	case NB_MNT_RO_BIND:
		/* Init opens its own namespace file; nothing of the host's. */
		if (op->own_ns)
			return 0;
		if (op->has_fd && op->fd < 0) {
			/* A /proc/self/fd/N of an fd the caller did not pass (bwrap-cli.c). */
			if (op->optional)
				return 0;
			return nb_fail_kind(e, NB_ERR_NO_SOURCE, op->src, NB_EXIT_FAILURE, EBADF,
					    "pass the fd to nestbox-bwrap", "bind source %s",
					    op->src);
		}
		if (op->has_fd) {
			s->src[i] = fcntl(op->fd, F_DUPFD_CLOEXEC, 3);
			if (s->src[i] < 0)
				return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bind fd %d",
					       op->fd);
			return 0;
		}
		s->src[i] = nb_open_nofollow(op->src, "bind source", e);
		if (s->src[i] == -ENOENT && !op->optional)
			return nb_fail_kind(e, NB_ERR_NO_SOURCE, op->src, NB_EXIT_FAILURE, ENOENT,
					    "check the path, or use --bind-try or --ro-bind-try "
					    "to skip a missing source",
					    "bind source %s", op->src);
		/* A -try bind skips a source that is missing, and only that. */
		if (s->src[i] == -ENOENT && op->optional) {
			s->src[i] = -1;
			return 0;
		}
		return s->src[i] < 0 ? -1 : 0;
	case NB_MNT_DEV:
		for (size_t k = 0; k < nb_n_dev_nodes; k++) {
			char host[32];

			snprintf(host, sizeof(host), "/dev/%s", nb_dev_nodes[k]);
			s->lower[i][k] = nb_open_nofollow(host, "device", e);
			if (s->lower[i][k] < 0)
				return nb_err(e);
		}
		/*
		 * The caller's terminal, which a fresh devpts does not hold, becomes
		 * /dev/console, so that tty(1) can name it (as bubblewrap does).
		 */
		if (isatty(STDIN_FILENO)) {
			char tty[64];

			if (ttyname_r(STDIN_FILENO, tty, sizeof(tty)) == 0)
				s->lower[i][NB_DEV_CONSOLE] = nb_open_nofollow(tty, "terminal", e);
			if (s->lower[i][NB_DEV_CONSOLE] < 0)
				s->lower[i][NB_DEV_CONSOLE] = -1; /* no name for it: no console */
		}
		return 0;
	case NB_MNT_OVERLAY:
		/* No upper directory: a read-only overlay. */
		if (!op->upper)
			return open_lowers(op, s->lower[i], e);
		s->upper[i] = nb_open_nofollow(op->upper, "overlay upper directory", e);
		if (s->upper[i] < 0)
			return nb_err(e);
		s->work[i] = nb_open_nofollow(op->work, "overlay work directory", e);
		if (s->work[i] < 0)
			return nb_err(e);
		return open_lowers(op, s->lower[i], e);
	case NB_MNT_TMP_OVERLAY:
		return open_lowers(op, s->lower[i], e);
	default:
		return 0;
	}
}

int nb_sources_open(const struct nb_mount_op *ops, size_t n, struct nb_sources *s,
		    struct nb_error *e)
{
	memset(s, 0, sizeof(*s));
	if (n == 0)
		return 0;
	s->src = calloc(n, sizeof(*s->src));
	s->lower = calloc(n, sizeof(*s->lower));
	s->upper = calloc(n, sizeof(*s->upper));
	s->work = calloc(n, sizeof(*s->work));
	if (!s->src || !s->lower || !s->upper || !s->work) {
		nb_sources_free(s);
		return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "opening the mount sources");
	}
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		s->src[i] = s->upper[i] = s->work[i] = -1;
		for (int k = 0; k < NB_MAX_LOWERS; k++)
			s->lower[i][k] = -1;
	}
	for (size_t i = 0, user = 0; i < n; i++) {
		user += !ops[i].implicit;
		if (open_one(&ops[i], s, i, e) < 0) {
			/* Which option, as the mounts name it (mounts.c): "--bind #2 /data". */
			if (!ops[i].implicit)
				nb_error_wrap(e, "--%s #%zu %s", nb_mount_kind_name(ops[i].kind),
					      user, ops[i].dst);
			nb_sources_free(s);
			return nb_err(e);
		}
	}
	return 0;
}

void nb_sources_close(struct nb_sources *s)
{
	for (size_t i = 0; i < s->n; i++) {
		nb_closep(&s->src[i]);
		nb_closep(&s->upper[i]);
		nb_closep(&s->work[i]);
		for (int k = 0; k < NB_MAX_LOWERS; k++)
			nb_closep(&s->lower[i][k]);
		s->src[i] = s->upper[i] = s->work[i] = -1;
		for (int k = 0; k < NB_MAX_LOWERS; k++)
			s->lower[i][k] = -1;
	}
}

void nb_sources_free(struct nb_sources *s)
{
	if (s->src)
		nb_sources_close(s);
	free(s->src);
	free(s->lower);
	free(s->upper);
	free(s->work);
	memset(s, 0, sizeof(*s));
}
