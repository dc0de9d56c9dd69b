// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Read-only remounts that keep each mount's locked flags: the mount table is
 * read through libmount, which is dlopen()ed only when needed.
 */
#include "autoconf.h"

#include "fs/mountinfo.h"
#include "lib/util.h"

#include <dlfcn.h>
#include <errno.h>
#include <libmount/libmount.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* The flags a read-only remount must repeat, or the kernel refuses it. */
#define NB_LOCKED_FLAGS                                                                \
	(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	 MS_STRICTATIME)

/* The libmount calls nestbox makes, resolved by dlopen() on first use. */
static struct {
	bool loaded;
	struct libmnt_table *(*new_table_from_file)(const char *);
	struct libmnt_iter *(*new_iter)(int);
	int (*table_next_fs)(struct libmnt_table *, struct libmnt_iter *, struct libmnt_fs **);
	const char *(*fs_get_target)(struct libmnt_fs *);
	const char *(*fs_get_vfs_options)(struct libmnt_fs *);
	int (*optstr_get_flags)(const char *, unsigned long *, const struct libmnt_optmap *);
	const struct libmnt_optmap *(*get_builtin_optmap)(int);
	void (*free_iter)(struct libmnt_iter *);
	void (*unref_table)(struct libmnt_table *);
} lm;

#define LM_SYM(field, name)                                                                     \
	do {                                                                                    \
		*(void **)&lm.field = dlsym(h, name);                                           \
		if (!lm.field)                                                                  \
			return nb_fail(e, NB_EXIT_FAILURE, 0, "install libmount1 (util-linux)", \
				       "libmount lacks %s", name);                              \
	} while (0)

static int lm_load(struct nb_error *e)
{
	void *h;

	if (lm.loaded)
		return 0;
	h = dlopen("libmount.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "install libmount1 (util-linux)",
			       "loading libmount: %s", dlerror());
	LM_SYM(new_table_from_file, "mnt_new_table_from_file");
	LM_SYM(new_iter, "mnt_new_iter");
	LM_SYM(table_next_fs, "mnt_table_next_fs");
	LM_SYM(fs_get_target, "mnt_fs_get_target");
	LM_SYM(fs_get_vfs_options, "mnt_fs_get_vfs_options");
	LM_SYM(optstr_get_flags, "mnt_optstr_get_flags");
	LM_SYM(get_builtin_optmap, "mnt_get_builtin_optmap");
	LM_SYM(free_iter, "mnt_free_iter");
	LM_SYM(unref_table, "mnt_unref_table");
	lm.loaded = true;
	return 0;
}

static bool under(const char *target, const char *prefix)
{
	size_t len = strlen(prefix);

	if (len == 1 && prefix[0] == '/')
		return target[0] == '/';
	return strncmp(target, prefix, len) == 0 && (target[len] == '\0' || target[len] == '/');
}

void nb_remounts_free(struct nb_remount *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].target);
	free(r);
}

int nb_mountinfo_ro_plan(const char *mountinfo, const char *prefix, struct nb_remount **out,
			 size_t *n, struct nb_error *e)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	struct nb_remount *r = NULL;
	size_t count = 0;
	int ret = 0;

	*out = NULL;
	*n = 0;
	if (lm_load(e) < 0)
		return -ENOSYS;
	tb = lm.new_table_from_file(mountinfo);
	if (!tb)
		return nb_fail(e, NB_EXIT_FAILURE, errno ? errno : EINVAL, NULL, "reading %s",
			       mountinfo);
	it = lm.new_iter(MNT_ITER_FORWARD);
	if (!it) {
		lm.unref_table(tb);
		return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "reading %s", mountinfo);
	}
	while (lm.table_next_fs(tb, it, &fs) == 0) {
		const char *target = lm.fs_get_target(fs);
		const char *opts = lm.fs_get_vfs_options(fs);
		unsigned long flags = 0;
		struct nb_remount *grown;

		if (!target || !under(target, prefix))
			continue;
		if (opts &&
		    lm.optstr_get_flags(opts, &flags, lm.get_builtin_optmap(MNT_LINUX_MAP)) < 0) {
			ret = nb_fail(e, NB_EXIT_FAILURE, 0, NULL,
				      "cannot parse the options '%s' of %s", opts, target);
			break;
		}
		/* A later mount at the same place covers this one. */
		for (size_t i = 0; i < count; i++)
			if (strcmp(r[i].target, target) == 0) {
				free(r[i].target);
				memmove(&r[i], &r[i + 1], (count - i - 1) * sizeof(*r));
				count--;
				break;
			}
		grown = reallocarray(r, count + 1, sizeof(*r));
		if (!grown)
			nb_oom();
		r = grown;
		r[count].target = strdup(target);
		if (!r[count].target)
			nb_oom();
		r[count].flags = MS_BIND | MS_REMOUNT | MS_RDONLY | (flags & NB_LOCKED_FLAGS);
		count++;
	}
	lm.free_iter(it);
	lm.unref_table(tb);
	if (ret < 0) {
		nb_remounts_free(r, count);
		return ret;
	}
	*out = r;
	*n = count;
	return 0;
}
