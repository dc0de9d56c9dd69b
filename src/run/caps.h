/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct nb_config;
struct nb_error;

/* The capabilities the command keeps, as a bit mask (pure). */
uint64_t nb_caps_keep(const struct nb_config *cfg);
bool nb_caps_touched(const struct nb_config *cfg);
int nb_caps_drop_bounding(uint64_t keep, struct nb_error *e);
int nb_caps_set_identity(uint32_t uid, uint32_t gid, bool drop_groups, bool keep_caps,
			 struct nb_error *e);
int nb_caps_apply(const struct nb_config *cfg, uint64_t keep, struct nb_error *e);
/* Permitted, effective and inheritable become @keep; @ambient is raised into the ambient set. */
int nb_caps_set(uint64_t keep, uint64_t ambient, struct nb_error *e);
/* Init, once the command runs: only the capabilities in @keep remain. */
int nb_caps_keep_only(uint64_t keep, struct nb_error *e);
