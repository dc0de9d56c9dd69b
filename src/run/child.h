/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sandbox's own processes (the first child, init) need, inherited
 * across fork: data, so that sandbox.c, child.c, init.c and lock.c share it
 * without calling back into each other; and the first child's entry.
 */
#pragma once

#include "core/config.h"
#include "core/idmap.h"
#include "run/sync.h"

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_sources;
struct nb_plan;
struct nb_seccomp_progs;

/**
 * struct nb_child - what the processes inside need, inherited across fork
 * @sync_fd: their end of the sync socket
 * @host_pid: pid of the nestbox process on the host
 * @orig_mask: the signal mask to restore before exec
 */
struct nb_child {
	const struct nb_config *cfg;
	const struct nb_host *host;
	const struct nb_idplan *plan;
	/* The launch plan: the mounts, implicit ones included, and the rest. */
	const struct nb_plan *launch;
	/* The mount sources, opened by the host; init inherits the fds. */
	struct nb_sources *src;
	/* The caller's seccomp programs, installed just before exec. */
	const struct nb_seccomp_progs *progs;
	int sync_fd;
	int host_sync_fd;
	/* init's end of the socket on which the child hands over the net ns, or -1. */
	int net_sock;
	/*
	 * With a network helper, the sandbox's end of the socket on which the
	 * child hands the network namespace to the host, and the host tells
	 * init that the helper is ready; -1 otherwise.
	 */
	int net_host_sock;
	/* The host's end of that socket, which the child closes first. */
	int host_net_sock;
	pid_t host_pid;
	/* --timeout as a CLOCK_MONOTONIC deadline in ms, or 0. */
	int64_t deadline_ms;
	sigset_t orig_mask;
	/* The caller ignored SIGCHLD: nestbox needs it, the command gets it back. */
	bool sigchld_ignored;
};

/* The first child (child.c), cloned into the new user namespace with @arg a struct nb_child. */
int nb_child_main(void *arg);

/* Inside: send @e to the host, then _exit with its status. */
static inline _Noreturn void nb_child_fail(const struct nb_child *c, const struct nb_error *e)
{
	nb_sync_fail(c->sync_fd, e);
}

static inline bool nb_host_gone(const struct nb_child *c)
{
	return nb_sync_host_gone(c->sync_fd);
}
