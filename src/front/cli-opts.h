/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to front/cli.c and front/cli-opts.c: the option table's types. */
#pragma once

#include "front/cli.h"

#include <stddef.h>
#include <stdint.h>

struct nb_error;
struct nb_host;

enum { SUB_RUN = 1, SUB_IDMAP = 2, SUB_DOCTOR = 4, SUB_PS = 8, SUB_ENTER = 16 };

struct parse_state {
	struct nb_config *cfg;
	struct nb_cli *cli;
	const struct nb_host *host;
	uint64_t next_tmpfs_size;
	struct nb_error *e;
};

typedef int (*opt_fn)(struct parse_state *st, char **arg);

struct opt {
	const char *name;
	char short_name;
	int nargs;
	/* What the arguments are, for "--bind needs SRC and DST". */
	const char *args;
	int subcommands;
	opt_fn fn;
};

int nb_opt_bad(struct parse_state *st, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int nb_opt_set_str(char **field, const char *v);

/* The handlers of opts-fs.c and opts-proc.c. */
int nb_opt_root(struct parse_state *st, char **arg);
int nb_opt_bind(struct parse_state *st, char **arg);
int nb_opt_ro_bind(struct parse_state *st, char **arg);
int nb_opt_bind_try(struct parse_state *st, char **arg);
int nb_opt_ro_bind_try(struct parse_state *st, char **arg);
int nb_opt_rw(struct parse_state *st, char **arg);
int nb_opt_size(struct parse_state *st, char **arg);
int nb_opt_tmpfs(struct parse_state *st, char **arg);
int nb_opt_proc(struct parse_state *st, char **arg);
int nb_opt_dev(struct parse_state *st, char **arg);
int nb_opt_dir(struct parse_state *st, char **arg);
int nb_opt_symlink(struct parse_state *st, char **arg);
int nb_opt_overlay(struct parse_state *st, char **arg);
int nb_opt_tmp_overlay(struct parse_state *st, char **arg);
int nb_opt_chdir(struct parse_state *st, char **arg);
int nb_opt_cap_drop(struct parse_state *st, char **arg);
int nb_opt_cap_add(struct parse_state *st, char **arg);
int nb_opt_nnp(struct parse_state *st, char **arg);
int nb_opt_setenv(struct parse_state *st, char **arg);
int nb_opt_unsetenv(struct parse_state *st, char **arg);
int nb_opt_clearenv(struct parse_state *st, char **arg);
int nb_opt_rlimit(struct parse_state *st, char **arg);
int nb_opt_keep_fd(struct parse_state *st, char **arg);
int nb_opt_info_fd(struct parse_state *st, char **arg);
int nb_opt_json_status_fd(struct parse_state *st, char **arg);
int nb_opt_block_fd(struct parse_state *st, char **arg);
int nb_opt_sync_fd(struct parse_state *st, char **arg);
int nb_opt_lock_file(struct parse_state *st, char **arg);
int nb_opt_seccomp(struct parse_state *st, char **arg);
int nb_opt_isolation(struct parse_state *st, char **arg);
int nb_opt_allow_setgroups(struct parse_state *st, char **arg);
int nb_opt_disable_userns(struct parse_state *st, char **arg);

/* The options, and how many. */
extern const struct opt nb_cli_options[];
extern const size_t nb_cli_n_options;
