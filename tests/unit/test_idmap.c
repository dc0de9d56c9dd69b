// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "front/cli.h"
#include "core/idmap.h"
#include "lib/util.h"

#include <string.h>

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1001,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/",
	.shell = "/bin/sh",
};

static const char subuid[] = "# subordinate ids\n"
			     "\n"
			     "bob:100000:65536\n"
			     "alice:165536:65536\n"
			     "   \t\n"
			     "garbage line\n"
			     "alice:1:2:3\n"
			     "alice:x:10\n"
			     "alice:5000000:0\n"
			     "alice:4294967290:100\n"
			     "alice:99999999999:1\n"
			     "1000:300000:10\n"
			     "alice2:400000:10\n"
			     ":500000:10\n"
			     " alice:700000:5\n"
			     "alice:800000:5\r\n"
			     "alice:231072:10\n"
			     "alice:600000:5";

static void test_parse(void **state)
{
	struct nb_subids s;

	nb_subid_parse(subuid, "alice", 1000, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.r[0].start, 165536);
	assert_int_equal(s.r[0].count, 65536);
	assert_int_equal(s.r[0].line, 4);
	/* The numeric uid is accepted as owner. */
	assert_int_equal(s.r[1].start, 300000);
	assert_int_equal(s.r[1].count, 10);
	assert_int_equal(s.r[1].line, 12);
	assert_int_equal(s.r[2].start, 231072);
	assert_int_equal(s.r[2].line, 17);
	/* A last line without newline counts. */
	assert_int_equal(s.r[3].start, 600000);
	assert_int_equal(s.r[3].count, 5);
	/*
	 * Blank-looking, garbage, 1:2:3, x, count 0, overflow, huge, empty
	 * owner, and CR: as in shadow, nothing is trimmed.  " alice" is another
	 * owner.
	 */
	assert_int_equal(s.garbage, 9);
	nb_subids_free(&s);

	nb_subid_parse(subuid, "carol", 1002, &s);
	assert_int_equal(s.n, 0);
	nb_subids_free(&s);
	nb_subid_parse(NULL, "alice", 1000, &s);
	assert_int_equal(s.n, 0);
	nb_subids_free(&s);
	nb_subid_parse("", "alice", 1000, &s);
	assert_int_equal(s.n, 0);
	nb_subids_free(&s);
	/* No user name known: the numeric id still matches. */
	nb_subid_parse("1000:7:8\n", NULL, 1000, &s);
	assert_int_equal(s.n, 1);
	nb_subids_free(&s);
}

/* Each of these lines alone gives no range, and counts as garbage. */
static void test_parse_bad_lines(void **state)
{
	static const char *const bad[] = {
		"alice\n",
		"alice:\n",
		"alice:100000\n",
		"alice:100000:\n",
		"alice::65536\n",
		"alice:100000:65536:1\n",
		"alice:-1:65536\n",
		"alice:100000:-5\n",
		"alice:1e5:65536\n",
		"alice:0x10:65536\n",
		"alice:100000:0\n",
		"alice:4294967295:1\n",
		"alice:4294967296:1\n",
		"alice:100000:4294967296\n",
		"alice:99999999999999999999:1\n",
		"alice:100000:65536 \n",
		"alice:100000:65536\r\n",
		"alice: 100000:65536\n",
		":100000:65536\n",
		"alice;100000;65536\n",
	};
	struct nb_subids s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nb_subid_parse(bad[i], "alice", 1000, &s);
		if (s.n != 0 || s.garbage != 1)
			fail_msg("line %zu '%s': %zu ranges, %u garbage", i, bad[i], s.n,
				 s.garbage);
		nb_subids_free(&s);
	}
	/* Comments and blank lines are neither ranges nor garbage. */
	nb_subid_parse("# alice:1:2\n\n#\n", "alice", 1000, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.garbage, 0);
	nb_subids_free(&s);
}

struct bad_map {
	const char *ranges[4];
	const char *needle;
};

