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

#include "mounts.h"
#include "cleanup.h"
#include "config.h"
#include "explain.h"
#include "mountinfo.h"
#include "sources.h"
#include "util.h"

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

#define STAGE "/tmp"
#define NEWROOT STAGE "/nestbox-root"
#define DEFAULT_TMPFS_SIZE (1ULL << 30)
#define FD_PATH_MAX 32

struct mctx {
	const struct nb_config *cfg;
	/* The plan's operations, the implicit ones included, in order. */
	const struct nb_mount_op *ops;
	size_t n_ops;
	const struct nb_host *host;
	bool new_pid_ns;
	int rootfd;
	/* Devices of the filesystems nestbox mounted: mount points may be made there. */
	dev_t *ours;
	size_t n_ours;
	/* The sources the host opened, one slot per operation (-1 if none). */
	struct nb_sources *src;
	/* A detached proc of the new PID namespace, attached once at /proc. */
	int procfd;
	bool proc_attached;
	uint32_t uid, gid;
	/* A private tmpfs holding the files of --bind-data, made on first use. */
	int datafd;
	unsigned n_data;
};

static void fd_path(int fd, char buf[FD_PATH_MAX])
{
	snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

/*
 * Resolves @rel beneath the sandbox root as if that were "/": absolute
 * symlinks and ".." stay inside it, so a planted link cannot lead out.
 */
static int resolve(const struct mctx *m, const char *rel, int flags)
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
static bool is_ours(const struct mctx *m, int fd)
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
static int add_ours(struct mctx *m, int fd, const char *dst, struct nb_error *e)
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

enum dst_kind { DST_DIR, DST_FILE };

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
 * open_dst() - resolve @dst under the sandbox root, creating what is missing
 *
 * Every prefix is resolved again from the root, so symlinks on the way mean
 * what they will mean inside the sandbox.  A missing component is created
 * only in a directory on a filesystem that nestbox mounted itself.
 *
 * Return: an O_PATH fd of the destination, or a negative errno.
 */
static int open_dst_mode(struct mctx *m, const char *dst, enum dst_kind kind, unsigned parent_mode,
			 unsigned leaf_mode, bool *created, struct nb_error *e)
{
	char path[PATH_MAX];
	const char *rel = dst + strspn(dst, "/");
	size_t len = strlen(rel);
	int fd;

	if (len >= sizeof(path))
		return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "destination %.64s...", dst);
	fd = resolve(m, rel, O_PATH);
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
		fd = resolve(m, path, O_PATH);
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
			parent = resolve(m, path, O_DIRECTORY);
			*name++ = '/';
		} else {
			name = path;
			parent = resolve(m, "", O_DIRECTORY);
		}
		if (parent < 0)
			return dst_error(dst, errno, e);
		if (!m->cfg->create_anywhere && !is_ours(m, parent))
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
	fd = resolve(m, rel, O_PATH);
	return fd >= 0 ? fd : dst_error(dst, errno, e);
}

/* Mount points: directories 0755, files 0444, as they would be in bubblewrap. */
static int open_dst(struct mctx *m, const char *dst, enum dst_kind kind, struct nb_error *e)
{
	return open_dst_mode(m, dst, kind, 0755, kind == DST_FILE ? 0444 : 0755, NULL, e);
}

/*
 * Makes the mount at @fd and every mount below it read-only in one call
 * (Linux 5.12), stacked and covered mounts too, without reading the mount
 * table or looking up a path.  Only RDONLY is set: the locked flags stay as
 * they are.  Returns 0, or -errno: see ro_tree_missing().
 */
static int ro_tree(int fd)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	return mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0 ? -errno
											    : 0;
}

/*
 * Whether ro_tree() failed for want of mount_setattr(): before Linux 5.12,
 * or refused by a seccomp policy outside.  The remount by path then does
 * the work, or fails with its own error.
 */
static bool ro_tree_missing(int r)
{
	return r == -ENOSYS || r == -EPERM;
}

