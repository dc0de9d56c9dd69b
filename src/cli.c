// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option parser.  It is pure: no syscalls, so the unit tests drive it
 * directly.  Options are described by one table; an option may take several
 * arguments (--bind SRC DST), which getopt cannot express.
 */
#include "autoconf.h"

#include "cli.h"
#include "netplan.h"
#include "ns.h"
#include "profile.h"
#include "state.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

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

static int bad(struct parse_state *st, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct parse_state *st, const char *hint, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nb_fail(st->e, NB_EXIT_FAILURE, 0, hint, "%s", what);
}

static int set_str(char **field, const char *v)
{
	free(*field);
	*field = nb_xstrdup(v);
	return 0;
}

/* Namespaces. */

static int opt_share(struct parse_state *st, char **arg)
{
	const char *p = arg[0];

	if (nb_streq(p, "none")) {
		st->cfg->unshare_flags |= st->cfg->shared_flags;
		st->cfg->shared_flags = 0;
		if (st->cfg->net_mode == NB_NET_HOST)
			nb_config_set_net(st->cfg, NB_NET_NONE);
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		const struct nb_ns *ns = nb_ns_by_name(p, len);

		if (!ns || !ns->shareable)
			return bad(st, "valid names: mnt, net, ipc, uts, pid, cgroup, none",
				   "--share: unknown namespace '%.*s'", (int)len, p);
		/* --share net is --net host: one field says which. */
		if (ns->flag == CLONE_NEWNET)
			nb_config_set_net(st->cfg, NB_NET_HOST);
		st->cfg->unshare_flags &= ~ns->flag;
		st->cfg->shared_flags |= ns->flag;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int opt_net(struct parse_state *st, char **arg)
{
	enum nb_net_mode m;

	if (nb_net_mode_parse(arg[0], &m) < 0)
		return bad(st, "use none, host, pasta, slirp4netns or auto",
			   "--net: unknown mode '%s'", arg[0]);
	nb_config_set_net(st->cfg, m);
	return 0;
}

static int opt_publish(struct parse_state *st, char **arg)
{
	struct nb_publish p;

	if (nb_publish_parse(arg[0], &p, st->e) < 0)
		return -EINVAL;
	nb_config_add_publish(st->cfg, &p);
	return 0;
}

static int opt_net_host_loopback(struct parse_state *st, char **arg)
{
	st->cfg->net_host_loopback = true;
	return 0;
}

/*
 * --unshare LIST: exactly these namespaces besides the user namespace, the
 * others shared; the same fields as --share, so the later option wins.
 */
static int opt_unshare(struct parse_state *st, char **arg)
{
	const char *p = arg[0];
	int want = 0;

	while (*p && !nb_streq(p, "none")) {
		size_t len = strcspn(p, ",");
		const struct nb_ns *ns = nb_ns_by_name(p, len);

		if (!ns || !ns->shareable)
			return bad(st, "valid names: mnt, net, ipc, uts, pid, cgroup, or none",
				   "--unshare: unknown namespace '%.*s'", (int)len, p);
		want |= ns->flag;
		p += len;
		if (*p == ',')
			p++;
	}
	st->cfg->shared_flags = nb_ns_default_flags() & ~want;
	st->cfg->unshare_flags = want;
	/* The network mode follows, as for --share net: one field says which. */
	if (!(want & CLONE_NEWNET))
		nb_config_set_net(st->cfg, NB_NET_HOST);
	else if (st->cfg->net_mode == NB_NET_HOST)
		nb_config_set_net(st->cfg, NB_NET_NONE);
	return 0;
}

static int opt_hostname(struct parse_state *st, char **arg)
{
	return nb_config_set_uts_name(st->cfg, false, arg[0], st->e);
}

static int opt_domainname(struct parse_state *st, char **arg)
{
	return nb_config_set_uts_name(st->cfg, true, arg[0], st->e);
}

static int opt_as_pid1(struct parse_state *st, char **arg)
{
	st->cfg->as_pid1 = true;
	return 0;
}

/* ID mapping. */

static const struct {
	const char *name;
	enum nb_map_mode mode;
} map_modes[] = {
	{ .name = "root", .mode = NB_MAP_ROOT },
	{ .name = "user", .mode = NB_MAP_USER },
	{ .name = "auto", .mode = NB_MAP_AUTO },
	{ .name = "none", .mode = NB_MAP_NONE },
};

static int opt_map(struct parse_state *st, char **arg)
{
	for (size_t i = 0; i < sizeof(map_modes) / sizeof(map_modes[0]); i++)
		if (nb_streq(arg[0], map_modes[i].name)) {
			st->cfg->map_mode = map_modes[i].mode;
			st->cfg->map_chosen = true;
			st->cfg->uid_map.n = st->cfg->gid_map.n = 0;
			return 0;
		}
	return bad(st, "use root, user, auto or none", "--map: unknown mode '%s'", arg[0]);
}

static int add_range(struct parse_state *st, const char *opt, struct nb_idmap *m, const char *spec)
{
	char buf[64];
	char *f[3];
	struct nb_id_range r;
	size_t len = strlen(spec);

	if (len >= sizeof(buf))
		goto malformed;
	memcpy(buf, spec, len + 1);
	f[0] = buf;
	f[1] = strchr(f[0], ':');
	if (!f[1])
		goto malformed;
	*f[1]++ = '\0';
	f[2] = strchr(f[1], ':');
	if (!f[2])
		goto malformed;
	*f[2]++ = '\0';
	if (nb_parse_u32(f[0], &r.inside) < 0 || nb_parse_u32(f[1], &r.outside) < 0 ||
	    nb_parse_u32(f[2], &r.count) < 0)
		goto malformed;
	if (r.count == 0)
		return bad(st, "the count must be at least 1", "%s: empty range '%s'", opt, spec);
	if (m->n >= NB_MAX_MAP_LINES)
		return bad(st, "the kernel accepts at most 340 ranges", "%s: too many ranges", opt);
	if (st->cfg->map_mode != NB_MAP_EXPLICIT) {
		st->cfg->map_mode = NB_MAP_EXPLICIT;
		st->cfg->map_chosen = true;
		st->cfg->uid_map.n = st->cfg->gid_map.n = 0;
	}
	m->r = nb_grow(m->r, m->n, sizeof(*m->r));
	m->r[m->n++] = r;
	return 0;
malformed:
	return bad(st, "write INSIDE:OUTSIDE:COUNT, e.g. 0:1000:1", "%s: malformed range '%s'", opt,
		   spec);
}

static int opt_uid_map(struct parse_state *st, char **arg)
{
	return add_range(st, "--uid-map", &st->cfg->uid_map, arg[0]);
}

static int opt_gid_map(struct parse_state *st, char **arg)
{
	return add_range(st, "--gid-map", &st->cfg->gid_map, arg[0]);
}

static int parse_id(struct parse_state *st, const char *opt, const char *v, int64_t *out)
{
	uint32_t id;

	if (nb_parse_u32(v, &id) < 0 || id == UINT32_MAX)
		return bad(st, "give a number from 0 to 4294967294", "%s: invalid id '%s'", opt, v);
	*out = id;
	return 0;
}

static int opt_uid(struct parse_state *st, char **arg)
{
	return parse_id(st, "--uid", arg[0], &st->cfg->uid);
}

static int opt_gid(struct parse_state *st, char **arg)
{
	return parse_id(st, "--gid", arg[0], &st->cfg->gid);
}

static int opt_show_map(struct parse_state *st, char **arg)
{
	st->cfg->show_map = true;
	return 0;
}

/* Filesystem. */

static const struct {
	const char *name;
	enum nb_root_mode mode;
} root_modes[] = {
	{ .name = "host", .mode = NB_ROOT_HOST },
	{ .name = "ro", .mode = NB_ROOT_RO },
	{ .name = "empty", .mode = NB_ROOT_EMPTY },
};

static int opt_root(struct parse_state *st, char **arg)
{
	for (size_t i = 0; i < sizeof(root_modes) / sizeof(root_modes[0]); i++)
		if (nb_streq(arg[0], root_modes[i].name)) {
			st->cfg->root_mode = root_modes[i].mode;
			st->cfg->root_chosen = true;
			return 0;
		}
	return bad(st, "use host, ro or empty", "--root: unknown mode '%s'", arg[0]);
}

/* Paths longer than this are refused, so that no buffer ever truncates one. */
#define NB_PATH_LIMIT 4000

static int check_len(struct parse_state *st, const char *opt, const char *path)
{
	if (strlen(path) >= NB_PATH_LIMIT)
		return bad(st, "paths are limited to 3999 bytes", "%s: path too long", opt);
	return 0;
}

static int check_dst(struct parse_state *st, const char *opt, const char *dst)
{
	if (check_len(st, opt, dst) < 0)
		return -EINVAL;
	if (!nb_is_abs_clean_path(dst))
		return bad(st, "give an absolute path without '.' or '..'",
			   "%s: unsafe destination '%s'", opt, dst);
	/* Mounting over the root would hide the tree every later step works in. */
	if (dst[strspn(dst, "/")] == '\0')
		return bad(st, "use --root empty and mount below /", "%s: destination is /", opt);
	return 0;
}

static struct nb_mount_op *add_mount(struct parse_state *st, enum nb_mount_kind kind,
				     const char *src, const char *dst)
{
	return nb_config_add_mount(st->cfg, kind, src, dst);
}

static int bind_common(struct parse_state *st, const char *opt, enum nb_mount_kind kind,
		       const char *src, const char *dst)
{
	if (!*src)
		return bad(st, "give the path to bind", "%s: empty source", opt);
	if (check_len(st, opt, src) < 0)
		return -EINVAL;
	if (check_dst(st, opt, dst) < 0)
		return -EINVAL;
	add_mount(st, kind, src, dst);
	return 0;
}

static int opt_bind(struct parse_state *st, char **arg)
{
	return bind_common(st, "--bind", NB_MNT_BIND, arg[0], arg[1]);
}

static int opt_ro_bind(struct parse_state *st, char **arg)
{
	return bind_common(st, "--ro-bind", NB_MNT_RO_BIND, arg[0], arg[1]);
}

static int bind_try(struct parse_state *st, const char *opt, enum nb_mount_kind kind, char **arg)
{
	if (bind_common(st, opt, kind, arg[0], arg[1]) < 0)
		return -EINVAL;
	st->cfg->mounts[st->cfg->n_mounts - 1].optional = true;
	return 0;
}

static int opt_bind_try(struct parse_state *st, char **arg)
{
	return bind_try(st, "--bind-try", NB_MNT_BIND, arg);
}

static int opt_ro_bind_try(struct parse_state *st, char **arg)
{
	return bind_try(st, "--ro-bind-try", NB_MNT_RO_BIND, arg);
}

static int opt_rw(struct parse_state *st, char **arg)
{
	return bind_common(st, "--rw", NB_MNT_BIND, arg[0], arg[0]);
}

static int opt_size(struct parse_state *st, char **arg)
{
	if (nb_parse_size(arg[0], &st->next_tmpfs_size) < 0)
		return bad(st, "give bytes with an optional k, m or g suffix",
			   "--size: invalid size '%s'", arg[0]);
	return 0;
}

static int opt_tmpfs(struct parse_state *st, char **arg)
{
	struct nb_mount_op *op;

	if (check_dst(st, "--tmpfs", arg[0]) < 0)
		return -EINVAL;
	op = add_mount(st, NB_MNT_TMPFS, NULL, arg[0]);
	op->size = st->next_tmpfs_size;
	st->next_tmpfs_size = 0;
	return 0;
}

static int simple_mount(struct parse_state *st, const char *opt, enum nb_mount_kind kind,
			const char *dst)
{
	if (check_dst(st, opt, dst) < 0)
		return -EINVAL;
	add_mount(st, kind, NULL, dst);
	return 0;
}

static int opt_proc(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--proc", NB_MNT_PROC, arg[0]);
}

static int opt_dev(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--dev", NB_MNT_DEV, arg[0]);
}

static int opt_dir(struct parse_state *st, char **arg)
{
	return simple_mount(st, "--dir", NB_MNT_DIR, arg[0]);
}

static int opt_symlink(struct parse_state *st, char **arg)
{
	if (!*arg[0])
		return bad(st, "give the link's target", "--symlink: empty target");
	if (check_len(st, "--symlink", arg[0]) < 0)
		return -EINVAL;
	if (check_dst(st, "--symlink", arg[1]) < 0)
		return -EINVAL;
	add_mount(st, NB_MNT_SYMLINK, arg[0], arg[1]);
	return 0;
}

static int check_lowers(struct parse_state *st, const char *opt, const char *lowers)
{
	if (check_len(st, opt, lowers) < 0)
		return -EINVAL;
	if (!*lowers || strstr(lowers, "::") || lowers[0] == ':' ||
	    lowers[strlen(lowers) - 1] == ':')
		return bad(st, "give LOWER[:LOWER...]", "%s: malformed lower list '%s'", opt,
			   lowers);
	return 0;
}

static int opt_overlay(struct parse_state *st, char **arg)
{
	struct nb_mount_op *op;

	if (check_lowers(st, "--overlay", arg[0]) < 0 || check_dst(st, "--overlay", arg[3]) < 0)
		return -EINVAL;
	if (!*arg[1] || !*arg[2])
		return bad(st, "give an upper and a work directory on one filesystem",
			   "--overlay: empty upper or work directory");
	if (check_len(st, "--overlay", arg[1]) < 0 || check_len(st, "--overlay", arg[2]) < 0)
		return -EINVAL;
	op = add_mount(st, NB_MNT_OVERLAY, arg[0], arg[3]);
	op->upper = nb_xstrdup(arg[1]);
	op->work = nb_xstrdup(arg[2]);
	return 0;
}

static int opt_tmp_overlay(struct parse_state *st, char **arg)
{
	if (check_lowers(st, "--tmp-overlay", arg[0]) < 0 ||
	    check_dst(st, "--tmp-overlay", arg[1]) < 0)
		return -EINVAL;
	add_mount(st, NB_MNT_TMP_OVERLAY, arg[0], arg[1]);
	return 0;
}

static int opt_chdir(struct parse_state *st, char **arg)
{
	if (arg[0][0] != '/')
		return bad(st, "give an absolute path", "--chdir: relative path '%s'", arg[0]);
	if (check_len(st, "--chdir", arg[0]) < 0)
		return -EINVAL;
	return set_str(&st->cfg->chdir, arg[0]);
}

/* Capabilities. */

static int parse_cap(struct parse_state *st, const char *opt, const char *name, int *cap)
{
	*cap = nb_cap_from_name(name);
	if (*cap >= 0)
		return 0;
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	return bad(st, "see capabilities(7) for names such as net_raw",
		   "%s: unknown capability '%s'", opt, name);
}

static int opt_cap_drop(struct parse_state *st, char **arg)
{
	int cap;

	if (strcasecmp(arg[0], "ALL") == 0) {
		st->cfg->cap_drop_all = true;
		st->cfg->cap_add = 0;
		st->cfg->cap_drop = 0;
		return 0;
	}
	if (parse_cap(st, "--cap-drop", arg[0], &cap) < 0)
		return -EINVAL;
	st->cfg->cap_drop |= 1ULL << cap;
	st->cfg->cap_add &= ~(1ULL << cap);
	return 0;
}

static int opt_cap_add(struct parse_state *st, char **arg)
{
	int cap;

	if (parse_cap(st, "--cap-add", arg[0], &cap) < 0)
		return -EINVAL;
	st->cfg->cap_add |= 1ULL << cap;
	st->cfg->cap_drop &= ~(1ULL << cap);
	return 0;
}

static int opt_nnp(struct parse_state *st, char **arg)
{
	st->cfg->no_new_privs = true;
	return 0;
}

/* Environment and limits. */

static int add_env(struct parse_state *st, enum nb_env_kind kind, const char *k, const char *v)
{
	struct nb_config *c = st->cfg;

	if (!*k || strchr(k, '='))
		return bad(st, "a name must be non-empty and contain no '='",
			   "invalid environment variable name '%s'", k);
	nb_config_add_env(c, kind, k, v);
	return 0;
}

static int opt_setenv(struct parse_state *st, char **arg)
{
	return add_env(st, NB_ENV_SET, arg[0], arg[1]);
}

static int opt_unsetenv(struct parse_state *st, char **arg)
{
	return add_env(st, NB_ENV_UNSET, arg[0], NULL);
}

static int opt_clearenv(struct parse_state *st, char **arg)
{
	nb_config_clear_env(st->cfg);
	return 0;
}

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ .name = "as", .resource = RLIMIT_AS },
	{ .name = "core", .resource = RLIMIT_CORE },
	{ .name = "cpu", .resource = RLIMIT_CPU },
	{ .name = "data", .resource = RLIMIT_DATA },
	{ .name = "fsize", .resource = RLIMIT_FSIZE },
	{ .name = "locks", .resource = RLIMIT_LOCKS },
	{ .name = "memlock", .resource = RLIMIT_MEMLOCK },
	{ .name = "msgqueue", .resource = RLIMIT_MSGQUEUE },
	{ .name = "nice", .resource = RLIMIT_NICE },
	{ .name = "nofile", .resource = RLIMIT_NOFILE },
	{ .name = "nproc", .resource = RLIMIT_NPROC },
	{ .name = "rss", .resource = RLIMIT_RSS },
	{ .name = "rtprio", .resource = RLIMIT_RTPRIO },
	{ .name = "rttime", .resource = RLIMIT_RTTIME },
	{ .name = "sigpending", .resource = RLIMIT_SIGPENDING },
	{ .name = "stack", .resource = RLIMIT_STACK },
};

