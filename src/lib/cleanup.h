/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scope-bound cleanup, in the manner of systemd and crun.  Every variable that
 * carries one of these attributes must be initialised (NULL or -1) at its
 * declaration, and ownership leaves the scope only through steal_pointer() or
 * steal_fd().
 */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void nb_freep(void *p)
{
	free(*(void **)p);
}

static inline void nb_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
	/* Closed once: a second call, or a cleanup attribute after it, does nothing. */
	*fd = -1;
}

static inline void nb_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_(fn) __attribute__((cleanup(fn)))
#define _cleanup_free_ _cleanup_(nb_freep)
#define _cleanup_close_ _cleanup_(nb_closep)
#define _cleanup_fclose_ _cleanup_(nb_fclosep)

static inline void *nb_steal_ptr(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
/* Type-safe, as bubblewrap's: the result has the pointer's own type. */
#define steal_pointer(pp) ((__typeof__(*(pp)))nb_steal_ptr(pp))

static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#ifndef TEMP_FAILURE_RETRY
#define TEMP_FAILURE_RETRY(expr)                     \
	({                                           \
		long _r;                             \
		do                                   \
			_r = (long)(expr);           \
		while (_r == -1L && errno == EINTR); \
		_r;                                  \
	})
#endif
