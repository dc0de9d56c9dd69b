// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "front/cli.h"
#include "run/exec.h"
#include "core/netplan.h"
#include "lib/util.h"

#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src",
	.shell = "/bin/bash",
};

struct run {
	struct nb_config cfg;
	struct nb_cli cli;
	struct nb_error e;
	int r;
	/* nb_cli_parse() takes main()'s writable argv: copies of the literals. */
	char *argv[64];
	char strings[16384];
};

static void parse(struct run *res, const struct nb_host *h, const char *const *args)
{
	size_t used = 0;
	int argc = 0;

	for (; args[argc]; argc++) {
		size_t len = strlen(args[argc]) + 1;

		assert_true(argc + 1 < (int)(sizeof(res->argv) / sizeof(res->argv[0])));
		assert_true(used + len <= sizeof(res->strings));
		res->argv[argc] = memcpy(res->strings + used, args[argc], len);
		used += len;
	}
	res->argv[argc] = NULL;
	memset(&res->e, 0, sizeof(res->e));
	nb_config_init(&res->cfg);
	res->r = nb_cli_parse(argc, res->argv, h, &res->cfg, &res->cli, &res->e);
}

#define PARSE(res, ...) parse((res), &host, (const char *const[]){ "nestbox", __VA_ARGS__, NULL })

static void expect_error(const char *needle, struct run *res)
{
	assert_true(res->r < 0);
	assert_int_equal(res->e.status, NB_EXIT_FAILURE);
	if (!strstr(res->e.msg, needle))
		fail_msg("message '%s' lacks '%s'", res->e.msg, needle);
	nb_config_free(&res->cfg);
}

static void test_defaults(void **state)
{
	struct run r;

	PARSE(&r, "run");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_RUN);
	assert_null(r.cfg.proc.argv);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS |
						     CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWCGROUP);
	assert_int_equal(r.cfg.ids.map_mode, NB_MAP_ROOT);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_HOST);
	nb_config_free(&r.cfg);
}

static void test_plain_nestbox_is_run(void **state)
{
	struct run r;

	PARSE(&r, "--hostname", "h", "echo", "--share", "x");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_RUN);
	assert_string_equal(r.cfg.ns.hostname, "h");
	/* Options after the command belong to the command. */
	assert_string_equal(r.cfg.proc.argv[0], "echo");
	assert_string_equal(r.cfg.proc.argv[1], "--share");
	assert_string_equal(r.cfg.proc.argv[2], "x");
	assert_null(r.cfg.proc.argv[3]);
	nb_config_free(&r.cfg);
}

static void test_double_dash(void **state)
{
	struct run r;

	PARSE(&r, "run", "--", "--weird", "arg");
	assert_int_equal(r.r, 0);
	assert_string_equal(r.cfg.proc.argv[0], "--weird");
	nb_config_free(&r.cfg);
}

static void test_share(void **state)
{
	struct run r;

	PARSE(&r, "--share", "net,ipc", "--share=uts");
	assert_int_equal(r.r, 0);
	assert_false(r.cfg.ns.unshare_flags & (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS));
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWPID);
	nb_config_free(&r.cfg);

	PARSE(&r, "--share", "net,bogus");
	expect_error("unknown namespace 'bogus'", &r);
	PARSE(&r, "--share", "user");
	expect_error("unknown namespace 'user'", &r);
	PARSE(&r, "--share", "mnt");
	assert_int_equal(r.r, 0);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNS);
	nb_config_free(&r.cfg);

	/* --unshare: exactly these; the later of --share and --unshare wins. */
	PARSE(&r, "--unshare", "uts");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWUTS);
	nb_config_free(&r.cfg);
	PARSE(&r, "--unshare", "uts,net", "--share", "net");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWUTS);
	nb_config_free(&r.cfg);
	PARSE(&r, "--share", "net", "--unshare", "net,pid,mnt");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS);
	nb_config_free(&r.cfg);
	PARSE(&r, "--unshare", "none");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.unshare_flags, 0);
	nb_config_free(&r.cfg);
	PARSE(&r, "--unshare", "user");
	expect_error("--unshare: unknown namespace 'user'", &r);
	PARSE(&r, "--share", "pid", "--as-pid-1");
	expect_error("--as-pid-1", &r);
}