const char *nb_cli_rlimit_name(int resource)
{
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
		if (rlimits[i].resource == resource)
			return rlimits[i].name;
	return "?";
}

/* The limits counted in bytes take --size's k, m and g suffixes. */
static bool in_bytes(int resource)
{
	static const int bytes[] = { RLIMIT_AS,	     RLIMIT_CORE,     RLIMIT_DATA, RLIMIT_FSIZE,
				     RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE, RLIMIT_RSS,  RLIMIT_STACK };

	for (size_t i = 0; i < ARRAY_SIZE(bytes); i++)
		if (bytes[i] == resource)
			return true;
	return false;
}

static int parse_limit(int resource, const char *s, uint64_t *v)
{
	if (nb_streq(s, "unlimited") || nb_streq(s, "infinity")) {
		*v = RLIM_INFINITY;
		return 0;
	}
	/* nb_parse_size() refuses 0, which is a limit (core=0: no core file). */
	if (in_bytes(resource) && !nb_streq(s, "0"))
		return nb_parse_size(s, v);
	return nb_parse_u64(s, v);
}

static int opt_rlimit(struct parse_state *st, char **arg)
{
	char buf[128];
	char *eq, *colon;
	struct nb_rlimit_op op = { .resource = -1 };
	struct nb_config *c = st->cfg;

	if (strlen(arg[0]) >= sizeof(buf))
		goto malformed;
	strcpy(buf, arg[0]);
	eq = strchr(buf, '=');
	if (!eq)
		goto malformed;
	*eq++ = '\0';
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
		if (nb_streq(buf, rlimits[i].name))
			op.resource = rlimits[i].resource;
	if (op.resource < 0)
		return bad(st,
			   "names: as core cpu data fsize locks memlock msgqueue nice "
			   "nofile nproc rss rtprio rttime sigpending stack",
			   "--rlimit: unknown limit '%s'", buf);
	colon = strchr(eq, ':');
	if (colon)
		*colon++ = '\0';
	if (parse_limit(op.resource, eq, &op.soft) < 0 ||
	    (colon && parse_limit(op.resource, colon, &op.hard) < 0))
		goto malformed;
	if (!colon)
		op.hard = op.soft;
	if (op.hard != RLIM_INFINITY && (op.soft == RLIM_INFINITY || op.soft > op.hard))
		return bad(st, "the soft limit cannot exceed the hard one",
			   "--rlimit: soft above hard in '%s'", arg[0]);
	c->rlimits = nb_grow(c->rlimits, c->n_rlimits, sizeof(*c->rlimits));
	c->rlimits[c->n_rlimits++] = op;
	return 0;
malformed:
	return bad(st, "write NAME=SOFT[:HARD], e.g. nofile=1024:4096 or as=2g",
		   "--rlimit: malformed limit '%s'", arg[0]);
}

