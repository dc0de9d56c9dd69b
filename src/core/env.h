/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's environment (env.c, pure). */
#pragma once

struct nb_config;

/**
 * nb_env_build() - the command's environment (pure)
 * @base: the caller's environment
 * @cfg: --clearenv, --setenv and --unsetenv, applied in order
 *
 * Return: a NULL-terminated array that borrows its strings from @base and
 * @cfg; free it with free().  NULL when out of memory.
 */
char **nb_env_build(char *const *base, const struct nb_config *cfg);
/* @env (from nb_env_build()) with "KEY=value" @entry in place of any KEY it had. */
char **nb_env_set(char **env, char *entry);
/* The variables removed wherever the host session is hidden, NULL-terminated. */
extern const char *const nb_session_vars[];
/* The value of @key in @env, or NULL. */
const char *nb_env_get(char *const *env, const char *key);