static void test_help_version(void **state)
{
	struct run r;

	PARSE(&r, "--help");
	assert_int_equal(r.cli.action, NB_ACT_HELP);
	assert_null(r.cli.help_for);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "-h");
	assert_int_equal(r.cli.action, NB_ACT_HELP);
	assert_string_equal(r.cli.help_for, "run");
	nb_config_free(&r.cfg);
	PARSE(&r, "idmap", "--help");
	assert_string_equal(r.cli.help_for, "idmap");
	nb_config_free(&r.cfg);
	PARSE(&r, "-V");
	assert_int_equal(r.cli.action, NB_ACT_VERSION);
	nb_config_free(&r.cfg);
	assert_non_null(strstr(nb_cli_usage("run"), "--profile"));
	assert_non_null(strstr(nb_cli_usage("idmap"), "--json"));
}

static void test_usage_width(void **state)
{
	const char *subs[] = { NULL, "run", "idmap" };

	for (size_t i = 0; i < 3; i++) {
		const char *u = nb_cli_usage(subs[i]);

		while (*u) {
			size_t len = strcspn(u, "\n");

			if (len >= 80)
				fail_msg("usage line over 79 columns: %.*s", (int)len, u);
			u += len + (u[len] ? 1 : 0);
		}
	}
}

static void test_bad_options(void **state)
{
	struct run r;

	PARSE(&r, "--nope");
	expect_error("unknown option '--nope'", &r);
	PARSE(&r, "--hostname");
	expect_error("--hostname needs a value", &r);
	PARSE(&r, "--bind", "/a");
	expect_error("--bind needs SRC and DST", &r);
	PARSE(&r, "--bind", "/tmp", "--", "true");
	expect_error("--bind needs SRC and DST", &r);
	PARSE(&r, "--bind=/a", "/b");
	expect_error("takes 2 arguments", &r);
	PARSE(&r, "idmap", "--bind", "/a", "/b");
	expect_error("unknown option '--bind' for 'idmap'", &r);
	PARSE(&r, "idmap", "ls");
	expect_error("takes no command", &r);
	PARSE(&r, "--json");
	expect_error("'run --json' prints only a plan", &r);
	PARSE(&r, "--map", "sideways");
	expect_error("unknown mode 'sideways'", &r);
	PARSE(&r, "--uid", "x");
	expect_error("invalid id 'x'", &r);
	PARSE(&r, "--uid", "4294967295");
	expect_error("invalid id", &r);
	PARSE(&r, "--timeout", "0");
	expect_error("--timeout", &r);
	PARSE(&r, "--hostname", "");
	expect_error("--hostname", &r);
}

static void test_maps(void **state)
{
	struct run r;

	PARSE(&r, "--map", "auto");
	assert_int_equal(r.cfg.ids.map_mode, NB_MAP_AUTO);
	nb_config_free(&r.cfg);

	PARSE(&r, "--uid-map", "0:1000:1", "--uid-map", "1:100000:65536", "--gid-map", "0:1000:1",
	      "--uid", "5", "--gid", "6");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ids.map_mode, NB_MAP_EXPLICIT);
	assert_int_equal(r.cfg.ids.uid_map.n, 2);
	assert_int_equal(r.cfg.ids.uid_map.r[1].inside, 1);
	assert_int_equal(r.cfg.ids.uid_map.r[1].outside, 100000);
	assert_int_equal(r.cfg.ids.uid_map.r[1].count, 65536);
	assert_int_equal(r.cfg.ids.gid_map.n, 1);
	assert_int_equal(r.cfg.ids.uid, 5);
	assert_int_equal(r.cfg.ids.gid, 6);
	nb_config_free(&r.cfg);

	PARSE(&r, "--uid-map", "0:1000");
	expect_error("malformed range '0:1000'", &r);
	PARSE(&r, "--uid-map", "0:1000:1:2");
	expect_error("malformed range", &r);
	PARSE(&r, "--uid-map", "a:1000:1");
	expect_error("malformed range", &r);
	PARSE(&r, "--uid-map", "0:1000:0");
	expect_error("empty range", &r);
	PARSE(&r, "--gid-map", "0:-1:1");
	expect_error("malformed range", &r);
	PARSE(&r, "--gid-map", "0:99999999999:1");
	expect_error("malformed range", &r);
}

