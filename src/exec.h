/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "sandbox.h"

/**
 * nb_env_build() - the command's environment (pure)
 * @base: the caller's environment
 * @cfg: --clearenv, --setenv and --unsetenv, applied in order
 *
 * Return: a NULL-terminated array that borrows its strings from @base and
 * @cfg; free it with free().  NULL when out of memory.
 */
char **nb_env_build(char *const *base, const struct nb_config *cfg);
/* The variables removed wherever the host session is hidden, NULL-terminated. */
extern const char *const nb_session_vars[];

/* Applies the per-process settings and execs the command; never returns. */
_Noreturn void nb_exec_command(const struct nb_child *c);
