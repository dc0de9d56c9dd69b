/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"
#include "core/env.h"
#include "core/idmap.h"

#include <signal.h>

struct nb_seccomp_progs;
#include <stdbool.h>
#include <sys/types.h>

/* Marks every fd but 0-2 close-on-exec, and passes @keep on. */
int nb_exec_pass_fds(const int *keep, size_t n, struct nb_error *e);

/**
 * struct nb_exec_spec - everything the command's process applies before exec
 * @cfg: capabilities, no_new_privs, rlimits, environment, argv, --chdir
 * @ids: the identity inside
 * @shell: the command when @cfg has none
 * @cwd: the caller's directory, kept when the sandbox can see it
 * @mask: the signal mask to restore
 * @sigchld_ignored: give back an ignored SIGCHLD
 * @parent: the parent the process must still have, or 0 when that is the
 *          host, whose end of @sync_fd then must still be open
 * @sync_fd: where a failure is reported
 * @keep_fds: inherited fds that reach the command beside 0, 1 and 2
 * @n_keep_fds: how many
 *
 * It holds no run context, so a process that joins a running sandbox can
 * build one and call nb_exec() the same way.
 */
struct nb_exec_spec {
	const struct nb_config *cfg;
	const struct nb_idplan *ids;
	const char *shell;
	const char *cwd;
	sigset_t mask;
	bool sigchld_ignored;
	pid_t parent;
	int sync_fd;
	const int *keep_fds;
	size_t n_keep_fds;
	const struct nb_seccomp_progs *progs;
	/* Refuse new user namespaces with a seccomp filter, in the command's own namespace. */
	bool nouserns_filter;
};

/* --rlimit, in order. */
int nb_exec_apply_rlimits(const struct nb_config *cfg, struct nb_error *e);
/* Applies the per-process settings and execs the command; never returns. */
_Noreturn void nb_exec(const struct nb_exec_spec *x);
/*
 * execve() of @name with @argv, searched in @env's PATH as execvp() does; on return
 * @e says why it failed, with 127 or 126 as env(1) uses them.
 */
void nb_exec_argv(const char *name, char **argv, char **env, struct nb_error *e);
