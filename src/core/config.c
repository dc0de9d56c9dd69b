// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration's lifetime and its builders.  Front ends (the option
 * parser, the profiles, a second vocabulary) change a configuration only
 * through these, so that each rule lives in one place.
 */
#include "autoconf.h"

#include "core/config.h"
#include "core/ns.h"
#include "lib/util.h"

#include <ctype.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

const char *nb_isolation_name(enum nb_isolation i)
{
	static const char *const names[] = {
		[NB_ISO_NAMESPACES] = "namespaces",
		[NB_ISO_LANDLOCK] = "landlock",
		[NB_ISO_AUTO] = "auto",
	};

	return (size_t)i < ARRAY_SIZE(names) ? names[i] : "?";
}

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

/*
 * A host or domain name that a resolver takes: dot-separated labels of
 * letters, digits, '-' and '_', none empty, and the kernel's 64 bytes at
 * most.  A newline or an escape sequence would otherwise reach every prompt
 * and log line that prints the name.
 */
int nb_config_set_uts_name(struct nb_config *c, bool domain, const char *name, struct nb_error *e)
{
	const char *opt = domain ? "--domainname" : "--hostname";
	size_t len = strlen(name);
	char shown[4 * 80 + 1];
	bool label_start = true;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '.' ? label_start : !(isalnum(ch) || ch == '-' || ch == '_'))
			goto bad;
		label_start = ch == '.';
	}
	if ((len == 0 && !domain) || len > 64 || (len && label_start))
		goto bad;
	free(domain ? c->ns.domainname : c->ns.hostname);
	*(domain ? &c->ns.domainname : &c->ns.hostname) = nb_xstrdup(name);
	return 0;
bad:
	nb_escape(len > 80 ? "(too long)" : name, shown, sizeof(shown));
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "use 1 to 64 letters, digits, '-' and '_', in labels separated by dots",
		       "%s: '%s' is not a name a resolver accepts", opt, shown);
}

