// SPDX-License-Identifier: GPL-2.0-or-later
/* bubblewrap's vocabulary: what each option makes of struct nb_config. */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "front/bwrap-cli.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1001,
	.cwd = "/home/alice",
	.shell = "/bin/sh",
};

/* --args data, by fd number, for the fake reader. */
static const char *args_data[8];
static size_t args_len[8];

static char *read_fd(int fd, size_t *len)
{
	char *copy;

	if (fd < 0 || fd >= 8 || !args_data[fd]) {
		errno = EBADF;
		return NULL;
	}
	copy = malloc(args_len[fd] + 1);
	memcpy(copy, args_data[fd], args_len[fd]);
	*len = args_len[fd];
	return copy;
}

static const int *inherited;
static size_t n_inherited;

struct run {
	struct nb_config cfg;
	struct nb_bwrap_cli cli;
	struct nb_error e;
	int r;
};

static void parse(struct run *res, const char *const *args)
{
	int argc = 0;

	while (args[argc])
		argc++;
	memset(&res->e, 0, sizeof(res->e));
	nb_config_init(&res->cfg);
	res->r = nb_bwrap_parse(argc, (char **)args, &host, read_fd, inherited, n_inherited,
				&res->cfg, &res->cli, &res->e);
}

static void done(struct run *res)
{
	nb_bwrap_cli_free(&res->cli);
	nb_config_free(&res->cfg);
}

#define PARSE(res, ...) parse((res), (const char *const[]){ "bwrap", __VA_ARGS__, NULL })

static void expect_error(struct run *res, const char *msg)
{
	assert_true(res->r < 0);
	assert_string_equal(res->e.msg, msg);
	assert_int_equal(res->e.status, 1);
	done(res);
}

static void test_defaults(void **state)
{
	struct run r;

	PARSE(&r, "true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWNS);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_EMPTY);
	assert_int_equal(r.cfg.sec.seccomp, NB_SECCOMP_OFF);
	assert_true(r.cfg.sec.cap_drop_all);
	assert_int_equal(r.cfg.sec.cap_add, 0);
	assert_false(r.cfg.sec.lock_mounts);
	assert_true(r.cfg.compat.chdir_fallback);
	assert_true(r.cfg.ns.keep_hostname);
	assert_false(nb_config_hides_session(&r.cfg));
	/* The caller's own ids inside. */
	assert_int_equal(r.cfg.ids.uid_map.n, 1);
	assert_int_equal(r.cfg.ids.uid_map.r[0].inside, 1000);
	assert_int_equal(r.cfg.ids.uid_map.r[0].outside, 1000);
	assert_int_equal(r.cfg.ids.gid_map.r[0].inside, 1001);
	assert_string_equal(r.cfg.proc.argv[0], "true");
	done(&r);
}

static void test_namespaces_and_ids(void **state)
{
	struct run r;

	PARSE(&r, "--unshare-all", "--share-net", "--uid", "0", "--gid", "5", "id");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID |
						     CLONE_NEWUTS | CLONE_NEWCGROUP);
	assert_int_equal(r.cfg.ids.uid_map.r[0].inside, 0);
	assert_int_equal(r.cfg.ids.uid_map.r[0].outside, 1000);
	assert_int_equal(r.cfg.ids.gid_map.r[0].inside, 5);
	assert_int_equal(r.cfg.ids.gid_map.r[0].outside, 1001);
	done(&r);

	PARSE(&r, "--uid", "x", "id");
	expect_error(&r, "Invalid uid: x");
}

