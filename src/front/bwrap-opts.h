/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to front/bwrap-cli.c and front/bwrap-opts.c: the option table's types. */
#pragma once

#include "front/bwrap-cli.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct state {
	struct nb_config *cfg;
	struct nb_bwrap_cli *cli;
	const struct nb_host *host;
	struct nb_error *e;
	/* --perms and --size wait for the operation they apply to. */
	int64_t next_perms;
	uint64_t next_size;
	/* --overlay-src directories, escaped and colon-separated. */
	char lowers[8192];
	size_t n_lowers;
	int64_t uid, gid;
	bool chdir_seen;
	bool seccomp_single; /* --seccomp, which --add-seccomp-fd cannot join */
};

struct opt;
typedef int (*opt_fn)(struct state *st, const struct opt *o, char **arg);

struct opt {
	const char *name;
	int nargs;
	opt_fn fn;
	/* A namespace flag for the --unshare-* options. */
	int flag;
	/* A mount kind for the options that only add one operation. */
	enum nb_mount_kind kind;
	/* -try: a missing source is skipped. */
	bool optional;
};

/* A refusal in bubblewrap's way: its status 1 and the message alone. */
int nb_bw_bad(struct state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An inherited fd number, refused unless the caller passed it. */
int nb_bw_parse_fd(struct state *st, const char *s, int *fd);

/* The options, and how many. */
extern const struct opt nb_bwrap_options[];
extern const size_t nb_bwrap_n_options;
