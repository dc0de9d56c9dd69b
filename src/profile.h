/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

struct nb_error;

/* Applies the profile @name (shell, build) to @c; @host gives the cwd and $HOME. */
int nb_profile_apply(const char *name, struct nb_config *c, const struct nb_host *host,
		     struct nb_error *e);