/* The same by path, from the mount table, where mount_setattr() is missing. */
static int ro_remount_tree(const char *prefix, struct nb_error *e)
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
static int fd_target(int fd, char *buf, size_t size, struct nb_error *e)
{
	char p[FD_PATH_MAX];
	ssize_t n;

	fd_path(fd, p);
	n = readlink(p, buf, size - 1);
	if (n < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading %s", p);
	buf[n] = '\0';
	return 0;
}

struct fs_opt {
	const char *key;
	const char *value; /* NULL: a flag */
};

/**
 * attach_fs() - mount a new filesystem on the directory @dst_fd
 *
 * The new mount API hands back an fd of the new filesystem's root and
 * attaches it where @dst_fd points, so nothing is looked up by path again:
 * a directory renamed meanwhile cannot redirect it.
 *
 * Return: an fd of the new mount's root, or -1 with @e set.
 */
static int attach_fs(const char *type, const struct fs_opt *opts, unsigned attrs, int dst_fd,
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
static int mount_tmpfs(struct mctx *m, const char *dst, uint64_t size, const char *mode,
		       unsigned attrs, struct nb_error *e)
{
	_cleanup_close_ int fd = open_dst(m, dst, DST_DIR, e);
	char sz[32];
	const struct fs_opt opts[] = { { "mode", mode }, { "size", sz }, { NULL, NULL } };
	int mfd;

	if (fd < 0)
		return nb_err(e);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)(size ? size : DEFAULT_TMPFS_SIZE));
	mfd = attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | attrs, fd, dst, e);
	if (mfd < 0)
		return nb_err(e);
	if (add_ours(m, mfd, dst, e) < 0) {
		close(mfd);
		return nb_err(e);
	}
	return mfd;
}

/*
 * A --tmpfs, or an implicit one; a command-owned one (a hidden session
 * directory) belongs to the command's ids, mode 0700, so that the command
 * can use it as its own runtime directory.
 */
static int do_tmpfs(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	char mode[16], sz[32], uid[16], gid[16];
	/* The owner options only for a command-owned one. */
	struct fs_opt opts[] = {
		{ "mode", mode }, { "size", sz }, { "uid", uid }, { "gid", gid }, { NULL, NULL }
	};
	_cleanup_close_ int fd = open_dst(m, op->dst, DST_DIR, e);
	_cleanup_close_ int mfd = -1;

	if (fd < 0)
		return nb_err(e);
	snprintf(mode, sizeof(mode), "%o", op->mode ? op->mode : 0755);
	snprintf(sz, sizeof(sz), "%llu",
		 (unsigned long long)(op->size ? op->size : DEFAULT_TMPFS_SIZE));
	snprintf(uid, sizeof(uid), "%u", m->uid);
	snprintf(gid, sizeof(gid), "%u", m->gid);
	if (!op->command_owned)
		opts[2].key = NULL;
	mfd = attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, fd, op->dst, e);
	if (mfd < 0)
		return nb_err(e);
	return add_ours(m, mfd, op->dst, e);
}

static int do_bind(struct mctx *m, const struct nb_mount_op *op, int src, bool ro,
		   struct nb_error *e)
{
	struct stat st;
	_cleanup_close_ int fd = -1;
	char target[4096];
	int r = -ENOSYS;