static int opt_keep_fd(struct parse_state *st, char **arg)
{
	uint32_t fd;

	if (nb_parse_u32(arg[0], &fd) < 0 || fd < 3 || fd > 65535)
		return bad(st, "give an fd number of 3 or more; 0, 1 and 2 are always passed",
			   "--keep-fd: invalid fd '%s'", arg[0]);
	st->cfg->keep_fds = nb_grow(st->cfg->keep_fds, st->cfg->n_keep_fds, sizeof(int));
	st->cfg->keep_fds[st->cfg->n_keep_fds++] = (int)fd;
	return 0;
}

/*
 * The hooks that scripts, CI runners and schedulers drive a sandbox with:
 * the same fields and executor as nestbox-bwrap's options of these names.
 * Whether each fd is open is checked by the planner.
 */
static int opt_hook_fd(struct parse_state *st, const char *name, int *field, char **arg)
{
	struct nb_config *c = st->cfg;
	const int taken[] = { c->info_fd, c->json_status_fd, c->block_fd, c->sync_fd };
	uint32_t fd;

	if (nb_parse_u32(arg[0], &fd) < 0 || fd < 1 || fd > 65535)
		return bad(st, "give the number of an fd open in the calling shell, e.g. 3>file",
			   "--%s: invalid fd '%s'", name, arg[0]);
	if (*field >= 0)
		return bad(st, "give it once", "--%s: given twice", name);
	for (size_t i = 0; i < ARRAY_SIZE(taken); i++)
		if (taken[i] == (int)fd)
			return bad(st, "give each hook an fd of its own",
				   "--%s %u: fd %u is already another hook's", name, fd, fd);
	*field = (int)fd;
	return 0;
}

