// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nb_open_nofollow() on a tree made here: what it opens is the file the
 * path names, a symbolic link that anyone but root could have made is
 * refused with its name and target, one that only root could have made
 * (/proc/self) is followed, and a missing or overlong component is named.
 * Made to fail once by trusting every link (trusted_link() returning true).
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fs/resolve.h"
#include "lib/util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[64];

static void path_of(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", top, rel);
}

/* The file behind @fd and @path are one (device and inode). */
static bool same(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static int setup(void **state)
{
	char p[PATH_MAX];
	int fd;

	(void)state;
	snprintf(top, sizeof(top), "/tmp/nb-resolve-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	path_of(p, sizeof(p), "dir");
	mkdir(p, 0755);
	path_of(p, sizeof(p), "dir/file");
	fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	/*
	 * A directory anyone may write: a link there is nobody's to trust,
	 * whoever runs the test (root included).
	 */
	path_of(p, sizeof(p), "open");
	mkdir(p, 0777);
	chmod(p, 01777);
	path_of(p, sizeof(p), "open/link");
	return symlink("../dir", p);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_plain_path(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX];
	int fd;

	(void)state;
	path_of(p, sizeof(p), "dir/file");
	fd = nb_open_nofollow(p, "bind source", &e);
	assert_true(fd >= 0);
	assert_true(same(fd, p));
	/* An O_PATH fd: nothing can be read through it. */
	assert_true(fcntl(fd, F_GETFL) & O_PATH);
	close(fd);
}

static void test_dot_and_dotdot(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX], want[PATH_MAX];
	int fd;

	(void)state;
	path_of(p, sizeof(p), "./dir/../dir/./file");
	path_of(want, sizeof(want), "dir/file");
	fd = nb_open_nofollow(p, "bind source", &e);
	assert_true(fd >= 0);
	assert_true(same(fd, want));
	close(fd);
}

static void test_relative_path(void **state)
{
	struct nb_error e = { 0 };
	char old[PATH_MAX], want[PATH_MAX];
	int fd;

	(void)state;
	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(top), 0);
	fd = nb_open_nofollow("dir/file", "bind source", &e);
	assert_int_equal(chdir(old), 0);
	path_of(want, sizeof(want), "dir/file");
	assert_true(fd >= 0);
	assert_true(same(fd, want));
	close(fd);
}

static void test_untrusted_link_refused(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX], named[PATH_MAX];
	int r;

	(void)state;
	path_of(p, sizeof(p), "open/link/file");
	r = nb_open_nofollow(p, "bind source", &e);
	assert_true(r < 0);
	assert_int_equal(e.status, NB_EXIT_FAILURE);
	/* The message names the link, its target and the way out. */
	path_of(named, sizeof(named), "open/link is a symbolic link to ../dir");
	assert_non_null(strstr(e.msg, named));
	assert_non_null(strstr(e.msg, "pass the real path"));
	assert_non_null(strstr(e.msg, "bind source"));
}

static void test_link_as_last_component_refused(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX];

	(void)state;
	path_of(p, sizeof(p), "open/link");
	assert_true(nb_open_nofollow(p, "bind source", &e) < 0);
	assert_non_null(strstr(e.msg, "is a symbolic link to ../dir"));
}

static void test_root_link_followed(void **state)
{
	struct nb_error e = { 0 };
	char want[64];
	int fd;

	(void)state;
	/* /proc/self is root's link, in a directory only root can write. */
	fd = nb_open_nofollow("/proc/self/status", "bind source", &e);
	snprintf(want, sizeof(want), "/proc/%d/status", (int)getpid());
	assert_true(fd >= 0);
	assert_true(same(fd, want));
	close(fd);
}

static void test_missing_component(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX];
	int r;

	(void)state;
	path_of(p, sizeof(p), "dir/nothing/file");
	r = nb_open_nofollow(p, "bind source", &e);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(e.msg, p));
	assert_non_null(strstr(e.msg, "No such file or directory"));
}

static void test_overlong_component(void **state)
{
	struct nb_error e = { 0 };
	char p[PATH_MAX], name[NAME_MAX + 2];

	(void)state;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	path_of(p, sizeof(p), name);
	assert_int_equal(nb_open_nofollow(p, "bind source", &e), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_path),
		cmocka_unit_test(test_dot_and_dotdot),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_untrusted_link_refused),
		cmocka_unit_test(test_link_as_last_component_refused),
		cmocka_unit_test(test_root_link_followed),
		cmocka_unit_test(test_missing_component),
		cmocka_unit_test(test_overlong_component),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