static void test_mounts(void **state)
{
	struct run r;

	PARSE(&r, "--bind", "/", "/", "--ro-bind-try", "/a", "/b", "--perms", "0640", "--file", "7",
	      "/f", "--size", "1048576", "--tmpfs", "/t", "--symlink", "usr/bin", "/bin", "--chmod",
	      "1755", "/t", "sh");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.fs.n_mounts, 6);
	assert_int_equal(r.cfg.fs.mounts[0].kind, NB_MNT_BIND);
	assert_int_equal(r.cfg.fs.mounts[1].kind, NB_MNT_RO_BIND);
	assert_true(r.cfg.fs.mounts[1].optional);
	assert_int_equal(r.cfg.fs.mounts[2].kind, NB_MNT_FILE);
	assert_true(r.cfg.fs.mounts[2].has_fd);
	assert_int_equal(r.cfg.fs.mounts[2].fd, 7);
	assert_true(r.cfg.fs.mounts[2].mode_set);
	assert_int_equal(r.cfg.fs.mounts[2].mode, 0640);
	/* --perms applies to one operation only. */
	assert_false(r.cfg.fs.mounts[3].mode_set);
	assert_int_equal(r.cfg.fs.mounts[3].size, 1048576);
	assert_string_equal(r.cfg.fs.mounts[4].src, "usr/bin");
	assert_int_equal(r.cfg.fs.mounts[5].kind, NB_MNT_CHMOD);
	assert_int_equal(r.cfg.fs.mounts[5].mode, 01755);
	done(&r);

	PARSE(&r, "--perms", "0640", "--perms", "0640", "--tmpfs", "/a", "true");
	expect_error(&r, "--perms given twice for the same action");
	PARSE(&r, "--size", "0", "--tmpfs", "/a", "true");
	expect_error(&r, "--size takes a non-zero number of bytes");
	PARSE(&r, "--size", "9223372036854775809", "--tmpfs", "/a", "true");
	expect_error(&r, "--size takes a non-zero number of bytes");
	PARSE(&r, "--size", " 12", "--tmpfs", "/a", "true");
	expect_error(&r, "--size takes a non-zero number of bytes");
}

static void test_overlays(void **state)
{
	struct run r;

	/* The last layer is the top one; ':' and '\' are escaped as overlayfs wants. */
	PARSE(&r, "--overlay-src", "a:b", "--overlay-src", "c\\", "--overlay", "u", "w", "/x",
	      "true");
	assert_int_equal(r.r, 0);
	assert_string_equal(r.cfg.fs.mounts[0].src, "c\\\\:a\\:b");
	assert_string_equal(r.cfg.fs.mounts[0].upper, "u");
	done(&r);

	PARSE(&r, "--overlay-src", "a", "--ro-overlay", "/x", "true");
	expect_error(&r, "--ro-overlay requires at least two --overlay-src");
	PARSE(&r, "--tmp-overlay", "/x", "true");
	expect_error(&r, "--tmp-overlay requires at least one --overlay-src");
	PARSE(&r, "--overlay-src", "/a", "--chdir", "/", "true");
	expect_error(&r, "--overlay-src must be followed by another --overlay-src or one of "
			 "--overlay, --tmp-overlay, or --ro-overlay");
}

