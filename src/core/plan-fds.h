/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to core/plan.c and core/plan-fds.c (the plan's fds). */
#pragma once

#include "core/plan.h"

struct nb_error;

/* A copy of @from at the end of the plan's mounts (plan.c), or NULL. */
struct nb_mount_op *nb_plan_push(struct nb_plan *p, const struct nb_mount_op *from);
/* The mount that hides host @path inside, or NULL when it is in view (plan.c). */
const struct nb_mount_op *nb_plan_hider_of(const struct nb_plan *p, const char *path);
/* --keep-fd, the jobserver and the hook fds into @p; 0, or -1 with @e filled. */
int nb_plan_fds(struct nb_plan *p, struct nb_error *e);
