// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include "mounts.h"
#include "config.h"
#include "explain.h"
#include "util.h"

#include <errno.h>
#include <sys/mount.h>

int nb_mounts_setup(const struct nb_config *cfg, const struct nb_host *host, bool new_pid_ns,
		    struct nb_error *e)
{
	/* Nothing done below may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making mounts private");
	nb_narrate(1, "init", "made every mount private, so nothing propagates to the host");
	if (new_pid_ns) {
		if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno,
				       "is part of the host's /proc covered by another mount?",
				       "mounting a fresh /proc");
		nb_narrate(1, "init", "mounted a fresh /proc for the new PID namespace");
	}
	return 0;
}
