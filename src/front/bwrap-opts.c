// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bubblewrap's options, one handler each, and the table that names them;
 * every handler calls the builders of config.c.  Pure, as the parser that
 * reads the table (bwrap-cli.c).
 */
#include "autoconf.h"

#include "front/bwrap-cli.h"
#include "front/bwrap-opts.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int nb_bw_bad(struct state *st, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nb_fail(st->e, 1, 0, NULL, "%s", what);
}

/* A refusal of the checked builders (config.c), named by the option, with bubblewrap's status. */
static int refused(struct state *st, const struct opt *o)
{
	nb_error_wrap(st->e, "--%s", o->name);
	st->e->status = 1;
	return -EINVAL;
}

int nb_bw_parse_fd(struct state *st, const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0 || v > INT32_MAX)
		return nb_bw_bad(st, "Invalid fd: %s", s);
	*fd = (int)v;
	return 0;
}

static int parse_octal(struct state *st, const char *opt, const char *s, unsigned *mode)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (!*s || *end || errno || v > 07777)
		return nb_bw_bad(st, "--%s takes a permissions argument", opt);
	*mode = (unsigned)v;
	return 0;
}

/* The --perms and --size given for this operation, used up. */
static void take_pending(struct state *st, struct nb_mount_op *op)
{
	if (st->next_perms >= 0) {
		op->mode = (unsigned)st->next_perms;
		op->mode_set = true;
	}
	if (st->next_size)
		op->size = st->next_size;
	st->next_perms = -1;
	st->next_size = 0;
}

/*
 * bubblewrap opens bind sources in its own sandbox process, so two kinds of
 * /proc/self path mean something there: /proc/self/fd/N is the caller's fd
 * N, which that process inherited, and /proc/self/ns/NAME is the
 * sandbox's own namespace (flatpak binds /proc/self/ns/user to join it
 * later).  nestbox opens sources on the host, where they would name the
 * caller's: the first becomes a bind of fd N, the second a bind that init
 * makes of its own namespace.  Any other path follows the usual rules.
 */
static void proc_self_source(struct nb_mount_op *op)
{
	static const char fd_prefix[] = "/proc/self/fd/", ns_prefix[] = "/proc/self/ns/";
	uint32_t fd;

	if (!op->src || (op->kind != NB_MNT_BIND && op->kind != NB_MNT_RO_BIND))
		return;
	if (strncmp(op->src, fd_prefix, sizeof(fd_prefix) - 1) == 0 &&
	    nb_parse_u32(op->src + sizeof(fd_prefix) - 1, &fd) == 0 && fd <= INT32_MAX) {
		op->has_fd = true;
		op->fd = (int)fd;
	} else if (strncmp(op->src, ns_prefix, sizeof(ns_prefix) - 1) == 0) {
		static const char *const names[] = { "user",
						     "mnt",
						     "net",
						     "ipc",
						     "pid",
						     "uts",
						     "cgroup",
						     "time",
						     "pid_for_children",
						     "time_for_children" };

		/* Only a namespace's own name: never "..", "." or a path. */
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			if (nb_streq(op->src + sizeof(ns_prefix) - 1, names[i]))
				op->own_ns = true;
	}
}

static int opt_mount(struct state *st, const struct opt *o, char **arg)
{
	const char *src = o->nargs == 2 ? arg[0] : NULL;
	const char *dst = o->nargs == 2 ? arg[1] : arg[0];
	struct nb_mount_op *op = nb_config_mount(st->cfg, o->kind, src, dst, st->e);

	if (!op)
		return refused(st, o);
	op->optional = o->optional;
	/* bubblewrap's --remount-ro is the mount at DEST only (SETUP_REMOUNT_RO_NO_RECURSIVE). */
	op->nonrecursive = o->kind == NB_MNT_REMOUNT_RO;
	proc_self_source(op);
	take_pending(st, op);
	return 0;
}

