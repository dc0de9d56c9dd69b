// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Records of running sandboxes.  The host of each sandbox keeps its record
 * open and flock()ed for as long as it runs, so the kernel itself says which
 * records are stale: whoever can take the lock holds a dead host's file, and
 * removes it.  A record only points at processes; every reader checks them
 * against the kernel (a pidfd, the start time, the parent) before it trusts
 * a pid, which may have been reused.
 */
#include "autoconf.h"

#include "state/state.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "lib/util.h"
#include "lib/io.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <linux/nsfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Makes each missing directory of @path below @from (a prefix of it) with mode 0700. */
static int make_dirs(char *path, size_t from)
{
	for (char *s = path + from;; s++) {
		if (*s != '/' && *s)
			continue;
		char saved = *s;

		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*s = saved;
			return -errno;
		}
		*s = saved;
		if (!saved)
			return 0;
	}
}

int nb_state_dir_open(const struct nb_host *h, bool create, char *path, size_t size,
		      struct nb_error *e)
{
	size_t base;
	struct stat st;
	int fd, n;

	if (h->runtime_dir && h->runtime_dir[0] == '/')
		n = snprintf(path, size, "%s/nestbox", h->runtime_dir);
	else if (h->home && h->home[0] == '/')
		n = snprintf(path, size, "%s/.nestbox", h->home);
	else
		return nb_fail(e, NB_EXIT_FAILURE, 0, "set XDG_RUNTIME_DIR or HOME",
			       "no directory for the records of running sandboxes");
	if (n < 0 || (size_t)n >= size)
		return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "the state directory");
	base = strlen(h->runtime_dir && h->runtime_dir[0] == '/' ? h->runtime_dir : h->home);
	/* The directory may go (the user, an older nestbox) between our mkdir and open. */
	for (int tries = 0;; tries++) {
		if (create) {
			int r = make_dirs(path, base + 1);

			if (r < 0)
				return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "creating %s", path);
		}
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || !create || tries == 3)
			break;
	}
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return -ENOENT;
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening the state directory %s",
			       path);
	}
	if (fstat(fd, &st) < 0 || st.st_uid != h->uid || (st.st_mode & 077)) {
		close(fd);
		return nb_fail(e, NB_EXIT_FAILURE, 0, "it must be yours with mode 0700 (chmod 700)",
			       "the state directory %s is not yours alone", path);
	}
	return fd;
}

/* Whether @fd is still the file that @name names in @dirfd. */
static bool same_file(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Removes the record @name if no host holds its lock.  Returns true when it
 * is gone (or was never there), false when a live host holds it.
 */
static bool remove_if_stale(int dirfd, const char *name)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return false;
	if (same_file(dirfd, name, fd))
		(void)unlinkat(dirfd, name, 0);
	return true;
}

int nb_state_claim(struct nb_claim *cl, int dirfd, const struct nb_record *r, struct nb_error *e)
{
	/* The directory may have been removed meanwhile: ENOENT. */
	char tmp[32], buf[1024];
	int len, fd = -1;

	cl->dirfd = dirfd;
	cl->fd = -1;
	snprintf(cl->name, sizeof(cl->name), "%s", r->name);
	/* A leftover of a dead host that had our pid: no live process has it. */
	snprintf(tmp, sizeof(tmp), ".new-%d", (int)r->host_pid);
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a record of the sandbox");
	len = nb_record_format(r, buf, sizeof(buf));
	/* Locked before it has its name, so that nobody takes a named record for stale. */
	if (flock(fd, LOCK_EX) < 0 || len < 0 || nb_write_fd_all(fd, buf, (size_t)len) < 0) {
		int err = len < 0 ? -len : errno;

		unlinkat(dirfd, tmp, 0);
		close(fd);
		return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "writing the record of the sandbox");
	}
	for (int tries = 0;; tries++) {
		if (renameat2(dirfd, tmp, dirfd, r->name, RENAME_NOREPLACE) == 0)
			break;
		int err = errno;

		if (err == EEXIST && tries < 2 && !remove_if_stale(dirfd, r->name)) {
			/* A reader may hold the lock of a stale record for a moment. */
			struct timespec pause = { 0, 5 * 1000 * 1000 };

			nanosleep(&pause, NULL);
			continue;
		}
		if (err != EEXIST || tries == 2) {
			unlinkat(dirfd, tmp, 0);
			close(fd);
			if (err == EEXIST)
				return nb_fail(e, NB_EXIT_FAILURE, 0,
					       "choose another --name; 'nestbox ps' lists them",
					       "a sandbox named '%s' is already running", r->name);
			return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "naming the sandbox %s",
				       r->name);
		}
	}
	cl->fd = fd;
	return 0;
}

