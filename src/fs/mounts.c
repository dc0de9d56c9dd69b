// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sandbox's filesystem view, built by PID 1 inside the new mount
 * namespace:
 *
 *  1. make every mount private, so that nothing propagates to the host;
 *  2. for --root ro or empty, build the new root under a private tmpfs on
 *     /tmp: a recursive bind of / made read-only, or an empty tmpfs;
 *  3. add the implicit mounts: a fresh /proc, a fresh /dev/shm for a new
 *     IPC namespace, a private /tmp and empty runtime directories when the
 *     host tree is not the root;
 *  4. apply the operations in order, from the sources the host opened
 *     (sources.c), resolving every destination under the new root with
 *     openat2(), so that no symlink leads out of it, and mounting on the
 *     resolved fd;
 *  5. pivot_root into the new root and detach the old one.
 *
 * None of this can be undone by the command: init runs it in the user
 * namespace that nestbox owns, and the command runs in a user and mount
 * namespace nested inside (see lock.c), where the kernel locks every mount
 * made here, and its flags.
 *
 * Mount points are created only inside filesystems that nestbox mounted
 * itself, so the host's filesystems never change.
 */
#include "autoconf.h"

#include "fs/mounts.h"
#include "fs/mount-ctx.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "lib/explain.h"
#include "fs/mountinfo.h"
#include "fs/sources.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

