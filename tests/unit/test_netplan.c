// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The network plan, which is pure: -p/--publish parsing, and the helper's
 * command line built from the configuration and a host described here.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/netplan.h"
#include "lib/util.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void test_publish_defaults(void **state)
{
	struct nb_publish p;
	struct nb_error e = { 0 };

	(void)state;
	assert_int_equal(nb_publish_parse("8080:80", &p, &e), 0);
	assert_string_equal(p.addr, "127.0.0.1");
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_int_equal(p.host_port, 8080);
	assert_int_equal(p.sandbox_port, 80);
	assert_string_equal(p.spec, "8080:80");
	/* No address: ::1 too, through nestbox's relay. */
	assert_true(p.both_loopbacks);
}

static void test_publish_addresses(void **state)
{
	struct nb_publish p;
	struct nb_error e = { 0 };

	(void)state;
	assert_int_equal(nb_publish_parse("10.0.0.1:53:5353/udp", &p, &e), 0);
	assert_string_equal(p.addr, "10.0.0.1");
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_int_equal(p.host_port, 53);
	assert_int_equal(p.sandbox_port, 5353);
	assert_false(p.both_loopbacks);
	assert_int_equal(nb_publish_parse("[::1]:8443:443/tcp", &p, &e), 0);
	assert_false(p.both_loopbacks);
	assert_string_equal(p.addr, "::1");
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_int_equal(p.host_port, 8443);
}

/* Each bad spec: refused, in a message that names it and what is wrong. */
static void test_publish_refusals(void **state)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{ "80", "give HOSTPORT:SANDBOXPORT" },
		{ "1:2:3:4", "HOSTADDR must be a numeric IPv4 address" },
		{ "0:80", "a port is a number from 1 to 65535" },
		{ "65536:80", "a port is a number from 1 to 65535" },
		{ "8080:80/sctp", "the protocol must be tcp or udp" },
		{ "localhost:8080:80", "HOSTADDR must be a numeric IPv4 address" },
		{ "[::1:8080:80", "an IPv6 address needs ]: after it" },
		{ "[fe80::zz]:8080:80", "not a numeric IPv6 address" },
		{ "8080:+80", "a port is a number from 1 to 65535" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct nb_publish p;
		struct nb_error e = { 0 };
		char want[256];

		assert_int_equal(nb_publish_parse(bad[i].spec, &p, &e), -EINVAL);
		snprintf(want, sizeof(want), "--publish %s: %s", bad[i].spec, bad[i].why);
		if (strncmp(e.msg, want, strlen(want)) != 0)
			fail_msg("'%s': got '%s', wanted it to start with '%s'", bad[i].spec, e.msg,
				 want);
		assert_non_null(strstr(e.msg, " (use [HOSTADDR:]HOSTPORT:SANDBOXPORT"));
	}
}

static bool only_pasta(const char *path)
{
	return strcmp(path, "/opt/bin/pasta") == 0 || strcmp(path, "/usr/bin/slirp4netns") == 0;
}

static bool nothing(const char *path)
{
	(void)path;
	return false;
}

