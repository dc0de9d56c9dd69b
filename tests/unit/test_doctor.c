// SPDX-License-Identifier: GPL-2.0-or-later
/* The pure half of nestbox doctor: facts in, checks out, no machine needed. */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "doctor/doctor.h"
#include "core/ns.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>

static struct nb_check checks[NB_DOCTOR_MAX_CHECKS];

/* A machine where everything is in place. */
static void healthy(struct nb_doctor_facts *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->kernel, "6.1.0-18-amd64");
	for (size_t i = 0; i < NB_DOCTOR_MAX_NS; i++)
		f->max_ns[i].value = 63479;
	f->userns_clone.err = ENOENT;
	f->apparmor_restrict.err = ENOENT;
	f->have_userns = true;
	strcpy(f->user, "alice");
	f->uid = 1000;
	f->gid = 1000;
	f->subuid = (char *)"alice:100000:65536\n";
	f->subgid = (char *)"alice:100000:65536\n";
	f->newuidmap = (struct nb_helper_facts){ .env = "NESTBOX_NEWUIDMAP",
						 .path = "/usr/bin/newuidmap",
						 .mode = S_IFREG | 04755 };
	f->newgidmap = (struct nb_helper_facts){ .env = "NESTBOX_NEWGIDMAP",
						 .path = "/usr/bin/newgidmap",
						 .mode = S_IFREG | 04755 };
	f->have_overlay = true;
	strcpy(f->seccomp_actions,
	       "kill_process kill_thread trap errno user_notif trace log allow");
	f->tun_mode = S_IFCHR | 0666;
	f->tun_usable = true;
	f->cgroup = NB_CGROUP_V2;
	strcpy(f->cgroup_path, "/user.slice");
}

static const struct nb_check *find(size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(checks[i].name, name))
			return &checks[i];
	static const struct nb_check none;

	fail_msg("no check named %s", name);
	return &none;
}

static size_t user_index(void)
{
	for (size_t i = 0; i < nb_n_namespaces; i++)
		if (nb_namespaces[i].flag == CLONE_NEWUSER)
			return i;
	fail_msg("no user namespace in nb_namespaces");
	return 0;
}

static void test_healthy(void **state)
{
	struct nb_doctor_facts f;
	size_t n;

	healthy(&f);
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_true(nb_doctor_ok(checks, n));
	for (size_t i = 0; i < n; i++) {
		assert_true(checks[i].status == NB_CHECK_OK || checks[i].status == NB_CHECK_INFO);
		if (checks[i].status == NB_CHECK_OK)
			assert_string_equal(checks[i].fix, "");
	}
	assert_string_equal(find(n, "subuid")->found, "alice: 100000-165535");
}

static void test_max_user_zero(void **state)
{
	struct nb_doctor_facts f;
	const struct nb_check *c;
	size_t n;

	healthy(&f);
	f.max_ns[user_index()].value = 0;
	f.probe_step = NB_PROBE_CREATE;
	f.probe_err = ENOSPC;
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_false(nb_doctor_ok(checks, n));
	c = find(n, "user namespaces");
	assert_int_equal(c->status, NB_CHECK_FAIL);
	assert_non_null(strstr(c->fix, "sysctl -w user.max_user_namespaces="));
	c = find(n, "userns probe");
	assert_int_equal(c->status, NB_CHECK_FAIL);
	assert_non_null(strstr(c->found, "ENOSPC: user.max_user_namespaces is 0"));
}

static void test_debian_knob(void **state)
{
	struct nb_doctor_facts f;
	size_t n;

	healthy(&f);
	f.userns_clone = (struct nb_sysctl){ .value = 0 };
	f.probe_step = NB_PROBE_CREATE;
	f.probe_err = EPERM;
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_int_equal(find(n, "userns_clone")->status, NB_CHECK_FAIL);
	assert_non_null(strstr(find(n, "userns probe")->found, "unprivileged_userns_clone=0"));

	/* Root may create them anyway: then the knob is no failure. */
	f.probe_step = NB_PROBE_PASSED;
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_true(nb_doctor_ok(checks, n));
}

static void test_apparmor(void **state)
{
	struct nb_doctor_facts f;
	const struct nb_check *c;
	size_t n;

	healthy(&f);
	f.apparmor_restrict = (struct nb_sysctl){ .value = 1 };
	strcpy(f.exe, "/usr/local/bin/nestbox");
	f.probe_step = NB_PROBE_MAP;
	f.probe_err = EPERM;
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	c = find(n, "apparmor userns");
	assert_int_equal(c->status, NB_CHECK_FAIL);
	assert_non_null(strstr(c->fix, "profile nestbox /usr/local/bin/nestbox"));
	assert_non_null(strstr(c->fix, "userns,"));
	assert_non_null(strstr(find(n, "userns probe")->fix, "apparmor_parser -r"));
}

static void test_subid_overlap(void **state)
{
	struct nb_doctor_facts f;
	const struct nb_check *c;
	size_t n;

	healthy(&f);
	f.subuid = (char *)"bob:100000:65536\nalice:150000:65536\n";
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	c = find(n, "subuid");
	assert_int_equal(c->status, NB_CHECK_WARN);
	assert_string_equal(c->found,
			    "alice's 150000-215535 overlaps bob's 100000-165535 in /etc/subuid");
	/* The new range is free in both files. */
	assert_string_equal(c->fix, "give alice ids of its own: usermod --del-subuids "
				    "150000-215535 --add-subuids 231072-296607 alice");
	assert_true(nb_doctor_ok(checks, n));
}

static void test_subid_missing(void **state)
{
	struct nb_doctor_facts f;
	const struct nb_check *c;
	size_t n;

	healthy(&f);
	f.subuid = (char *)"bob:100000:65536\n1000:x:1\n";
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	c = find(n, "subuid");
	assert_int_equal(c->status, NB_CHECK_WARN);
	assert_string_equal(c->fix, "usermod --add-subuids 165536-231071 alice");
	/* A numeric owner counts as the caller, as shadow has it. */
	f.subuid = (char *)"1000:200000:10\n";
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_int_equal(find(n, "subuid")->status, NB_CHECK_OK);
}

static void test_old_kernel(void **state)
{
	struct nb_doctor_facts f;
	size_t n;

	healthy(&f);
	strcpy(f.kernel, "5.10.0-28-amd64");
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	assert_int_equal(find(n, "kernel")->status, NB_CHECK_FAIL);
	assert_int_equal(find(n, "overlayfs")->status, NB_CHECK_WARN);
	assert_false(nb_doctor_ok(checks, n));
}

static void test_json_escapes(void **state)
{
	struct nb_check c = { .name = "x", .status = NB_CHECK_WARN, .found = "a\"b\\c\nd" };
	char buf[512] = "";
	FILE *out = fmemopen(buf, sizeof(buf) - 1, "w");

	assert_non_null(out);
	assert_int_equal(nb_doctor_print(&c, 1, true, out), 0);
	fclose(out);
	assert_string_equal(buf, "{\"ok\":true,\"checks\":[{\"name\":\"x\",\"status\":\"warn\","
				 "\"found\":\"a\\\"b\\\\c\\u000ad\",\"fix\":null}]}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),	      cmocka_unit_test(test_max_user_zero),
		cmocka_unit_test(test_debian_knob),   cmocka_unit_test(test_apparmor),
		cmocka_unit_test(test_subid_overlap), cmocka_unit_test(test_subid_missing),
		cmocka_unit_test(test_old_kernel),    cmocka_unit_test(test_json_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