static int opt_info_fd(struct parse_state *st, char **arg)
{
	st->cfg->status_version = 1;
	return opt_hook_fd(st, "info-fd", &st->cfg->info_fd, arg);
}

static int opt_json_status_fd(struct parse_state *st, char **arg)
{
	st->cfg->status_version = 1;
	return opt_hook_fd(st, "json-status-fd", &st->cfg->json_status_fd, arg);
}

static int opt_block_fd(struct parse_state *st, char **arg)
{
	return opt_hook_fd(st, "block-fd", &st->cfg->block_fd, arg);
}

static int opt_sync_fd(struct parse_state *st, char **arg)
{
	return opt_hook_fd(st, "sync-fd", &st->cfg->sync_fd, arg);
}

static int opt_lock_file(struct parse_state *st, char **arg)
{
	if (arg[0][0] != '/')
		return bad(st, "give an absolute path inside the sandbox",
			   "--lock-file: '%s' is not absolute", arg[0]);
	nb_config_add_str(&st->cfg->lock_files, &st->cfg->n_lock_files, arg[0]);
	return 0;
}

static int opt_seccomp(struct parse_state *st, char **arg)
{
	if (nb_streq(arg[0], "default"))
		st->cfg->seccomp = NB_SECCOMP_DEFAULT;
	else if (nb_streq(arg[0], "none"))
		st->cfg->seccomp = NB_SECCOMP_NONE;
	else
		return bad(st, "use default or none", "--seccomp: unknown policy '%s'", arg[0]);
	return 0;
}

