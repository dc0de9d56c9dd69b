// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

#include <errno.h>
#include <string.h>

static void test_parse_u32(void **state)
{
	uint32_t v;

	assert_int_equal(nb_parse_u32("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(nb_parse_u32("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(nb_parse_u32("4294967296", &v), -ERANGE);
	assert_int_equal(nb_parse_u32("-1", &v), -EINVAL);
	assert_int_equal(nb_parse_u32("12a", &v), -EINVAL);
	assert_int_equal(nb_parse_u32("", &v), -EINVAL);
	assert_int_equal(nb_parse_u32(" 1", &v), -EINVAL);
	assert_int_equal(nb_parse_u32("99999999999999999999999", &v), -ERANGE);
}

static void test_parse_size(void **state)
{
	uint64_t v;

	assert_int_equal(nb_parse_size("64k", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(nb_parse_size("2M", &v), 0);
	assert_int_equal(v, 2u << 20);
	assert_int_equal(nb_parse_size("1g", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(nb_parse_size("100", &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(nb_parse_size("0", &v), -EINVAL);
	assert_int_equal(nb_parse_size("1x", &v), -EINVAL);
	assert_int_equal(nb_parse_size("1kk", &v), -EINVAL);
	assert_int_equal(nb_parse_size("k", &v), -EINVAL);
	assert_int_equal(nb_parse_size("99999999999999999g", &v), -ERANGE);
}

static void test_clean_path(void **state)
{
	assert_true(nb_is_abs_clean_path("/"));
	assert_true(nb_is_abs_clean_path("/a/b"));
	assert_true(nb_is_abs_clean_path("/a//b/"));
	assert_true(nb_is_abs_clean_path("/a/.b/..c"));
	assert_false(nb_is_abs_clean_path("a/b"));
	assert_false(nb_is_abs_clean_path(""));
	assert_false(nb_is_abs_clean_path(NULL));
	assert_false(nb_is_abs_clean_path("/a/../b"));
	assert_false(nb_is_abs_clean_path("/a/./b"));
	assert_false(nb_is_abs_clean_path("/.."));
	assert_false(nb_is_abs_clean_path("/a/.."));
}

static void test_fail_format(void **state)
{
	struct nb_error e = { 0 };

	assert_int_equal(nb_fail(&e, 125, ENOENT, "install it", "opening %s", "/x"), -ENOENT);
	assert_string_equal(e.msg, "opening /x: No such file or directory (install it)");
	assert_int_equal(e.status, 125);
	assert_int_equal(nb_fail(&e, 126, 0, NULL, "plain"), -EINVAL);
	assert_string_equal(e.msg, "plain");
	assert_int_equal(e.status, 126);
}

static void test_json_str(void **state)
{
	char buf[256];
	FILE *f;

	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	/* Quotes, control bytes, valid UTF-8 kept, a stray byte and an overlong form escaped. */
	nb_json_str(f, "a\"b\\c\n\x01 \xc3\xa9 \xff \xc0\xaf");
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\u000a\\u0001 \xc3\xa9 \\u00ff \\u00c0\\u00af\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),  cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_clean_path), cmocka_unit_test(test_fail_format),
		cmocka_unit_test(test_json_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
