// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One function per kind of mount operation (tmpfs, bind, proc, dev, a file
 * or a directory made, a symlink, an overlay, --bind-data, mqueue, a
 * namespace file), each on a destination that fs/mounts.c resolved under
 * the new root; nb_mnt_apply_op() picks one.
 */
#include "autoconf.h"

#include "fs/mount-ctx.h"
#include "fs/mountinfo.h"
#include "fs/sources.h"
#include "lib/cleanup.h"
#include "lib/explain.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static int mount_tmpfs(struct nb_mctx *m, const char *dst, uint64_t size, const char *mode,
		       unsigned attrs, struct nb_error *e)
{
	_cleanup_close_ int fd = nb_mnt_open_dst(m, dst, DST_DIR, e);
	char sz[32];
	const struct fs_opt opts[] = { { "mode", mode }, { "size", sz }, { NULL, NULL } };
	int mfd;

	if (fd < 0)
		return nb_err(e);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)(size ? size : DEFAULT_TMPFS_SIZE));
	mfd = nb_mnt_attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | attrs, fd, dst,
			       e);
	if (mfd < 0)
		return nb_err(e);
	if (nb_mnt_add_ours(m, mfd, dst, e) < 0) {
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
static int do_tmpfs(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	char mode[16], sz[32], uid[16], gid[16];
	/* The owner options only for a command-owned one. */
	struct fs_opt opts[] = {
		{ "mode", mode }, { "size", sz }, { "uid", uid }, { "gid", gid }, { NULL, NULL }
	};
	_cleanup_close_ int fd = nb_mnt_open_dst(m, op->dst, DST_DIR, e);
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
	mfd = nb_mnt_attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, fd, op->dst, e);
	if (mfd < 0)
		return nb_err(e);
	return nb_mnt_add_ours(m, mfd, op->dst, e);
}

static int do_bind(struct nb_mctx *m, const struct nb_mount_op *op, int src, bool ro,
		   struct nb_error *e)
{
	struct stat st;
	_cleanup_close_ int fd = -1;
	char target[4096];
	int r = -ENOSYS;