static int opt_isolation(struct parse_state *st, char **arg)
{
	static const enum nb_isolation all[] = { NB_ISO_AUTO, NB_ISO_NAMESPACES, NB_ISO_LANDLOCK };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (nb_streq(arg[0], nb_isolation_name(all[i]))) {
			st->cfg->isolation = all[i];
			st->cfg->isolation_chosen = true;
			return 0;
		}
	return bad(st, "use auto, namespaces or landlock", "--isolation: unknown mode '%s'",
		   arg[0]);
}

static int opt_allow_setgroups(struct parse_state *st, char **arg)
{
	st->cfg->allow_setgroups = true;
	return 0;
}

static int opt_disable_userns(struct parse_state *st, char **arg)
{
	st->cfg->disable_userns = true;
	return 0;
}

static int opt_timeout(struct parse_state *st, char **arg)
{
	uint32_t t;

	if (nb_parse_u32(arg[0], &t) < 0 || t == 0 || t > 31536000)
		return bad(st, "give whole seconds from 1 to 31536000",
			   "--timeout: invalid duration '%s'", arg[0]);
	st->cfg->timeout = t;
	return 0;
}

static int opt_name(struct parse_state *st, char **arg)
{
	if (nb_state_check_name(arg[0], st->e) < 0)
		return -EINVAL;
	return set_str(&st->cfg->name, arg[0]);
}

