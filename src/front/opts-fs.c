// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox's filesystem options (--root, --bind, --tmpfs, --overlay, ...):
 * each checks its paths and adds its mount to the plan's list.  Pure.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "front/cli-opts.h"
#include "core/netplan.h"
#include "core/ns.h"
#include "core/profile.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

/* Filesystem. */

static const struct {
	const char *name;
	enum nb_root_mode mode;
} root_modes[] = {
	{ .name = "host", .mode = NB_ROOT_HOST },
	{ .name = "ro", .mode = NB_ROOT_RO },
	{ .name = "empty", .mode = NB_ROOT_EMPTY },
};

int nb_opt_root(struct parse_state *st, char **arg)
{
	for (size_t i = 0; i < sizeof(root_modes) / sizeof(root_modes[0]); i++)
		if (nb_streq(arg[0], root_modes[i].name)) {
			st->cfg->fs.root_mode = root_modes[i].mode;
			st->cfg->fs.root_chosen = true;
			return 0;
		}
	return nb_opt_bad(st, "use host, ro or empty", "--root: unknown mode '%s'", arg[0]);
}

/* Paths longer than this are refused, so that no buffer ever truncates one. */

static int check_len(struct parse_state *st, const char *opt, const char *path)
{
	if (strlen(path) >= NB_PATH_LIMIT)
		return nb_opt_bad(st, "paths are limited to 3999 bytes", "%s: path too long", opt);
	return 0;
}

/* nestbox's own rule on top of the builder's (config.c): absolute, clean, not /. */
static int check_dst(struct parse_state *st, const char *opt, const char *dst)
{
	if (!nb_is_abs_clean_path(dst))
		return nb_opt_bad(st, "give an absolute path without '.' or '..'",
				  "%s: unsafe destination '%s'", opt, dst);
	/* Mounting over the root would hide the tree every later step works in. */
	if (dst[strspn(dst, "/")] == '\0')
		return nb_opt_bad(st, "use --root empty and mount below /", "%s: destination is /",
				  opt);
	return 0;
}

/* The checked builder, its refusal named by the option. */
static struct nb_mount_op *add_mount(struct parse_state *st, const char *opt,
				     enum nb_mount_kind kind, const char *src, const char *dst)
{
	struct nb_mount_op *op = nb_config_mount(st->cfg, kind, src, dst, st->e);

	if (!op)
		nb_error_wrap(st->e, "%s", opt);
	return op;
}

static int bind_common(struct parse_state *st, const char *opt, enum nb_mount_kind kind,
		       const char *src, const char *dst)
{
	if (check_dst(st, opt, dst) < 0)
		return -EINVAL;
	return add_mount(st, opt, kind, src, dst) ? 0 : -EINVAL;
}

int nb_opt_bind(struct parse_state *st, char **arg)
{
	return bind_common(st, "--bind", NB_MNT_BIND, arg[0], arg[1]);
}

int nb_opt_ro_bind(struct parse_state *st, char **arg)
{
	return bind_common(st, "--ro-bind", NB_MNT_RO_BIND, arg[0], arg[1]);
}

static int bind_try(struct parse_state *st, const char *opt, enum nb_mount_kind kind, char **arg)
{
	if (bind_common(st, opt, kind, arg[0], arg[1]) < 0)
		return -EINVAL;
	st->cfg->fs.mounts[st->cfg->fs.n_mounts - 1].optional = true;
	return 0;
}

int nb_opt_bind_try(struct parse_state *st, char **arg)
{
	return bind_try(st, "--bind-try", NB_MNT_BIND, arg);
}

int nb_opt_ro_bind_try(struct parse_state *st, char **arg)
{
	return bind_try(st, "--ro-bind-try", NB_MNT_RO_BIND, arg);
}

int nb_opt_rw(struct parse_state *st, char **arg)
{
	return bind_common(st, "--rw", NB_MNT_BIND, arg[0], arg[0]);
}

int nb_opt_size(struct parse_state *st, char **arg)
{
	if (nb_parse_size(arg[0], &st->next_tmpfs_size) < 0)
		return nb_opt_bad(st, "give bytes with an optional k, m or g suffix",
				  "--size: invalid size '%s'", arg[0]);
	return 0;
}

int nb_opt_tmpfs(struct parse_state *st, char **arg)
{
	struct nb_mount_op *op;

	if (check_dst(st, "--tmpfs", arg[0]) < 0 ||
	    !(op = add_mount(st, "--tmpfs", NB_MNT_TMPFS, NULL, arg[0])))
		return -EINVAL;
	op->size = st->next_tmpfs_size;
	st->next_tmpfs_size = 0;
	return 0;
}

static int simple_mount(struct parse_state *st, const char *opt, enum nb_mount_kind kind,
			const char *dst)
{
	if (check_dst(st, opt, dst) < 0)
		return -EINVAL;
	return add_mount(st, opt, kind, NULL, dst) ? 0 : -EINVAL;
}

int nb_opt_proc(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--proc", NB_MNT_PROC, arg[0]);
}

int nb_opt_dev(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--dev", NB_MNT_DEV, arg[0]);
}

int nb_opt_dir(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--dir", NB_MNT_DIR, arg[0]);
}

int nb_opt_symlink(struct parse_state *st, char **arg)
{
	if (check_dst(st, "--symlink", arg[1]) < 0)
		return -EINVAL;
	return add_mount(st, "--symlink", NB_MNT_SYMLINK, arg[0], arg[1]) ? 0 : -EINVAL;
}

static int check_lowers(struct parse_state *st, const char *opt, const char *lowers)
{
	if (check_len(st, opt, lowers) < 0)
		return -EINVAL;
	if (!*lowers || strstr(lowers, "::") || lowers[0] == ':' ||
	    lowers[strlen(lowers) - 1] == ':')
		return nb_opt_bad(st, "give LOWER[:LOWER...]", "%s: malformed lower list '%s'", opt,
				  lowers);
	return 0;
}

int nb_opt_overlay(struct parse_state *st, char **arg)
{
	struct nb_mount_op *op;

	if (check_lowers(st, "--overlay", arg[0]) < 0 || check_dst(st, "--overlay", arg[3]) < 0)
		return -EINVAL;
	if (!*arg[1] || !*arg[2])
		return nb_opt_bad(st, "give an upper and a work directory on one filesystem",
				  "--overlay: empty upper or work directory");
	if (check_len(st, "--overlay", arg[1]) < 0 || check_len(st, "--overlay", arg[2]) < 0)
		return -EINVAL;
	op = add_mount(st, "--overlay", NB_MNT_OVERLAY, arg[0], arg[3]);
	if (!op)
		return -EINVAL;
	op->upper = nb_xstrdup(arg[1]);
	op->work = nb_xstrdup(arg[2]);
	return 0;
}

int nb_opt_tmp_overlay(struct parse_state *st, char **arg)
{
	if (check_lowers(st, "--tmp-overlay", arg[0]) < 0 ||
	    check_dst(st, "--tmp-overlay", arg[1]) < 0)
		return -EINVAL;
	return add_mount(st, "--tmp-overlay", NB_MNT_TMP_OVERLAY, arg[0], arg[1]) ? 0 : -EINVAL;
}

int nb_opt_chdir(struct parse_state *st, char **arg)
{
	if (arg[0][0] != '/')
		return nb_opt_bad(st, "give an absolute path", "--chdir: relative path '%s'",
				  arg[0]);
	if (check_len(st, "--chdir", arg[0]) < 0)
		return -EINVAL;
	return nb_opt_set_str(&st->cfg->fs.chdir, arg[0]);
}

/* Capabilities. */