	if (fstat(src, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bind source %s", op->src);
	fd = open_dst(m, op->dst, S_ISDIR(st.st_mode) ? DST_DIR : DST_FILE, e);
	if (fd < 0)
		return nb_err(e);
	/* @src is a detached copy of the tree: read-only before anyone can see it. */
	if (ro && (r = ro_tree(src)) < 0 && !ro_tree_missing(r))
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "making %s read-only", op->dst);
	if (move_mount(src, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding %s on %s",
			       op->src ? op->src : "an fd", op->dst);
	if (!ro || r == 0)
		return 0;
	if (fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return ro_remount_tree(target, e);
}

/* proc on @target (a path, or /proc/self/fd/N), @dst being what the user named. */
static int mount_proc(const char *target, const char *dst, struct nb_error *e)
{
	if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "is part of the host's /proc covered by another mount?",
			       "mounting proc on %s", dst);
	return 0;
}

static int do_proc(struct mctx *m, const char *dst, struct nb_error *e)
{
	_cleanup_close_ int fd = -1;
	char p[FD_PATH_MAX];

	fd = open_dst(m, dst, DST_DIR, e);
	if (fd < 0)
		return nb_err(e);
	/* init made one proc already, to write the command's maps: use it first. */
	if (m->new_pid_ns && m->procfd >= 0 && !m->proc_attached) {
		if (move_mount(m->procfd, "", fd, "",
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "attaching proc on %s",
				       dst);
		m->proc_attached = true;
		return 0;
	}
	fd_path(fd, p);
	/*
	 * Without a PID namespace of its own, the sandbox may not mount a proc
	 * of the host's (its owner is the initial user namespace): it gets a
	 * recursive bind of the host's /proc instead, opened before any mount.
	 */
	if (!m->new_pid_ns && m->procfd >= 0 &&
	    mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno == EPERM) {
		char sp[FD_PATH_MAX];

		fd_path(m->procfd, sp);
		if (mount(sp, p, NULL, MS_BIND | MS_REC, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding /proc on %s", dst);
		/* nosuid and nodev, as a proc of its own would be (and bubblewrap's is). */
		{
			_cleanup_close_ int bound = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
			struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID |
							       MOUNT_ATTR_NODEV };

			if (bound < 0 || mount_setattr(bound, "", AT_EMPTY_PATH | AT_RECURSIVE,
						       &attr, sizeof(attr)) < 0)
				nb_narrate(1, "init",
					   "could not make the bound /proc nosuid,nodev");
		}
		return 0;
	}
	return mount_proc(p, dst, e);
}

/* dst + "/" + name into @buf, refusing what does not fit. */
static int sub_path(const char *dst, const char *name, char buf[PATH_MAX], struct nb_error *e)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", strcmp(dst, "/") ? dst : "", name);

	if (n < 0 || n >= PATH_MAX)
		return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "destination %.64s...", dst);
	return 0;
}

/* The host's device nodes are opened with the other sources: @nodes. */
static int do_dev(struct mctx *m, const char *dst, const int *nodes, struct nb_error *e)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },	 { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },		 { "core", "/proc/kcore" },
	};
	char path[PATH_MAX], p[FD_PATH_MAX], sp[FD_PATH_MAX];
	_cleanup_close_ int fd = -1;
	_cleanup_close_ int dirfd = -1;
	_cleanup_close_ int shm = -1;

	dirfd = mount_tmpfs(m, dst, 64 * 1024, "0755", MOUNT_ATTR_NOEXEC, e);
	if (dirfd < 0)
		return nb_err(e);
	for (size_t i = 0; i < nb_n_dev_nodes; i++) {
		_cleanup_close_ int node_dst = -1;

		if (sub_path(dst, nb_dev_nodes[i], path, e) < 0)
			return nb_err(e);
		node_dst = open_dst(m, path, DST_FILE, e);
		if (node_dst < 0)
			return nb_err(e);
		fd_path(node_dst, p);
		fd_path(nodes[i], sp);
		if (mount(sp, p, NULL, MS_BIND, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding /dev/%s",
				       nb_dev_nodes[i]);
	}
	if (nodes[NB_DEV_CONSOLE] >= 0) {
		_cleanup_close_ int console = -1;

		if (sub_path(dst, "console", path, e) < 0)
			return nb_err(e);
		console = open_dst(m, path, DST_FILE, e);
		if (console < 0)
			return nb_err(e);
		fd_path(console, p);
		fd_path(nodes[NB_DEV_CONSOLE], sp);
		if (mount(sp, p, NULL, MS_BIND, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "binding the terminal on %s", path);
	}
	if (sub_path(dst, "pts", path, e) < 0)
		return nb_err(e);
	fd = open_dst(m, path, DST_DIR, e);
	if (fd < 0)
		return nb_err(e);
	fd_path(fd, p);
	/* No gid=5: the tty group is not mapped, and the kernel refuses it. */
	if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=620") < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "mounting devpts on %s", path);
	if (sub_path(dst, "shm", path, e) < 0)
		return nb_err(e);
	shm = mount_tmpfs(m, path, 0, "1777", MOUNT_ATTR_NOEXEC, e);
	if (shm < 0)
		return nb_err(e);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], dirfd, links[i][0]) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "linking %s/%s", dst,
				       links[i][0]);
	return 0;
}

