// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox's options: one handler each, and the table that names them, with
 * how many arguments each takes and which subcommands take it.  Pure, as
 * the parser that reads the table (cli.c).
 */
#include "autoconf.h"

#include "front/cli.h"
#include "front/cli-opts.h"
#include "core/netplan.h"
#include "core/ns.h"
#include "core/profile.h"
#include "core/record.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

int nb_opt_bad(struct parse_state *st, const char *hint, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nb_fail(st->e, NB_EXIT_FAILURE, 0, hint, "%s", what);
}

int nb_opt_set_str(char **field, const char *v)
{
	free(*field);
	*field = nb_xstrdup(v);
	return 0;
}

/* Namespaces. */

static int nb_opt_share(struct parse_state *st, char **arg)
{
	const char *p = arg[0];

	if (nb_streq(p, "none")) {
		st->cfg->ns.unshare_flags |= st->cfg->ns.shared_flags;
		st->cfg->ns.shared_flags = 0;
		if (st->cfg->ns.net_mode == NB_NET_HOST)
			nb_config_set_net(st->cfg, NB_NET_NONE);
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		const struct nb_ns *ns = nb_ns_by_name(p, len);

		if (!ns || !ns->shareable)
			return nb_opt_bad(st, "valid names: mnt, net, ipc, uts, pid, cgroup, none",
					  "--share: unknown namespace '%.*s'", (int)len, p);
		/* --share net is --net host: one field says which. */
		if (ns->flag == CLONE_NEWNET)
			nb_config_set_net(st->cfg, NB_NET_HOST);
		st->cfg->ns.unshare_flags &= ~ns->flag;
		st->cfg->ns.shared_flags |= ns->flag;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int nb_opt_net(struct parse_state *st, char **arg)
{
	enum nb_net_mode m;

	if (nb_net_mode_parse(arg[0], &m) < 0)
		return nb_opt_bad(st, "use none, host, pasta, slirp4netns or auto",
				  "--net: unknown mode '%s'", arg[0]);
	nb_config_set_net(st->cfg, m);
	return 0;
}

static int nb_opt_publish(struct parse_state *st, char **arg)
{
	struct nb_publish p;

	if (nb_publish_parse(arg[0], &p, st->e) < 0)
		return -EINVAL;
	nb_config_add_publish(st->cfg, &p);
	return 0;
}

static int nb_opt_net_host_loopback(struct parse_state *st, char **arg)
{
	st->cfg->ns.net_host_loopback = true;
	return 0;
}

/*
 * --unshare LIST: exactly these namespaces besides the user namespace, the
 * others shared; the same fields as --share, so the later option wins.
 */
static int nb_opt_unshare(struct parse_state *st, char **arg)
{
	const char *p = arg[0];
	int want = 0;

	while (*p && !nb_streq(p, "none")) {
		size_t len = strcspn(p, ",");
		const struct nb_ns *ns = nb_ns_by_name(p, len);

		if (!ns || !ns->shareable)
			return nb_opt_bad(st,
					  "valid names: mnt, net, ipc, uts, pid, cgroup, or none",
					  "--unshare: unknown namespace '%.*s'", (int)len, p);
		want |= ns->flag;
		p += len;
		if (*p == ',')
			p++;
	}
	st->cfg->ns.shared_flags = nb_ns_default_flags() & ~want;
	st->cfg->ns.unshare_flags = want;
	/* The network mode follows, as for --share net: one field says which. */
	if (!(want & CLONE_NEWNET))
		nb_config_set_net(st->cfg, NB_NET_HOST);
	else if (st->cfg->ns.net_mode == NB_NET_HOST)
		nb_config_set_net(st->cfg, NB_NET_NONE);
	return 0;
}

static int nb_opt_hostname(struct parse_state *st, char **arg)
{
	return nb_config_set_uts_name(st->cfg, false, arg[0], st->e);
}

static int nb_opt_domainname(struct parse_state *st, char **arg)
{
	return nb_config_set_uts_name(st->cfg, true, arg[0], st->e);
}

static int nb_opt_as_pid1(struct parse_state *st, char **arg)
{
	st->cfg->ns.as_pid1 = true;
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

static int nb_opt_map(struct parse_state *st, char **arg)
{
	for (size_t i = 0; i < sizeof(map_modes) / sizeof(map_modes[0]); i++)
		if (nb_streq(arg[0], map_modes[i].name)) {
			st->cfg->ids.map_mode = map_modes[i].mode;
			st->cfg->ids.map_chosen = true;
			st->cfg->ids.uid_map.n = st->cfg->ids.gid_map.n = 0;
			return 0;
		}
	return nb_opt_bad(st, "use root, user, auto or none", "--map: unknown mode '%s'", arg[0]);
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
		return nb_opt_bad(st, "the count must be at least 1", "%s: empty range '%s'", opt,
				  spec);
	if (m->n >= NB_MAX_MAP_LINES)
		return nb_opt_bad(st, "the kernel accepts at most 340 ranges",
				  "%s: too many ranges", opt);
	if (st->cfg->ids.map_mode != NB_MAP_EXPLICIT) {
		st->cfg->ids.map_mode = NB_MAP_EXPLICIT;
		st->cfg->ids.map_chosen = true;
		st->cfg->ids.uid_map.n = st->cfg->ids.gid_map.n = 0;
	}
	m->r = nb_grow(m->r, m->n, sizeof(*m->r));
	m->r[m->n++] = r;
	return 0;
malformed:
	return nb_opt_bad(st, "write INSIDE:OUTSIDE:COUNT, e.g. 0:1000:1",
			  "%s: malformed range '%s'", opt, spec);
}

static int nb_opt_uid_map(struct parse_state *st, char **arg)
{
	return add_range(st, "--uid-map", &st->cfg->ids.uid_map, arg[0]);
}

static int nb_opt_gid_map(struct parse_state *st, char **arg)
{
	return add_range(st, "--gid-map", &st->cfg->ids.gid_map, arg[0]);
}

static int parse_id(struct parse_state *st, const char *opt, const char *v, int64_t *out)
{
	uint32_t id;

	if (nb_parse_u32(v, &id) < 0 || id == UINT32_MAX)
		return nb_opt_bad(st, "give a number from 0 to 4294967294", "%s: invalid id '%s'",
				  opt, v);
	*out = id;
	return 0;
}

static int nb_opt_uid(struct parse_state *st, char **arg)
{
	return parse_id(st, "--uid", arg[0], &st->cfg->ids.uid);
}

static int nb_opt_gid(struct parse_state *st, char **arg)
{
	return parse_id(st, "--gid", arg[0], &st->cfg->ids.gid);
}

static int nb_opt_show_map(struct parse_state *st, char **arg)
{
	st->cfg->ids.show_map = true;
	return 0;
}
static int nb_opt_timeout(struct parse_state *st, char **arg)
{
	uint32_t t;

	if (nb_parse_u32(arg[0], &t) < 0 || t == 0 || t > 31536000)
		return nb_opt_bad(st, "give whole seconds from 1 to 31536000",
				  "--timeout: invalid duration '%s'", arg[0]);
	st->cfg->proc.timeout = t;
	return 0;
}

static int nb_opt_name(struct parse_state *st, char **arg)
{
	if (nb_state_check_name(arg[0], st->e) < 0)
		return -EINVAL;
	return nb_opt_set_str(&st->cfg->name, arg[0]);
}

static int nb_opt_quiet(struct parse_state *st, char **arg)
{
	st->cli->quiet = true;
	return 0;
}

/* A profile is only named here; it is applied after every option (see profile.c). */
static int nb_opt_profile(struct parse_state *st, char **arg)
{
	const char *name = nb_profile_find(arg[0]);

	if (!name)
		return nb_opt_bad(st, "use shell or build", "--profile: unknown profile '%s'",
				  arg[0]);
	st->cfg->profile = name;
	return 0;
}

/* Common. */

static int nb_opt_verbose(struct parse_state *st, char **arg)
{
	st->cfg->verbose++;
	return 0;
}

static int nb_opt_dry_run(struct parse_state *st, char **arg)
{
	st->cfg->dry_run = true;
	return 0;
}

static int nb_opt_json(struct parse_state *st, char **arg)
{
	st->cli->json = true;
	return 0;
}

static int nb_opt_help(struct parse_state *st, char **arg)
{
	st->cli->action = NB_ACT_HELP;
	return 0;
}

static int nb_opt_version(struct parse_state *st, char **arg)
{
	st->cli->action = NB_ACT_VERSION;
	return 0;
}

#define MAP_OPTS (SUB_RUN | SUB_IDMAP)
const struct opt nb_cli_options[] = {
	{ .name = "share", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_share },
	{ .name = "net", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_net },
	{ .name = "publish",
	  .short_name = 'p',
	  .nargs = 1,
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_publish },
	{ .name = "net-allow-host-loopback",
	  .nargs = 0,
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_net_host_loopback },
	{ .name = "unshare", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_unshare },
	{ .name = "hostname", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_hostname },
	{ .name = "domainname", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_domainname },
	{ .name = "as-pid-1", .nargs = 0, .subcommands = SUB_RUN, .fn = nb_opt_as_pid1 },
	{ .name = "map", .nargs = 1, .subcommands = MAP_OPTS, .fn = nb_opt_map },
	{ .name = "uid-map", .nargs = 1, .subcommands = MAP_OPTS, .fn = nb_opt_uid_map },
	{ .name = "gid-map", .nargs = 1, .subcommands = MAP_OPTS, .fn = nb_opt_gid_map },
	{ .name = "uid", .nargs = 1, .subcommands = MAP_OPTS, .fn = nb_opt_uid },
	{ .name = "gid", .nargs = 1, .subcommands = MAP_OPTS, .fn = nb_opt_gid },
	{ .name = "show-map", .nargs = 0, .subcommands = SUB_RUN, .fn = nb_opt_show_map },
	{ .name = "root", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_root },
	{ .name = "bind",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_bind },
	{ .name = "ro-bind",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_ro_bind },
	{ .name = "bind-try",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_bind_try },
	{ .name = "ro-bind-try",
	  .nargs = 2,
	  .args = "SRC and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_ro_bind_try },
	{ .name = "rw", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_rw },
	{ .name = "tmpfs", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_tmpfs },
	{ .name = "size", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_size },
	{ .name = "proc", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_proc },
	{ .name = "dev", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_dev },
	{ .name = "dir", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_dir },
	{ .name = "symlink",
	  .nargs = 2,
	  .args = "TARGET and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_symlink },
	{ .name = "overlay",
	  .nargs = 4,
	  .args = "LOWER[:LOWER...], UPPER, WORK and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_overlay },
	{ .name = "tmp-overlay",
	  .nargs = 2,
	  .args = "LOWER[:LOWER...] and DST",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_tmp_overlay },
	{ .name = "chdir", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_chdir },
	{ .name = "cap-drop", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_cap_drop },
	{ .name = "cap-add", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_cap_add },
	{ .name = "no-new-privs", .nargs = 0, .subcommands = SUB_RUN, .fn = nb_opt_nnp },
	{ .name = "keep-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_keep_fd },
	{ .name = "seccomp", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_seccomp },
	{ .name = "disable-userns",
	  .nargs = 0,
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_disable_userns },
	{ .name = "isolation", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_isolation },
	{ .name = "info-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_info_fd },
	{ .name = "json-status-fd",
	  .nargs = 1,
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_json_status_fd },
	{ .name = "block-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_block_fd },
	{ .name = "sync-fd", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_sync_fd },
	{ .name = "lock-file", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_lock_file },
	{ .name = "allow-setgroups",
	  .nargs = 0,
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_allow_setgroups },
	{ .name = "setenv",
	  .nargs = 2,
	  .args = "KEY and VALUE",
	  .subcommands = SUB_RUN,
	  .fn = nb_opt_setenv },
	{ .name = "unsetenv", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_unsetenv },
	{ .name = "clearenv", .nargs = 0, .subcommands = SUB_RUN, .fn = nb_opt_clearenv },
	{ .name = "rlimit", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_rlimit },
	{ .name = "timeout", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_timeout },
	{ .name = "profile", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_profile },
	{ .name = "name", .nargs = 1, .subcommands = SUB_RUN, .fn = nb_opt_name },
	{ .name = "dry-run", .nargs = 0, .subcommands = SUB_RUN, .fn = nb_opt_dry_run },
	{ .name = "json",
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_DOCTOR | SUB_PS,
	  .fn = nb_opt_json },
	{ .name = "quiet",
	  .short_name = 'q',
	  .nargs = 0,
	  .subcommands = SUB_PS,
	  .fn = nb_opt_quiet },
	{ .name = "verbose",
	  .short_name = 'v',
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_ENTER,
	  .fn = nb_opt_verbose },
	{ .name = "help",
	  .short_name = 'h',
	  .nargs = 0,
	  .subcommands = MAP_OPTS | SUB_DOCTOR | SUB_PS | SUB_ENTER,
	  .fn = nb_opt_help },
	{ .name = "version",
	  .short_name = 'V',
	  .nargs = 0,
	  .subcommands = MAP_OPTS,
	  .fn = nb_opt_version },
};
const size_t nb_cli_n_options = ARRAY_SIZE(nb_cli_options);