static void test_args_fd(void **state)
{
	static const char data[] = "--dir\0/a\0--setenv\0K\0v w\0";
	struct run r;

	args_data[3] = data;
	args_len[3] = sizeof(data) - 1;
	PARSE(&r, "--args", "3", "--dir", "/b", "true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.fs.n_mounts, 2);
	assert_string_equal(r.cfg.fs.mounts[0].dst, "/a");
	assert_string_equal(r.cfg.fs.mounts[1].dst, "/b");
	assert_string_equal(r.cfg.proc.env[0].entry, "K=v w");
	done(&r);

	PARSE(&r, "--args", "4", "true");
	assert_true(r.r < 0);
	assert_non_null(strstr(r.e.msg, "Can't read --args data"));
	done(&r);
}

static void test_caps_and_fds(void **state)
{
	struct run r;

	PARSE(&r, "--cap-add", "ALL", "--cap-drop", "CAP_KILL", "--info-fd", "42",
	      "--json-status-fd", "43", "--add-seccomp-fd", "5", "--add-seccomp-fd", "6", "true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.sec.cap_add, ~0ULL & ~(1ULL << CAP_KILL));
	assert_int_equal(r.cfg.proc.info_fd, 42);
	assert_int_equal(r.cfg.proc.json_status_fd, 43);
	assert_int_equal(r.cfg.compat.n_seccomp_fds, 2);
	done(&r);

	/* As in bubblewrap, --clearenv forgets what was set before it. */
	PARSE(&r, "--setenv", "A", "1", "--clearenv", "--setenv", "B", "2", "--cap-add", "net_raw",
	      "env");
	assert_int_equal(r.r, 0);
	assert_true(r.cfg.proc.clearenv);
	assert_int_equal(r.cfg.proc.n_env, 1);
	assert_string_equal(r.cfg.proc.env[0].entry, "B=2");
	assert_int_equal(r.cfg.sec.cap_add, 1ULL << CAP_NET_RAW);
	done(&r);

	PARSE(&r, "--cap-add", "CAP_FLYING", "true");
	expect_error(&r, "Unknown cap: CAP_FLYING");
	PARSE(&r, "--add-seccomp-fd", "-1", "true");
	expect_error(&r, "Invalid fd: -1");
	PARSE(&r, "--add-seccomp-fd", "5", "--seccomp", "6", "true");
	expect_error(&r, "--seccomp cannot be combined with --add-seccomp-fd");
	PARSE(&r, "--seccomp", "6", "--add-seccomp-fd", "5", "true");
	expect_error(&r, "--add-seccomp-fd cannot be combined with --seccomp");
}

static void test_inherited_fds(void **state)
{
	static const int fds[] = { 3, 4, 5, 9 };
	struct run r;

	/* The data of --file and the seccomp programs are used up; the rest go on. */
	inherited = fds;
	n_inherited = 4;
	PARSE(&r, "--file", "4", "/f", "--seccomp", "5", "true");
	inherited = NULL;
	n_inherited = 0;
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.proc.n_keep_fds, 2);
	assert_int_equal(r.cfg.proc.keep_fds[0], 3);
	assert_int_equal(r.cfg.proc.keep_fds[1], 9);
	done(&r);
}

static void test_command_line_shape(void **state)
{
	struct run r;

	PARSE(&r, "--chdir", "/", "--chdir", "/tmp", "--", "--dev-bind", "x");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.n_warnings, 1);
	assert_string_equal(r.cli.warnings[0], "Only the last --chdir option will take effect");
	assert_string_equal(r.cfg.fs.chdir, "/tmp");
	assert_string_equal(r.cfg.proc.argv[0], "--dev-bind");
	done(&r);

	PARSE(&r, "--help");
	assert_int_equal(r.r, 0);
	assert_true(r.cli.help);
	done(&r);

	PARSE(&r, "--bogus", "true");
	expect_error(&r, "Unknown option --bogus");
	PARSE(&r, "--bind", "/a");
	expect_error(&r, "--bind takes 2 arguments");
	PARSE(&r, "--dir", "/a");
	expect_error(&r, "No command specified");
	PARSE(&r, "--as-pid-1", "true");
	expect_error(&r, "Specifying --as-pid-1 requires --unshare-pid");
	PARSE(&r, "--hostname", "h", "true");
	expect_error(&r, "Specifying --hostname requires --unshare-uts");
	PARSE(&r, "--exec-label", "x", "true");
	expect_error(&r, "labeling not supported on this system");
}

/*
 * The checks of the builders (config.c) that nestbox's own command line
 * gets too (test_cli's test_builder_checks): the same refusal, in the
 * option's name and with bubblewrap's status.
 */
static void test_builder_checks(void **state)
{
	static char longdst[5000];
	struct run res;

	(void)state;
	longdst[0] = '/';
	memset(longdst + 1, 'a', sizeof(longdst) - 2);
	PARSE(&res, "--bind", "/usr", longdst, "true");
	expect_error(&res, "--bind: path too long (paths are limited to 3999 bytes)");
	PARSE(&res, "--ro-bind", "", "/x", "true");
	expect_error(&res, "--ro-bind: empty source (give the path to bind)");
	PARSE(&res, "--tmpfs", "", "true");
	expect_error(&res, "--tmpfs: empty destination (give a path inside the sandbox)");
	PARSE(&res, "--setenv", "A=B", "x", "true");
	expect_error(&res, "--setenv: invalid environment variable name 'A=B' (a name must be "
			   "non-empty and contain no '=')");
	PARSE(&res, "--unsetenv", "", "true");
	expect_error(&res, "--unsetenv: invalid environment variable name '' (a name must be "
			   "non-empty and contain no '=')");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),       cmocka_unit_test(test_namespaces_and_ids),
		cmocka_unit_test(test_mounts),	       cmocka_unit_test(test_overlays),
		cmocka_unit_test(test_args_fd),	       cmocka_unit_test(test_caps_and_fds),
		cmocka_unit_test(test_inherited_fds),  cmocka_unit_test(test_command_line_shape),
		cmocka_unit_test(test_builder_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