	if (fstat(src, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bind source %s", op->src);
	fd = nb_mnt_open_dst(m, op->dst, S_ISDIR(st.st_mode) ? DST_DIR : DST_FILE, e);
	if (fd < 0)
		return nb_err(e);
	/* @src is a detached copy of the tree: read-only before anyone can see it. */
	if (ro && (r = nb_mnt_ro_tree(src)) < 0 && !nb_mnt_ro_tree_missing(r))
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "making %s read-only", op->dst);
	if (move_mount(src, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding %s on %s",
			       op->src ? op->src : "an fd", op->dst);
	if (!ro || r == 0)
		return 0;
	if (nb_mnt_fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return nb_mnt_ro_remount_tree(target, e);
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

static int do_proc(struct nb_mctx *m, const char *dst, struct nb_error *e)
{
	_cleanup_close_ int fd = -1;
	char p[FD_PATH_MAX];

	fd = nb_mnt_open_dst(m, dst, DST_DIR, e);
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
	nb_mnt_fd_path(fd, p);
	/*
	 * Without a PID namespace of its own, the sandbox may not mount a proc
	 * of the host's (its owner is the initial user namespace): it gets a
	 * recursive bind of the host's /proc instead, opened before any mount.
	 */
	if (!m->new_pid_ns && m->procfd >= 0 &&
	    mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno == EPERM) {
		char sp[FD_PATH_MAX];

		nb_mnt_fd_path(m->procfd, sp);
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
static int do_dev(struct nb_mctx *m, const char *dst, const int *nodes, struct nb_error *e)
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
		node_dst = nb_mnt_open_dst(m, path, DST_FILE, e);
		if (node_dst < 0)
			return nb_err(e);
		nb_mnt_fd_path(node_dst, p);
		nb_mnt_fd_path(nodes[i], sp);
		if (mount(sp, p, NULL, MS_BIND, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding /dev/%s",
				       nb_dev_nodes[i]);
	}
	if (nodes[NB_DEV_CONSOLE] >= 0) {
		_cleanup_close_ int console = -1;

		if (sub_path(dst, "console", path, e) < 0)
			return nb_err(e);
		console = nb_mnt_open_dst(m, path, DST_FILE, e);
		if (console < 0)
			return nb_err(e);
		nb_mnt_fd_path(console, p);
		nb_mnt_fd_path(nodes[NB_DEV_CONSOLE], sp);
		if (mount(sp, p, NULL, MS_BIND, NULL) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "binding the terminal on %s", path);
	}
	if (sub_path(dst, "pts", path, e) < 0)
		return nb_err(e);
	fd = nb_mnt_open_dst(m, path, DST_DIR, e);
	if (fd < 0)
		return nb_err(e);
	nb_mnt_fd_path(fd, p);
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
static int do_text(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int dst = nb_mnt_open_dst(m, op->dst, DST_FILE, e);
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

static int do_dir(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	unsigned mode = op->mode_set ? op->mode : 0755;
	bool created = false;
	_cleanup_close_ int fd =
	    nb_mnt_open_dst_mode(m, op->dst, DST_DIR, parent_mode_of(mode), mode, &created, e);
	char p[FD_PATH_MAX];

	if (fd < 0)
		return nb_err(e);
	nb_mnt_fd_path(fd, p);
	/* The exact mode, whatever the umask; an existing directory keeps its own. */
	if (created && op->mode_set && chmod(p, mode) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the mode of %s", op->dst);
	return 0;
}

static int do_symlink(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
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
	pfd = nb_mnt_open_dst(m, parent, DST_DIR, e);
	if (pfd < 0)
		return nb_err(e);
	dirfd = nb_mnt_resolve(m, parent + strspn(parent, "/"), O_DIRECTORY);
	if (dirfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", parent);
	if (!m->cfg->compat.create_anywhere && !nb_mnt_is_ours(m, dirfd))
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

static int do_overlay(struct nb_mctx *m, size_t idx, const struct nb_mount_op *op,
		      struct nb_error *e)
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
		fd = nb_mnt_open_dst(m, op->dst, DST_DIR, e);
		if (fd < 0)
			return nb_err(e);
	}
	for (int k = 0; k < NB_MAX_LOWERS && m->src->lower[idx][k] >= 0; k++)
		n += (size_t)snprintf(lower + n, sizeof(lower) - n, "%s/proc/self/fd/%d",
				      k ? ":" : "", m->src->lower[idx][k]);
	nb_mnt_fd_path(upper, up);
	nb_mnt_fd_path(work, wp);
	{
		struct fs_opt opts[] = {
			{ "lowerdir", lower }, { "upperdir", up }, { "workdir", wp },
			{ "userxattr", NULL }, { NULL, NULL },
		};

		/* Without an upper directory the overlay is read-only. */
		if (upper < 0)
			opts[1] = opts[3], opts[2].key = NULL;
		_cleanup_close_ int mfd = nb_mnt_attach_fs(
		    "overlay", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, fd, op->dst, e);

		if (mfd < 0)
			return nb_err(e);
		return nb_mnt_add_ours(m, mfd, op->dst, e);
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
static int do_file(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	unsigned mode = op->mode_set ? op->mode : 0666;
	_cleanup_close_ int fd = nb_mnt_open_dst_mode(m, op->dst, DST_FILE, 0755, 0600, NULL, e);
	_cleanup_close_ int out = -1;

	if (fd < 0)
		return nb_err(e);
	out = nb_mnt_resolve(m, op->dst + strspn(op->dst, "/"), O_WRONLY | O_TRUNC | O_NOFOLLOW);
	if (out < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", op->dst);
	if (copy_fd(op->fd, out, op->dst, e) < 0)
		return nb_err(e);
	if (fchmod(out, mode) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the mode of %s", op->dst);
	return 0;
}

/* --bind-data: the data goes into a file of a private tmpfs, bound on the destination. */
static int do_bind_data(struct nb_mctx *m, const struct nb_mount_op *op, bool ro,
			struct nb_error *e)
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
		m->datafd = nb_mnt_attach_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
					     dir, STAGE "/nestbox-data", e);
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
	fd = nb_mnt_open_dst(m, op->dst, DST_FILE, e);
	if (fd < 0)
		return nb_err(e);
	nb_mnt_fd_path(file, sp);
	nb_mnt_fd_path(fd, dp);
	if (mount(sp, dp, NULL, MS_BIND, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "binding the data on %s", op->dst);
	if (!ro)
		return 0;
	if (nb_mnt_fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return nb_mnt_ro_remount_tree(target, e);
}

/* --chmod and --remount-ro change what is already there. */
static int do_existing(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int fd = nb_mnt_resolve(m, op->dst + strspn(op->dst, "/"), O_PATH);
	char p[FD_PATH_MAX], target[4096];

	if (fd < 0)
		return nb_fail_kind(e, NB_ERR_CHMOD_FIND, op->dst, NB_EXIT_FAILURE, errno, NULL,
				    "finding %s in the sandbox", op->dst);
	nb_mnt_fd_path(fd, p);
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
	if (nb_mnt_fd_target(fd, target, sizeof(target), e) < 0)
		return nb_err(e);
	return nb_mnt_ro_remount_tree(target, e);
}

static int do_mqueue(struct nb_mctx *m, const char *dst, struct nb_error *e)
{
	_cleanup_close_ int fd = nb_mnt_open_dst(m, dst, DST_DIR, e);
	_cleanup_close_ int mfd = -1;

	if (fd < 0)
		return nb_err(e);
	mfd = nb_mnt_attach_fs(
	    "mqueue", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, fd, dst, e);
	return mfd < 0 ? nb_err(e) : 0;
}

/*
 * A bind of init's own namespace file, /proc/self/ns/NAME: the namespace
 * that owns the sandbox's others, as bubblewrap's sandbox process would
 * bind its own.  Nothing else is read through /proc here, before the
 * command exists.
 */
static int do_own_ns(struct nb_mctx *m, const struct nb_mount_op *op, struct nb_error *e)
{
	_cleanup_close_ int tree =
	    open_tree(AT_FDCWD, op->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	if (tree < 0 && op->optional && errno == ENOENT)
		return 0;
	if (tree < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bind source %s", op->src);
	return do_bind(m, op, tree, false, e);
}

int nb_mnt_apply_op(struct nb_mctx *m, size_t i, struct nb_error *e)
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
