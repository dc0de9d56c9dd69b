// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the mount operations of the option parser.  Each
 * input line (NUL or newline ended) is one option with its arguments
 * separated by tabs, e.g. "bind\t/usr\t/mnt"; the first field picks the
 * option, and lines whose first field names none still become one of them,
 * so that nearly every line reaches a mount-operation parser.  A first field
 * ending in '=' gives the "--opt=value" form.  The result is then checked:
 * what the parser accepts must be safe for the mount code to use.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "lib/util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src",
	.shell = "/bin/bash",
};

static const struct {
	const char *name;
	int nargs;
} ops[] = {
	{ .name = "bind", .nargs = 2 },	       { .name = "ro-bind", .nargs = 2 },
	{ .name = "rw", .nargs = 1 },	       { .name = "tmpfs", .nargs = 1 },
	{ .name = "size", .nargs = 1 },	       { .name = "proc", .nargs = 1 },
	{ .name = "dev", .nargs = 1 },	       { .name = "dir", .nargs = 1 },
	{ .name = "symlink", .nargs = 2 },     { .name = "overlay", .nargs = 4 },
	{ .name = "tmp-overlay", .nargs = 2 }, { .name = "chdir", .nargs = 1 },
	{ .name = "root", .nargs = 1 },	       { .name = "profile", .nargs = 1 },
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

struct args {
	char **v;
	int n;
};

/* Appends the concatenation of two byte strings as one argument. */
static void push(struct args *a, const char *p1, size_t len1, const char *p2, size_t len2)
{
	a->v = realloc(a->v, (size_t)(a->n + 2) * sizeof(*a->v));
	if (!a->v)
		abort();
	a->v[a->n] = malloc(len1 + len2 + 1);
	if (!a->v[a->n])
		abort();
	memcpy(a->v[a->n], p1, len1);
	memcpy(a->v[a->n] + len1, p2, len2);
	a->v[a->n++][len1 + len2] = '\0';
	a->v[a->n] = NULL;
}

/* The length of the tab-separated field at @p, which ends at @end at the latest. */
static size_t field(const char *p, const char *end)
{
	const char *t = memchr(p, '\t', (size_t)(end - p));

	return t ? (size_t)(t - p) : (size_t)(end - p);
}

/* One line: "name[=]\targ\targ...", missing arguments become "". */
static void add_line(struct args *a, const char *line, size_t len)
{
	const char *end = line + len;
	size_t flen = field(line, end);
	bool inline_form = flen > 0 && line[flen - 1] == '=';
	size_t name_len = inline_form ? flen - 1 : flen;
	size_t k = N_OPS, hash = 0;
	char opt[64];

	for (size_t i = 0; i < N_OPS; i++)
		if (strlen(ops[i].name) == name_len && memcmp(ops[i].name, line, name_len) == 0)
			k = i;
	if (k == N_OPS) {
		for (size_t i = 0; i < name_len; i++)
			hash = hash * 31 + (unsigned char)line[i];
		k = hash % N_OPS;
	}
	line += flen < len ? flen + 1 : flen;
	if (inline_form && ops[k].nargs == 1) {
		snprintf(opt, sizeof(opt), "--%s=", ops[k].name);
		push(a, opt, strlen(opt), line, field(line, end));
		return;
	}
	snprintf(opt, sizeof(opt), "--%s", ops[k].name);
	push(a, opt, strlen(opt), "", 0);
	for (int i = 0; i < ops[k].nargs; i++) {
		size_t vlen = field(line, end);

		push(a, line, vlen, "", 0);
		line += line + vlen < end ? vlen + 1 : vlen;
	}
}

/* LOWER[:LOWER...]: no empty lower. */
static bool lowers_ok(const char *s)
{
	return s && *s && s[0] != ':' && s[strlen(s) - 1] != ':' && !strstr(s, "::");
}

static void check_mounts(const struct nb_config *cfg)
{
	for (size_t i = 0; i < cfg->fs.n_mounts; i++) {
		const struct nb_mount_op *op = &cfg->fs.mounts[i];

		if (!op->dst || !nb_is_abs_clean_path(op->dst) || strlen(op->dst) >= 4000 ||
		    op->dst[strspn(op->dst, "/")] == '\0')
			abort();
		switch (op->kind) {
		case NB_MNT_BIND:
		case NB_MNT_RO_BIND:
		case NB_MNT_SYMLINK:
			if (!op->src || !*op->src)
				abort();
			break;
		case NB_MNT_OVERLAY:
			if (!op->upper || !*op->upper || !op->work || !*op->work ||
			    !lowers_ok(op->src))
				abort();
			break;
		case NB_MNT_TMP_OVERLAY:
			if (!lowers_ok(op->src))
				abort();
			break;
		default:
			break;
		}
	}
	if (cfg->fs.chdir && cfg->fs.chdir[0] != '/')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct args a = { 0 };
	struct nb_config cfg;
	struct nb_cli cli;
	struct nb_error e = { 0 };
	size_t start = 0;

	push(&a, "nestbox", 7, "", 0);
	push(&a, "run", 3, "", 0);
	for (size_t i = 0; i <= size; i++) {
		if (i < size && s[i] != '\0' && s[i] != '\n')
			continue;
		if (i > start)
			add_line(&a, s + start, i - start);
		start = i + 1;
	}
	push(&a, "true", 4, "", 0);

	nb_config_init(&cfg);
	if (nb_cli_parse(a.n, a.v, &host, &cfg, &cli, &e) == 0)
		check_mounts(&cfg);
	nb_config_free(&cfg);

	for (int i = 0; i < a.n; i++)
		free(a.v[i]);
	free(a.v);
	return 0;
}