static void test_mounts(void **state)
{
	struct run r;

	PARSE(&r, "--root", "ro", "--bind", "/src", "/dst", "--ro-bind", "/a", "/b", "--size", "1m",
	      "--tmpfs", "/tmp", "--tmpfs", "/t2", "--dev", "/dev", "--proc", "/proc", "--dir",
	      "/d", "--symlink", "usr/bin", "/bin", "--overlay", "/l1:/l2", "/u", "/w", "/o",
	      "--tmp-overlay", "/l", "/o2", "--rw", "/x", "--chdir", "/src");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_RO);
	assert_int_equal(r.cfg.fs.n_mounts, 11);
	assert_int_equal(r.cfg.fs.mounts[0].kind, NB_MNT_BIND);
	assert_string_equal(r.cfg.fs.mounts[0].src, "/src");
	assert_string_equal(r.cfg.fs.mounts[0].dst, "/dst");
	assert_int_equal(r.cfg.fs.mounts[1].kind, NB_MNT_RO_BIND);
	assert_int_equal(r.cfg.fs.mounts[2].kind, NB_MNT_TMPFS);
	assert_int_equal(r.cfg.fs.mounts[2].size, 1 << 20);
	assert_int_equal(r.cfg.fs.mounts[3].size, 0); /* --size applies to one tmpfs */
	assert_int_equal(r.cfg.fs.mounts[4].kind, NB_MNT_DEV);
	assert_int_equal(r.cfg.fs.mounts[5].kind, NB_MNT_PROC);
	assert_int_equal(r.cfg.fs.mounts[6].kind, NB_MNT_DIR);
	assert_int_equal(r.cfg.fs.mounts[7].kind, NB_MNT_SYMLINK);
	assert_string_equal(r.cfg.fs.mounts[7].src, "usr/bin");
	assert_int_equal(r.cfg.fs.mounts[8].kind, NB_MNT_OVERLAY);
	assert_string_equal(r.cfg.fs.mounts[8].src, "/l1:/l2");
	assert_string_equal(r.cfg.fs.mounts[8].upper, "/u");
	assert_string_equal(r.cfg.fs.mounts[8].work, "/w");
	assert_string_equal(r.cfg.fs.mounts[8].dst, "/o");
	assert_int_equal(r.cfg.fs.mounts[9].kind, NB_MNT_TMP_OVERLAY);
	assert_int_equal(r.cfg.fs.mounts[10].kind, NB_MNT_BIND);
	assert_string_equal(r.cfg.fs.mounts[10].src, "/x");
	assert_string_equal(r.cfg.fs.mounts[10].dst, "/x");
	assert_string_equal(r.cfg.fs.chdir, "/src");
	nb_config_free(&r.cfg);

	PARSE(&r, "--bind", "/a", "rel/dst");
	expect_error("unsafe destination 'rel/dst'", &r);
	PARSE(&r, "--bind", "/a", "/x/../etc");
	expect_error("unsafe destination", &r);
	PARSE(&r, "--tmpfs", "/./x");
	expect_error("unsafe destination", &r);
	PARSE(&r, "--bind", "", "/x");
	expect_error("empty source", &r);
	PARSE(&r, "--size", "1m");
	expect_error("--size without", &r);
	PARSE(&r, "--size", "lots", "--tmpfs", "/t");
	expect_error("invalid size", &r);
	PARSE(&r, "--root", "up");
	expect_error("unknown mode 'up'", &r);
	PARSE(&r, "--overlay", "/a::/b", "/u", "/w", "/d");
	expect_error("malformed lower", &r);
	PARSE(&r, "--chdir", "rel");
	expect_error("relative path", &r);
	PARSE(&r, "--tmpfs", "/");
	expect_error("destination is /", &r);
	PARSE(&r, "--bind", "/usr", "//");
	expect_error("destination is /", &r);
	PARSE(&r, "--rw", "/");
	expect_error("destination is /", &r);
}