static int opt_fd_mount(struct state *st, const struct opt *o, char **arg)
{
	struct nb_mount_op *op;
	int fd;

	if (nb_bw_parse_fd(st, arg[0], &fd) < 0)
		return -EINVAL;
	op = nb_config_mount(st->cfg, o->kind, NULL, arg[1], st->e);
	if (!op)
		return refused(st, o);
	op->has_fd = true;
	op->fd = fd;
	take_pending(st, op);
	return 0;
}

static int opt_unshare(struct state *st, const struct opt *o, char **arg)
{
	st->cfg->ns.unshare_flags |= o->flag;
	return 0;
}

static int opt_share_net(struct state *st, const struct opt *o, char **arg)
{
	st->cfg->ns.unshare_flags &= ~CLONE_NEWNET;
	return 0;
}

static int opt_unshare_all(struct state *st, const struct opt *o, char **arg)
{
	st->cfg->ns.unshare_flags |= CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS |
				     CLONE_NEWCGROUP;
	return 0;
}

static int parse_id(struct state *st, const char *opt, const char *s, int64_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v >= UINT32_MAX)
		return nb_bw_bad(st, "Invalid %s: %s", opt, s);
	*out = (int64_t)v;
	return 0;
}

static int opt_uid(struct state *st, const struct opt *o, char **arg)
{
	return parse_id(st, "uid", arg[0], &st->uid);
}

static int opt_gid(struct state *st, const struct opt *o, char **arg)
{
	return parse_id(st, "gid", arg[0], &st->gid);
}

static int opt_hostname(struct state *st, const struct opt *o, char **arg)
{
	if (nb_config_set_uts_name(st->cfg, false, arg[0], st->e) < 0) {
		/* bubblewrap's status for bad input. */
		st->e->status = 1;
		return nb_err(st->e);
	}
	return 0;
}

static int opt_chdir(struct state *st, const struct opt *o, char **arg)
{
	if (st->chdir_seen && st->cli->n_warnings < NB_BWRAP_MAX_WARNINGS)
		st->cli->warnings[st->cli->n_warnings++] =
		    "Only the last --chdir option will take effect";
	st->chdir_seen = true;
	free(st->cfg->fs.chdir);
	st->cfg->fs.chdir = nb_xstrdup(arg[0]);
	return 0;
}

static int opt_setenv(struct state *st, const struct opt *o, char **arg)
{
	return nb_config_env(st->cfg, NB_ENV_SET, arg[0], arg[1], st->e) < 0 ? refused(st, o) : 0;
}

static int opt_unsetenv(struct state *st, const struct opt *o, char **arg)
{
	return nb_config_env(st->cfg, NB_ENV_UNSET, arg[0], NULL, st->e) < 0 ? refused(st, o) : 0;
}

static int opt_clearenv(struct state *st, const struct opt *o, char **arg)
{
	nb_config_clear_env(st->cfg);
	return 0;
}

static int opt_lock_file(struct state *st, const struct opt *o, char **arg)
{
	nb_config_add_str(&st->cfg->proc.lock_files, &st->cfg->proc.n_lock_files, arg[0]);
	return 0;
}