int nb_state_publish(struct nb_claim *cl, const struct nb_record *r)
{
	char buf[1024];
	int len = nb_record_format(r, buf, sizeof(buf));

	if (cl->fd < 0)
		return 0;
	if (len < 0)
		return len;
	/* Never empty in between: a reader would take the sandbox for gone. */
	if (TEMP_FAILURE_RETRY(pwrite(cl->fd, buf, (size_t)len, 0)) != len ||
	    ftruncate(cl->fd, len) < 0)
		return -errno;
	return 0;
}

void nb_state_release(struct nb_claim *cl)
{
	if (cl->fd < 0)
		return;
	if (same_file(cl->dirfd, cl->name, cl->fd))
		(void)unlinkat(cl->dirfd, cl->name, 0);
	nb_closep(&cl->fd);
	cl->fd = -1;
}

int nb_proc_stat(pid_t pid, uint64_t *start, pid_t *ppid)
{
	char path[64], buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (nb_read_file(path, buf, sizeof(buf)) <= 0)
		return -ESRCH;
	return nb_parse_proc_stat(buf, start, ppid);
}

/* The command: init's oldest child, which init started first. */
static pid_t first_child(pid_t init)
{
	char path[80], buf[64];
	long pid;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)init, (int)init);
	if (nb_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid <= INT32_MAX ? (pid_t)pid : 0;
}

/*
 * How many user namespaces @pid's lies below ours: 1 for a child of ours,
 * 0 for ours, -1 when it is not below ours at all or cannot be read.
 */
static int userns_depth(pid_t pid)
{
	char path[64];
	struct stat ours, st;
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || stat("/proc/self/ns/user", &ours) < 0)
		return -1;
	for (int depth = 0; depth < 8; depth++) {
		int parent;

		if (fstat(fd, &st) < 0)
			return -1;
		if (st.st_dev == ours.st_dev && st.st_ino == ours.st_ino)
			return depth;
		/* EPERM: the parent is outside our namespace, so @pid's is not below it. */
		parent = ioctl(fd, NS_GET_PARENT);
		if (parent < 0)
			return -1;
		nb_closep(&fd);
		fd = parent;
	}
	return -1;
}

/*
 * Whether the process @pid holds the flock() on the file open at @fd, as
 * the kernel's /proc/locks says: a record's host keeps it locked while it
 * runs, and nothing inside a sandbox is that process.
 */
static bool holds_lock(pid_t pid, int fd)
{
	_cleanup_fclose_ FILE *f = NULL;
	char line[256];
	struct stat st;
	bool found = false;

	if (fstat(fd, &st) < 0)
		return false;
	f = fopen("/proc/locks", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long ino;
		long holder;
		char kind[16], mode[16], access[16];

		/* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters have "->". */
		if (strstr(line, "->") || sscanf(line, "%*d: %15s %15s %15s %ld %x:%x:%llu", kind,
						 mode, access, &holder, &maj, &min, &ino) != 7)
			continue;
		found = nb_streq(kind, "FLOCK") && holder == (long)pid && ino == st.st_ino &&
			maj == major(st.st_dev) && min == minor(st.st_dev);
	}
	return found;
}

/*
 * What every command that nestbox starts has, and what no process that a
 * sandbox starts (a user namespace deeper) nor one of the caller's own
 * (unshare -Ur: one below, with a map) has: a user namespace two below
 * ours, or one below with no map at all (--map none, where the command
 * stays in nestbox's), and at least the terminal's seccomp filter.
 */
static bool nestbox_command(pid_t pid, long ours)
{
	char path[64], buf[4096];
	int depth = userns_depth(pid);
	long theirs = nb_seccomp_filters_of(pid);

	/* Counted from ours: a container or a service manager may have added some. */
	if (ours < 0 || theirs < ours + 1)
		return false;
	if (depth == 1) {
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
		return nb_read_file(path, buf, sizeof(buf)) == 0;
	}
	return depth == 2;
}

/*
 * Fills @l from @r when init is alive and is the process the record names.
 * A record lives where a sandbox may write, so it is believed only as far
 * as the kernel bears it out: @rec_fd is locked by the host it names, init
 * is that host's child with the recorded start time, the command is init's
 * child, and the command is one that nestbox starts (nestbox_command()).
 * The host has no more seccomp filters than we do: no process of a sandbox
 * can say that of itself.
 */
