/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

struct nb_config;
struct nb_host;
struct nb_error;

/**
 * nb_mounts_setup() - build the sandbox's filesystem view
 * @cfg: configuration
 * @host: the caller
 * @new_pid_ns: whether a fresh /proc can be mounted
 * @e: error
 *
 * Runs in PID 1 of the sandbox, inside the new mount namespace.
 */
int nb_mounts_setup(const struct nb_config *cfg, const struct nb_host *host, bool new_pid_ns,
		    struct nb_error *e);
