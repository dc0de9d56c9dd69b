// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The network plan: --net, -p/--publish and --net-allow-host-loopback in,
 * the helper and its exact command line out.  Pure, like the rest of the
 * planner: what is installed comes from struct nb_host, so that --dry-run
 * shows the very command line that netd.c runs.
 */
#include "autoconf.h"

#include "core/netplan.h"
#include "lib/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const struct {
	const char *name;
	enum nb_net_mode mode;
	/* The program, and the Debian package that has it. */
	const char *program;
	const char *package;
} modes[] = {
	{ .name = "none", .mode = NB_NET_NONE },
	{ .name = "host", .mode = NB_NET_HOST },
	{ .name = "pasta", .mode = NB_NET_PASTA, .program = "pasta", .package = "passt" },
	{ .name = "slirp4netns",
	  .mode = NB_NET_SLIRP4NETNS,
	  .program = "slirp4netns",
	  .package = "slirp4netns" },
	{ .name = "auto", .mode = NB_NET_AUTO },
};

#define N_MODES (sizeof(modes) / sizeof(modes[0]))

const char *nb_net_mode_name(enum nb_net_mode m)
{
	for (size_t i = 0; i < N_MODES; i++)
		if (modes[i].mode == m)
			return modes[i].name;
	return "?";
}

int nb_net_mode_parse(const char *s, enum nb_net_mode *m)
{
	for (size_t i = 0; i < N_MODES; i++)
		if (nb_streq(s, modes[i].name)) {
			*m = modes[i].mode;
			return 0;
		}
	return -EINVAL;
}

static int bad_publish(const char *spec, const char *why, struct nb_error *e)
{
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "use [HOSTADDR:]HOSTPORT:SANDBOXPORT[/tcp|/udp], e.g. 127.0.0.1:8080:80",
		       "--publish %.100s: %s", spec, why);
}

/* A port from 1 to 65535, all digits. */
static bool parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

int nb_publish_parse(const char *spec, struct nb_publish *p, struct nb_error *e)
{
	char buf[128];
	const char *ports, *proto;
	char *colon;
	unsigned char bin[sizeof(struct in6_addr)];

	memset(p, 0, sizeof(*p));
	if (strlen(spec) >= sizeof(buf))
		return bad_publish(spec, "too long", e);
	snprintf(p->spec, sizeof(p->spec), "%s", spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	p->proto = IPPROTO_TCP;
	proto = strchr(buf, '/');
	if (proto) {
		if (nb_streq(proto, "/tcp"))
			p->proto = IPPROTO_TCP;
		else if (nb_streq(proto, "/udp"))
			p->proto = IPPROTO_UDP;
		else
			return bad_publish(spec, "the protocol must be tcp or udp", e);
		buf[proto - buf] = '\0';
	}
	/* The address: [v6] or v4 before the last two fields; none is both loopbacks. */
	snprintf(p->addr, sizeof(p->addr), "127.0.0.1");
	p->family = AF_INET;
	p->both_loopbacks = true;
	ports = buf;
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (!end || end[1] != ':')
			return bad_publish(spec, "an IPv6 address needs ]: after it", e);
		*end = '\0';
		if (inet_pton(AF_INET6, buf + 1, bin) != 1)
			return bad_publish(spec, "not a numeric IPv6 address", e);
		snprintf(p->addr, sizeof(p->addr), "%.47s", buf + 1);
		p->family = AF_INET6;
		p->both_loopbacks = false;
		ports = end + 2;
	} else {
		char *first = strchr(buf, ':');

		if (!first)
			return bad_publish(spec, "give HOSTPORT:SANDBOXPORT", e);
		if (strchr(first + 1, ':')) {
			*first = '\0';
			if (inet_pton(AF_INET, buf, bin) != 1)
				return bad_publish(spec,
						   "HOSTADDR must be a numeric IPv4 address, or "
						   "an IPv6 one in brackets",
						   e);
			snprintf(p->addr, sizeof(p->addr), "%.47s", buf);
			p->both_loopbacks = false;
			ports = first + 1;
		}
	}
	colon = strchr(ports, ':');
	if (!colon || strchr(colon + 1, ':'))
		return bad_publish(spec, "give HOSTPORT:SANDBOXPORT", e);
	if (!parse_port(ports, (size_t)(colon - ports), &p->host_port) ||
	    !parse_port(colon + 1, strlen(colon + 1), &p->sandbox_port))
		return bad_publish(spec, "a port is a number from 1 to 65535", e);
	return 0;
}

void nb_config_add_publish(struct nb_config *c, const struct nb_publish *p)
{
	c->ns.publish = nb_grow(c->ns.publish, c->ns.n_publish, sizeof(*c->ns.publish));
	c->ns.publish[c->ns.n_publish++] = *p;
}

/* The first @name on @host's PATH, as malloc'd path, or NULL. */
/* The helper run will start: the one PATH search (doctor names the same one). */
static char *find_program(const struct nb_host *host, const char *name)
{
	return nb_path_find(host->path, name, host->executable);
}

struct argv_b {
	char **v;
	size_t n;
};

