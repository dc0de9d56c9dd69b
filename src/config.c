// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration's lifetime and its builders.  Front ends (the option
 * parser, the profiles, a second vocabulary) change a configuration only
 * through these, so that each rule lives in one place.
 */
#include "autoconf.h"

#include "config.h"
#include "ns.h"
#include "util.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

char *nb_xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		nb_oom();
	return d;
}

void *nb_grow(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n + 1, size);

	if (!q)
		nb_oom();
	return q;
}

struct nb_mount_op *nb_config_add_mount(struct nb_config *c, enum nb_mount_kind kind,
					const char *src, const char *dst)
{
	struct nb_mount_op *op;

	c->mounts = nb_grow(c->mounts, c->n_mounts, sizeof(*c->mounts));
	op = &c->mounts[c->n_mounts++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->src = src ? nb_xstrdup(src) : NULL;
	op->dst = nb_xstrdup(dst);
	return op;
}

void nb_config_set_net(struct nb_config *c, enum nb_net_mode mode)
{
	c->net_mode = mode;
	if (mode == NB_NET_HOST) {
		c->unshare_flags &= ~CLONE_NEWNET;
		c->shared_flags |= CLONE_NEWNET;
	} else {
		c->unshare_flags |= CLONE_NEWNET;
		c->shared_flags &= ~CLONE_NEWNET;
	}
}

void nb_config_init(struct nb_config *c)
{
	memset(c, 0, sizeof(*c));
	c->unshare_flags = nb_ns_default_flags();
	c->map_mode = NB_MAP_ROOT;
	c->uid = -1;
	c->gid = -1;
	c->root_mode = NB_ROOT_HOST;
	c->profile = "shell";
}

void nb_config_free(struct nb_config *c)
{
	free(c->publish);
	free(c->hostname);
	free(c->domainname);
	free(c->uid_map.r);
	free(c->gid_map.r);
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].src);
		free(c->mounts[i].dst);
		free(c->mounts[i].upper);
		free(c->mounts[i].work);
	}
	free(c->mounts);
	free(c->chdir);
	free(c->name);
	for (size_t i = 0; i < c->n_env; i++) {
		free(c->env[i].key);
		free(c->env[i].entry);
	}
	free(c->env);
	free(c->rlimits);
	free(c->keep_fds);
	if (c->argv)
		for (char **a = c->argv; *a; a++)
			free(*a);
	free(c->argv);
	memset(c, 0, sizeof(*c));
}

/* The option that makes an operation of @k, without the dashes. */
const char *nb_mount_kind_name(enum nb_mount_kind k)
{
	static const char *const names[] = {
		[NB_MNT_BIND] = "bind",
		[NB_MNT_RO_BIND] = "ro-bind",
		[NB_MNT_TMPFS] = "tmpfs",
		[NB_MNT_PROC] = "proc",
		[NB_MNT_DEV] = "dev",
		[NB_MNT_DIR] = "dir",
		[NB_MNT_SYMLINK] = "symlink",
		[NB_MNT_OVERLAY] = "overlay",
		[NB_MNT_TMP_OVERLAY] = "tmp-overlay",
		[NB_MNT_FILE] = "file",
	};

	return names[k];
}
