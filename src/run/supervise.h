/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's supervision of a running sandbox (supervise.c). */
#pragma once

#include "core/config.h"
#include "run/sync.h"
#include "state/state.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* What the host knows of its sandbox while it runs. */
struct nb_watch {
	const struct nb_config *cfg;
	pid_t child;
	pid_t init;
	int init_fd; /* pidfd of init */
	int sync_fd;
	bool have_error;
	bool timed_out;
	bool have_status;
	bool started; /* the status fds have been told */
	int cmd_status; /* the command's wait status, from init */
	int64_t t0_ms; /* when the run began, for the status fds' setup time */
	struct rusage ru; /* init's and all it reaped: the sandbox's resource use */
	struct nb_msg error;
	struct nb_claim *claim; /* the record for ps, if any */
};

/* Waits until init is named, or the sandbox fails (then @e says why). */
int nb_watch_init(struct nb_watch *h, int sfd, int64_t deadline, struct nb_error *e);
/* The loop: forwards signals, enforces @deadline, until init ends; its status in *@status. */
int nb_watch_run(struct nb_watch *h, const struct nb_config *cfg, int sfd, int64_t deadline,
		 int *status, struct nb_error *e);
/* Takes every message already sent. */
ssize_t nb_watch_drain(struct nb_watch *h);
void nb_reap_all(void);
void nb_kill_and_reap(pid_t pid);