static void arg(struct argv_b *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void arg(struct argv_b *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		nb_oom();
	va_end(ap);
	a->v = nb_grow(a->v, a->n + 1, sizeof(char *));
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

#define FD(n) "/proc/self/fd/" #n
#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * pasta copies the host's addresses and routes (--config-net).  Without
 * --no-map-gw the gateway address leads to the host's loopback, and the
 * default -T/-U auto would show the host's listening ports on the sandbox's
 * own loopback: both stay closed unless the user opens them.
 */
static void pasta_argv(const struct nb_net_plan *np, struct argv_b *a)
{
	size_t tcp = 0, udp = 0;

	arg(a, "%s", np->helper);
	arg(a, "--foreground");
	arg(a, "--quiet");
	arg(a, "--config-net");
	arg(a, "--dns-forward");
	arg(a, "%s", np->dns);
	if (!np->host_loopback)
		arg(a, "--no-map-gw");
	arg(a, "-T");
	arg(a, "none");
	arg(a, "-U");
	arg(a, "none");
	for (size_t i = 0; i < np->n_ports; i++) {
		const struct nb_publish *p = &np->ports[i];

		arg(a, p->proto == IPPROTO_UDP ? "-u" : "-t");
		arg(a, "%s/%u:%u", p->addr, p->host_port, p->sandbox_port);
		tcp += p->proto == IPPROTO_TCP;
		udp += p->proto == IPPROTO_UDP;
	}
	if (!tcp) {
		arg(a, "-t");
		arg(a, "none");
	}
	if (!udp) {
		arg(a, "-u");
		arg(a, "none");
	}
	/* A pipe, not a file: pasta writes its pid there once it is ready. */
	arg(a, "--pid");
	arg(a, FD(5));
	arg(a, "--userns");
	arg(a, FD(3));
	arg(a, "--netns");
	arg(a, FD(4));
}

static void slirp_argv(const struct nb_net_plan *np, struct argv_b *a)
{
	arg(a, "%s", np->helper);
	arg(a, "--configure");
	arg(a, "--mtu=65520");
	/*
	 * It parses the sandbox's packets, so it runs under its own seccomp
	 * filter.  Its --enable-sandbox needs to run inside a user namespace
	 * already, which this one, outside the sandbox, does not.
	 */
	arg(a, "--enable-seccomp");
	if (!np->host_loopback)
		arg(a, "--disable-host-loopback");
	arg(a, "--ready-fd=" STR(5));
	arg(a, "--exit-fd=" STR(6));
	/* Ports are published through the API, once it is ready. */
	if (np->n_ports) {
		arg(a, "--api-socket");
		arg(a, FD(7) "/" NB_NETD_API_SOCKET);
	}
	arg(a, "--userns-path=" FD(3));
	arg(a, "--netns-type=path");
	arg(a, FD(4));
	arg(a, "tap0");
}

int nb_net_plan_build(const struct nb_config *cfg, const struct nb_host *host,
		      struct nb_net_plan *np, struct nb_error *e)
{
	struct argv_b a = { 0 };
	enum nb_net_mode mode = cfg->ns.net_mode;

	_Static_assert(NB_NETD_FD_USERNS == 3 && NB_NETD_FD_NETNS == 4 && NB_NETD_FD_READY == 5 &&
			   NB_NETD_FD_EXIT == 6 && NB_NETD_FD_APIDIR == 7,
		       "the command lines below spell the fd numbers out");
	memset(np, 0, sizeof(*np));
	np->host_loopback = cfg->ns.net_host_loopback;
	np->ports = cfg->ns.publish;
	np->n_ports = cfg->ns.n_publish;
	if (mode == NB_NET_AUTO) {
		np->helper = find_program(host, "pasta");
		mode = NB_NET_PASTA;
		if (!np->helper) {
			np->helper = find_program(host, "slirp4netns");
			mode = NB_NET_SLIRP4NETNS;
		}
		if (!np->helper)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "install the package passt or slirp4netns",
				       "--net auto: neither pasta nor slirp4netns is on PATH");
	} else if (nb_net_has_helper(mode)) {
		for (size_t i = 0; i < N_MODES; i++)
			if (modes[i].mode == mode &&
			    !(np->helper = find_program(host, modes[i].program)))
				return nb_fail(
				    e, NB_EXIT_FAILURE, 0, NULL,
				    "--net %s: %s is not on PATH (install the package %s)",
				    modes[i].name, modes[i].program, modes[i].package);
	}
	np->mode = mode;
	if (mode == NB_NET_PASTA) {
		/* Link-local, as podman uses: no address of the host's networks. */
		np->dns = "169.254.1.1";
		pasta_argv(np, &a);
	} else if (mode == NB_NET_SLIRP4NETNS) {
		for (size_t i = 0; i < np->n_ports; i++)
			if (np->ports[i].family != AF_INET) {
				free(np->helper);
				np->helper = NULL;
				return nb_fail(e, NB_EXIT_FAILURE, 0, "use --net pasta",
					       "--publish %s: slirp4netns publishes only on IPv4 "
					       "addresses",
					       np->ports[i].spec);
			}
		np->dns = "10.0.2.3";
		np->gateway = "10.0.2.2";
		slirp_argv(np, &a);
	}
	np->argv = a.v;
	return 0;
}

void nb_net_plan_free(struct nb_net_plan *np)
{
	for (char **a = np->argv; a && *a; a++)
		free(*a);
	free(np->argv);
	free(np->helper);
	np->argv = NULL;
	np->helper = NULL;
}

void nb_net_plan_cmdline(const struct nb_net_plan *np, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (char **a = np->argv; a && *a && n + 1 < size; a++) {
		int w = snprintf(buf + n, size - n, "%s%s", n ? " " : "", *a);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}
