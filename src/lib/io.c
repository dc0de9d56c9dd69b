// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The helpers with effects: whole-file reads and writes, lock files, pidfds,
 * fd passing, the monotonic clock and JSON strings onto a stream (util.c has
 * the pure ones).
 */
#include "autoconf.h"

#include "lib/util.h"
#include "lib/io.h"
#include "lib/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int nb_write_fd_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = TEMP_FAILURE_RETRY(write(fd, p, len));

		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

long nb_seccomp_filters_of(pid_t pid)
{
	char path[64], buf[4096], v[32];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	if (nb_read_file(path, buf, sizeof(buf)) <= 0 ||
	    !nb_status_field(buf, "Seccomp_filters", v, sizeof(v)))
		return -1;
	return strtol(v, NULL, 10);
}

int nb_take_read_locks(char *const *paths, size_t n, int *fds, size_t max, struct nb_error *e)
{
	for (size_t i = 0; i < n; i++) {
		struct flock l = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

		if (i == max)
			return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "too many lock files");
		fds[i] = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			return nb_fail_kind(e, NB_ERR_LOCK_OPEN, paths[i], NB_EXIT_FAILURE, errno,
					    NULL, "--lock-file %s: opening it", paths[i]);
		if (fcntl(fds[i], F_SETLK, &l) < 0)
			return nb_fail_kind(e, NB_ERR_LOCK, paths[i], NB_EXIT_FAILURE, errno, NULL,
					    "--lock-file %s: taking a read lock", paths[i]);
	}
	return (int)n;
}

int nb_read_all_fd(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 8192, got = 0;
	char *buf = malloc(cap);

	if (!buf)
		nb_oom();
	for (;;) {
		ssize_t n;

		if (got + 1 >= cap) {
			if (cap > max) {
				free(buf);
				return -E2BIG;
			}
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				nb_oom();
		}
		n = TEMP_FAILURE_RETRY(read(fd, buf + got, cap - 1 - got));
		if (n < 0) {
			int err = errno;

			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int nb_read_all_at(int dirfd, const char *file, char **out, size_t *len)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return nb_read_all_fd(fd, NB_READ_MAX, out, len);
}

char *nb_read_text(const char *path, int *err)
{
	char *buf;
	size_t len;
	int r = nb_read_all_at(AT_FDCWD, path, &buf, &len);

	*err = r < 0 ? -r : 0;
	return r < 0 ? NULL : buf;
}

int nb_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int nb_child_pidfd(pid_t pid, const char *what, struct nb_error *e)
{
	int fd = nb_pidfd_open(pid);

	if (fd >= 0)
		return fd;
	nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 5.3", "opening a pidfd for %s",
		what);
	/* Our unreaped child: nothing else can hold its pid yet. */
	kill(pid, SIGKILL);
	(void)TEMP_FAILURE_RETRY(waitpid(pid, NULL, 0));
	return -1;
}

bool nb_pidfd_alive(int pidfd)
{
	return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
}

int nb_write_file(const char *path, const char *buf, size_t len)
{
	return nb_write_file_at(AT_FDCWD, path, buf, len);
}

/*
 * Writes @buf with one write(): the kernel's map files reject a split write,
 * so no buffering and no retry of a short write.
 */
int nb_write_file_at(int dirfd, const char *path, const char *buf, size_t len)
{
	_cleanup_close_ int fd = -1;
	ssize_t n;

	fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = TEMP_FAILURE_RETRY(write(fd, buf, len));
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	if (close(steal_fd(&fd)) < 0)
		return -errno;
	return 0;
}

ssize_t nb_read_file(const char *path, char *buf, size_t size)
{
	return nb_read_file_at(AT_FDCWD, path, buf, size);
}

ssize_t nb_read_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	size_t got = 0;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (got + 1 < size) {
		ssize_t n = TEMP_FAILURE_RETRY(read(fd, buf + got, size - 1 - got));

		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/*
 * One byte of payload and room for one fd, for SCM_RIGHTS.  The union aligns
 * the control buffer for struct cmsghdr, whose flexible array member makes
 * the union variable-sized in ISO C, so it has to be the last member.
 */
struct fd_msg {
	char byte;
	struct iovec iov;
	struct msghdr msg;
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
};

static void fd_msg_init(struct fd_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->byte = 'F';
	m->iov = (struct iovec){ .iov_base = &m->byte, .iov_len = 1 };
	m->msg = (struct msghdr){
		.msg_iov = &m->iov,
		.msg_iovlen = 1,
		.msg_control = m->u.buf,
		.msg_controllen = sizeof(m->u.buf),
	};
}

int nb_send_fd(int sock, int fd)
{
	struct fd_msg m;
	struct cmsghdr *cm;

	fd_msg_init(&m);
	cm = CMSG_FIRSTHDR(&m.msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (TEMP_FAILURE_RETRY(sendmsg(sock, &m.msg, MSG_NOSIGNAL)) < 0)
		return -errno;
	return 0;
}

int nb_recv_fd(int sock)
{
	struct fd_msg m;
	struct cmsghdr *cm;
	ssize_t n;
	int fd;

	fd_msg_init(&m);
	n = TEMP_FAILURE_RETRY(recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC));
	if (n < 0)
		return -errno;
	cm = CMSG_FIRSTHDR(&m.msg);
	if (n == 0 || !cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

int64_t nb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool nb_executable(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 && S_ISREG(st.st_mode) && access(file, X_OK) == 0;
}
