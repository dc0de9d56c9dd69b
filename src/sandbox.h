/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"
#include "idmap.h"

#include <signal.h>
#include <stdint.h>

struct nb_error;
struct nb_sources;
struct nb_plan;

/* Messages on the sync socket (SOCK_SEQPACKET: one message per send). */
enum nb_msg_type {
	NB_MSG_GO = 1, /* host -> child: the maps are written */
	NB_MSG_PID, /* child -> host: the host-side pid of the sandbox's init */
	NB_MSG_ERROR, /* any sandbox process -> host: setup failed */
};

struct nb_msg {
	int32_t type;
	int32_t status;
	int32_t err;
	int32_t pid;
	char text[480];
};

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
	int sync_fd;
	int host_sync_fd;
	/* init's end of the socket on which the child hands over the net ns, or -1. */
	int net_sock;
	pid_t host_pid;
	/* --timeout as a CLOCK_MONOTONIC deadline in ms, or 0. */
	int64_t deadline_ms;
	sigset_t orig_mask;
	/* The caller ignored SIGCHLD: nestbox needs it, the command gets it back. */
	bool sigchld_ignored;
	/* init's pid as the command sees it, to notice init dying early. */
	pid_t init_pid;
};

/* Signals that the host and the init forward to the command. */
void nb_forwarded_signals(sigset_t *set);

/**
 * nb_sandbox_run() - run the configured command in a new sandbox
 *
 * Return: the exit status for nestbox (>= 0), or a negative errno with @e set.
 */
int nb_sandbox_run(const struct nb_plan *plan, struct nb_error *e);

/* Inside: send @e to the host, then _exit with its status. */
_Noreturn void nb_child_fail(const struct nb_child *c, const struct nb_error *e);
/* Inside: exit, as if killed, if a terminating signal came during setup. */
void nb_abort_on_pending_signal(void);
/* Inside: whether the host process is gone (after PR_SET_PDEATHSIG). */
bool nb_host_gone(const struct nb_child *c);