void nb_mnt_fd_path(int fd, char buf[FD_PATH_MAX])
{
	snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

/*
 * Resolves @rel beneath the sandbox root as if that were "/": absolute
 * symlinks and ".." stay inside it, so a planted link cannot lead out.
 */
int nb_mnt_resolve(const struct nb_mctx *m, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	int fd;

	/* EAGAIN: a rename or mount anywhere raced with a "..": look again. */
	for (int i = 0; i < 64; i++) {
		fd = (int)syscall(SYS_openat2, m->rootfd, *rel ? rel : ".", &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/* Whether the directory @fd lies on a filesystem that nestbox mounted. */
bool nb_mnt_is_ours(const struct nb_mctx *m, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return false;
	for (size_t i = 0; i < m->n_ours; i++)
		if (m->ours[i] == st.st_dev)
			return true;
	return false;
}

/* Records the filesystem whose root is @fd as one of ours. */
int nb_mnt_add_ours(struct nb_mctx *m, int fd, const char *dst, struct nb_error *e)
{
	struct stat st;
	dev_t *grown;

	if (fstat(fd, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "checking the mount on %s", dst);
	grown = reallocarray(m->ours, m->n_ours + 1, sizeof(dev_t));
	if (!grown)
		nb_oom();
	m->ours = grown;
	m->ours[m->n_ours++] = st.st_dev;
	return 0;
}

/*
 * Without openat2() (before Linux 5.6) no path can be resolved inside the
 * sandbox root without following what the sandbox could have replaced:
 * nestbox refuses, in one line that says why, rather than fall back.
 */
static int no_openat2(struct nb_error *e, const char *what)
{
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "nestbox resolves every path with openat2(), so that no symbolic link leads "
		       "out of the sandbox; it needs Linux 5.6 or later",
		       "%s: this kernel has no openat2() (a seccomp filter or a kernel before 5.6)",
		       what);
}

static int dst_error(const char *dst, int err, struct nb_error *e)
{
	if (err == ENOSYS)
		return no_openat2(e, dst);
	if (err == ENOENT)
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "nestbox makes mount points only inside filesystems it mounted "
			       "(symbolic links resolve inside the sandbox root): use an existing "
			       "path, --root empty, or a --tmpfs or --dir above it",
			       "destination %s does not exist", dst);
	return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "resolving destination %s", dst);
}

/**
 * nb_mnt_open_dst() - resolve @dst under the sandbox root, creating what is missing
 *
 * Every prefix is resolved again from the root, so symlinks on the way mean
 * what they will mean inside the sandbox.  A missing component is created
 * only in a directory on a filesystem that nestbox mounted itself.
 *
 * Return: an O_PATH fd of the destination, or a negative errno.
 */
int nb_mnt_open_dst_mode(struct nb_mctx *m, const char *dst, enum dst_kind kind,
			 unsigned parent_mode, unsigned leaf_mode, bool *created,
			 struct nb_error *e)
{
	char path[PATH_MAX];
	const char *rel = dst + strspn(dst, "/");
	size_t len = strlen(rel);
	int fd;

	if (len >= sizeof(path))
		return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "destination %.64s...", dst);
	fd = nb_mnt_resolve(m, rel, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : dst_error(dst, errno, e);

	memcpy(path, rel, len + 1);
	for (size_t end = 0; end <= len; end++) {
		_cleanup_close_ int parent = -1;
		char *name;
		int r;

		if (path[end] != '/' && path[end] != '\0')
			continue;
		path[end] = '\0';
		fd = nb_mnt_resolve(m, path, O_PATH);
		if (fd >= 0) {
			close(fd);
			path[end] = end < len ? '/' : '\0';
			continue;
		}
		if (errno != ENOENT)
			return dst_error(dst, errno, e);
		name = strrchr(path, '/');
		if (name) {
			*name = '\0';
			parent = nb_mnt_resolve(m, path, O_DIRECTORY);
			*name++ = '/';
		} else {
			name = path;
			parent = nb_mnt_resolve(m, "", O_DIRECTORY);
		}
		if (parent < 0)
			return dst_error(dst, errno, e);
		if (!m->cfg->compat.create_anywhere && !nb_mnt_is_ours(m, parent))
			return dst_error(dst, ENOENT, e);
		if (end == len && kind == DST_FILE) {
			r = openat(parent, name,
				   O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, leaf_mode);
			if (r >= 0)
				close(r);
		} else {
			r = mkdirat(parent, name, end == len ? leaf_mode : parent_mode);
		}
		if (r < 0 && errno != EEXIST)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating mount point %s",
				       dst);
		if (r >= 0 && end == len && created)
			*created = true;
		path[end] = end < len ? '/' : '\0';
	}
	fd = nb_mnt_resolve(m, rel, O_PATH);
	return fd >= 0 ? fd : dst_error(dst, errno, e);
}

/* Mount points: directories 0755, files 0444, as they would be in bubblewrap. */
int nb_mnt_open_dst(struct nb_mctx *m, const char *dst, enum dst_kind kind, struct nb_error *e)
{
	return nb_mnt_open_dst_mode(m, dst, kind, 0755, kind == DST_FILE ? 0444 : 0755, NULL, e);
}

/*
 * Makes the mount at @fd and every mount below it read-only in one call
 * (Linux 5.12), stacked and covered mounts too, without reading the mount
 * table or looking up a path.  Only RDONLY is set: the locked flags stay as
 * they are.  Returns 0, or -errno: see nb_mnt_ro_tree_missing().
 */
int nb_mnt_ro_tree(int fd)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	return mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0 ? -errno
											    : 0;
}

/*
 * Whether nb_mnt_ro_tree() failed for want of mount_setattr(): before Linux 5.12,
 * or refused by a seccomp policy outside.  The remount by path then does
 * the work, or fails with its own error.
 */
bool nb_mnt_ro_tree_missing(int r)
{
	return r == -ENOSYS || r == -EPERM;
}

/* The same by path, from the mount table, where mount_setattr() is missing. */
int nb_mnt_ro_remount_tree(const char *prefix, struct nb_error *e)
{
	struct nb_remount *r = NULL;
	size_t n = 0;
	int ret = 0;

	if (nb_mountinfo_ro_plan("/proc/self/mountinfo", prefix, &r, &n, e) < 0)
		return nb_err(e);
	for (size_t i = 0; i < n && ret == 0; i++) {
		if (mount(NULL, r[i].target, NULL, r[i].flags, NULL) == 0)
			continue;
		/* Covered by a later mount: not reachable, nothing to protect. */
		if (errno == EINVAL || errno == ENOENT || errno == EACCES)
			continue;
		ret = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making %s read-only", r[i].target);
	}
	nb_remounts_free(r, n);
	return ret;
}