/* Every fd option, by name. */
static int opt_fd(struct state *st, const struct opt *o, char **arg)
{
	struct nb_config *c = st->cfg;
	const struct {
		const char *name;
		int *field;
	} fields[] = {
		{ "info-fd", &c->proc.info_fd },
		{ "json-status-fd", &c->proc.json_status_fd },
		{ "block-fd", &c->proc.block_fd },
		{ "userns-block-fd", &c->compat.userns_block_fd },
		{ "userns", &c->compat.join_userns_fd },
		{ "pidns", &c->compat.join_pidns_fd },
		{ "userns2", &c->compat.switch_userns_fd },
	};
	int fd;

	if (nb_bw_parse_fd(st, arg[0], &fd) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (nb_streq(o->name, fields[i].name))
			*fields[i].field = fd;
	/* --sync-fd: nestbox holds it open while the sandbox runs, as every fd. */
	return 0;
}

static int opt_seccomp(struct state *st, const struct opt *o, char **arg)
{
	bool add = nb_streq(o->name, "add-seccomp-fd");
	int fd;

	if (nb_bw_parse_fd(st, arg[0], &fd) < 0)
		return -EINVAL;
	/* --seccomp is the one program; --add-seccomp-fd stacks them. */
	if (add && st->seccomp_single)
		return nb_bw_bad(st, "--add-seccomp-fd cannot be combined with --seccomp");
	if (!add && st->cfg->compat.n_seccomp_fds)
		return nb_bw_bad(st, "--seccomp cannot be combined with --add-seccomp-fd");
	st->seccomp_single = !add;
	nb_config_add_fd(&st->cfg->compat.seccomp_fds, &st->cfg->compat.n_seccomp_fds, fd);
	return 0;
}

static int opt_perms(struct state *st, const struct opt *o, char **arg)
{
	unsigned mode;

	if (st->next_perms >= 0)
		return nb_bw_bad(st, "--perms given twice for the same action");
	if (parse_octal(st, "perms", arg[0], &mode) < 0)
		return -EINVAL;
	st->next_perms = mode;
	return 0;
}

static int opt_size(struct state *st, const struct opt *o, char **arg)
{
	const char *s = arg[0];
	unsigned long long v;
	char *end;

	if (st->next_size)
		return nb_bw_bad(st, "--size given twice for the same action");
	errno = 0;
	v = (*s >= '0' && *s <= '9') ? strtoull(s, &end, 10) : 0;
	if (!v || *end || errno || v > SIZE_MAX / 2)
		return nb_bw_bad(st, "--size takes a non-zero number of bytes");
	st->next_size = v;
	return 0;
}

static int opt_chmod(struct state *st, const struct opt *o, char **arg)
{
	struct nb_mount_op *op;
	unsigned mode;

	if (parse_octal(st, "chmod", arg[0], &mode) < 0)
		return -EINVAL;
	op = nb_config_mount(st->cfg, NB_MNT_CHMOD, NULL, arg[1], st->e);
	if (!op)
		return refused(st, o);
	op->mode = mode;
	op->mode_set = true;
	return 0;
}

/*
 * overlayfs's own escaping, which sources.c undoes: '\\' and ':' get a
 * backslash.  The last --overlay-src is the top layer, so it goes first.
 */
static int opt_overlay_src(struct state *st, const struct opt *o, char **arg)
{
	char esc[sizeof(st->lowers)];
	size_t n = 0;

	for (const char *p = arg[0]; *p; p++) {
		if (n + 3 >= sizeof(esc))
			return nb_bw_bad(st, "--overlay-src: too many or too long paths");
		if (*p == ':' || *p == '\\')
			esc[n++] = '\\';
		esc[n++] = *p;
	}
	esc[n] = '\0';
	if (n + strlen(st->lowers) + 2 > sizeof(st->lowers))
		return nb_bw_bad(st, "--overlay-src: too many or too long paths");
	if (st->n_lowers) {
		memmove(st->lowers + n + 1, st->lowers, strlen(st->lowers) + 1);
		memcpy(st->lowers, esc, n);
		st->lowers[n] = ':';
	} else {
		memcpy(st->lowers, esc, n + 1);
	}
	st->n_lowers++;
	return 0;
}

static int opt_overlay(struct state *st, const struct opt *o, char **arg)
{
	size_t need = o->kind == NB_MNT_TMP_OVERLAY || o->nargs == 3 ? 1 : 2;
	struct nb_mount_op *op;

	if (st->n_lowers < need)
		return nb_bw_bad(st, "--%s requires at least %s --overlay-src", o->name,
				 need == 1 ? "one" : "two");
	op = nb_config_mount(st->cfg, o->kind, st->lowers, arg[o->nargs - 1], st->e);
	if (!op)
		return refused(st, o);
	if (o->nargs == 3) {
		op->upper = nb_xstrdup(arg[0]);
		op->work = nb_xstrdup(arg[1]);
	}
	take_pending(st, op);
	st->n_lowers = 0;
	st->lowers[0] = '\0';
	return 0;
}

static int parse_cap(struct state *st, const char *name, uint64_t *bits)
{
	int cap;

	if (strcasecmp(name, "ALL") == 0) {
		*bits = ~0ULL;
		return 0;
	}
	cap = nb_cap_from_name(name);
	if (cap < 0)
		return nb_bw_bad(st, "Unknown cap: %s", name);
	*bits = 1ULL << cap;
	return 0;
}

static int opt_cap(struct state *st, const struct opt *o, char **arg)
{
	uint64_t bits = 0;

	if (parse_cap(st, arg[0], &bits) < 0)
		return -EINVAL;
	if (nb_streq(o->name, "cap-add"))
		st->cfg->sec.cap_add |= bits;
	else
		st->cfg->sec.cap_add &= ~bits;
	return 0;
}

static int opt_flag(struct state *st, const struct opt *o, char **arg)
{
	struct nb_config *c = st->cfg;

	if (nb_streq(o->name, "as-pid-1"))
		c->ns.as_pid1 = true;
	else if (nb_streq(o->name, "die-with-parent"))
		c->proc.die_with_parent = true;
	else if (nb_streq(o->name, "new-session"))
		c->proc.new_session = true;
	else if (nb_streq(o->name, "disable-userns"))
		c->sec.disable_userns = true;
	else if (nb_streq(o->name, "assert-userns-disabled"))
		c->compat.assert_userns_disabled = true;
	else if (nb_streq(o->name, "nestbox-seccomp"))
		c->sec.seccomp = NB_SECCOMP_DEFAULT;
	else if (nb_streq(o->name, "level-prefix"))
		st->cli->level_prefix = true;
	else if (nb_streq(o->name, "help"))
		st->cli->help = true;
	else if (nb_streq(o->name, "version"))
		st->cli->version = true;
	return 0;
}

static int opt_argv0(struct state *st, const struct opt *o, char **arg)
{
	free(st->cfg->proc.argv0);
	st->cfg->proc.argv0 = nb_xstrdup(arg[0]);
	return 0;
}

static int opt_label(struct state *st, const struct opt *o, char **arg)
{
	/* nestbox has no SELinux support: bubblewrap's words for a system without it. */
	return nb_bw_bad(st, "labeling not supported on this system");
}

#define M(n, a, k)                                                \
	{                                                         \
		.name = n, .nargs = a, .kind = k, .fn = opt_mount \
	}
#define MT(n, a, k)                                                                 \
	{                                                                           \
		.name = n, .nargs = a, .kind = k, .optional = true, .fn = opt_mount \
	}
#define FULL(n, a, f)                          \
	{                                      \
		.name = n, .nargs = a, .fn = f \
	}
#define NS(n, f)                                                    \
	{                                                           \
		.name = n, .nargs = 0, .flag = f, .fn = opt_unshare \
	}

const struct opt nb_bwrap_options[] = {
	FULL("help", 0, opt_flag),
	FULL("version", 0, opt_flag),
	FULL("level-prefix", 0, opt_flag),
	{ .name = "argv0", .nargs = 1, .fn = opt_argv0 },
	{ .name = "unshare-all", .nargs = 0, .fn = opt_unshare_all },
	{ .name = "share-net", .nargs = 0, .fn = opt_share_net },
	/* Unprivileged, there is always a user namespace. */
	NS("unshare-user", 0),
	NS("unshare-user-try", 0),
	NS("unshare-ipc", CLONE_NEWIPC),
	NS("unshare-pid", CLONE_NEWPID),
	NS("unshare-net", CLONE_NEWNET),
	NS("unshare-uts", CLONE_NEWUTS),
	NS("unshare-cgroup", CLONE_NEWCGROUP),
	NS("unshare-cgroup-try", CLONE_NEWCGROUP),
	FULL("userns", 1, opt_fd),
	FULL("userns2", 1, opt_fd),
	FULL("pidns", 1, opt_fd),
	FULL("disable-userns", 0, opt_flag),
	FULL("assert-userns-disabled", 0, opt_flag),
	{ .name = "uid", .nargs = 1, .fn = opt_uid },
	{ .name = "gid", .nargs = 1, .fn = opt_gid },
	{ .name = "hostname", .nargs = 1, .fn = opt_hostname },
	{ .name = "chdir", .nargs = 1, .fn = opt_chdir },
	{ .name = "clearenv", .nargs = 0, .fn = opt_clearenv },
	{ .name = "setenv", .nargs = 2, .fn = opt_setenv },
	{ .name = "unsetenv", .nargs = 1, .fn = opt_unsetenv },
	{ .name = "lock-file", .nargs = 1, .fn = opt_lock_file },
	FULL("sync-fd", 1, opt_fd),
	{ .name = "perms", .nargs = 1, .fn = opt_perms },
	{ .name = "size", .nargs = 1, .fn = opt_size },
	M("bind", 2, NB_MNT_BIND),
	MT("bind-try", 2, NB_MNT_BIND),
	/* Device nodes work in a bind of either kind; a user namespace cannot use them. */
	M("dev-bind", 2, NB_MNT_BIND),
	MT("dev-bind-try", 2, NB_MNT_BIND),
	M("ro-bind", 2, NB_MNT_RO_BIND),
	MT("ro-bind-try", 2, NB_MNT_RO_BIND),
	{ .name = "bind-fd", .nargs = 2, .kind = NB_MNT_BIND, .fn = opt_fd_mount },
	{ .name = "ro-bind-fd", .nargs = 2, .kind = NB_MNT_RO_BIND, .fn = opt_fd_mount },
	M("remount-ro", 1, NB_MNT_REMOUNT_RO),
	{ .name = "overlay-src", .nargs = 1, .fn = opt_overlay_src },
	{ .name = "overlay", .nargs = 3, .kind = NB_MNT_OVERLAY, .fn = opt_overlay },
	{ .name = "tmp-overlay", .nargs = 1, .kind = NB_MNT_TMP_OVERLAY, .fn = opt_overlay },
	{ .name = "ro-overlay", .nargs = 1, .kind = NB_MNT_OVERLAY, .fn = opt_overlay },
	{ .name = "exec-label", .nargs = 1, .fn = opt_label },
	{ .name = "file-label", .nargs = 1, .fn = opt_label },
	M("proc", 1, NB_MNT_PROC),
	M("dev", 1, NB_MNT_DEV),
	M("tmpfs", 1, NB_MNT_TMPFS),
	M("mqueue", 1, NB_MNT_MQUEUE),
	M("dir", 1, NB_MNT_DIR),
	{ .name = "file", .nargs = 2, .kind = NB_MNT_FILE, .fn = opt_fd_mount },
	{ .name = "bind-data", .nargs = 2, .kind = NB_MNT_BIND_DATA, .fn = opt_fd_mount },
	{ .name = "ro-bind-data", .nargs = 2, .kind = NB_MNT_RO_BIND_DATA, .fn = opt_fd_mount },
	M("symlink", 2, NB_MNT_SYMLINK),
	{ .name = "chmod", .nargs = 2, .fn = opt_chmod },
	FULL("seccomp", 1, opt_seccomp),
	FULL("add-seccomp-fd", 1, opt_seccomp),
	FULL("block-fd", 1, opt_fd),
	FULL("userns-block-fd", 1, opt_fd),
	FULL("info-fd", 1, opt_fd),
	FULL("json-status-fd", 1, opt_fd),
	FULL("new-session", 0, opt_flag),
	FULL("die-with-parent", 0, opt_flag),
	FULL("as-pid-1", 0, opt_flag),
	FULL("cap-add", 1, opt_cap),
	FULL("cap-drop", 1, opt_cap),
	/* nestbox's own addition: its default policy, which refuses TIOCSTI among others. */
	FULL("nestbox-seccomp", 0, opt_flag),
};
const size_t nb_bwrap_n_options = ARRAY_SIZE(nb_bwrap_options);
