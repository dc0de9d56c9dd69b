/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

#include <stddef.h>

/* Fills the gaps among fds 0, 1 and 2 with /dev/null. */
void nb_host_ensure_std_fds(void);
/* The caller's ids, environment and directory (into @cwd), and the fact probes. */
void nb_host_gather(struct nb_host *h, char *cwd, size_t size);
