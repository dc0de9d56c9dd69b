/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to doctor/checks*.c: the list that the checks are added to. */
#pragma once

#include "doctor/doctor.h"

#include <stddef.h>

struct checks {
	struct nb_check *c;
	size_t n;
	size_t max;
	/* Where checks beyond @max go, so that callers need no NULL test. */
	struct nb_check spare;
};

struct nb_check *nb_check_add(struct checks *cs, const char *name, enum nb_check_status status,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void nb_check_fix(struct nb_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What shadow's useradd hands out by default (SUB_UID_MIN, SUB_UID_COUNT). */
#define SUBID_COUNT 65536u

void nb_check_subids(struct checks *cs, const struct nb_doctor_facts *f, bool uids);
void nb_check_helper(struct checks *cs, const struct nb_doctor_facts *f, const char *name,
		     const struct nb_helper_facts *h);
