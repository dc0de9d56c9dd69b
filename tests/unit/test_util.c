// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <stdlib.h>
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

/* A long path loses its middle, never the reason or the hint (nor is the stack blown). */
static void test_fail_long(void **state)
{
	struct nb_error e = { 0 };
	char path[3000], hint[2000];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	memcpy(path + sizeof(path) - 9, "/missing", 8);
	nb_fail(&e, 125, ENOENT, "check the path", "bind source %s", path);
	assert_true(strlen(e.msg) < sizeof(e.msg));
	assert_true(strncmp(e.msg, "bind source /aaa", 16) == 0);
	assert_non_null(strstr(e.msg, "..."));
	assert_non_null(strstr(e.msg, "a/missing: No such file or directory (check the path)"));
	/* A hint longer than the message itself keeps its end too. */
	memset(hint, 'h', sizeof(hint) - 1);
	hint[sizeof(hint) - 1] = '\0';
	memcpy(hint + sizeof(hint) - 4, "END", 3);
	nb_fail(&e, 125, ENOENT, hint, "%s", path);
	assert_true(strlen(e.msg) < sizeof(e.msg));
	assert_non_null(strstr(e.msg, "END)"));
}

/* Each layer puts its context first; the end of the message stays whole. */
static void test_error_wrap(void **state)
{
	struct nb_error e = { 0 };
	char path[1000];

	nb_fail(&e, 125, ENOENT, "check it", "opening the source");
	nb_error_wrap(&e, "--bind #%d %s", 2, "/data");
	assert_string_equal(
	    e.msg, "--bind #2 /data: opening the source: No such file or directory (check it)");
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	nb_fail(&e, 125, EACCES, "the fix", "reading %s", path);
	nb_error_wrap(&e, "--ro-bind #%d", 7);
	assert_true(strlen(e.msg) < sizeof(e.msg));
	assert_true(strncmp(e.msg, "--ro-bind #7: reading ppp", 25) == 0);
	assert_non_null(strstr(e.msg, "pp: Permission denied (the fix)"));
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

/* The one PATH search: absolute directories only, in order, the first usable. */
static const char *wanted;

static bool only_wanted(const char *file)
{
	return strcmp(file, wanted) == 0;
}

static void test_path_find(void **state)
{
	char *p;

	(void)state;
	wanted = "/opt/b/pasta";
	p = nb_path_find("relative:/opt/a::/opt/b:/opt/c", "pasta", only_wanted);
	assert_string_equal(p, "/opt/b/pasta");
	free(p);
	/* An empty or relative entry is never a candidate, even if it would do. */
	wanted = "relative/pasta";
	assert_null(nb_path_find("relative:/opt/a", "pasta", only_wanted));
	wanted = "pasta";
	assert_null(nb_path_find(":/opt/a", "pasta", only_wanted));
	/* No usable test: the first absolute candidate. */
	p = nb_path_find("x:/usr/bin:/bin", "sh", NULL);
	assert_string_equal(p, "/usr/bin/sh");
	free(p);
	/* No PATH: the default one. */
	wanted = "/bin/true";
	p = nb_path_find(NULL, "true", only_wanted);
	assert_string_equal(p, "/bin/true");
	free(p);
	/* A name with a slash is no search; an empty name is nothing. */
	wanted = "./tool";
	p = nb_path_find("/opt/a", "./tool", only_wanted);
	assert_string_equal(p, "./tool");
	free(p);
	assert_null(nb_path_find("/opt/a", "", NULL));
}

/* The one JSON writer: separators as members and elements come, strings escaped. */
static void test_json_writer(void **state)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct nb_json j = NB_JSON(f);

	(void)state;
	assert_non_null(f);
	nb_json_open(&j, NULL, '{');
	nb_json_kv(&j, "name", "a\"b");
	nb_json_kv(&j, "none", NULL);
	nb_json_ki64(&j, "n", -3);
	nb_json_open(&j, "list", '[');
	nb_json_elem(&j, "x");
	nb_json_elem_u64(&j, 7);
	nb_json_open(&j, NULL, '{');
	nb_json_kbool(&j, "ok", true);
	nb_json_close(&j, '}');
	nb_json_close(&j, ']');
	nb_json_open(&j, "empty", '{');
	nb_json_close(&j, '}');
	nb_json_close(&j, '}');
	fclose(f);
	assert_string_equal(
	    buf, "{\"name\":\"a\\\"b\",\"none\":null,\"n\":-3,\"list\":[\"x\",7,{\"ok\":true}],"
		 "\"empty\":{}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),   cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_clean_path),  cmocka_unit_test(test_fail_format),
		cmocka_unit_test(test_json_str),    cmocka_unit_test(test_fail_long),
		cmocka_unit_test(test_error_wrap),  cmocka_unit_test(test_path_find),
		cmocka_unit_test(test_json_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
