/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

struct nb_error;

/* Applies the profile @name, after all options, (shell, build) to @c; @host gives the cwd and $HOME. */
int nb_profile_apply(const char *name, struct nb_config *c, const struct nb_host *host,
		     struct nb_error *e);
/* The profile's name as a static string, or NULL if there is none of that name. */
const char *nb_profile_find(const char *name);
