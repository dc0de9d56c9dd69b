/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct nb_error;
struct nb_host;
struct nb_live;

#define NB_PS_N_NS 7
/* The namespaces ps shows, by their /proc/PID/ns names. */
extern const char *const nb_ps_namespaces[NB_PS_N_NS];

/* What ps shows of one live sandbox, read from the kernel. */
struct nb_ps_row {
	const struct nb_live *live;
	long uptime;
	char command[1024];
	uint64_t ns[NB_PS_N_NS];
	char uid_map[512];
	char gid_map[512];
};

/* The inode of /proc/PID/ns/NAME, or 0 when it cannot be read. */
uint64_t nb_ns_inode_of(pid_t pid, const char *name);
/* /proc/PID/FILE (uid_map, gid_map) as "in:out:count" items joined by ','. */
void nb_read_map(pid_t pid, const char *file, char *out, size_t size);
void nb_ps_read(const struct nb_live *l, struct nb_ps_row *row);
/* nestbox ps: a table, names only (@quiet) or JSON. */
int nb_ps(const struct nb_host *h, bool json, bool quiet, FILE *out, struct nb_error *e);
