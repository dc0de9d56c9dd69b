/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"
#include "core/idmap.h"
#include "core/netplan.h"

#include <stdio.h>

struct nb_error;

/**
 * struct nb_plan - everything a sandbox will be, decided before it exists
 * @cfg: the configuration it was made from
 * @host: the caller
 * @ids: the maps, and how they reach the kernel
 * @mounts: every mount operation in order, the implicit ones included
 * @n_mounts: how many
 * @private_sysfs: a fresh sysfs once the network namespace is joined
 * @chdir: the command's working directory
 * @keep_fds: the inherited fds the command gets beside 0, 1 and 2
 * @n_keep_fds: how many
 * @net: the network mode, its helper and the published ports
 *
 * The planner is pure: it takes the configuration and facts about the host
 * and returns this, which --dry-run prints and the executor carries out, so
 * that the two cannot drift apart.
 */
struct nb_plan {
	const struct nb_config *cfg;
	const struct nb_host *host;
	const struct nb_idplan *ids;
	struct nb_mount_op *mounts;
	size_t n_mounts;
	bool private_sysfs;
	const char *chdir;
	int *keep_fds;
	size_t n_keep_fds;
	struct nb_net_plan net;
};

int nb_plan_build(const struct nb_config *cfg, const struct nb_host *host,
		  const struct nb_idplan *ids, struct nb_plan *plan, struct nb_error *e);
void nb_plan_free(struct nb_plan *plan);

/* The whole plan for people (--dry-run) or as one JSON object (--dry-run --json). */
void nb_plan_print(const struct nb_plan *plan, bool json, FILE *out);
