/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

struct nb_error;

/* Installs the policy @mode names (nothing for NB_SECCOMP_NONE). */
int nb_seccomp_install(enum nb_seccomp_mode mode, struct nb_error *e);
