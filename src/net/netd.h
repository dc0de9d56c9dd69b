/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-mode network helper (pasta or slirp4netns), run by the host
 * process for the sandbox's network namespace.
 */
#pragma once

#include "core/config.h"
#include "net/loopback6.h"
#include "core/netplan.h"

#include <limits.h>
#include <sys/types.h>

struct nb_error;

/**
 * struct nb_net_info - the network of a running sandbox, as ps may show it
 * @mode: none, host, pasta or slirp4netns (never auto)
 * @helper_pid: the helper's pid on the host, or 0
 * @ports: the published ports
 * @n_ports: how many
 */
struct nb_net_info {
	enum nb_net_mode mode;
	pid_t helper_pid;
	const struct nb_publish *ports;
	size_t n_ports;
};

/* A running helper, owned by the host process. */
struct nb_netd {
	struct nb_net_info info;
	int pidfd;
	int exit_fd; /* slirp4netns stops when this closes */
	int log_fd; /* the helper's stderr, a memfd */
	int dir_fd; /* the private directory of slirp4netns's API socket */
	char dir[PATH_MAX];
	struct nb_loopback6 relay; /* [::1] of ports published without an address */
};

void nb_netd_init(struct nb_netd *d);

/**
 * nb_netd_start() - start the helper for the network namespace @netns
 *
 * Returns once the helper has configured the interface, the routes and
 * every published port, or has failed; a helper that failed is reaped, and
 * nothing is left running.
 */
int nb_netd_start(const struct nb_net_plan *np, const struct nb_host *host, int netns,
		  struct nb_netd *d, struct nb_error *e);

/* Stops and reaps the helper, if any, and removes what it left. */
void nb_netd_stop(struct nb_netd *d);
