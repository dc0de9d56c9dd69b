// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox's options for the command's process: capabilities, the
 * environment, resource limits, the fds it gets and the engines' hook fds,
 * seccomp, Landlock, the user-namespace switches.  Pure.
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

static int parse_cap(struct parse_state *st, const char *opt, const char *name, int *cap)
{
	*cap = nb_cap_from_name(name);
	if (*cap >= 0)
		return 0;
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	return nb_opt_bad(st, "see capabilities(7) for names such as net_raw",
			  "%s: unknown capability '%s'", opt, name);
}

int nb_opt_cap_drop(struct parse_state *st, char **arg)
{
	int cap;

	if (strcasecmp(arg[0], "ALL") == 0) {
		st->cfg->sec.cap_drop_all = true;
		st->cfg->sec.cap_add = 0;
		st->cfg->sec.cap_drop = 0;
		return 0;
	}
	if (parse_cap(st, "--cap-drop", arg[0], &cap) < 0)
		return -EINVAL;
	st->cfg->sec.cap_drop |= 1ULL << cap;
	st->cfg->sec.cap_add &= ~(1ULL << cap);
	return 0;
}

int nb_opt_cap_add(struct parse_state *st, char **arg)
{
	int cap;

	if (parse_cap(st, "--cap-add", arg[0], &cap) < 0)
		return -EINVAL;
	st->cfg->sec.cap_add |= 1ULL << cap;
	st->cfg->sec.cap_drop &= ~(1ULL << cap);
	return 0;
}

int nb_opt_nnp(struct parse_state *st, char **arg)
{
	st->cfg->sec.no_new_privs = true;
	return 0;
}

/* Environment and limits. */

static int add_env(struct parse_state *st, enum nb_env_kind kind, const char *k, const char *v)
{
	return nb_config_env(st->cfg, kind, k, v, st->e) < 0 ? -EINVAL : 0;
}

int nb_opt_setenv(struct parse_state *st, char **arg)
{
	return add_env(st, NB_ENV_SET, arg[0], arg[1]);
}

int nb_opt_unsetenv(struct parse_state *st, char **arg)
{
	return add_env(st, NB_ENV_UNSET, arg[0], NULL);
}

int nb_opt_clearenv(struct parse_state *st, char **arg)
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

int nb_opt_rlimit(struct parse_state *st, char **arg)
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
		return nb_opt_bad(st,
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
		return nb_opt_bad(st, "the soft limit cannot exceed the hard one",
				  "--rlimit: soft above hard in '%s'", arg[0]);
	c->proc.rlimits = nb_grow(c->proc.rlimits, c->proc.n_rlimits, sizeof(*c->proc.rlimits));
	c->proc.rlimits[c->proc.n_rlimits++] = op;
	return 0;
malformed:
	return nb_opt_bad(st, "write NAME=SOFT[:HARD], e.g. nofile=1024:4096 or as=2g",
			  "--rlimit: malformed limit '%s'", arg[0]);
}

int nb_opt_keep_fd(struct parse_state *st, char **arg)
{
	uint32_t fd;

	if (nb_parse_u32(arg[0], &fd) < 0 || fd < 3 || fd > 65535)
		return nb_opt_bad(st,
				  "give an fd number of 3 or more; 0, 1 and 2 are always passed",
				  "--keep-fd: invalid fd '%s'", arg[0]);
	st->cfg->proc.keep_fds =
	    nb_grow(st->cfg->proc.keep_fds, st->cfg->proc.n_keep_fds, sizeof(int));
	st->cfg->proc.keep_fds[st->cfg->proc.n_keep_fds++] = (int)fd;
	return 0;
}

/*
 * The hooks that scripts, CI runners and schedulers drive a sandbox with:
 * the same fields and executor as nestbox-bwrap's options of these names.
 * Whether each fd is open is checked by the planner.
 */
static int nb_opt_hook_fd(struct parse_state *st, const char *name, int *field, char **arg)
{
	struct nb_config *c = st->cfg;
	const int taken[] = { c->proc.info_fd, c->proc.json_status_fd, c->proc.block_fd,
			      c->proc.sync_fd };
	uint32_t fd;

	if (nb_parse_u32(arg[0], &fd) < 0 || fd < 1 || fd > 65535)
		return nb_opt_bad(st,
				  "give the number of an fd open in the calling shell, e.g. 3>file",
				  "--%s: invalid fd '%s'", name, arg[0]);
	if (*field >= 0)
		return nb_opt_bad(st, "give it once", "--%s: given twice", name);
	for (size_t i = 0; i < ARRAY_SIZE(taken); i++)
		if (taken[i] == (int)fd)
			return nb_opt_bad(st, "give each hook an fd of its own",
					  "--%s %u: fd %u is already another hook's", name, fd, fd);
	*field = (int)fd;
	return 0;
}

int nb_opt_info_fd(struct parse_state *st, char **arg)
{
	st->cfg->proc.status_version = 1;
	return nb_opt_hook_fd(st, "info-fd", &st->cfg->proc.info_fd, arg);
}

int nb_opt_json_status_fd(struct parse_state *st, char **arg)
{
	st->cfg->proc.status_version = 1;
	return nb_opt_hook_fd(st, "json-status-fd", &st->cfg->proc.json_status_fd, arg);
}

int nb_opt_block_fd(struct parse_state *st, char **arg)
{
	return nb_opt_hook_fd(st, "block-fd", &st->cfg->proc.block_fd, arg);
}

int nb_opt_sync_fd(struct parse_state *st, char **arg)
{
	return nb_opt_hook_fd(st, "sync-fd", &st->cfg->proc.sync_fd, arg);
}

int nb_opt_lock_file(struct parse_state *st, char **arg)
{
	if (arg[0][0] != '/')
		return nb_opt_bad(st, "give an absolute path inside the sandbox",
				  "--lock-file: '%s' is not absolute", arg[0]);
	nb_config_add_str(&st->cfg->proc.lock_files, &st->cfg->proc.n_lock_files, arg[0]);
	return 0;
}

int nb_opt_seccomp(struct parse_state *st, char **arg)
{
	if (nb_streq(arg[0], "default"))
		st->cfg->sec.seccomp = NB_SECCOMP_DEFAULT;
	else if (nb_streq(arg[0], "none"))
		st->cfg->sec.seccomp = NB_SECCOMP_NONE;
	else
		return nb_opt_bad(st, "use default or none", "--seccomp: unknown policy '%s'",
				  arg[0]);
	return 0;
}

int nb_opt_isolation(struct parse_state *st, char **arg)
{
	static const enum nb_isolation all[] = { NB_ISO_AUTO, NB_ISO_NAMESPACES, NB_ISO_LANDLOCK };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (nb_streq(arg[0], nb_isolation_name(all[i]))) {
			st->cfg->sec.isolation = all[i];
			st->cfg->sec.isolation_chosen = true;
			return 0;
		}
	return nb_opt_bad(st, "use auto, namespaces or landlock", "--isolation: unknown mode '%s'",
			  arg[0]);
}

int nb_opt_allow_setgroups(struct parse_state *st, char **arg)
{
	st->cfg->ids.allow_setgroups = true;
	return 0;
}

int nb_opt_disable_userns(struct parse_state *st, char **arg)
{
	st->cfg->sec.disable_userns = true;
	return 0;
}