static void parse_ranges(const char *const *spec, struct nb_idmap *m, struct nb_id_range *buf)
{
	m->r = buf;
	m->n = 0;
	for (; *spec; spec++) {
		unsigned long a, b, c;

		assert_int_equal(sscanf(*spec, "%lu:%lu:%lu", &a, &b, &c), 3);
		buf[m->n++] = (struct nb_id_range){ (uint32_t)a, (uint32_t)b, (uint32_t)c };
	}
}

static void test_validate_bad(void **state)
{
	static const struct bad_map bad[] = {
		{ { NULL }, "map is empty" },
		{ { "0:1000:0", NULL }, "is empty" },
		{ { "0:1000:1", "1:165536:0", NULL }, "range 2 is empty" },
		{ { "4294967295:1000:1", NULL }, "overflows" },
		{ { "4294967290:165536:10", NULL }, "overflows" },
		{ { "0:4294967295:1", NULL }, "overflows" },
		{ { "1:4294967290:100", NULL }, "overflows" },
		{ { "0:1000:1", "0:165536:1", NULL }, "overlap inside" },
		{ { "0:165536:10", "5:165600:10", NULL }, "overlap inside" },
		{ { "0:165536:10", "100:165540:2", NULL }, "overlap outside" },
		{ { "0:1000:1", "1:1000:1", NULL }, "overlap outside" },
		{ { "0:100000:1", NULL }, "range 100000 is not yours" },
		{ { "0:1001:1", NULL }, "is not yours" },
		{ { "0:1000:2", NULL }, "range 1000-1001 is not yours" },
		{ { "0:165536:65547", NULL }, "is not yours" },
		{ { "0:165535:2", NULL }, "is not yours" },
		{ { "0:300000:11", NULL }, "is not yours" },
		{ { "0:0:1", NULL }, "is not yours" },
	};
	struct nb_subids s;

	nb_subid_parse(subuid, "alice", 1000, &s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nb_id_range buf[4];
		struct nb_idmap m;
		struct nb_error e = { 0 };

		parse_ranges(bad[i].ranges, &m, buf);
		assert_true(nb_idmap_validate(&m, "uid", 1000, &s, "/etc/subuid", &e) < 0);
		assert_int_equal(e.status, NB_EXIT_FAILURE);
		if (!strstr(e.msg, bad[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, bad[i].needle);
	}
	nb_subids_free(&s);
}

static void test_validate_names_allowed(void **state)
{
	struct nb_subids s;
	struct nb_id_range buf[1] = { { 0, 5, 1 } };
	struct nb_idmap m = { buf, 1 };
	struct nb_error e = { 0 };

	nb_subid_parse(subuid, "alice", 1000, &s);
	assert_true(nb_idmap_validate(&m, "uid", 1000, &s, "/etc/subuid", &e) < 0);
	assert_non_null(strstr(e.msg, "allowed: 1000, 165536-231071, 300000-300009, "
				      "231072-231081, 600000-600004"));
	nb_subids_free(&s);

	nb_subid_parse("", "alice", 1000, &s);
	assert_true(nb_idmap_validate(&m, "uid", 1000, &s, "/etc/subuid", &e) < 0);
	assert_non_null(strstr(e.msg, "/etc/subuid has no range for you"));
	nb_subids_free(&s);
}

static void test_validate_limit(void **state)
{
	static struct nb_id_range buf[NB_MAX_MAP_LINES + 1];
	struct nb_idmap m = { buf, 0 };
	struct nb_error e = { 0 };

	/* Short lines: 340 of them fit in one write. */
	for (uint32_t i = 0; i < NB_MAX_MAP_LINES + 1; i++)
		buf[m.n++] = (struct nb_id_range){ i, 1000 + i, 1 };
	assert_true(nb_idmap_validate(&m, "uid", 1000, NULL, "/etc/subuid", &e) < 0);
	assert_non_null(strstr(e.msg, "341 ranges"));
	m.n = NB_MAX_MAP_LINES;
	assert_int_equal(nb_idmap_validate(&m, "uid", 1000, NULL, "/etc/subuid", &e), 0);
}

/* 340 lines of 11 to 13 bytes: 4310 bytes, which the kernel refuses in one write. */
/* The hint for a user without subordinate ids proposes a block that nobody has. */
static void test_free_start(void **state)
{
	assert_int_equal(nb_subid_free_start(NULL, NULL), 100000);
	assert_int_equal(nb_subid_free_start("a:100000:65536\nb:165536:65536\n", ""), 231072);
	/* Comments do not count; the other file's lines do. */
	assert_int_equal(nb_subid_free_start("a:100000:65536\n# x:165536:1\n", ""), 165536);
	assert_int_equal(nb_subid_free_start("a:100000:65536\n", "c:165536:10\n"), 231072);
	/* An entry in the middle of a block takes the block. */
	assert_int_equal(nb_subid_free_start("garbage\nd:120000:5\n", NULL), 165536);
}

static void test_validate_bytes(void **state)
{
	static struct nb_id_range buf[NB_MAX_MAP_LINES];
	struct nb_idmap m = { buf, 0 };
	struct nb_error e = { 0 };

	for (uint32_t i = 0; i < NB_MAX_MAP_LINES; i++)
		buf[m.n++] = (struct nb_id_range){ i, 165536 + i, 1 };
	assert_true(nb_idmap_validate(&m, "uid", 1000, NULL, "/etc/subuid", &e) < 0);
	assert_non_null(strstr(e.msg, "uid map is 4310 bytes as text"));
	assert_non_null(strstr(e.msg, "4096 bytes per map write"));
	/* The first 323 lines are 4089 bytes, and 324 are 4102. */
	m.n = 323;
	assert_int_equal(nb_idmap_validate(&m, "uid", 1000, NULL, "/etc/subuid", &e), 0);
	m.n = 324;
	assert_true(nb_idmap_validate(&m, "uid", 1000, NULL, "/etc/subuid", &e) < 0);
}

static void test_validate_good(void **state)
{
	struct nb_subids s;
	struct nb_id_range buf[4] = {
		{ 0, 1000, 1 },
		{ 1, 165536, 65536 },
		{ 65537, 300000, 10 },
		{ 70000, 600000, 5 },
	};
	struct nb_idmap m = { buf, 4 };
	struct nb_error e = { 0 };

	nb_subid_parse(subuid, "alice", 1000, &s);
	assert_int_equal(nb_idmap_validate(&m, "uid", 1000, &s, "/etc/subuid", &e), 0);
	/* Adjacent lines together cover a span, as shadow allows. */
	buf[1] = (struct nb_id_range){ 1, 165536, 65546 };
	m.n = 2;
	assert_int_equal(nb_idmap_validate(&m, "uid", 1000, &s, "/etc/subuid", &e), 0);
	nb_subids_free(&s);
}

static void build(const char *const *args, int argc, const char *text, struct nb_idplan *plan,
		  struct nb_error *e, int *r)
{
	struct nb_config cfg;
	struct nb_cli cli;
	/* nb_cli_parse() takes main()'s writable argv: copies of the literals. */
	char strings[16][32] = { "nestbox" };
	char *argv[17] = { strings[0] };

	assert_true(argc < 16);
	for (int i = 0; i < argc; i++) {
		assert_true(strlen(args[i]) < sizeof(strings[0]));
		argv[i + 1] = strcpy(strings[i + 1], args[i]);
	}
	nb_config_init(&cfg);
	assert_int_equal(nb_cli_parse(argc + 1, argv, &host, &cfg, &cli, e), 0);
	*r = nb_idplan_build(&cfg, &host, text, text, plan, e);
	nb_config_free(&cfg);
}

static void test_plan_modes(void **state)
{
	struct nb_idplan p;
	struct nb_error e = { 0 };
	char buf[256];
	int r;

	build((const char *[]){ "--map", "root" }, 2, NULL, &p, &e, &r);
	assert_int_equal(r, 0);
	nb_idmap_format(&p.uid, buf, sizeof(buf));
	assert_string_equal(buf, "0 1000 1\n");
	nb_idmap_format(&p.gid, buf, sizeof(buf));
	assert_string_equal(buf, "0 1001 1\n");
	assert_int_equal(p.uid_method, NB_MAP_WRITE);
	assert_int_equal(p.gid_method, NB_MAP_WRITE);
	assert_int_equal(p.inside_uid, 0);
	nb_idplan_free(&p);

	build((const char *[]){ "--map", "user" }, 2, NULL, &p, &e, &r);
	assert_int_equal(r, 0);
	nb_idmap_format(&p.uid, buf, sizeof(buf));
	assert_string_equal(buf, "1000 1000 1\n");
	assert_int_equal(p.inside_uid, 1000);
	assert_int_equal(p.inside_gid, 1001);
	nb_idplan_free(&p);

	build((const char *[]){ "--map", "auto" }, 2, subuid, &p, &e, &r);
	assert_int_equal(r, 0);
	nb_idmap_format(&p.uid, buf, sizeof(buf));
	assert_string_equal(buf, "0 1000 1\n1 165536 65536\n65537 300000 10\n65547 231072 10\n"
				 "65557 600000 5\n");
	assert_int_equal(p.uid_method, NB_MAP_HELPER);
	assert_int_equal(p.gid_method, NB_MAP_HELPER);
	nb_idplan_free(&p);

	build((const char *[]){ "--map", "auto", "--uid", "1000" }, 4, subuid, &p, &e, &r);
	assert_int_equal(r, 0);
	assert_int_equal(p.inside_uid, 1000);
	nb_idplan_free(&p);

	build((const char *[]){ "--map", "auto" }, 2, "bob:1:2\n", &p, &e, &r);
	assert_true(r < 0);
	assert_non_null(strstr(e.msg, "--map auto: /etc/subuid has no entry for alice"));
	nb_idplan_free(&p);

	build((const char *[]){ "--uid-map", "0:1000:1", "--uid-map", "1:165536:10" }, 4, subuid,
	      &p, &e, &r);
	assert_int_equal(r, 0);
	assert_int_equal(p.uid_method, NB_MAP_HELPER);
	/* The gid map defaults to the one-id map. */
	assert_int_equal(p.gid_method, NB_MAP_WRITE);
	nb_idmap_format(&p.gid, buf, sizeof(buf));
	assert_string_equal(buf, "0 1001 1\n");
	nb_idplan_free(&p);

	build((const char *[]){ "--uid-map", "0:1000:1", "--uid", "7" }, 4, subuid, &p, &e, &r);
	assert_true(r < 0);
	assert_non_null(strstr(e.msg, "--uid 7 is not mapped"));
	nb_idplan_free(&p);

	build((const char *[]){ "--gid-map", "0:1001:1", "--gid", "3" }, 4, subuid, &p, &e, &r);
	assert_true(r < 0);
	assert_non_null(strstr(e.msg, "--gid 3 is not mapped"));
	nb_idplan_free(&p);

	build((const char *[]){ "--uid-map", "0:100000:1" }, 2, subuid, &p, &e, &r);
	assert_true(r < 0);
	assert_non_null(strstr(e.msg, "not yours to map"));
	nb_idplan_free(&p);
}

static void test_lookup(void **state)
{
	struct nb_id_range buf[2] = { { 0, 1000, 1 }, { 1, 165536, 10 } };
	struct nb_idmap m = { buf, 2 };
	bool found;

	assert_int_equal(nb_idmap_to_outside(&m, 0, &found), 1000);
	assert_true(found);
	assert_int_equal(nb_idmap_to_outside(&m, 10, &found), 165545);
	assert_true(found);
	assert_int_equal(nb_idmap_to_outside(&m, 11, &found), 65534);
	assert_false(found);
	assert_false(nb_idmap_contains(&m, 4000000000u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad_lines),
		cmocka_unit_test(test_validate_bad),
		cmocka_unit_test(test_validate_names_allowed),
		cmocka_unit_test(test_validate_limit),
		cmocka_unit_test(test_validate_bytes),
		cmocka_unit_test(test_free_start),
		cmocka_unit_test(test_validate_good),
		cmocka_unit_test(test_plan_modes),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
