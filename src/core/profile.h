/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

struct nb_error;

/* Applies the profile @name, after all options, (shell, build) to @c; @host gives the cwd and $HOME. */
int nb_profile_apply(const char *name, struct nb_config *c, const struct nb_host *host,
		     struct nb_error *e);
/* The profile's name as a static string, or NULL if there is none of that name. */
const char *nb_profile_find(const char *name);
/*
 * What this host forces on @cfg, after the profile: where a container's
 * masks cover part of /proc (host->proc_masked()), the caller's PID
 * namespace is kept (cfg->ns.pid_kept_for_proc).  Pure: the host's facts
 * come in as functions.
 */
void nb_profile_adapt_to_host(struct nb_config *cfg, const struct nb_host *host);