struct nb_mount_op *nb_config_add_mount(struct nb_config *c, enum nb_mount_kind kind,
					const char *src, const char *dst)
{
	struct nb_mount_op *op;

	c->fs.mounts = nb_grow(c->fs.mounts, c->fs.n_mounts, sizeof(*c->fs.mounts));
	op = &c->fs.mounts[c->fs.n_mounts++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->src = src ? nb_xstrdup(src) : NULL;
	op->dst = nb_xstrdup(dst);
	op->fd = -1;
	return op;
}

struct nb_mount_op *nb_config_mount(struct nb_config *c, enum nb_mount_kind kind, const char *src,
				    const char *dst, struct nb_error *e)
{
	/* A bind's source and a link's target are one path; an overlay's is a list. */
	bool one_path = kind == NB_MNT_BIND || kind == NB_MNT_RO_BIND || kind == NB_MNT_SYMLINK;

	if (!dst || !*dst) {
		nb_fail(e, NB_EXIT_FAILURE, 0, "give a path inside the sandbox",
			"empty destination");
		return NULL;
	}
	if (strlen(dst) >= NB_PATH_LIMIT || (one_path && src && strlen(src) >= NB_PATH_LIMIT)) {
		nb_fail(e, NB_EXIT_FAILURE, 0, "paths are limited to 3999 bytes", "path too long");
		return NULL;
	}
	if (one_path && src && !*src) {
		nb_fail(e, NB_EXIT_FAILURE, 0,
			kind == NB_MNT_SYMLINK ? "give the link's target" : "give the path to bind",
			kind == NB_MNT_SYMLINK ? "empty target" : "empty source");
		return NULL;
	}
	return nb_config_add_mount(c, kind, src, dst);
}

int nb_config_env(struct nb_config *c, enum nb_env_kind kind, const char *key, const char *value,
		  struct nb_error *e)
{
	if (!*key || strchr(key, '='))
		return nb_fail(e, NB_EXIT_FAILURE, 0, "a name must be non-empty and contain no '='",
			       "invalid environment variable name '%s'", key);
	nb_config_add_env(c, kind, key, value);
	return 0;
}

void nb_config_add_env(struct nb_config *c, enum nb_env_kind kind, const char *key,
		       const char *value)
{
	c->proc.env = nb_grow(c->proc.env, c->proc.n_env, sizeof(*c->proc.env));
	c->proc.env[c->proc.n_env] = (struct nb_env_op){ .kind = kind, .key = nb_xstrdup(key) };
	if (kind == NB_ENV_SET &&
	    asprintf(&c->proc.env[c->proc.n_env].entry, "%s=%s", key, value) < 0)
		nb_oom();
	c->proc.n_env++;
}

void nb_config_clear_env(struct nb_config *c)
{
	for (size_t i = 0; i < c->proc.n_env; i++) {
		free(c->proc.env[i].key);
		free(c->proc.env[i].entry);
	}
	c->proc.n_env = 0;
	c->proc.clearenv = true;
}

int nb_cap_from_name(const char *name)
{
	cap_value_t v;
	char buf[64];
	size_t i;

	/* "net_raw", "NET_RAW" and "cap_net_raw" alike. */
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	if (strlen(name) + 5 > sizeof(buf) || !*name)
		return -1;
	memcpy(buf, "cap_", 4);
	for (i = 0; name[i]; i++)
		buf[4 + i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	buf[4 + i] = '\0';
	if (cap_from_name(buf, &v) < 0 || v < 0 || v > 63)
		return -1;
	return v;
}

void nb_config_add_fd(int **fds, size_t *n, int fd)
{
	*fds = nb_grow(*fds, *n, sizeof(**fds));
	(*fds)[(*n)++] = fd;
}

void nb_config_add_str(char ***v, size_t *n, const char *s)
{
	*v = nb_grow(*v, *n, sizeof(**v));
	(*v)[(*n)++] = nb_xstrdup(s);
}

void nb_config_hook_fds(const struct nb_config *c, struct nb_hook_fd out[NB_N_HOOK_FDS])
{
	out[0] = (struct nb_hook_fd){ "json-status-fd", c->proc.json_status_fd };
	out[1] = (struct nb_hook_fd){ "info-fd", c->proc.info_fd };
	out[2] = (struct nb_hook_fd){ "block-fd", c->proc.block_fd };
	out[3] = (struct nb_hook_fd){ "sync-fd", c->proc.sync_fd };
}

void nb_config_set_net(struct nb_config *c, enum nb_net_mode mode)
{
	c->ns.net_mode = mode;
	if (mode == NB_NET_HOST) {
		c->ns.unshare_flags &= ~CLONE_NEWNET;
		c->ns.shared_flags |= CLONE_NEWNET;
	} else {
		c->ns.unshare_flags |= CLONE_NEWNET;
		c->ns.shared_flags &= ~CLONE_NEWNET;
	}
}

void nb_config_init(struct nb_config *c)
{
	memset(c, 0, sizeof(*c));
	c->ns.unshare_flags = nb_ns_default_flags();
	c->ids.map_mode = NB_MAP_ROOT;
	c->ids.uid = -1;
	c->ids.gid = -1;
	c->fs.root_mode = NB_ROOT_HOST;
	c->profile = "shell";
	c->sec.lock_mounts = true;
	c->proc.info_fd = c->proc.json_status_fd = c->proc.block_fd = c->compat.userns_block_fd =
	    c->proc.sync_fd = -1;
	c->compat.join_userns_fd = c->compat.join_pidns_fd = c->compat.switch_userns_fd = -1;
}

void nb_config_free(struct nb_config *c)
{
	free(c->ns.publish);
	free(c->ns.hostname);
	free(c->ns.domainname);
	free(c->ids.uid_map.r);
	free(c->ids.gid_map.r);
	for (size_t i = 0; i < c->fs.n_mounts; i++) {
		free(c->fs.mounts[i].src);
		free(c->fs.mounts[i].dst);
		free(c->fs.mounts[i].upper);
		free(c->fs.mounts[i].work);
	}
	free(c->fs.mounts);
	free(c->fs.chdir);
	free(c->name);
	for (size_t i = 0; i < c->proc.n_env; i++) {
		free(c->proc.env[i].key);
		free(c->proc.env[i].entry);
	}
	free(c->proc.env);
	free(c->proc.rlimits);
	free(c->proc.keep_fds);
	free(c->compat.seccomp_fds);
	for (size_t i = 0; i < c->proc.n_lock_files; i++)
		free(c->proc.lock_files[i]);
	free(c->proc.lock_files);
	free(c->proc.argv0);
	/* compare's wrapper list borrows its strings (and the held list's) from statics. */
	if (c->proc.held_argv) {
		free(c->proc.argv);
		c->proc.argv = c->proc.held_argv;
	}
	if (c->proc.argv)
		for (char **a = c->proc.argv; *a; a++)
			free(*a);
	free(c->proc.argv);
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
		[NB_MNT_BIND_DATA] = "bind-data",
		[NB_MNT_RO_BIND_DATA] = "ro-bind-data",
		[NB_MNT_CHMOD] = "chmod",
		[NB_MNT_REMOUNT_RO] = "remount-ro",
		[NB_MNT_MQUEUE] = "mqueue",
		[NB_MNT_TEXT] = "text",
	};

	return names[k];
}
