/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network part of a launch plan, pure: the --net and --publish
 * vocabulary, which helper runs, and its command line.  netd.c carries it
 * out.
 */
#pragma once

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

struct nb_error;

/*
 * The helper's inherited fds, at fixed numbers, so that the plan can show
 * its command line exactly: netd.c moves them there before exec.
 */
enum {
	NB_NETD_FD_USERNS = 3, /* the user namespace that owns the network namespace */
	NB_NETD_FD_NETNS = 4, /* the sandbox's network namespace */
	NB_NETD_FD_READY = 5, /* pasta's --pid, slirp4netns's --ready-fd */
	NB_NETD_FD_EXIT = 6, /* slirp4netns's --exit-fd */
	NB_NETD_FD_APIDIR = 7, /* the directory of slirp4netns's API socket */
	NB_NETD_N_FDS = 8,
};

#define NB_NETD_API_SOCKET "api.sock"

/**
 * struct nb_net_plan - how the sandbox will reach the network
 * @mode: never NB_NET_AUTO: auto is resolved against what is installed
 * @helper: the helper's path, found on the caller's PATH, or NULL
 * @argv: its command line, NULL-terminated, or NULL
 * @dns: the address of the helper's DNS forwarder, for resolv.conf
 * @gateway: the address that leads to the host, or NULL when the helper
 *	copies the host's own
 * @ports: the published ports (the configuration's)
 */
struct nb_net_plan {
	enum nb_net_mode mode;
	char *helper;
	char **argv;
	const char *dns;
	const char *gateway;
	bool host_loopback;
	const struct nb_publish *ports;
	size_t n_ports;
};

static inline bool nb_net_has_helper(enum nb_net_mode m)
{
	return m == NB_NET_PASTA || m == NB_NET_SLIRP4NETNS;
}

/* "none", "host", ... for --net, messages and --dry-run. */
const char *nb_net_mode_name(enum nb_net_mode m);
/* Parses a --net argument; -EINVAL for an unknown one. */
int nb_net_mode_parse(const char *s, enum nb_net_mode *m);

/**
 * nb_publish_parse() - parse [HOSTADDR:]HOSTPORT:SANDBOXPORT[/tcp|/udp]
 *
 * An IPv6 HOSTADDR goes in brackets.  Pure; fills @e with a one-line
 * usage error.
 */
int nb_publish_parse(const char *spec, struct nb_publish *p, struct nb_error *e);
void nb_config_add_publish(struct nb_config *c, const struct nb_publish *p);

/* Resolves the mode and builds the helper's command line (pure, from @host). */
int nb_net_plan_build(const struct nb_config *cfg, const struct nb_host *host,
		      struct nb_net_plan *np, struct nb_error *e);
void nb_net_plan_free(struct nb_net_plan *np);
/* The command line as one string, for --dry-run and -v. */
void nb_net_plan_cmdline(const struct nb_net_plan *np, char *buf, size_t size);
