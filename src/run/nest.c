// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Making namespaces: the nested ones with retries, and a clone3-based fork.
 */
#include "autoconf.h"

#include "run/nest.h"
#include "core/ns.h"
#include "lib/util.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/**
 * nb_ns_nest() - create the namespaces nested inside the new user namespace
 * @flags: CLONE_NEW* flags
 * @e: error
 *
 * Network namespaces are torn down asynchronously, so a start right after
 * many others can see ENOSPC for a few tens of milliseconds: retry that with
 * backoff.  A kernel without cgroup namespaces gets the rest anyway.
 */
int nb_ns_nest(int flags, struct nb_error *e)
{
	struct timespec delay = { 0, 1000000 };
	char names[64];

	for (int attempt = 0;; attempt++) {
		if (unshare(flags) == 0)
			return 0;
		if (errno == EINVAL && (flags & CLONE_NEWCGROUP)) {
			flags &= ~CLONE_NEWCGROUP;
			continue;
		}
		if (errno != ENOSPC || attempt >= 8)
			break;
		nanosleep(&delay, NULL);
		delay.tv_nsec *= 2;
	}
	if (errno == ENOSPC)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "raise the user.max_*_namespaces sysctls or end other sandboxes",
			       "creating namespaces %s", nb_ns_names(flags, names, sizeof(names)));
	return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating namespaces %s",
		       nb_ns_names(flags, names, sizeof(names)));
}

/*
 * clone3 returns 0 in the child like fork, and the child runs on a copy of
 * the parent's stack because no stack is given.  It is single-threaded code,
 * so skipping glibc's fork handlers is safe.
 */
pid_t nb_clone_fork(uint64_t flags, int exit_signal)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = (uint64_t)exit_signal,
	};
	long r = syscall(SYS_clone3, &args, sizeof(args));

	if (r < 0 && errno == ENOSYS) {
		/* Before 5.3, or a seccomp policy that hides clone3. */
#if defined(__s390__) || defined(__CRIS__)
		r = syscall(SYS_clone, 0, flags | (uint64_t)exit_signal, NULL, NULL, 0);
#else
		r = syscall(SYS_clone, flags | (uint64_t)exit_signal, 0, NULL, NULL, 0);
#endif
	}
	return (pid_t)r;
}