static void test_caps(void **state)
{
	struct run r;

	PARSE(&r, "--cap-drop", "ALL", "--cap-add", "net_raw", "--cap-add", "CAP_CHOWN");
	assert_int_equal(r.r, 0);
	assert_true(r.cfg.sec.cap_drop_all);
	assert_int_equal(r.cfg.sec.cap_add, (1ULL << CAP_NET_RAW) | (1ULL << CAP_CHOWN));
	nb_config_free(&r.cfg);

	/* The later option wins. */
	PARSE(&r, "--cap-add", "sys_admin", "--cap-drop", "SYS_ADMIN");
	assert_int_equal(r.cfg.sec.cap_add, 0);
	assert_int_equal(r.cfg.sec.cap_drop, 1ULL << CAP_SYS_ADMIN);
	nb_config_free(&r.cfg);

	PARSE(&r, "--cap-drop", "cap_flying");
	expect_error("unknown capability 'flying'", &r);
	PARSE(&r, "--cap-add", "");
	expect_error("unknown capability", &r);
}

static void test_subcommand_after_options(void **state)
{
	struct run r;

	(void)state;
	/* A subcommand after options is the subcommand, not the command. */
	PARSE(&r, "-vv", "run", "--", "/bin/true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_RUN);
	assert_int_equal(r.cfg.verbose, 2);
	assert_string_equal(r.cfg.proc.argv[0], "/bin/true");
	assert_null(r.cfg.proc.argv[1]);
	nb_config_free(&r.cfg);

	/* -vv is -v twice, and as -v only where -v is an option. */
	PARSE(&r, "ps", "-vv");
	expect_error("unknown option '-vv' for 'ps'", &r);
	PARSE(&r, "run", "-vvv", "-v", "--", "true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.verbose, 4);
	nb_config_free(&r.cfg);

	PARSE(&r, "-v", "idmap");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_IDMAP);
	assert_int_equal(r.cfg.verbose, 1);
	nb_config_free(&r.cfg);

	/* An option's value, and a command after "--", stay where they are. */
	PARSE(&r, "--hostname", "ps", "--", "ps", "ax");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_RUN);
	assert_string_equal(r.cfg.ns.hostname, "ps");
	assert_string_equal(r.cfg.proc.argv[0], "ps");
	assert_string_equal(r.cfg.proc.argv[1], "ax");
	nb_config_free(&r.cfg);

	PARSE(&r, "--hostname", "ps", "run", "id");
	assert_int_equal(r.r, 0);
	assert_string_equal(r.cfg.ns.hostname, "ps");
	assert_string_equal(r.cfg.proc.argv[0], "id");
	nb_config_free(&r.cfg);

	/* Only after options that the subcommand takes: else it is the command. */
	PARSE(&r, "--unshare", "pid", "ps", "-o", "pid");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cli.action, NB_ACT_RUN);
	assert_string_equal(r.cfg.proc.argv[0], "ps");
	assert_string_equal(r.cfg.proc.argv[2], "pid");
	nb_config_free(&r.cfg);

	/* An option short of its values is the parser's to refuse. */
	PARSE(&r, "--bind", "/tmp", "--", "ps");
	expect_error("--bind needs", &r);
	PARSE(&r, "--bogus", "ps");
	expect_error("unknown option '--bogus' for 'run'", &r);
}

