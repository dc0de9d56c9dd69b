// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mount plan, which is pure: from a configuration and a host described
 * here, the operations the executor will run and --dry-run prints.  Above
 * all, what nestbox hides stays hidden whatever the options bind.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/idmap.h"
#include "core/plan.h"
#include "core/profile.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src/proj",
	.shell = "/bin/sh",
	.runtime_dir = "/run/user/1000",
	.path = "/usr/bin:/bin",
};

/* The index of the last operation of @kind on @dst at or after @from, or -1. */
static int find_op(const struct nb_plan *p, size_t from, enum nb_mount_kind kind, const char *dst)
{
	int found = -1;

	for (size_t i = from; i < p->n_mounts; i++)
		if (p->mounts[i].kind == kind && nb_streq(p->mounts[i].dst, dst))
			found = (int)i;
	return found;
}

/* Builds the plan of @c for the host above; the caller frees both. */
static void build(struct nb_config *c, struct nb_idplan *ids, struct nb_plan *p)
{
	struct nb_error e = { 0 };

	assert_int_equal(nb_idplan_build(c, &host, NULL, NULL, ids, &e), 0);
	if (nb_plan_build(c, &host, ids, p, &e) < 0)
		fail_msg("nb_plan_build: %s", e.msg);
}

static void test_build_profile_hides(void **state)
{
	struct nb_config c;
	struct nb_idplan ids = { 0 };
	struct nb_plan p = { 0 };
	struct nb_error e = { 0 };
	int proj, home, run;

	(void)state;
	nb_config_init(&c);
	assert_int_equal(nb_profile_apply("build", &c, &host, &e), 0);
	build(&c, &ids, &p);
	home = find_op(&p, 0, NB_MNT_TMPFS, "/home/alice");
	run = find_op(&p, 0, NB_MNT_TMPFS, "/run/user/1000");
	proj = find_op(&p, 0, NB_MNT_BIND, "/home/alice/src/proj");
	assert_true(home >= 0);
	assert_true(run >= 0);
	/* The project is bound after $HOME is hidden, or the tmpfs would cover it. */
	assert_true(proj > home);
	assert_string_equal(p.chdir, "/home/alice/src/proj");
	nb_plan_free(&p);
	nb_idplan_free(&ids);
	nb_config_free(&c);
}

/* A bind whose source holds $HOME shows $HOME again: it is hidden there too. */
static void test_bind_of_parent_rehides(void **state)
{
	struct nb_config c;
	struct nb_idplan ids = { 0 };
	struct nb_plan p = { 0 };
	int bind;

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_RO;
	c.fs.root_chosen = true;
	c.fs.hide_home = true;
	c.fs.chdir = nb_xstrdup("/");
	nb_config_add_mount(&c, NB_MNT_RO_BIND, "/home", "/mnt");
	nb_config_add_mount(&c, NB_MNT_RO_BIND, "/run", "/srv/run");
	build(&c, &ids, &p);
	bind = find_op(&p, 0, NB_MNT_RO_BIND, "/mnt");
	assert_true(bind >= 0);
	assert_true(find_op(&p, (size_t)bind, NB_MNT_TMPFS, "/mnt/alice") > bind);
	bind = find_op(&p, 0, NB_MNT_RO_BIND, "/srv/run");
	assert_true(bind >= 0);
	assert_true(find_op(&p, (size_t)bind, NB_MNT_TMPFS, "/srv/run/user/1000") > bind);
	nb_plan_free(&p);
	nb_idplan_free(&ids);
	nb_config_free(&c);
}

/* The host tree with its session kept: nothing is hidden, nothing added over it. */
static void test_host_tree_hides_nothing(void **state)
{
	struct nb_config c;
	struct nb_idplan ids = { 0 };
	struct nb_plan p = { 0 };

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_HOST;
	build(&c, &ids, &p);
	assert_int_equal(find_op(&p, 0, NB_MNT_TMPFS, "/home/alice"), -1);
	assert_int_equal(find_op(&p, 0, NB_MNT_TMPFS, "/run/user/1000"), -1);
	assert_true(find_op(&p, 0, NB_MNT_PROC, "/proc") >= 0);
	nb_plan_free(&p);
	nb_idplan_free(&ids);
	nb_config_free(&c);
}

/* --dry-run prints what the executor runs: each operation, and why. */
static void test_print(void **state)
{
	struct nb_config c;
	struct nb_idplan ids = { 0 };
	struct nb_plan p = { 0 };
	struct nb_error e = { 0 };
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	nb_config_init(&c);
	assert_int_equal(nb_profile_apply("build", &c, &host, &e), 0);
	build(&c, &ids, &p);
	f = open_memstream(&text, &size);
	assert_non_null(f);
	nb_plan_print(&p, false, f);
	fclose(f);
	assert_non_null(strstr(text, "/home/alice/src/proj"));
	assert_non_null(strstr(text, "the project directory, writable (--profile build)"));
	free(text);
	text = NULL;
	f = open_memstream(&text, &size);
	nb_plan_print(&p, true, f);
	fclose(f);
	assert_true(text[0] == '{');
	assert_non_null(strstr(text, "\"/home/alice/src/proj\""));
	free(text);
	nb_plan_free(&p);
	nb_idplan_free(&ids);
	nb_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_profile_hides),
		cmocka_unit_test(test_bind_of_parent_rehides),
		cmocka_unit_test(test_host_tree_hides_nothing),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
