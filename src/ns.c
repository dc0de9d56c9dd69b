// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of namespaces (flag, name, whether --share may keep it),
 * creating the nested ones with retries, and a clone3-based fork.
 */
#include "autoconf.h"

#include "ns.h"
#include "util.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const struct nb_ns nb_namespaces[] = {
	{ .flag = CLONE_NEWUSER, .name = "user", .shareable = 0 },
	{ .flag = CLONE_NEWUTS, .name = "uts", .shareable = 1 },
	{ .flag = CLONE_NEWPID, .name = "pid", .shareable = 1 },
	{ .flag = CLONE_NEWNS, .name = "mnt", .shareable = 1 },
	{ .flag = CLONE_NEWNET, .name = "net", .shareable = 1 },
	{ .flag = CLONE_NEWIPC, .name = "ipc", .shareable = 1 },
	{ .flag = CLONE_NEWCGROUP, .name = "cgroup", .shareable = 1 },
};
const size_t nb_n_namespaces = sizeof(nb_namespaces) / sizeof(nb_namespaces[0]);

const struct nb_ns *nb_ns_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < nb_n_namespaces; i++)
		if (strlen(nb_namespaces[i].name) == len &&
		    strncmp(nb_namespaces[i].name, name, len) == 0)
			return &nb_namespaces[i];
	return NULL;
}

int nb_ns_default_flags(void)
{
	int flags = 0;

	for (size_t i = 0; i < nb_n_namespaces; i++)
		if (nb_namespaces[i].flag != CLONE_NEWUSER)
			flags |= nb_namespaces[i].flag;
	return flags;
}

static const char *ns_names(int flags, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nb_n_namespaces && n < size; i++)
		if (flags & nb_namespaces[i].flag)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
					      nb_namespaces[i].name);
	return buf;
}

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
			       "creating namespaces %s", ns_names(flags, names, sizeof(names)));
	return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating namespaces %s",
		       ns_names(flags, names, sizeof(names)));
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