/*
 * A private file (the helper's resolv.conf): written on a small detached
 * tmpfs, and that one file bound onto @op->dst, so that nothing of the
 * host's changes and no host path is involved.
 */
static int do_text(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int dst = open_dst(m, op->dst, DST_FILE, e);
	_cleanup_close_ int fsfd = -1;
	_cleanup_close_ int mfd = -1;
	_cleanup_close_ int f = -1;
	_cleanup_close_ int tree = -1;
	size_t len = strlen(op->src);

	if (dst < 0)
		return nb_err(e);
	fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fsfd < 0 || fsconfig(fsfd, FSCONFIG_SET_STRING, "size", "64k", 0) < 0 ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "nr_inodes", "16", 0) < 0 ||
	    fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "a tmpfs for %s", op->dst);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "a tmpfs for %s", op->dst);
	f = openat(mfd, "file", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (f < 0 || TEMP_FAILURE_RETRY(write(f, op->src, len)) != (ssize_t)len ||
	    TEMP_FAILURE_RETRY(write(f, "\n", 1)) != 1 || close(steal_fd(&f)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "writing %s", op->dst);
	tree = open_tree(mfd, "file", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return nb_fail(
		    e, NB_EXIT_FAILURE, errno,
		    errno == EINVAL ? "binding from a detached mount needs a newer kernel" : NULL,
		    "binding %s", op->dst);
	if (move_mount(tree, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "attaching %s", op->dst);
	return 0;
}

/*
 * A --dir with a mode: the directories made above it get the read and search
 * bits of each class that has any bit in @mode, so that the path stays
 * walkable by whoever may use the directory.
 */
static unsigned parent_mode_of(unsigned mode)
{
	return 0700 | ((mode & 0070) ? 0050 : 0) | ((mode & 0007) ? 0005 : 0);
}

static int do_dir(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	unsigned mode = op->mode_set ? op->mode : 0755;
	bool created = false;
	_cleanup_close_ int fd =
	    open_dst_mode(m, op->dst, DST_DIR, parent_mode_of(mode), mode, &created, e);
	char p[FD_PATH_MAX];

	if (fd < 0)
		return nb_err(e);
	fd_path(fd, p);
	/* The exact mode, whatever the umask; an existing directory keeps its own. */
	if (created && op->mode_set && chmod(p, mode) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the mode of %s", op->dst);
	return 0;
}

static int do_symlink(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	char parent[PATH_MAX], have[PATH_MAX];
	const char *name = strrchr(op->dst, '/') + 1;
	_cleanup_close_ int pfd = -1;
	_cleanup_close_ int dirfd = -1;
	size_t plen = (size_t)(name - op->dst);
	ssize_t n;

	if (!*name || plen >= sizeof(parent))
		return nb_fail(e, NB_EXIT_FAILURE, 0, "name the link itself", "--symlink %.64s",
			       op->dst);
	memcpy(parent, op->dst, plen);
	parent[plen] = '\0';
	pfd = open_dst(m, parent, DST_DIR, e);
	if (pfd < 0)
		return nb_err(e);
	dirfd = resolve(m, parent + strspn(parent, "/"), O_DIRECTORY);
	if (dirfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", parent);
	if (!m->cfg->create_anywhere && !is_ours(m, dirfd))
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "links are made only inside filesystems nestbox mounted",
			       "--symlink %s would change a host filesystem", op->dst);
	if (symlinkat(op->src, dirfd, name) == 0)
		return 0;
	if (errno != EEXIST)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating link %s", op->dst);
	/* The same link again is done already; another one is not replaced. */
	n = readlinkat(dirfd, name, have, sizeof(have) - 1);
	if (n < 0)
		return nb_fail_kind(e, NB_ERR_SYMLINK_EXISTS, op->dst, NB_EXIT_FAILURE, EEXIST,
				    "choose another destination", "creating the link %s", op->dst);
	have[n] = '\0';
	if (nb_streq(have, op->src))
		return 0;
	{
		char arg[sizeof(e->arg)];

		snprintf(arg, sizeof(arg), "%.250s\001%.250s", op->dst, have);
		return nb_fail_kind(e, NB_ERR_SYMLINK_EXISTS, arg, NB_EXIT_FAILURE, 0,
				    "choose another destination, or the same target",
				    "creating the link %s: a link to %s is there already", op->dst,
				    have);
	}
}

static int do_overlay(struct mctx *m, size_t idx, const struct nb_mount_op *op, struct nb_error *e)
{
	char lower[NB_MAX_LOWERS * FD_PATH_MAX + 8], up[FD_PATH_MAX], wp[FD_PATH_MAX];
	size_t n = 0;
	_cleanup_close_ int fd = -1;
	_cleanup_close_ int upper = -1;
	_cleanup_close_ int work = -1;

	if (op->kind == NB_MNT_TMP_OVERLAY) {
		/* A private tmpfs under the overlay holds its upper and work dirs. */
		_cleanup_close_ int scratch = mount_tmpfs(m, op->dst, 0, "0755", 0, e);

		if (scratch < 0)
			return nb_err(e);
		if (mkdirat(scratch, "upper", 0755) < 0 || mkdirat(scratch, "work", 0755) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "preparing the overlay on %s", op->dst);
		upper = openat(scratch, "upper", O_PATH | O_CLOEXEC | O_NOFOLLOW);
		work = openat(scratch, "work", O_PATH | O_CLOEXEC | O_NOFOLLOW);
		if (upper < 0 || work < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "preparing the overlay on %s", op->dst);
		/* The overlay goes on top of that tmpfs, found by fd, not by path. */
		fd = steal_fd(&scratch);
	} else {
		upper = steal_fd(&m->src->upper[idx]);
		work = steal_fd(&m->src->work[idx]);
		fd = open_dst(m, op->dst, DST_DIR, e);
		if (fd < 0)
			return nb_err(e);
	}
	for (int k = 0; k < NB_MAX_LOWERS && m->src->lower[idx][k] >= 0; k++)
		n += (size_t)snprintf(lower + n, sizeof(lower) - n, "%s/proc/self/fd/%d",
				      k ? ":" : "", m->src->lower[idx][k]);
	fd_path(upper, up);
	fd_path(work, wp);
	{
		struct fs_opt opts[] = {
			{ "lowerdir", lower }, { "upperdir", up }, { "workdir", wp },
			{ "userxattr", NULL }, { NULL, NULL },
		};

		/* Without an upper directory the overlay is read-only. */
		if (upper < 0)
			opts[1] = opts[3], opts[2].key = NULL;
		_cleanup_close_ int mfd = attach_fs(
		    "overlay", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, fd, op->dst, e);

		if (mfd < 0)
			return nb_err(e);
		return add_ours(m, mfd, op->dst, e);
	}
}

/* Copies everything readable from @from into @to. */
static int copy_fd(int from, int to, const char *dst, struct nb_error *e)
{
	char buf[16384];

	for (;;) {
		ssize_t n = TEMP_FAILURE_RETRY(read(from, buf, sizeof(buf)));

		if (n < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading the data for %s",
				       dst);
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = TEMP_FAILURE_RETRY(write(to, buf + off, (size_t)(n - off)));

			if (w < 0)
				return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "writing %s", dst);
			off += w;
		}
	}
}

/* --file: a new file at the destination with the data of an inherited fd. */
static int do_file(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	unsigned mode = op->mode_set ? op->mode : 0666;
	_cleanup_close_ int fd = open_dst_mode(m, op->dst, DST_FILE, 0755, 0600, NULL, e);
	_cleanup_close_ int out = -1;

	if (fd < 0)
		return nb_err(e);
	out = resolve(m, op->dst + strspn(op->dst, "/"), O_WRONLY | O_TRUNC | O_NOFOLLOW);
	if (out < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", op->dst);
	if (copy_fd(op->fd, out, op->dst, e) < 0)
		return nb_err(e);
	if (fchmod(out, mode) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the mode of %s", op->dst);
	return 0;
}

/* --bind-data: the data goes into a file of a private tmpfs, bound on the destination. */
static int do_bind_data(struct mctx *m, const struct nb_mount_op *op, bool ro, struct nb_error *e)
{
	unsigned mode = op->mode_set ? op->mode : 0600;
	_cleanup_close_ int file = -1;
	_cleanup_close_ int fd = -1;
	char name[32], sp[FD_PATH_MAX], dp[FD_PATH_MAX], target[4096];

	if (m->datafd < 0) {
		_cleanup_close_ int dir = -1;
		const struct fs_opt opts[] = { { "mode", "0700" }, { NULL, NULL } };

		if (mkdir(STAGE "/nestbox-data", 0700) < 0 ||
		    (dir = open(STAGE "/nestbox-data", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno,
				       "it needs an empty or read-only root",
				       "preparing the data of %s", op->dst);
		m->datafd = attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, dir,
				      STAGE "/nestbox-data", e);
		if (m->datafd < 0)
			return nb_err(e);
	}
	snprintf(name, sizeof(name), "data%u", m->n_data++);
	file = openat(m->datafd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (file < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the data of %s",
			       op->dst);
	if (copy_fd(op->fd, file, op->dst, e) < 0)
		return nb_err(e);
	if (fchmod(file, mode) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the mode of %s", op->dst);
	fd = open_dst(m, op->dst, DST_FILE, e);
	if (fd < 0)
		return nb_err(e);
	fd_path(file, sp);
	fd_path(fd, dp);
	if (mount(sp, dp, NULL, MS_BIND, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding the data on %s", op->dst);
	if (!ro)
		return 0;
	if (fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return ro_remount_tree(target, e);
}

/* --chmod and --remount-ro change what is already there. */
static int do_existing(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int fd = resolve(m, op->dst + strspn(op->dst, "/"), O_PATH);
	char p[FD_PATH_MAX], target[4096];

	if (fd < 0)
		return nb_fail_kind(e, NB_ERR_CHMOD_FIND, op->dst, NB_EXIT_FAILURE, errno, NULL,
				    "finding %s in the sandbox", op->dst);
	fd_path(fd, p);
	if (op->kind == NB_MNT_CHMOD) {
		if (chmod(p, op->mode) < 0) {
			char arg[sizeof(e->arg)];

			snprintf(arg, sizeof(arg), "%#o %s", op->mode, op->dst);
			return nb_fail_kind(e, NB_ERR_CHMOD, arg, NB_EXIT_FAILURE, errno, NULL,
					    "changing the mode of %s to %#o", op->dst, op->mode);
		}
		return 0;
	}
	if (op->nonrecursive) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

		/* The mount at @dst only: binds below it stay as they are. */
		if (mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) == 0)
			return 0;
		if (errno != ENOSYS)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making %s read-only",
				       op->dst);
	}
	if (fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return ro_remount_tree(target, e);
}

static int do_mqueue(struct mctx *m, const char *dst, struct nb_error *e)
{
	_cleanup_close_ int fd = open_dst(m, dst, DST_DIR, e);
	_cleanup_close_ int mfd = -1;

	if (fd < 0)
		return nb_err(e);
	mfd = attach_fs("mqueue", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			fd, dst, e);
	return mfd < 0 ? nb_err(e) : 0;
}

static void free_ctx(struct mctx *m)
{
	free(m->ours);
	nb_closep(&m->rootfd);
	nb_closep(&m->datafd);
}

/*
 * A bind of init's own namespace file, /proc/self/ns/NAME: the namespace
 * that owns the sandbox's others, as bubblewrap's sandbox process would
 * bind its own.  Nothing else is read through /proc here, before the
 * command exists.
 */
static int do_own_ns(struct mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int tree =
	    open_tree(AT_FDCWD, op->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	if (tree < 0 && op->optional && errno == ENOENT)
		return 0;
	if (tree < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bind source %s", op->src);
	return do_bind(m, op, tree, false, e);
}

static int apply_op(struct mctx *m, size_t i, struct nb_error *e)
{
	const struct nb_mount_op *op = &m->ops[i];

	if (op->own_ns)
		return do_own_ns(m, op, e);
	if (op->optional && m->src->src[i] < 0) {
		nb_narrate(1, "init", "skipped --%s-try of the missing %s",
			   nb_mount_kind_name(op->kind), op->src);
		return 0;
	}
	switch (op->kind) {
	case NB_MNT_BIND:
		return do_bind(m, op, m->src->src[i], false, e);
	case NB_MNT_RO_BIND:
		return do_bind(m, op, m->src->src[i], true, e);
	case NB_MNT_TMPFS:
		return do_tmpfs(m, op, e);
	case NB_MNT_PROC:
		return do_proc(m, op->dst, e);
	case NB_MNT_DEV:
		return do_dev(m, op->dst, m->src->lower[i], e);
	case NB_MNT_DIR:
		return do_dir(m, op, e);
	case NB_MNT_SYMLINK:
		return do_symlink(m, op, e);
	case NB_MNT_TEXT:
		return do_text(m, op, e);
	case NB_MNT_OVERLAY:
	case NB_MNT_TMP_OVERLAY:
		return do_overlay(m, i, op, e);
	case NB_MNT_FILE:
		return do_file(m, op, e);
	case NB_MNT_BIND_DATA:
	case NB_MNT_RO_BIND_DATA:
		return do_bind_data(m, op, op->kind == NB_MNT_RO_BIND_DATA, e);
	case NB_MNT_CHMOD:
	case NB_MNT_REMOUNT_RO:
		return do_existing(m, op, e);
	case NB_MNT_MQUEUE:
		return do_mqueue(m, op->dst, e);
	}
	return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "unknown mount operation");
}

static int make_root(struct mctx *m, struct nb_error *e)
{
	const char *what = m->cfg->root_mode == NB_ROOT_RO ? "read-only host" : "empty";

	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=64k") < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "mounting the staging tmpfs on /tmp");
	if (mkdir(NEWROOT, 0755) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating %s", NEWROOT);
	if (m->cfg->root_mode == NB_ROOT_RO) {
		_cleanup_close_ int root = -1;
		int r;

		if (mount("/", NEWROOT, NULL, MS_BIND | MS_REC, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding / for --root ro");
		/* NEWROOT is on init's own staging tmpfs, made just now. */
		root = open(NEWROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (root < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", NEWROOT);
		r = ro_tree(root);
		if (r < 0 && !ro_tree_missing(r))
			return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "making / read-only");
		if (r < 0 && ro_remount_tree(NEWROOT, e) < 0)
			return nb_err(e);
	} else {
		/* nestbox's empty root is small and read-only; bubblewrap's is neither. */
		const struct fs_opt opts[] = { { "mode", "0755" },
					       { m->cfg->root_writable ? NULL : "size", "1m" },
					       { NULL, NULL } };
		_cleanup_close_ int dir = open(NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (dir < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", NEWROOT);
		m->rootfd =
		    attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, dir, "/", e);
		if (m->rootfd < 0 || add_ours(m, m->rootfd, "/", e) < 0)
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

	fd_path(*fd, p);
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

static int localize_sources(struct mctx *m, struct nb_error *e)
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
static size_t user_index(const struct mctx *m, size_t i)
{
	size_t n = 0;

	for (size_t k = 0; k <= i; k++)
		n += !m->ops[k].implicit;
	return n;
}

int nb_mounts_setup(const struct nb_mounts_in *in, struct nb_error *e)
{
	const struct nb_config *cfg = in->cfg;
	struct mctx m = {
		.cfg = cfg,
		.ops = in->ops,
		.n_ops = in->n_ops,
		.host = in->host,
		.new_pid_ns = cfg->unshare_flags & CLONE_NEWPID,
		.rootfd = -1,
		.src = in->src,
		.procfd = in->procfd,
		.uid = in->uid,
		.gid = in->gid,
		.datafd = -1,
	};
	bool root_replaced = false;
	bool new_root = cfg->root_mode != NB_ROOT_HOST;
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

		if (apply_op(&m, i, e) < 0) {
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
		if (cfg->root_mode == NB_ROOT_EMPTY && !root_replaced && !cfg->root_writable &&
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
	mfd =
	    attach_fs("sysfs", NULL,
		      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
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