static bool check_live(const struct nb_record *r, int rec_fd, struct nb_live *l)
{
	uint64_t start;
	pid_t ppid = 0;
	long ours = nb_seccomp_filters_of(0);

	*l = (struct nb_live){ .rec = *r, .init_fd = -1, .cmd_fd = -1 };
	/*
	 * The host runs outside every sandbox: exactly our seccomp filters.
	 * Anything a sandbox starts has nestbox's terminal filter on top, which
	 * it cannot shed, even in our PID namespace (--share pid).
	 */
	if (r->init_pid <= 0 || r->host_pid <= 0 || !holds_lock(r->host_pid, rec_fd) ||
	    nb_seccomp_filters_of(r->host_pid) != ours)
		return false;
	l->init_fd = nb_pidfd_open(r->init_pid);
	if (l->init_fd < 0)
		return false;
	if (nb_proc_stat(r->init_pid, &start, &ppid) < 0 || start != r->init_start ||
	    ppid != r->host_pid || !nb_pidfd_alive(l->init_fd))
		goto dead;
	l->cmd = r->as_pid1 ? r->init_pid : first_child(r->init_pid);
	if (l->cmd > 0) {
		l->cmd_fd = r->as_pid1 ? fcntl(l->init_fd, F_DUPFD_CLOEXEC, 3)
				       : nb_pidfd_open(l->cmd);
		if (l->cmd_fd >= 0 && !r->as_pid1 &&
		    (nb_proc_stat(l->cmd, &start, &ppid) < 0 || ppid != r->init_pid ||
		     !nb_pidfd_alive(l->cmd_fd)))
			nb_closep(&l->cmd_fd);
		/* Not nestbox's command: it is no sandbox of ours at all. */
		if (l->cmd_fd >= 0 && !nestbox_command(l->cmd, ours))
			goto dead;
		if (l->cmd_fd < 0)
			l->cmd = 0;
	}
	/* Both pidfds were opened while init was the recorded process. */
	if (!nb_pidfd_alive(l->init_fd))
		goto dead;
	return true;
dead:
	nb_closep(&l->init_fd);
	nb_closep(&l->cmd_fd);
	l->init_fd = l->cmd_fd = -1;
	return false;
}

/*
 * Reads the record @name: 1 when it is live, 2 when its host is still
 * starting the sandbox, 0 when not (removed if stale).
 */
static int load(int dirfd, const char *name, struct nb_live *l)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct nb_record r;
	char buf[1024];
	ssize_t n;

	if (fd < 0)
		return 0;
	/*
	 * Exclusive, so that of two readers only one removes a stale record:
	 * the other might otherwise remove a new one of the same name.
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		/* Nobody holds it: its host is gone. */
		if (same_file(dirfd, name, fd))
			(void)unlinkat(dirfd, name, 0);
		return 0;
	}
	n = TEMP_FAILURE_RETRY(pread(fd, buf, sizeof(buf) - 1, 0));
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* A host still starting its sandbox has not named init yet. */
	if (nb_record_parse(buf, &r) < 0 || !nb_streq(r.name, name))
		return 0;
	if (r.init_pid <= 0)
		return 2;
	return check_live(&r, fd, l) ? 1 : 0;
}

int nb_state_list(int dirfd, struct nb_live **out, size_t *n, struct nb_error *e)
{
	int dfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	*out = NULL;
	*n = 0;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading the state directory");
	}
	while ((de = readdir(d))) {
		struct nb_live l;

		if (de->d_name[0] == '.') {
			uint32_t pid;

			/*
			 * A half-made record of a host that died while naming its
			 * sandbox; a live host may not have locked it yet.
			 */
			if (strncmp(de->d_name, ".new-", 5) == 0 &&
			    nb_parse_u32(de->d_name + 5, &pid) == 0 && pid <= INT32_MAX &&
			    kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				remove_if_stale(dirfd, de->d_name);
			continue;
		}
		if (load(dirfd, de->d_name, &l) != 1)
			continue;
		*out = nb_grow(*out, *n, sizeof(**out));
		(*out)[(*n)++] = l;
	}
	closedir(d);
	return 0;
}

void nb_state_list_free(struct nb_live *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nb_closep(&l[i].init_fd);
		nb_closep(&l[i].cmd_fd);
	}
	free(l);
}

int nb_state_find(int dirfd, const char *what, struct nb_live *out, struct nb_error *e)
{
	uint32_t pid;
	struct nb_live *all;
	size_t n;
	int found = -1;

	if (nb_parse_u32(what, &pid) < 0) {
		int r;

		if (nb_state_check_name(what, e) < 0)
			return nb_err(e);
		r = load(dirfd, what, out);
		if (r == 1)
			return 0;
		if (r == 2)
			return nb_fail(e, NB_EXIT_FAILURE, EAGAIN, "try again in a moment",
				       "sandbox '%s' is still starting", what);
		return nb_fail(e, NB_EXIT_FAILURE, 0, "'nestbox ps' lists yours",
			       "no running sandbox of yours is named '%s'", what);
	}
	if (nb_state_list(dirfd, &all, &n, e) < 0)
		return nb_err(e);
	for (size_t i = 0; i < n && found < 0; i++)
		if (all[i].rec.init_pid == (pid_t)pid || (all[i].cmd && all[i].cmd == (pid_t)pid))
			found = (int)i;
	if (found >= 0) {
		*out = all[found];
		all[found].init_fd = all[found].cmd_fd = -1;
	}
	nb_state_list_free(all, n);
	if (found < 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "'nestbox ps' lists yours",
			       "pid %u is not a running nestbox sandbox of yours", pid);
	return 0;
}