static void test_plan_pasta(void **state)
{
	struct nb_config cfg;
	struct nb_host host = { .path = "relative:/opt/bin:/usr/bin", .executable = only_pasta };
	struct nb_net_plan np;
	struct nb_error e = { 0 };
	struct nb_publish p;
	char line[1024];

	(void)state;
	nb_config_init(&cfg);
	cfg.ns.net_mode = NB_NET_AUTO;
	assert_int_equal(nb_publish_parse("8080:80", &p, &e), 0);
	nb_config_add_publish(&cfg, &p);
	assert_int_equal(nb_publish_parse("[::1]:5353:53/udp", &p, &e), 0);
	nb_config_add_publish(&cfg, &p);
	assert_int_equal(nb_net_plan_build(&cfg, &host, &np, &e), 0);
	/* auto takes pasta, the first found on PATH; a relative entry is skipped. */
	assert_int_equal(np.mode, NB_NET_PASTA);
	assert_string_equal(np.helper, "/opt/bin/pasta");
	assert_string_equal(np.dns, "169.254.1.1");
	nb_net_plan_cmdline(&np, line, sizeof(line));
	/* The host's loopback stays closed, and only the published ports open. */
	assert_non_null(strstr(line, " --no-map-gw "));
	assert_non_null(strstr(line, " -T none -U none "));
	assert_non_null(strstr(line, " -t 127.0.0.1/8080:80 "));
	assert_non_null(strstr(line, " -u ::1/5353:53 "));
	assert_null(strstr(line, "-t none"));
	assert_null(strstr(line, "-u none"));
	nb_net_plan_free(&np);

	/* --net-allow-host-loopback opens the gateway to the host's loopback. */
	cfg.ns.net_host_loopback = true;
	assert_int_equal(nb_net_plan_build(&cfg, &host, &np, &e), 0);
	nb_net_plan_cmdline(&np, line, sizeof(line));
	assert_null(strstr(line, "--no-map-gw"));
	nb_net_plan_free(&np);
	nb_config_free(&cfg);
}

static void test_plan_slirp4netns(void **state)
{
	struct nb_config cfg;
	struct nb_host host = { .path = "/usr/bin", .executable = only_pasta };
	struct nb_net_plan np;
	struct nb_error e = { 0 };
	struct nb_publish p;

	(void)state;
	nb_config_init(&cfg);
	cfg.ns.net_mode = NB_NET_SLIRP4NETNS;
	assert_int_equal(nb_net_plan_build(&cfg, &host, &np, &e), 0);
	assert_string_equal(np.helper, "/usr/bin/slirp4netns");
	assert_string_equal(np.dns, "10.0.2.3");
	assert_string_equal(np.gateway, "10.0.2.2");
	nb_net_plan_free(&np);
	/* slirp4netns publishes only on IPv4: refused, with the way out. */
	assert_int_equal(nb_publish_parse("[::1]:8080:80", &p, &e), 0);
	nb_config_add_publish(&cfg, &p);
	assert_true(nb_net_plan_build(&cfg, &host, &np, &e) < 0);
	assert_non_null(strstr(e.msg, "slirp4netns publishes only on IPv4"));
	assert_non_null(strstr(e.msg, " (use --net pasta)"));
	assert_null(np.helper);
	nb_config_free(&cfg);
}

static void test_plan_missing_helper(void **state)
{
	struct nb_config cfg;
	struct nb_host host = { .path = "/usr/bin:/bin", .executable = nothing };
	struct nb_net_plan np;
	struct nb_error e = { 0 };

	(void)state;
	nb_config_init(&cfg);
	cfg.ns.net_mode = NB_NET_AUTO;
	assert_true(nb_net_plan_build(&cfg, &host, &np, &e) < 0);
	assert_string_equal(e.msg, "--net auto: neither pasta nor slirp4netns is on PATH "
				   "(install the package passt or slirp4netns)");
	cfg.ns.net_mode = NB_NET_PASTA;
	e = (struct nb_error){ 0 };
	assert_true(nb_net_plan_build(&cfg, &host, &np, &e) < 0);
	assert_non_null(
	    strstr(e.msg, "--net pasta: pasta is not on PATH (install the package passt)"));
	/* Without a helper there is no command line at all. */
	cfg.ns.net_mode = NB_NET_NONE;
	assert_int_equal(nb_net_plan_build(&cfg, &host, &np, &e), 0);
	assert_null(np.argv);
	nb_net_plan_free(&np);
	nb_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_defaults), cmocka_unit_test(test_publish_addresses),
		cmocka_unit_test(test_publish_refusals), cmocka_unit_test(test_plan_pasta),
		cmocka_unit_test(test_plan_slirp4netns), cmocka_unit_test(test_plan_missing_helper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
