// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "state/state.h"
#include "lib/util.h"

#include <string.h>

static void test_names(void **state)
{
	struct nb_error e = { 0 };
	char name[64];

	assert_int_equal(nb_state_check_name("web", &e), 0);
	assert_int_equal(nb_state_check_name("a.b_c-9", &e), 0);
	assert_int_equal(nb_state_check_name("4242", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "all digits"));
	assert_int_equal(nb_state_check_name("", &e), -EINVAL);
	assert_int_equal(nb_state_check_name("-x", &e), -EINVAL);
	assert_int_equal(nb_state_check_name("a/b", &e), -EINVAL);
	assert_int_equal(nb_state_check_name("..", &e), -EINVAL);
	assert_int_equal(nb_state_check_name("a\nb", &e), -EINVAL);
	memset(name, 'x', 63);
	name[63] = '\0';
	assert_int_equal(nb_state_check_name(name, &e), 0);
	assert_int_equal(
	    nb_state_check_name("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				&e),
	    -EINVAL);

	nb_state_default_name("/usr/bin/make", 42, name, sizeof(name));
	assert_string_equal(name, "make-42");
	nb_state_default_name("../we ird/$x y", 7, name, sizeof(name));
	assert_string_equal(name, "xy-7");
	nb_state_default_name("/", 7, name, sizeof(name));
	assert_string_equal(name, "sandbox-7");
	assert_int_equal(nb_state_check_name(name, &e), 0);
}

static void test_record_roundtrip(void **state)
{
	struct nb_record r = {
		.name = "web",
		.host_pid = 10,
		.init_pid = 11,
		.init_start = 123456789012ULL,
		.started = 1800000000,
		.own_pid_ns = true,
		.seccomp = "default",
		.map = "auto",
		.net = "none",
	};
	struct nb_record back;
	char buf[1024];

	assert_true(nb_record_format(&r, buf, sizeof(buf)) > 0);
	assert_int_equal(nb_record_parse(buf, &back), 0);
	assert_string_equal(back.name, "web");
	assert_int_equal(back.host_pid, 10);
	assert_int_equal(back.init_pid, 11);
	assert_true(back.init_start == 123456789012ULL);
	assert_true(back.own_pid_ns);
	assert_false(back.as_pid1);
	assert_string_equal(back.map, "auto");
	assert_int_equal(nb_record_format(&r, buf, 20), -ENOSPC);
	/* Unknown keys are skipped; a wrong magic, a bad name or pid is refused. */
	assert_int_equal(nb_record_parse("nestbox-record 1\nname=a\nhost_pid=3\nnew=1\n", &back),
			 0);
	assert_int_equal(nb_record_parse("nestbox-record 2\nname=a\nhost_pid=3\n", &back), -EINVAL);
	assert_int_equal(nb_record_parse("nestbox-record 1\nname=../x\nhost_pid=3\n", &back),
			 -EINVAL);
	assert_int_equal(nb_record_parse("nestbox-record 1\nname=a\nhost_pid=-3\n", &back),
			 -EINVAL);
	assert_int_equal(nb_record_parse("nestbox-record 1\nname=a\n", &back), -EINVAL);
	assert_int_equal(nb_record_parse("", &back), -EINVAL);
}

static void test_proc_stat(void **state)
{
	uint64_t start = 0;
	pid_t ppid = 0;

	/* The command name may hold spaces and a ')'. */
	assert_int_equal(
	    nb_parse_proc_stat("42 (a) b) S 7 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 "
			       "1 0 98765 1000 10",
			       &start, &ppid),
	    0);
	assert_int_equal(ppid, 7);
	assert_true(start == 98765);
	assert_int_equal(nb_parse_proc_stat("42 (x) S 7", &start, &ppid), -EINVAL);
	assert_int_equal(nb_parse_proc_stat("garbage", &start, &ppid), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_record_roundtrip),
		cmocka_unit_test(test_proc_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
