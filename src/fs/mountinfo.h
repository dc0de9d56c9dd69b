/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

struct nb_error;

/**
 * struct nb_remount - one read-only remount that keeps the locked flags
 * @target: the mount point
 * @flags: MS_BIND|MS_REMOUNT|MS_RDONLY plus the flags the kernel locked
 */
struct nb_remount {
	char *target;
	unsigned long flags;
};

/**
 * nb_mountinfo_ro_plan() - plan read-only remounts of a subtree
 * @mountinfo: a mountinfo file, usually /proc/self/mountinfo
 * @prefix: the subtree's mount point
 * @out: the remounts, parents first; free with nb_remounts_free()
 * @n: how many
 * @e: error
 *
 * In a user namespace, nosuid, nodev, noexec and the atime mode of an
 * inherited mount are locked: a remount that drops one fails with EPERM.
 * So every mount's current flags are read from the table through libmount
 * and kept.  Only the topmost of stacked mounts is reachable by path, and
 * only it is planned.  libmount is loaded on first use, to keep its load
 * time off the start of sandboxes that do not need it.
 */
int nb_mountinfo_ro_plan(const char *mountinfo, const char *prefix, struct nb_remount **out,
			 size_t *n, struct nb_error *e);
void nb_remounts_free(struct nb_remount *r, size_t n);
