/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

struct nb_error;

/* Installs the policy @mode names (nothing for NB_SECCOMP_NONE). */
/* One line for -v: the policy and its size. */
const char *nb_seccomp_describe(enum nb_seccomp_mode mode);
int nb_seccomp_install(enum nb_seccomp_mode mode, struct nb_error *e);
