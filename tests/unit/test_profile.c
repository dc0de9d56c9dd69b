// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profiles, which are pure: what the build profile sets, what the user's
 * own choices keep, and the directories it refuses to make writable.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/profile.h"
#include "lib/util.h"

#include <sched.h>
#include <string.h>

static const struct nb_host host_in_project = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src/proj",
	.shell = "/bin/sh",
};

static void test_build_defaults(void **state)
{
	struct nb_config c;
	struct nb_error e = { 0 };

	(void)state;
	nb_config_init(&c);
	assert_int_equal(nb_profile_apply("build", &c, &host_in_project, &e), 0);
	assert_string_equal(c.profile, "build");
	assert_int_equal(c.fs.root_mode, NB_ROOT_RO);
	assert_int_equal(c.ids.map_mode, NB_MAP_USER);
	assert_int_equal(c.sec.isolation, NB_ISO_AUTO);
	assert_true(c.ns.unshare_flags & CLONE_NEWNET);
	assert_true(c.ns.unshare_flags & CLONE_NEWPID);
	assert_true(c.sec.cap_drop_all && c.sec.no_new_privs && c.fs.hide_home &&
		    c.sec.disable_userns);
	/* A minimal /dev, then the project writable, both before any option's mounts. */
	assert_int_equal(c.fs.n_mounts, 2);
	assert_int_equal(c.fs.mounts[0].kind, NB_MNT_DEV);
	assert_int_equal(c.fs.mounts[1].kind, NB_MNT_BIND);
	assert_string_equal(c.fs.mounts[1].src, "/home/alice/src/proj");
	assert_string_equal(c.fs.mounts[1].dst, "/home/alice/src/proj");
	assert_true(c.fs.mounts[0].implicit && c.fs.mounts[1].implicit);
	assert_string_equal(c.fs.chdir, "/home/alice/src/proj");
	nb_config_free(&c);
}

/* What the user chose, before or after --profile on the command line, wins. */
static void test_build_keeps_choices(void **state)
{
	struct nb_config c;
	struct nb_error e = { 0 };

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_HOST;
	c.fs.root_chosen = true;
	c.ids.map_mode = NB_MAP_AUTO;
	c.ids.map_chosen = true;
	nb_config_set_net(&c, NB_NET_HOST); /* --share net, --net host */
	c.fs.chdir = nb_xstrdup("/elsewhere");
	nb_config_add_mount(&c, NB_MNT_TMPFS, NULL, "/home/alice/src/proj/out");
	assert_int_equal(nb_profile_apply("build", &c, &host_in_project, &e), 0);
	assert_int_equal(c.fs.root_mode, NB_ROOT_HOST);
	assert_int_equal(c.ids.map_mode, NB_MAP_AUTO);
	assert_false(c.ns.unshare_flags & CLONE_NEWNET);
	assert_string_equal(c.fs.chdir, "/elsewhere");
	/* The profile's mounts go first, so the user's tmpfs lies over the project. */
	assert_int_equal(c.fs.n_mounts, 3);
	assert_int_equal(c.fs.mounts[2].kind, NB_MNT_TMPFS);
	assert_string_equal(c.fs.mounts[2].dst, "/home/alice/src/proj/out");
	nb_config_free(&c);
}

/* Directories whose whole tree would be writable: refused, in words that say why. */
static void test_build_refusals(void **state)
{
	static const struct {
		const char *cwd, *msg;
	} bad[] = {
		{ "/", "--profile build: the current directory is /, so all would be writable" },
		{ "//", "--profile build: the current directory is /, so all would be writable" },
		{ "/home/alice",
		  "--profile build: the current directory /home/alice holds your home /home/alice" },
		{ "/home/", "--profile build: the current directory /home/ holds your home" },
		{ "relative", "--profile build: the current directory is unknown" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct nb_host h = host_in_project;
		struct nb_config c;
		struct nb_error e = { 0 };

		h.cwd = bad[i].cwd;
		nb_config_init(&c);
		assert_true(nb_profile_apply("build", &c, &h, &e) < 0);
		if (strncmp(e.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("cwd '%s': got '%s', wanted it to start with '%s'", bad[i].cwd,
				 e.msg, bad[i].msg);
		nb_config_free(&c);
	}
	/* A directory whose name is a prefix of the home's is no parent of it. */
	{
		struct nb_host h = host_in_project;
		struct nb_config c;
		struct nb_error e = { 0 };

		h.cwd = "/home/ali";
		nb_config_init(&c);
		assert_int_equal(nb_profile_apply("build", &c, &h, &e), 0);
		nb_config_free(&c);
	}
}

static void test_names(void **state)
{
	struct nb_config c;
	struct nb_error e = { 0 };

	(void)state;
	assert_string_equal(nb_profile_find("shell"), "shell");
	assert_string_equal(nb_profile_find("build"), "build");
	assert_null(nb_profile_find("Build"));
	assert_null(nb_profile_find(""));
	nb_config_init(&c);
	assert_int_equal(nb_profile_apply("shell", &c, &host_in_project, &e), 0);
	assert_int_equal(c.fs.n_mounts, 0);
	assert_true(nb_profile_apply("desktop", &c, &host_in_project, &e) < 0);
	assert_string_equal(e.msg, "--profile: unknown profile 'desktop' (use shell or build)");
	nb_config_free(&c);
}

static bool masked(void)
{
	return true;
}

static bool not_masked(void)
{
	return false;
}

/* A container's masked /proc: the caller's PID namespace is kept, and only where it must be. */
static void test_masked_proc(void **state)
{
	struct nb_host h = host_in_project;
	struct nb_config c;

	(void)state;
	h.proc_masked = masked;
	nb_config_init(&c);
	nb_profile_adapt_to_host(&c, &h);
	assert_false(c.ns.unshare_flags & CLONE_NEWPID);
	assert_true(c.ns.pid_kept_for_proc);
	assert_true(c.ns.unshare_flags & CLONE_NEWNS);
	nb_config_free(&c);

	/* --as-pid-1 needs a PID namespace of its own: it fails later, and says why. */
	nb_config_init(&c);
	c.ns.as_pid1 = true;
	nb_profile_adapt_to_host(&c, &h);
	assert_true(c.ns.unshare_flags & CLONE_NEWPID);
	assert_false(c.ns.pid_kept_for_proc);
	nb_config_free(&c);

	/* An empty root mounts no /proc of the host's; Landlock makes no namespace. */
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_EMPTY;
	nb_profile_adapt_to_host(&c, &h);
	assert_true(c.ns.unshare_flags & CLONE_NEWPID);
	nb_config_free(&c);
	nb_config_init(&c);
	c.sec.isolation = NB_ISO_LANDLOCK;
	nb_profile_adapt_to_host(&c, &h);
	assert_true(c.ns.unshare_flags & CLONE_NEWPID);
	nb_config_free(&c);

	/* Not masked: nothing changes. */
	h.proc_masked = not_masked;
	nb_config_init(&c);
	nb_profile_adapt_to_host(&c, &h);
	assert_true(c.ns.unshare_flags & CLONE_NEWPID);
	assert_false(c.ns.pid_kept_for_proc);
	nb_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_defaults), cmocka_unit_test(test_build_keeps_choices),
		cmocka_unit_test(test_build_refusals), cmocka_unit_test(test_names),
		cmocka_unit_test(test_masked_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