static void test_env_and_limits(void **state)
{
	struct run r;
	char a[] = "A=1", b[] = "B=2", path[] = "PATH=/bin";
	char *base[] = { a, b, path, NULL };
	char **env;

	PARSE(&r, "--setenv", "A", "x", "--unsetenv", "B", "--setenv", "C", "3", "--rlimit",
	      "nofile=64:128", "--rlimit", "core=0", "--timeout", "5");
	assert_int_equal(r.r, 0);
	env = nb_env_build(base, &r.cfg);
	assert_string_equal(env[0], "PATH=/bin");
	assert_string_equal(env[1], "A=x");
	assert_string_equal(env[2], "C=3");
	assert_null(env[3]);
	free(env);
	assert_int_equal(r.cfg.proc.n_rlimits, 2);
	assert_int_equal(r.cfg.proc.rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(r.cfg.proc.rlimits[0].soft, 64);
	assert_int_equal(r.cfg.proc.rlimits[0].hard, 128);
	assert_int_equal(r.cfg.proc.rlimits[1].hard, 0);
	assert_int_equal(r.cfg.proc.timeout, 5);
	nb_config_free(&r.cfg);

	PARSE(&r, "--setenv", "K", "v", "--clearenv", "--setenv", "Z", "1");
	env = nb_env_build(base, &r.cfg);
	assert_string_equal(env[0], "Z=1");
	assert_null(env[1]);
	free(env);
	nb_config_free(&r.cfg);

	PARSE(&r, "--setenv", "A=B", "v");
	expect_error("invalid environment variable name", &r);
	PARSE(&r, "--rlimit", "bogus=1");
	expect_error("unknown limit 'bogus'", &r);
	PARSE(&r, "--rlimit", "nofile");
	expect_error("malformed limit", &r);
	PARSE(&r, "--rlimit", "nofile=10:5");
	expect_error("soft above hard", &r);
	PARSE(&r, "--rlimit", "nofile=unlimited:5");
	expect_error("soft above hard", &r);
}

static void test_profile_build(void **state)
{
	struct run r;

	PARSE(&r, "--profile", "build");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_RO);
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_true(r.cfg.sec.cap_drop_all);
	assert_true(r.cfg.sec.no_new_privs);
	assert_true(r.cfg.fs.hide_home);
	assert_string_equal(r.cfg.fs.chdir, host.cwd);
	assert_int_equal(r.cfg.fs.n_mounts, 2);
	assert_int_equal(r.cfg.fs.mounts[0].kind, NB_MNT_DEV);
	assert_int_equal(r.cfg.fs.mounts[1].kind, NB_MNT_BIND);
	assert_string_equal(r.cfg.fs.mounts[1].src, host.cwd);
	nb_config_free(&r.cfg);

	/* Explicit options win over the profile, before it or after it. */
	PARSE(&r, "--profile", "build", "--share", "net", "--root", "host", "--cap-add", "chown");
	assert_int_equal(r.r, 0);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_HOST);
	assert_int_equal(r.cfg.sec.cap_add, 1ULL << CAP_CHOWN);
	nb_config_free(&r.cfg);
	PARSE(&r, "--share", "net", "--root", "host", "--cap-add", "chown", "--tmpfs", "/x",
	      "--profile", "build");
	assert_int_equal(r.r, 0);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_int_equal(r.cfg.fs.root_mode, NB_ROOT_HOST);
	assert_int_equal(r.cfg.sec.cap_add, 1ULL << CAP_CHOWN);
	/* The profile's mounts come first, so the user's win. */
	assert_int_equal(r.cfg.fs.n_mounts, 3);
	assert_int_equal(r.cfg.fs.mounts[2].kind, NB_MNT_TMPFS);
	nb_config_free(&r.cfg);

	PARSE(&r, "--profile", "fast");
	expect_error("unknown profile 'fast'", &r);

	{
		struct nb_host at_root = host;
		at_root.cwd = "/";
		parse(&r, &at_root, (const char *const[]){ "nestbox", "--profile", "build", NULL });
		expect_error("the current directory is /", &r);
	}
}

