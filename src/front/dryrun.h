/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to front/dryrun.c and front/dryrun-proc.c: where the plan is printed. */
#pragma once

#include "core/plan.h"
#include "lib/json.h"

#include <stdbool.h>
#include <stdio.h>

/* Text for people, or JSON through the one writer. */
struct out {
	FILE *f;
	bool json;
	struct nb_json j;
	/* The plan runs under Landlock: the sections after isolation() say so. */
	bool landlock;
};

void nb_dry_caps(const struct nb_plan *p, struct out *o);
void nb_dry_security(const struct nb_plan *p, struct out *o);
void nb_dry_environment(const struct nb_plan *p, struct out *o);
void nb_dry_hooks(const struct nb_plan *p, struct out *o);
void nb_dry_fds(const struct nb_plan *p, struct out *o);
void nb_dry_limits(const struct nb_plan *p, struct out *o);
