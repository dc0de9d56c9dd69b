// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Locking the setup.  The kernel locks a mount, and its read-only, nosuid,
 * nodev, noexec and atime flags, only when it reaches a *less privileged*
 * mount namespace: one owned by another user namespace (fs/namespace.c,
 * copy_mnt_ns and lock_mnt_tree).  Init makes every mount in the mount
 * namespace of nestbox's user namespace; the command then runs in a user and
 * mount namespace nested one level deeper, whose map is the identity on the
 * planned map.  Its root keeps every capability over what it makes itself
 * (its own mounts, its own hostname), but cannot unmount, move, remount or
 * re-bind anything init made, nor clear a flag, even with mount_setattr().
 *
 *   nestbox user ns (init)      map "1000 1000 1": each outside id onto
 *                               itself; mounts, hostname, lo, seccomp
 *     nested user ns (command)  the planned map, "0 1000 1" (or one line
 *                               per range); mount ns copied, so every
 *                               mount is locked
 *
 * Because nestbox's namespace keeps the outside numbers, the command's
 * /proc/self/uid_map reads exactly as on the host: root inside is you.
 *
 * The nested map is written by init, which holds CAP_SETUID and CAP_SETGID
 * in the parent namespace; for --as-pid-1, where init itself moves in, by a
 * short-lived helper that stays behind.
 */
#include "autoconf.h"

#include "run/lock.h"
#include "lib/explain.h"
#include "lib/cleanup.h"
#include "core/idmap.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

int nb_lock_flags(const struct nb_config *cfg)
{
	/*
	 * Without a map nothing can be nested (a user namespace needs its
	 * creator's ids mapped), and nothing needs to be: the command, an
	 * unmapped uid, loses every capability at exec.
	 */
	if (cfg->ids.map_mode == NB_MAP_NONE)
		return 0;
	/*
	 * Without locking, the command shares init's namespaces, unless it must
	 * not create user namespaces: that takes one more, which uses up the
	 * limit (nb_lock_disable_userns()).
	 */
	if (!cfg->sec.lock_mounts)
		return cfg->sec.disable_userns ? CLONE_NEWUSER : 0;
	/* A UTS namespace of its own lets root inside rename its host. */
	return CLONE_NEWUSER | (cfg->ns.unshare_flags & (CLONE_NEWNS | CLONE_NEWUTS));
}

static int write_one(int procfd, pid_t pid, const char *file, const struct nb_idmap *m, bool direct,
		     struct nb_error *e)
{
	char path[32], buf[4096];
	int len = nb_idmap_format(m, buf, sizeof(buf));
	int r;

	/* A directly mapped namespace above: the nested one keeps its ids as they are. */
	if (direct) {
		len = 0;
		for (size_t i = 0; i < m->n && len >= 0 && len < (int)sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%u %u %u\n",
					m->r[i].inside, m->r[i].inside, m->r[i].count);
		if (len >= (int)sizeof(buf))
			len = -1;
	}

	if (len < 0)
		return nb_fail(e, NB_EXIT_FAILURE, E2BIG, NULL, "formatting the nested %s", file);
	snprintf(path, sizeof(path), "%d/%s", (int)pid, file);
	r = nb_write_file_at(procfd, path, buf, (size_t)len);
	if (r < 0)
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL,
			       "writing the nested user namespace's %s", file);
	if (nb_narrating(1)) {
		char shown[48];

		snprintf(shown, sizeof(shown), "the command's /proc/%d/%s", (int)pid, file);
		nb_narrate_map("init", shown, buf);
	}
	return 0;
}

int nb_lock_write_maps(int procfd, pid_t pid, const struct nb_idplan *plan, struct nb_error *e)
{
	/*
	 * setgroups is inherited: "deny" when nestbox wrote the outer gid map
	 * itself, and then it cannot change.  A privileged writer needs no
	 * "deny" before gid_map.  The lower ids are the outside numbers, which
	 * nestbox's namespace maps onto themselves.
	 */
	if (plan->uid_method == NB_MAP_SKIP)
		return 0;
	if (write_one(procfd, pid, "gid_map", &plan->gid, plan->direct, e) < 0)
		return nb_err(e);
	return write_one(procfd, pid, "uid_map", &plan->uid, plan->direct, e);
}

int nb_lock_disable_userns(int procfd, struct nb_error *e)
{
	/*
	 * bubblewrap's method: the limit of nestbox's user namespace is 1, which
	 * the nested one uses up.  Every user namespace below counts against it
	 * (kernel/ucount.c walks up the parents), and the command, whose
	 * capabilities end at the nested namespace, cannot raise it.
	 */
	int r = nb_write_file_at(procfd, "sys/user/max_user_namespaces", "1", 1);

	/*
	 * A container's /proc/sys is read-only, and no fresh proc can be had
	 * there: a seccomp filter refuses the calls instead (clone3 included).
	 */
	if (r == -EROFS || r == -EACCES || r == -EPERM) {
		nb_narrate(1, "init",
			   "--disable-userns: /proc/sys is read-only here, so a seccomp filter "
			   "refuses new user namespaces instead");
		return 1;
	}
	if (r < 0)
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL,
			       "--disable-userns: setting user.max_user_namespaces");
	return 0;
}

int nb_lock_open_proc(bool own_pid_ns, struct nb_error *e)
{
	_cleanup_close_ int fsfd = -1;
	int fd;

	if (!own_pid_ns) {
		/* The host's /proc, opened before any mount changes the view. */
		fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno,
				       "--share pid needs the host's /proc", "opening /proc");
		return fd;
	}
	/* Not attached anywhere yet: mounts.c puts it on /proc where one belongs. */
	fsfd = fsopen("proc", FSOPEN_CLOEXEC);
	if (fsfd < 0 || fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "is part of the host's /proc covered by another mount?",
			       "mounting a proc for the new PID namespace");
	fd = fsmount(fsfd, FSMOUNT_CLOEXEC,
		     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "is part of the host's /proc covered by another mount?",
			       "mounting a proc for the new PID namespace");
	return fd;
}

int nb_lock_mapped_ids(const struct nb_idplan *plan, uid_t uid, gid_t gid, struct nb_error *e)
{
	uint32_t u = nb_idmap_to_outside(&plan->uid, plan->inside_uid, NULL);
	uint32_t g = nb_idmap_to_outside(&plan->gid, plan->inside_gid, NULL);

	/* Without a map no id can be taken, and nothing is nested (nb_lock_flags()). */
	if (plan->uid_method == NB_MAP_SKIP)
		return 0;

	/*
	 * Only a process whose ids are mapped may create a user namespace.  With
	 * a map that leaves the caller's own id out, init takes the command's
	 * ids.  No id of nestbox's namespace is 0, so its capabilities stay.
	 */
	if (!nb_idmap_has_outside(&plan->gid, gid) && setresgid(g, g, g) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "taking gid %u", g);
	if (!nb_idmap_has_outside(&plan->uid, uid) && setresuid(u, u, u) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "taking uid %u", u);
	return 0;
}