static void test_net(void **state)
{
	struct run r;

	PARSE(&r, "run", "--net", "pasta", "-p", "8080:80", "--publish", "0.0.0.0:53:5353/udp",
	      "-p", "[::1]:443:8443/tcp", "--net-allow-host-loopback", "true");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_PASTA);
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_true(r.cfg.ns.net_host_loopback);
	assert_int_equal(r.cfg.ns.n_publish, 3);
	/* HOSTADDR defaults to the loopback, never to every address. */
	assert_string_equal(r.cfg.ns.publish[0].addr, "127.0.0.1");
	assert_int_equal(r.cfg.ns.publish[0].family, AF_INET);
	assert_int_equal(r.cfg.ns.publish[0].host_port, 8080);
	assert_int_equal(r.cfg.ns.publish[0].sandbox_port, 80);
	assert_int_equal(r.cfg.ns.publish[0].proto, IPPROTO_TCP);
	assert_string_equal(r.cfg.ns.publish[1].addr, "0.0.0.0");
	assert_int_equal(r.cfg.ns.publish[1].host_port, 53);
	assert_int_equal(r.cfg.ns.publish[1].sandbox_port, 5353);
	assert_int_equal(r.cfg.ns.publish[1].proto, IPPROTO_UDP);
	assert_string_equal(r.cfg.ns.publish[2].addr, "::1");
	assert_int_equal(r.cfg.ns.publish[2].family, AF_INET6);
	assert_int_equal(r.cfg.ns.publish[2].host_port, 443);
	assert_string_equal(r.cfg.proc.argv[0], "true");
	nb_config_free(&r.cfg);

	/* --share net and --net host are one setting, and either undoes the other. */
	PARSE(&r, "run", "--share", "net");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_HOST);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--net", "host");
	assert_int_equal(r.r, 0);
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_HOST);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_true(r.cfg.ns.shared_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--share", "net", "--net", "slirp4netns");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_SLIRP4NETNS);
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	assert_false(r.cfg.ns.shared_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--net", "host", "--share", "none");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_NONE);
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	/* --unshare without net shares it: the mode says host, as --share net. */
	PARSE(&r, "run", "--net", "pasta", "--unshare", "mnt,pid");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_HOST);
	assert_false(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--net", "pasta", "--unshare", "mnt,pid,net");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_PASTA);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--net", "host", "--unshare", "mnt,net");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_NONE);
	assert_true(r.cfg.ns.unshare_flags & CLONE_NEWNET);
	nb_config_free(&r.cfg);
	PARSE(&r, "run", "--net=auto");
	assert_int_equal(r.cfg.ns.net_mode, NB_NET_AUTO);
	nb_config_free(&r.cfg);

	PARSE(&r, "run", "--net", "tap");
	expect_error("--net: unknown mode 'tap'", &r);
	PARSE(&r, "run", "-p", "8080:80");
	expect_error("--publish needs a network helper, but the network is 'none'", &r);
	PARSE(&r, "run", "--net", "host", "--net-allow-host-loopback");
	expect_error("--net-allow-host-loopback needs a network helper", &r);
	PARSE(&r, "run", "--net", "pasta", "-p");
	expect_error("--publish needs a value", &r);

	static const char *const bad[][2] = {
		{ "8080", "give HOSTPORT:SANDBOXPORT" },
		{ "8080:", "a port is a number from 1 to 65535" },
		{ ":80", "a port is a number from 1 to 65535" },
		{ "0:80", "a port is a number from 1 to 65535" },
		{ "65536:80", "a port is a number from 1 to 65535" },
		{ "80:8x", "a port is a number from 1 to 65535" },
		{ "-1:80", "a port is a number from 1 to 65535" },
		{ "1:2:3:4", "HOSTADDR must be a numeric IPv4 address" },
		{ "localhost:80:80", "HOSTADDR must be a numeric IPv4 address" },
		{ "300.0.0.1:80:80", "HOSTADDR must be a numeric IPv4 address" },
		{ "::1:80:80", "HOSTADDR must be a numeric IPv4 address" },
		{ "[::1:80:80", "an IPv6 address needs ]: after it" },
		{ "[zz]:80:80", "not a numeric IPv6 address" },
		{ "80:80/sctp", "the protocol must be tcp or udp" },
		{ "80:80/", "the protocol must be tcp or udp" },
		{ "80:80/tcp/udp", "the protocol must be tcp or udp" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		PARSE(&r, "run", "--net", "pasta", "-p", bad[i][0]);
		expect_error(bad[i][1], &r);
		/* One line: the usage hint in brackets, no newline. */
		assert_null(strchr(r.e.msg, '\n'));
		assert_non_null(strstr(r.e.msg, "[HOSTADDR:]HOSTPORT:SANDBOXPORT"));
	}
}

