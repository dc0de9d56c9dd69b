// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening a mount source without following a symbolic link that the caller,
 * or a sandbox that could write there, may have planted (the class of
 * Flatpak CVE-2024-42472 and runc CVE-2021-30465).
 *
 * The path is walked one component at a time with O_PATH | O_NOFOLLOW from
 * the directory fd of the previous component, so a component swapped for a
 * link after it was checked is never followed: the walk holds fds, not
 * names.  A link is followed only when nobody but root could have made it:
 * the link and its directory belong to root, and the directory is writable
 * by no group and no other user (Debian's /lib -> usr/lib).  This runs on the
 * host, before any namespace exists, so root here is the real root.
 */
#include "autoconf.h"

#include "fs/resolve.h"
#include "lib/cleanup.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256
#define MAX_LINKS 40

struct walk {
	int fd[MAX_DEPTH + 1]; /* fd[0] is "/", fd[depth] the current directory */
	size_t len[MAX_DEPTH + 1]; /* length of shown[] at each depth */
	int depth;
	char shown[PATH_MAX]; /* the physical path walked so far, for messages */
};

static void walk_reset(struct walk *w)
{
	while (w->depth > 0)
		nb_closep(&w->fd[w->depth--]);
	w->shown[0] = '\0';
}

static bool trusted_link(int dirfd, int linkfd)
{
	struct stat dir, link;

	if (fstat(dirfd, &dir) < 0 || fstat(linkfd, &link) < 0)
		return false;
	return link.st_uid == 0 && dir.st_uid == 0 && !(dir.st_mode & (S_IWGRP | S_IWOTH));
}

static int push(struct walk *w, int fd, const char *name, size_t nlen)
{
	size_t n = strlen(w->shown);

	if (w->depth == MAX_DEPTH || n + nlen + 2 > sizeof(w->shown)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	w->shown[n] = '/';
	memcpy(w->shown + n + 1, name, nlen);
	w->shown[n + 1 + nlen] = '\0';
	w->fd[++w->depth] = fd;
	w->len[w->depth] = n;
	return 0;
}

static void pop(struct walk *w)
{
	if (w->depth == 0)
		return;
	w->shown[w->len[w->depth]] = '\0';
	nb_closep(&w->fd[w->depth--]);
}

/*
 * Replaces the pending path in @rest (which starts at @next) by @target
 * followed by what is left of it.
 */
static int splice_link(char *rest, size_t size, const char *next, const char *target)
{
	char tail[PATH_MAX];
	int n;

	if (snprintf(tail, sizeof(tail), "%s", next) >= (int)sizeof(tail))
		return -ENAMETOOLONG;
	n = snprintf(rest, size, "%s/%s", target, tail);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int nb_open_nofollow(const char *path, const char *what, struct nb_error *e)
{
	struct walk w = { .depth = 0 };
	char rest[PATH_MAX];
	char *p;
	int links = 0, r, fd;

	if (path[0] == '/') {
		if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
			return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "%s %.64s...", what,
				       path);
	} else {
		/* Relative to the caller's directory, walked from / like the rest. */
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return nb_fail(e, NB_EXIT_FAILURE, errno, "give an absolute path",
				       "%s %s: the current directory is unknown", what, path);
		if (snprintf(rest, sizeof(rest), "%s/%s", cwd, path) >= (int)sizeof(rest))
			return nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "%s %.64s...", what,
				       path);
	}
	w.fd[0] = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.fd[0] < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening /");
	p = rest;
	for (;;) {
		char name[NAME_MAX + 1];
		char target[PATH_MAX];
		size_t nlen;
		struct stat st;
		ssize_t tlen;

		p += strspn(p, "/");
		if (!*p)
			break;
		nlen = strcspn(p, "/");
		if (nlen > NAME_MAX) {
			r = nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "%s %s", what, path);
			goto fail;
		}
		memcpy(name, p, nlen);
		name[nlen] = '\0';
		p += nlen;
		if (nb_streq(name, "."))
			continue;
		if (nb_streq(name, "..")) {
			pop(&w);
			continue;
		}
		fd = openat(w.fd[w.depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, errno, "check the path", "%s %s", what,
				    path);
			goto fail;
		}
		if (fstat(fd, &st) < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "%s %s", what, path);
			close(fd);
			goto fail;
		}
		if (!S_ISLNK(st.st_mode)) {
			r = push(&w, fd, name, nlen);
			if (r < 0) {
				nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "%s %.64s...", what, path);
				goto fail;
			}
			continue;
		}
		tlen = readlinkat(fd, "", target, sizeof(target) - 1);
		if (tlen < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "%s %s: reading a link", what,
				    path);
			close(fd);
			goto fail;
		}
		target[tlen] = '\0';
		if (!trusted_link(w.fd[w.depth], fd)) {
			r = nb_fail(e, NB_EXIT_FAILURE, 0,
				    "nestbox follows only links that root made in a directory only "
				    "root can write; pass the real path",
				    "%s %s: %s/%s is a symbolic link to %s", what, path, w.shown,
				    name, target);
			close(fd);
			goto fail;
		}
		close(fd);
		if (++links > MAX_LINKS) {
			r = nb_fail(e, NB_EXIT_FAILURE, ELOOP, NULL, "%s %s", what, path);
			goto fail;
		}
		if (splice_link(rest, sizeof(rest), p, target) < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, ENAMETOOLONG, NULL, "%s %.64s...", what,
				    path);
			goto fail;
		}
		if (target[0] == '/')
			walk_reset(&w);
		p = rest;
	}
	fd = w.fd[w.depth];
	w.fd[w.depth] = -1;
	if (w.depth == 0)
		w.fd[0] = -1;
	walk_reset(&w);
	nb_closep(&w.fd[0]);
	return fd;
fail:
	walk_reset(&w);
	nb_closep(&w.fd[0]);
	return r;
}
