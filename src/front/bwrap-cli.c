// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bubblewrap's command line, as a second vocabulary for the same sandbox.
 * It only translates: every option becomes a call of the builders in
 * config.c, or a field of struct nb_config, and the planner and the
 * executor run the result exactly as they run nestbox's own command line.
 * Like cli.c it is pure; the one effect it needs, reading --args, comes in
 * as a function.
 *
 * bubblewrap differs from nestbox's defaults, and says so here: only a
 * mount namespace (in a user namespace) unless asked, an empty root, no
 * capabilities, no seccomp filter, the caller's own ids inside, and mount
 * points made wherever the tree in view allows.
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

static const struct opt *find_opt(const char *arg)
{
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	for (size_t i = 0; i < nb_bwrap_n_options; i++)
		if (nb_streq(nb_bwrap_options[i].name, arg + 2))
			return &nb_bwrap_options[i];
	return NULL;
}

static void push_arg(struct nb_bwrap_cli *cli, const char *a, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		nb_oom();
	memcpy(copy, a, len);
	copy[len] = '\0';
	cli->args = nb_grow(cli->args, cli->n_args, sizeof(char *));
	cli->args[cli->n_args++] = copy;
}

/* --args FD: NUL-separated arguments, spliced in where the option stood. */
static int splice_args(struct state *st, nb_read_fd_fn read_fd, const char *fdarg, size_t at)
{
	struct nb_bwrap_cli *cli = st->cli;
	size_t len, old = cli->n_args, n;
	char *data;
	char **rest;
	int fd;

	if (nb_bw_parse_fd(st, fdarg, &fd) < 0)
		return -EINVAL;
	data = read_fd ? read_fd(fd, &len) : NULL;
	if (!data)
		return nb_fail(st->e, 1, errno, NULL, "Can't read --args data");
	for (size_t i = 0; i < len; i += strlen(data + i) + 1)
		push_arg(cli, data + i, strnlen(data + i, len - i));
	free(data);
	/* Move the new ones to @at, after what has been read so far. */
	n = cli->n_args - old;
	rest = malloc((old - at) * sizeof(char *) + 1);
	if (!rest)
		nb_oom();
	memcpy(rest, cli->args + at, (old - at) * sizeof(char *));
	memmove(cli->args + at, cli->args + old, n * sizeof(char *));
	memcpy(cli->args + at + n, rest, (old - at) * sizeof(char *));
	free(rest);
	return 0;
}

static void finish_ids(struct state *st)
{
	struct nb_config *c = st->cfg;
	uint32_t uid = st->uid >= 0 ? (uint32_t)st->uid : st->host->uid;
	uint32_t gid = st->gid >= 0 ? (uint32_t)st->gid : st->host->gid;

	/* One id each: the chosen one inside is the caller outside. */
	c->ids.map_mode = NB_MAP_EXPLICIT;
	c->ids.map_chosen = true;
	c->ids.uid_map.r = nb_grow(NULL, 0, sizeof(struct nb_id_range));
	c->ids.uid_map.r[0] = (struct nb_id_range){ uid, st->host->uid, 1 };
	c->ids.uid_map.n = 1;
	c->ids.gid_map.r = nb_grow(NULL, 0, sizeof(struct nb_id_range));
	c->ids.gid_map.r[0] = (struct nb_id_range){ gid, st->host->gid, 1 };
	c->ids.gid_map.n = 1;
	c->ids.uid = uid;
	c->ids.gid = gid;
}

/* bubblewrap's defaults, where they differ from nestbox's. */
static void bwrap_defaults(struct nb_config *c)
{
	c->ns.unshare_flags = CLONE_NEWNS;
	c->fs.root_mode = NB_ROOT_EMPTY;
	/* bubblewrap's root: a writable tmpfs, gone at exit, with tmpfs's own size. */
	c->compat.root_writable = true;
	c->fs.root_chosen = true;
	c->sec.seccomp = NB_SECCOMP_OFF;
	c->sec.cap_drop_all = true;
	c->sec.no_new_privs = true;
	c->ns.keep_hostname = true;
	c->sec.lock_mounts = false;
	c->compat.chdir_fallback = true;
	c->compat.create_anywhere = true;
	c->compat.keep_session = true;
	c->compat.no_record = true;
	c->profile = NULL;
}

/* Whether an option reads @fd up or hands it to nestbox (not to the command). */
static bool used_up(const struct nb_config *c, int fd)
{
	for (size_t i = 0; i < c->fs.n_mounts; i++)
		if (c->fs.mounts[i].has_fd && c->fs.mounts[i].fd == fd &&
		    c->fs.mounts[i].kind != NB_MNT_BIND && c->fs.mounts[i].kind != NB_MNT_RO_BIND)
			return true;
	for (size_t i = 0; i < c->compat.n_seccomp_fds; i++)
		if (c->compat.seccomp_fds[i] == fd)
			return true;
	return fd == c->proc.info_fd || fd == c->compat.join_userns_fd ||
	       fd == c->compat.join_pidns_fd || fd == c->compat.switch_userns_fd ||
	       fd == c->compat.userns_block_fd;
}

