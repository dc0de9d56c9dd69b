// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pure helpers: errors (nb_fail, nb_error_wrap, escaping), number and path
 * parsing.  No system calls: the pure core links this file (io.c has the
 * effects).
 */
#include "autoconf.h"

#include "lib/util.h"
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

/* The decimal number that @s starts with (no sign, no space), its end in *@end. */
static int leading_u64(const char *s, unsigned long long *v, char **end)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, end, 10);
	return errno == ERANGE ? -ERANGE : 0;
}

int nb_parse_u64(const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;
	int r = leading_u64(s, &v, &end);

	if (r < 0)
		return r;
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
	int r = leading_u64(s, &v, &end);

	if (r < 0)
		return r;
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

/* Length of the valid UTF-8 sequence at @p (1-4), or 0 if it is not one. */
size_t nb_utf8_len(const unsigned char *p)
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
		size_t len = *p < 0x80 ? 1 : nb_utf8_len(p);

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

char *nb_path_find(const char *path, const char *name, bool (*usable)(const char *file))
{
	if (!*name)
		return NULL;
	if (strchr(name, '/')) {
		char *copy;

		if (usable && !usable(name))
			return NULL;
		if (!(copy = strdup(name)))
			nb_oom();
		return copy;
	}
	for (const char *d = path ? path : NB_DEFAULT_PATH; *d; d += strcspn(d, ":"), d += !!*d) {
		size_t len = strcspn(d, ":");
		char *full;

		if (len == 0 || d[0] != '/')
			continue;
		if (asprintf(&full, "%.*s/%s", (int)len, d, name) < 0)
			nb_oom();
		if (!usable || usable(full))
			return full;
		free(full);
	}
	return NULL;
}
