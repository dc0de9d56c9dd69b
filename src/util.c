// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Small helpers: errors (nb_fail, nb_error_wrap, escaping), number and path
 * parsing, whole-file reads and writes, fd passing, the monotonic clock.
 */
#include "autoconf.h"

#include "util.h"
#include "cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * @s (of @len bytes) into @out as at most @max bytes and a NUL: whole if it
 * fits, else its start, "..." and its end, never cut inside a UTF-8
 * sequence.
 */
static void shorten_middle(const char *s, size_t len, size_t max, char *out)
{
	size_t a, b;

	if (len <= max) {
		memcpy(out, s, len);
		out[len] = '\0';
		return;
	}
	if (max < 3) {
		memcpy(out, s, max);
		out[max] = '\0';
		return;
	}
	a = (max - 3) / 2;
	b = max - 3 - a;
	while (a > 0 && ((unsigned char)s[a] & 0xc0) == 0x80)
		a--;
	while (b > 0 && ((unsigned char)s[len - b] & 0xc0) == 0x80)
		b--;
	memcpy(out, s, a);
	memcpy(out + a, "...", 3);
	memcpy(out + a + 3, s + len - b, b);
	out[a + 3 + b] = '\0';
}

/*
 * Writes @head then @tail into @out (of @size), shortening the middle of
 * each when both do not fit: the start of what failed and the end of the
 * reason and hint stay; a long path in between loses its middle.  The tail
 * keeps at most two thirds of the room.
 */
static void join_shortened(char *out, size_t size, const char *head, const char *tail)
{
	size_t hlen = strlen(head), tlen = strlen(tail), room;
	char t[NB_ERROR_MAX];

	if (size == 0)
		return;
	if (hlen + tlen < size) {
		memcpy(out, head, hlen);
		memcpy(out + hlen, tail, tlen + 1);
		return;
	}
	if (tlen > (size - 1) * 2 / 3) {
		shorten_middle(tail, tlen, (size - 1) * 2 / 3, t);
		tail = t;
		tlen = strlen(t);
	}
	room = size - 1 - tlen;
	shorten_middle(head, hlen, room, out);
	memcpy(out + strlen(out), tail, tlen + 1);
}

int nb_fail(struct nb_error *e, int status, int err, const char *hint, const char *fmt, ...)
{
	if (e) {
		char what[NB_ERROR_MAX], tail[NB_ERROR_MAX];
		va_list ap;
		int n = 0;

		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		tail[0] = '\0';
		if (err)
			n = snprintf(tail, sizeof(tail), ": %s", strerror(err));
		if (hint && n >= 0 && (size_t)n < sizeof(tail))
			snprintf(tail + n, sizeof(tail) - (size_t)n, " (%s)", hint);
		join_shortened(e->msg, sizeof(e->msg), what, tail);
		e->status = status;
		e->err = err;
	}
	return err ? -err : -EINVAL;
}

int nb_error_kind(struct nb_error *e, enum nb_error_kind kind, const char *arg)
{
	if (e) {
		e->kind = kind;
		snprintf(e->arg, sizeof(e->arg), "%s", arg ? arg : "");
	}
	return e && e->err ? -e->err : -EINVAL;
}

int nb_error_wrap(struct nb_error *e, const char *fmt, ...)
{
	char prefix[NB_ERROR_MAX], msg[sizeof(e->msg)];
	va_list ap;
	size_t plen;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	plen = strlen(prefix);
	memcpy(prefix + plen, ": ", 3);
	memcpy(msg, e->msg, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	/* The context goes first; what is shortened is the middle, never the end. */
	if (plen + 2 + strlen(msg) < sizeof(e->msg)) {
		snprintf(e->msg, sizeof(e->msg), "%s%s", prefix, msg);
	} else {
		char joined[2 * NB_ERROR_MAX];

		snprintf(joined, sizeof(joined), "%s%s", prefix, msg);
		join_shortened(e->msg, sizeof(e->msg), joined, "");
		/* Keep the end whole: the reason and the hint are in it. */
		{
			size_t mlen = strlen(msg), keep = sizeof(e->msg) / 2;

			if (mlen > keep) {
				char head[NB_ERROR_MAX];

				snprintf(head, sizeof(head), "%s%.*s", prefix, (int)(mlen - keep),
					 msg);
				join_shortened(e->msg, sizeof(e->msg), head, msg + mlen - keep);
			}
		}
	}
	return e->err ? -e->err : -EINVAL;
}

_Noreturn void nb_oom(void)
{
	static const char msg[] = "nestbox: out of memory (free some memory and try again)\n";

	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(NB_EXIT_FAILURE);
}

int nb_parse_u64(const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int nb_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = nb_parse_u64(s, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* Accepts a byte count with an optional k, m or g suffix (powers of 1024). */
int nb_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		char c;
		unsigned shift;
	} suffix[] = { { 'k', 10 }, { 'm', 20 }, { 'g', 30 } };
	char *end = NULL;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end) {
		size_t i;

		if (end[1])
			return -EINVAL;
		for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++)
			if (tolower((unsigned char)*end) == suffix[i].c)
				break;
		if (i == sizeof(suffix) / sizeof(suffix[0]))
			return -EINVAL;
		if (v > (UINT64_MAX >> suffix[i].shift))
			return -ERANGE;
		v <<= suffix[i].shift;
	}
	if (v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

bool nb_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* An absolute path without "." or ".." components and without empty ones. */
bool nb_is_abs_clean_path(const char *p)
{
	const char *c;

	if (!p || p[0] != '/')
		return false;
	for (c = p; *c;) {
		const char *next;
		size_t len;

		while (*c == '/')
			c++;
		next = strchrnul(c, '/');
		len = (size_t)(next - c);
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c = next;
	}
	return true;
}

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

int nb_read_all_at(int dirfd, const char *file, char **out, size_t *len)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	size_t cap = 8192, got = 0;
	char *buf;

	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf)
		nb_oom();
	for (;;) {
		ssize_t n;

		if (got + 1 >= cap) {
			if (cap >= 16u << 20) {
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

int nb_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
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

/* Length of the valid UTF-8 sequence at @p (1-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = p[0] < 0xc2 ? 0 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf5 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms and surrogates are not UTF-8 either. */
	if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (n == 4 && p[0] == 0xf0 && p[1] < 0x90) || (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/*
 * Control bytes, C1 controls (U+0080-U+009F, which some terminals obey as
 * CSI and OSC) and bytes that are not UTF-8 are written as \xNN.
 */
void nb_escape(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n + 5 < size) {
		size_t len = *p < 0x80 ? 1 : utf8_len(p);

		if (*p == '\n') {
			n += (size_t)snprintf(out + n, size - n, "\\n");
		} else if (*p == '\t') {
			n += (size_t)snprintf(out + n, size - n, "\\t");
		} else if (*p < 0x20 || *p == 0x7f || len == 0 || (p[0] == 0xc2 && p[1] < 0xa0)) {
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p);
		} else {
			if (n + len + 1 > size)
				break;
			memcpy(out + n, p, len);
			n += len;
			p += len;
			continue;
		}
		p++;
	}
	out[n] = '\0';
}

void nb_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			/* A byte that is not UTF-8 (a file name can hold any): as Latin-1. */
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

bool nb_status_field(const char *status, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			const char *v = p + klen + 1;
			size_t len;

			v += strspn(v, " \t");
			len = strcspn(v, "\n");
			if (len >= size)
				len = size - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
	}
	return false;
}