int nb_bwrap_parse(int argc, char **argv, const struct nb_host *host, nb_read_fd_fn read_fd,
		   const int *inherited, size_t n_inherited, struct nb_config *cfg,
		   struct nb_bwrap_cli *cli, struct nb_error *e)
{
	struct state st = {
		.cfg = cfg, .cli = cli, .host = host, .e = e, .next_perms = -1, .uid = -1, .gid = -1
	};
	size_t i;

	memset(cli, 0, sizeof(*cli));
	bwrap_defaults(cfg);
	for (int k = 1; k < argc; k++)
		push_arg(cli, argv[k], strlen(argv[k]));
	for (i = 0; i < cli->n_args; i++) {
		const char *arg = cli->args[i];
		const struct opt *o;

		if (nb_streq(arg, "--")) {
			i++;
			break;
		}
		if (strncmp(arg, "--", 2) != 0)
			break;
		if (st.n_lowers && !nb_streq(arg, "--overlay-src") && !nb_streq(arg, "--overlay") &&
		    !nb_streq(arg, "--tmp-overlay") && !nb_streq(arg, "--ro-overlay"))
			return nb_bw_bad(&st,
					 "--overlay-src must be followed by another --overlay-src "
					 "or one of --overlay, --tmp-overlay, or --ro-overlay");
		if (nb_streq(arg, "--args")) {
			if (i + 1 >= cli->n_args)
				return nb_bw_bad(&st, "--args takes an argument");
			if (splice_args(&st, read_fd, cli->args[i + 1], i + 2) < 0)
				return -EINVAL;
			i++;
			continue;
		}
		o = find_opt(arg);
		if (!o)
			return nb_bw_bad(&st, "Unknown option %s", arg);
		if (i + (size_t)o->nargs >= cli->n_args)
			return nb_bw_bad(&st, "%s takes %d argument%s", arg, o->nargs,
					 o->nargs == 1 ? "" : "s");
		if (o->fn(&st, o, cli->args + i + 1) < 0)
			return -EINVAL;
		i += (size_t)o->nargs;
		if (cli->help || cli->version)
			return 0;
	}
	if (st.n_lowers)
		return nb_bw_bad(&st,
				 "--overlay-src must be followed by another --overlay-src or one "
				 "of --overlay, --tmp-overlay, or --ro-overlay");
	if (st.next_perms >= 0 || st.next_size)
		return nb_bw_bad(&st,
				 "--perms or --size must be followed by an option that creates a "
				 "file");
	if (i >= cli->n_args)
		return nb_bw_bad(&st, "No command specified");
	if (cfg->ns.as_pid1 && !(cfg->ns.unshare_flags & CLONE_NEWPID))
		return nb_bw_bad(&st, "Specifying --as-pid-1 requires --unshare-pid");
	if (cfg->ns.hostname && !(cfg->ns.unshare_flags & CLONE_NEWUTS))
		return nb_bw_bad(&st, "Specifying --hostname requires --unshare-uts");
	finish_ids(&st);
	for (size_t k = 0; k < n_inherited; k++)
		if (inherited[k] > 2 && !used_up(cfg, inherited[k]))
			nb_config_add_fd(&cfg->proc.keep_fds, &cfg->proc.n_keep_fds, inherited[k]);
	/*
	 * A /proc/self/fd/N source names the caller's fd N: one that the
	 * caller did not pass is no fd at all (and nestbox's own must never
	 * stand in for it).  sources.c refuses it, or skips it for a -try.
	 */
	for (size_t m = 0; m < cfg->fs.n_mounts; m++) {
		struct nb_mount_op *op = &cfg->fs.mounts[m];
		bool passed = false;

		if (!op->has_fd || !op->src)
			continue;
		for (size_t k = 0; k < n_inherited; k++)
			passed = passed || inherited[k] == op->fd;
		if (!passed)
			op->fd = -1;
	}
	cfg->proc.argv = calloc(cli->n_args - i + 1, sizeof(char *));
	if (!cfg->proc.argv)
		nb_oom();
	for (size_t k = 0; i + k < cli->n_args; k++)
		cfg->proc.argv[k] = nb_xstrdup(cli->args[i + k]);
	return 0;
}

void nb_bwrap_cli_free(struct nb_bwrap_cli *cli)
{
	for (size_t i = 0; i < cli->n_args; i++)
		free(cli->args[i]);
	free(cli->args);
	cli->args = NULL;
	cli->n_args = 0;
}