static bool none_exists(const char *path)
{
	return false;
}

static bool only_slirp(const char *path)
{
	return strstr(path, "slirp4netns") != NULL;
}

static void test_net_plan(void **state)
{
	struct nb_config cfg;
	struct nb_net_plan np;
	struct nb_host h = host;
	struct nb_error e = { 0 };
	char line[4096];

	nb_config_init(&cfg);
	h.path = "/opt/bin:/usr/bin";
	nb_config_set_net(&cfg, NB_NET_AUTO);
	assert_int_equal(nb_net_plan_build(&cfg, &h, &np, &e), 0);
	assert_int_equal(np.mode, NB_NET_PASTA);
	assert_string_equal(np.helper, "/opt/bin/pasta");
	nb_net_plan_cmdline(&np, line, sizeof(line));
	/* The host's loopback stays closed: both switches (see the README). */
	assert_non_null(strstr(line, " --no-map-gw -T none -U none -t none -u none "));
	assert_non_null(strstr(line, "--userns /proc/self/fd/3 --netns /proc/self/fd/4"));
	nb_net_plan_free(&np);

	h.executable = only_slirp;
	assert_int_equal(nb_net_plan_build(&cfg, &h, &np, &e), 0);
	assert_int_equal(np.mode, NB_NET_SLIRP4NETNS);
	assert_string_equal(np.helper, "/opt/bin/slirp4netns");
	assert_string_equal(np.dns, "10.0.2.3");
	nb_net_plan_cmdline(&np, line, sizeof(line));
	assert_non_null(strstr(line, "--disable-host-loopback"));
	assert_null(strstr(line, "--api-socket"));
	nb_net_plan_free(&np);

	h.executable = none_exists;
	assert_true(nb_net_plan_build(&cfg, &h, &np, &e) < 0);
	assert_non_null(strstr(e.msg, "neither pasta nor slirp4netns"));
	assert_non_null(strstr(e.msg, "passt or slirp4netns"));
	nb_config_set_net(&cfg, NB_NET_PASTA);
	assert_true(nb_net_plan_build(&cfg, &h, &np, &e) < 0);
	assert_non_null(strstr(e.msg, "pasta is not on PATH (install the package passt)"));

	/* Nothing of a helper for none and host. */
	nb_config_set_net(&cfg, NB_NET_NONE);
	assert_int_equal(nb_net_plan_build(&cfg, &h, &np, &e), 0);
	assert_null(np.argv);
	assert_null(np.dns);
	nb_config_free(&cfg);
}

/* The builders' checks (config.c), which nestbox-bwrap gets too (test_bwrap_cli). */
static void test_builder_checks(void **state)
{
	static char longdst[4100];
	struct run res;

	(void)state;
	longdst[0] = '/';
	memset(longdst + 1, 'a', sizeof(longdst) - 2);
	PARSE(&res, "--bind", "/usr", longdst, "true");
	expect_error("--bind: path too long (paths are limited to 3999 bytes)", &res);
	PARSE(&res, "--ro-bind", "", "/x", "true");
	expect_error("--ro-bind: empty source (give the path to bind)", &res);
	PARSE(&res, "--symlink", "", "/x", "true");
	expect_error("--symlink: empty target (give the link's target)", &res);
	PARSE(&res, "--setenv", "A=B", "x", "true");
	expect_error("invalid environment variable name 'A=B' (a name must be non-empty and "
		     "contain no '=')",
		     &res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_plain_nestbox_is_run),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_usage_width),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_subcommand_after_options),
		cmocka_unit_test(test_env_and_limits),
		cmocka_unit_test(test_profile_build),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_net_plan),
		cmocka_unit_test(test_builder_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