static int opt_quiet(struct parse_state *st, char **arg)
{
	st->cli->quiet = true;
	return 0;
}

/* A profile is only named here; it is applied after every option (see profile.c). */
static int opt_profile(struct parse_state *st, char **arg)
{
	const char *name = nb_profile_find(arg[0]);

	if (!name)
		return bad(st, "use shell or build", "--profile: unknown profile '%s'", arg[0]);
	st->cfg->profile = name;
	return 0;
}

/* Common. */

static int opt_verbose(struct parse_state *st, char **arg)
{
	st->cfg->verbose++;
	return 0;
}

static int opt_dry_run(struct parse_state *st, char **arg)
{
	st->cfg->dry_run = true;
	return 0;
}

static int opt_json(struct parse_state *st, char **arg)
{
	st->cli->json = true;
	return 0;
}

static int opt_help(struct parse_state *st, char **arg)
{
	st->cli->action = NB_ACT_HELP;
	return 0;
}

static int opt_version(struct parse_state *st, char **arg)
{
	st->cli->action = NB_ACT_VERSION;
	return 0;
}

#define MAP_OPTS (SUB_RUN | SUB_IDMAP)
static const struct opt options[] = {
	{ .name = "share", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_share },
	{ .name = "net", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_net },
	{ .name = "publish",
	  .short_name = 'p',
	  .nargs = 1,
	  .subcommands = SUB_RUN,
	  .fn = opt_publish },
	{ .name = "net-allow-host-loopback",
	  .nargs = 0,
	  .subcommands = SUB_RUN,
	  .fn = opt_net_host_loopback },
	{ .name = "unshare", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_unshare },
	{ .name = "hostname", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_hostname },
	{ .name = "domainname", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_domainname },
	{ .name = "as-pid-1", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_as_pid1 },
	{ .name = "map", .nargs = 1, .subcommands = MAP_OPTS, .fn = opt_map },
	{ .name = "uid-map", .nargs = 1, .subcommands = MAP_OPTS, .fn = opt_uid_map },
	{ .name = "gid-map", .nargs = 1, .subcommands = MAP_OPTS, .fn = opt_gid_map },
	{ .name = "uid", .nargs = 1, .subcommands = MAP_OPTS, .fn = opt_uid },
	{ .name = "gid", .nargs = 1, .subcommands = MAP_OPTS, .fn = opt_gid },
	{ .name = "show-map", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_show_map },
	{ .name = "root", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_root },
	{ .name = "bind",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_bind },
	{ .name = "ro-bind",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_ro_bind },
	{ .name = "bind-try",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_bind_try },
	{ .name = "ro-bind-try",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_ro_bind_try },
	{ .name = "rw", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_rw },
	{ .name = "tmpfs", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_tmpfs },
	{ .name = "size", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_size },
	{ .name = "proc", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_proc },
	{ .name = "dev", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_dev },
	{ .name = "dir", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_dir },
	{ .name = "symlink",
	  .nargs = 2,
	  .args = "TARGET and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_symlink },
	{ .name = "overlay",
	  .nargs = 4,
	  .args = "LOWER[:LOWER...], UPPER, WORK and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_overlay },
	{ .name = "tmp-overlay",
	  .nargs = 2,
	  .args = "LOWER[:LOWER...] and DST",
	  .subcommands = SUB_RUN,
	  .fn = opt_tmp_overlay },
	{ .name = "chdir", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_chdir },
	{ .name = "cap-drop", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_cap_drop },
	{ .name = "cap-add", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_cap_add },
	{ .name = "no-new-privs", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_nnp },
	{ .name = "keep-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_keep_fd },
	{ .name = "seccomp", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_seccomp },
	{ .name = "disable-userns", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_disable_userns },
	{ .name = "isolation", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_isolation },
	{ .name = "info-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_info_fd },
	{ .name = "json-status-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_json_status_fd },
	{ .name = "block-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_block_fd },
	{ .name = "sync-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_sync_fd },
	{ .name = "lock-file", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_lock_file },
	{ .name = "allow-setgroups", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_allow_setgroups },
	{ .name = "setenv",
	  .nargs = 2,
	  .args = "KEY and VALUE",
	  .subcommands = SUB_RUN,
	  .fn = opt_setenv },
	{ .name = "unsetenv", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_unsetenv },
	{ .name = "clearenv", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_clearenv },
	{ .name = "rlimit", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_rlimit },
	{ .name = "timeout", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_timeout },
	{ .name = "profile", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_profile },
	{ .name = "name", .nargs = 1, .subcommands = SUB_RUN, .fn = opt_name },
	{ .name = "dry-run", .nargs = 0, .subcommands = SUB_RUN, .fn = opt_dry_run },
	{ .name = "json",
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_DOCTOR | SUB_PS,
	  .fn = opt_json },
	{ .name = "quiet", .short_name = 'q', .nargs = 0, .subcommands = SUB_PS, .fn = opt_quiet },
	{ .name = "verbose",
	  .short_name = 'v',
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_ENTER,
	  .fn = opt_verbose },
	{ .name = "help",
	  .short_name = 'h',
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_DOCTOR | SUB_PS | SUB_ENTER,
	  .fn = opt_help },
	{ .name = "version",
	  .short_name = 'V',
	  .nargs = 0,
	  .subcommands = MAP_OPTS,
	  .fn = opt_version },
};

static const struct opt *find_opt(const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	if (arg[0] == '-' && arg[1] == '-') {
		const char *name = arg + 2;
		size_t len = strcspn(name, "=");

		for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
			if (strlen(options[i].name) == len &&
			    strncmp(options[i].name, name, len) == 0) {
				if (name[len] == '=')
					*inline_val = name + len + 1;
				return &options[i];
			}
		return NULL;
	}
	if (arg[0] == '-' && arg[1] && !arg[2])
		for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
			if (options[i].short_name == arg[1])
				return &options[i];
	return NULL;
}

static const char *sub_name(int sub)
{
	return sub == SUB_IDMAP	   ? "idmap"
	       : sub == SUB_DOCTOR ? "doctor"
	       : sub == SUB_PS	   ? "ps"
	       : sub == SUB_ENTER  ? "enter"
				   : "run";
}

/* The subcommands that take options: which ones (compare takes run's), and what they do. */
static const struct subcommand {
	const char *name;
	int sub;
	enum nb_action action;
} subcommands[] = {
	{ "run", SUB_RUN, NB_ACT_RUN },	      { "compare", SUB_RUN, NB_ACT_COMPARE },
	{ "idmap", SUB_IDMAP, NB_ACT_IDMAP }, { "doctor", SUB_DOCTOR, NB_ACT_DOCTOR },
	{ "ps", SUB_PS, NB_ACT_PS },	      { "enter", SUB_ENTER, NB_ACT_ENTER },
};

static const struct subcommand *find_subcommand(const char *word)
{
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (nb_streq(word, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

/* -v, -vv, -vvv: the one short flag that repeats. */
static bool is_verbose_flag(const char *arg)
{
	return arg[0] == '-' && arg[1] == 'v' && arg[strspn(arg + 1, "v") + 1] == '\0';
}

/* How many values follow the option at argv[@k]; -1 if one is missing or "--". */
static int option_values(int argc, char **argv, int k)
{
	const char *inline_val;
	const struct opt *o;

	if (is_verbose_flag(argv[k]))
		return 0;
	o = find_opt(argv[k], &inline_val);
	if (!o || inline_val)
		return 0;
	for (int v = 1; v <= o->nargs; v++)
		if (k + v >= argc || nb_streq(argv[k + v], "--"))
			return -1;
	return o->nargs;
}

/*
 * "nestbox -vv run -- id" means "nestbox run -vv -- id": a subcommand after
 * options that it takes moves to the front, so that it is not taken for
 * the command.  Anything else stays as it is, for the parser to run or to
 * refuse: "nestbox --unshare pid ps" runs ps, and a command of a
 * subcommand's name follows "--" or "run".
 */
static void subcommand_first(int argc, char **argv)
{
	const struct subcommand *s;
	int i = 1;
	char *sub;

	if (argc < 2 || find_subcommand(argv[1]) || nb_streq(argv[1], "help"))
		return;
	while (i < argc && argv[i][0] == '-' && argv[i][1] && !nb_streq(argv[i], "--")) {
		int n = option_values(argc, argv, i);

		if (n < 0)
			return; /* the parser says what is missing */
		i += 1 + n;
	}
	if (i >= argc || !(s = find_subcommand(argv[i])))
		return;
	for (int k = 1; k < i; k += 1 + option_values(argc, argv, k)) {
		const char *inline_val;
		const struct opt *o =
		    find_opt(is_verbose_flag(argv[k]) ? "--verbose" : argv[k], &inline_val);

		if (!o || !(o->subcommands & s->sub))
			return;
	}
	sub = argv[i];
	memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
	argv[1] = sub;
}

int nb_cli_parse(int argc, char **argv, const struct nb_host *host, struct nb_config *cfg,
		 struct nb_cli *cli, struct nb_error *e)
{
	struct parse_state st = { .cfg = cfg, .cli = cli, .host = host, .e = e };
	const struct subcommand *s;
	int sub = SUB_RUN;
	bool explicit_sub = true, compare = false;
	int i = 1;
	char hint[64];

	memset(cli, 0, sizeof(*cli));
	cli->action = NB_ACT_RUN;
	subcommand_first(argc, argv);
	if (i < argc && (s = find_subcommand(argv[i]))) {
		/* compare: run's options, and the same plan. */
		sub = s->sub;
		cli->action = s->action;
		compare = s->action == NB_ACT_COMPARE;
		i++;
	} else if (i < argc && nb_streq(argv[i], "help")) {
		cli->action = NB_ACT_HELP;
		cli->help_for = i + 1 < argc ? argv[i + 1] : NULL;
		return 0;
	} else {
		explicit_sub = false;
	}
	snprintf(hint, sizeof(hint), "see 'nestbox %s --help'",
		 cli->action == NB_ACT_COMPARE ? "compare" : sub_name(sub));

	for (; i < argc; i++) {
		const char *arg = argv[i];
		const char *inline_val;
		const struct opt *o;
		char *args[4];

		if (nb_streq(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		o = find_opt(is_verbose_flag(arg) ? "--verbose" : arg, &inline_val);
		if (!o || !(o->subcommands & sub))
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "unknown option '%s' for '%s'",
				       arg, sub_name(sub));
		/* -vv: the one short flag that repeats. */
		if (is_verbose_flag(arg)) {
			cfg->verbose += (int)strlen(arg) - 1;
			continue;
		}
		if (inline_val && o->nargs != 1)
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "option '--%s' takes %d arguments, not '='", o->name,
				       o->nargs);
		if (inline_val) {
			args[0] = (char *)inline_val;
		} else {
			bool short_of = i + o->nargs >= argc;

			/* "--bind /tmp -- cmd": the "--" ends the options, it is no DST. */
			for (int k = 0; !short_of && k < o->nargs; k++)
				short_of = nb_streq(argv[i + 1 + k], "--");
			if (short_of)
				return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "--%s needs %s",
					       o->name, o->args ? o->args : "a value");
			for (int k = 0; k < o->nargs; k++)
				args[k] = argv[i + 1 + k];
			i += o->nargs;
		}
		if (o->fn(&st, args) < 0)
			return -EINVAL;
		if (cli->action == NB_ACT_HELP) {
			cli->help_for = compare ? "compare" : explicit_sub ? sub_name(sub) : NULL;
			return 0;
		}
		if (cli->action == NB_ACT_VERSION)
			return 0;
	}

	if (sub == SUB_ENTER) {
		if (i >= argc)
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "'enter' needs the NAME or PID of a sandbox");
		cli->target = argv[i++];
		if (i < argc && nb_streq(argv[i], "--"))
			i++;
	}
	if ((sub == SUB_IDMAP || sub == SUB_DOCTOR || sub == SUB_PS) && i < argc)
		return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "'%s' takes no command, got '%s'",
			       sub_name(sub), argv[i]);
	if (sub == SUB_RUN && nb_profile_apply(cfg->profile, cfg, host, e) < 0)
		return -EINVAL;
	if (sub == SUB_RUN && cli->json && !cfg->dry_run && cli->action != NB_ACT_COMPARE)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "add --dry-run, or drop --json",
			       "'run --json' prints only a plan");
	if (st.next_tmpfs_size)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "put --size before the --tmpfs it sizes",
			       "--size without a following --tmpfs");
	if (cfg->as_pid1 && (cfg->shared_flags & CLONE_NEWPID))
		return nb_fail(e, NB_EXIT_FAILURE, 0, "drop one of them",
			       "--as-pid-1 needs a new PID namespace but --share pid was given");
	if ((cfg->n_publish || cfg->net_host_loopback) && !nb_net_has_helper(cfg->net_mode) &&
	    cfg->net_mode != NB_NET_AUTO)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "add --net pasta, slirp4netns or auto",
			       "%s needs a network helper, but the network is '%s'",
			       cfg->n_publish ? "--publish" : "--net-allow-host-loopback",
			       nb_net_mode_name(cfg->net_mode));
	if (i < argc) {
		cfg->argv = calloc((size_t)(argc - i + 1), sizeof(char *));
		if (!cfg->argv)
			nb_oom();
		for (int k = 0; i + k < argc; k++)
			cfg->argv[k] = nb_xstrdup(argv[i + k]);
	}
	return 0;
}
