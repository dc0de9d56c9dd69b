// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fs/mountinfo.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#define RO (MS_BIND | MS_REMOUNT | MS_RDONLY)

static char path[4096];

static void test_ro_plan(void **state)
{
	struct nb_remount *r;
	struct nb_error e = { 0 };
	size_t n;

	assert_int_equal(nb_mountinfo_ro_plan(path, "/newroot", &r, &n, &e), 0);
	assert_int_equal(n, 6);
	assert_string_equal(r[0].target, "/newroot");
	assert_int_equal(r[0].flags, RO | MS_RELATIME);
	assert_string_equal(r[1].target, "/newroot/dev");
	assert_int_equal(r[1].flags, RO | MS_NOSUID | MS_RELATIME);
	/* Of two stacked mounts only the upper one is planned. */
	assert_string_equal(r[2].target, "/newroot/dev/shm");
	assert_int_equal(r[2].flags, RO | MS_NOSUID | MS_NODEV | MS_RELATIME);
	assert_string_equal(r[3].target, "/newroot/run");
	assert_int_equal(r[3].flags, RO | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME);
	/* Escaped names come back unescaped. */
	assert_string_equal(r[4].target, "/newroot/with space");
	assert_int_equal(r[4].flags, RO | MS_NOSUID);
	/* No atime flag: the kernel keeps the current mode on remount. */
	assert_string_equal(r[5].target, "/newroot/strict");
	assert_int_equal(r[5].flags, RO);
	nb_remounts_free(r, n);
}

static void test_prefix_is_component_wise(void **state)
{
	struct nb_remount *r;
	struct nb_error e = { 0 };
	size_t n;

	assert_int_equal(nb_mountinfo_ro_plan(path, "/newrootx", &r, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].flags, RO | MS_NOSUID);
	nb_remounts_free(r, n);

	assert_int_equal(nb_mountinfo_ro_plan(path, "/newroot/dev/shm", &r, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].flags, RO | MS_NOSUID | MS_NODEV | MS_RELATIME);
	nb_remounts_free(r, n);

	assert_int_equal(nb_mountinfo_ro_plan(path, "/", &r, &n, &e), 0);
	assert_int_equal(n, 11);
	nb_remounts_free(r, n);

	assert_int_equal(nb_mountinfo_ro_plan(path, "/nothing", &r, &n, &e), 0);
	assert_int_equal(n, 0);
	nb_remounts_free(r, n);
}

static void test_missing_file(void **state)
{
	struct nb_remount *r;
	struct nb_error e = { 0 };
	size_t n;

	assert_true(nb_mountinfo_ro_plan("/nonexistent/mountinfo", "/", &r, &n, &e) < 0);
	assert_non_null(strstr(e.msg, "reading /nonexistent/mountinfo"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ro_plan),
		cmocka_unit_test(test_prefix_is_component_wise),
		cmocka_unit_test(test_missing_file),
	};
	const char *dir = getenv("NESTBOX_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/unit/data/mountinfo", dir ? dir : ".");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