/* The path of a mount made on @fd, as /proc/self/mountinfo shows it. */
int nb_mnt_fd_target(int fd, char *buf, size_t size, struct nb_error *e)
{
	char p[FD_PATH_MAX];
	ssize_t n;

	nb_mnt_fd_path(fd, p);
	n = readlink(p, buf, size - 1);
	if (n < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading %s", p);
	buf[n] = '\0';
	return 0;
}

/**
 * nb_mnt_attach_fs() - mount a new filesystem on the directory @dst_fd
 *
 * The new mount API hands back an fd of the new filesystem's root and
 * attaches it where @dst_fd points, so nothing is looked up by path again:
 * a directory renamed meanwhile cannot redirect it.
 *
 * Return: an fd of the new mount's root, or -1 with @e set.
 */
int nb_mnt_attach_fs(const char *type, const struct fs_opt *opts, unsigned attrs, int dst_fd,
		     const char *dst, struct nb_error *e)
{
	_cleanup_close_ int fsfd = fsopen(type, FSOPEN_CLOEXEC);
	int mfd;

	if (fsfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       errno == ENODEV ? "the kernel lacks this filesystem" : NULL,
			       "mounting %s on %s", type, dst);
	for (; opts && opts->key; opts++)
		if ((opts->value ? fsconfig(fsfd, FSCONFIG_SET_STRING, opts->key, opts->value, 0)
				 : fsconfig(fsfd, FSCONFIG_SET_FLAG, opts->key, NULL, 0)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "mounting %s on %s: option %s", type, dst, opts->key);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       strcmp(type, "overlay") == 0
				   ? "upper and work must be directories on one filesystem that "
				     "supports user xattrs, and overlay in a user namespace "
				     "needs Linux 5.11"
				   : NULL,
			       "mounting %s on %s", type, dst);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
	if (mfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "mounting %s on %s", type, dst);
	if (move_mount(mfd, "", dst_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
	    0) {
		int err = errno;

		close(mfd);
		return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "attaching %s on %s", type, dst);
	}
	return mfd;
}

/* Mounts a tmpfs at @dst; returns an fd of its root, which the caller closes. */
static void free_ctx(struct nb_mctx *m)
{
	free(m->ours);
	nb_closep(&m->rootfd);
	nb_closep(&m->datafd);
}

static int make_root(struct nb_mctx *m, struct nb_error *e)
{
	const char *what = m->cfg->fs.root_mode == NB_ROOT_RO ? "read-only host" : "empty";

	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=64k") < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "mounting the staging tmpfs on /tmp");
	if (mkdir(NEWROOT, 0755) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating %s", NEWROOT);
	if (m->cfg->fs.root_mode == NB_ROOT_RO) {
		_cleanup_close_ int root = -1;
		int r;

		if (mount("/", NEWROOT, NULL, MS_BIND | MS_REC, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding / for --root ro");
		/* NEWROOT is on init's own staging tmpfs, made just now. */
		root = open(NEWROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (root < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", NEWROOT);
		r = nb_mnt_ro_tree(root);
		if (r < 0 && !nb_mnt_ro_tree_missing(r))
			return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "making / read-only");
		if (r < 0 && nb_mnt_ro_remount_tree(NEWROOT, e) < 0)
			return nb_err(e);
	} else {
		/* nestbox's empty root is small and read-only; bubblewrap's is neither. */
		const struct fs_opt opts[] = { { "mode", "0755" },
					       { m->cfg->compat.root_writable ? NULL : "size",
						 "1m" },
					       { NULL, NULL } };
		_cleanup_close_ int dir = open(NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (dir < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", NEWROOT);
		m->rootfd = nb_mnt_attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
					     dir, "/", e);
		if (m->rootfd < 0 || nb_mnt_add_ours(m, m->rootfd, "/", e) < 0)
			return nb_err(e);
	}
	if (m->rootfd < 0)
		m->rootfd = open(NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->rootfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening the new root");
	nb_narrate(1, "init", "built a %s root under a private tmpfs", what);
	return 0;
}

static int enter_root(struct nb_error *e)
{
	if (chdir(NEWROOT) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "entering the new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "pivot_root");
	/* The old root sits on top of the new one: detach it. */
	if (umount2(".", MNT_DETACH) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "detaching the old root");
	if (chdir("/") < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "entering /");
	return 0;
}

/*
 * A bind mount, or an overlay layer, must come from the mount namespace it
 * is made in, and the host opened the sources in its own.  So init opens each again, by the
 * physical path the host's fd has, with no symlink allowed on the way, and
 * takes it only if it is the very same file: a swap in between is refused,
 * never followed.
 */
static int localize(int *fd, const char *what, struct nb_error *e)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char p[FD_PATH_MAX], path[PATH_MAX];
	struct stat a, b;
	ssize_t n;
	int local;

	nb_mnt_fd_path(*fd, p);
	n = readlink(p, path, sizeof(path) - 1);
	if (n < 0 || fstat(*fd, &a) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "%s: reading its path", what);
	path[n] = '\0';
	local = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (local < 0 && errno == ENOSYS)
		return no_openat2(e, what);
	if (local < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "%s %s", what, path);
	if (fstat(local, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		if (local >= 0)
			close(local);
		return nb_fail(e, NB_EXIT_FAILURE, 0, "something renamed it; try again",
			       "%s %s changed while the sandbox started", what, path);
	}
	close(*fd);
	*fd = local;
	return 0;
}

/*
 * A bind copies its source's tree as it is now, before the staging area
 * exists: a --bind / / shows the host's /tmp, not nestbox's staging tmpfs.
 */
static int clone_tree(int *fd, const char *what, struct nb_error *e)
{
	int tree =
	    open_tree(*fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);

	if (tree < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "copying the tree of %s",
			       what ? what : "a bind source");
	close(*fd);
	*fd = tree;
	return 0;
}

static int localize_sources(struct nb_mctx *m, struct nb_error *e)
{
	for (size_t i = 0; i < m->n_ops; i++) {
		enum nb_mount_kind kind = m->ops[i].kind;

		if ((kind == NB_MNT_BIND || kind == NB_MNT_RO_BIND) && m->src->src[i] >= 0 &&
		    (localize(&m->src->src[i], "bind source", e) < 0 ||
		     clone_tree(&m->src->src[i], m->ops[i].src, e) < 0))
			return nb_err(e);
		for (size_t k = 0; kind == NB_MNT_DEV && k < nb_n_dev_nodes; k++)
			if (localize(&m->src->lower[i][k], "device", e) < 0)
				return nb_err(e);
		if (kind == NB_MNT_DEV && m->src->lower[i][NB_DEV_CONSOLE] >= 0 &&
		    localize(&m->src->lower[i][NB_DEV_CONSOLE], "terminal", e) < 0)
			return nb_err(e);
		if (kind == NB_MNT_OVERLAY && m->src->upper[i] >= 0 &&
		    (localize(&m->src->upper[i], "overlay upper directory", e) < 0 ||
		     localize(&m->src->work[i], "overlay work directory", e) < 0))
			return nb_err(e);
		for (int k = 0; (kind == NB_MNT_OVERLAY || kind == NB_MNT_TMP_OVERLAY) &&
				k < NB_MAX_LOWERS && m->src->lower[i][k] >= 0;
		     k++)
			if (localize(&m->src->lower[i][k], "overlay lower directory", e) < 0)
				return nb_err(e);
	}
	return 0;
}

/* The number of @i among the operations the user gave, counting from 1. */
static size_t user_index(const struct nb_mctx *m, size_t i)
{
	size_t n = 0;

	for (size_t k = 0; k <= i; k++)
		n += !m->ops[k].implicit;
	return n;
}

int nb_mounts_setup(const struct nb_mounts_in *in, struct nb_error *e)
{
	const struct nb_config *cfg = in->cfg;
	struct nb_mctx m = {
		.cfg = cfg,
		.ops = in->ops,
		.n_ops = in->n_ops,
		.host = in->host,
		.new_pid_ns = cfg->ns.unshare_flags & CLONE_NEWPID,
		.rootfd = -1,
		.src = in->src,
		.procfd = in->procfd,
		.uid = in->uid,
		.gid = in->gid,
		.datafd = -1,
	};
	bool root_replaced = false;
	bool new_root = cfg->fs.root_mode != NB_ROOT_HOST;
	int r = -1;

	/* Nothing done below may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making mounts private");
	nb_narrate(1, "init", "made every mount private, so nothing propagates to the host");
	if (localize_sources(&m, e) < 0)
		goto out;

	if (new_root) {
		if (make_root(&m, e) < 0)
			goto out;
	} else {
		m.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (m.rootfd < 0) {
			nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening /");
			goto out;
		}
	}
	for (size_t i = 0; i < m.n_ops; i++) {
		const struct nb_mount_op *op = &m.ops[i];

		if (nb_mnt_apply_op(&m, i, e) < 0) {
			if (!op->implicit)
				nb_error_wrap(e, "--%s #%zu %s", nb_mount_kind_name(op->kind),
					      user_index(&m, i), op->dst);
			goto out;
		}
		/* Later operations resolve in what now covers the root. */
		if (new_root && nb_streq(op->dst, "/") && op->kind != NB_MNT_DIR &&
		    op->kind != NB_MNT_CHMOD) {
			nb_closep(&m.rootfd);
			m.rootfd = open(NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (m.rootfd < 0) {
				nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening the new root");
				goto out;
			}
			root_replaced = true;
		}
		if (op->why)
			nb_narrate(1, "init", "%s on %s", op->why, op->dst);
		else
			nb_narrate(2, "init", "mount operation %zu on %s done", i + 1, op->dst);
	}
	if (new_root) {
		if (enter_root(e) < 0)
			goto out;
		if (cfg->fs.root_mode == NB_ROOT_EMPTY && !root_replaced &&
		    !cfg->compat.root_writable &&
		    mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
			  NULL) < 0) {
			nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making the empty root read-only");
			goto out;
		}
		nb_narrate(1, "init", "pivoted into the new root and detached the old one");
	}
	r = 0;
out:
	free_ctx(&m);
	return r;
}

int nb_mounts_private_sysfs(struct nb_error *e)
{
	_cleanup_close_ int sys = open("/sys", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int cgroup = -1;
	_cleanup_close_ int mfd = -1;
	_cleanup_close_ int target = -1;
	struct statfs sfs;
	struct stat a, b;

	/* Only a host sysfs in view shows the host's interfaces. */
	if (sys < 0 || fstatfs(sys, &sfs) < 0 || sfs.f_type != SYSFS_MAGIC)
		return 0;
	/* Keep the cgroup tree that was mounted on it. */
	cgroup = open_tree(sys, "fs/cgroup", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (cgroup >= 0 && (fstat(cgroup, &a) < 0 || fstat(sys, &b) < 0 || a.st_dev == b.st_dev))
		nb_closep(&cgroup), cgroup = -1;
	mfd = nb_mnt_attach_fs("sysfs", NULL,
			       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				   MOUNT_ATTR_NOEXEC,
			       sys, "/sys", e);
	if (mfd < 0 && (e->err == EPERM || e->err == EACCES)) {
		/* A masked /sys (a container's) is "too revealing" to mount afresh. */
		*e = (struct nb_error){ 0 };
		nb_narrate(1, "init",
			   "a fresh sysfs is refused here (a container masks parts of /sys): the "
			   "sandbox keeps the /sys in view, which shows the host's interfaces");
		return 0;
	}
	if (mfd < 0)
		return nb_err(e);
	if (cgroup >= 0) {
		target = openat(mfd, "fs/cgroup", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (target < 0 || move_mount(cgroup, "", target, "",
					     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "keeping /sys/fs/cgroup on the new sysfs");
	}
	nb_narrate(1, "init", "mounted a fresh sysfs, which shows only this network namespace");
	return 0;
}
