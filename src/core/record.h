/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A sandbox's record as text, and its name (record.c, pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;

#define NB_NAME_MAX 63

/**
 * struct nb_record - what the host of a sandbox writes down about it
 * @init_start: init's start time in clock ticks after boot (/proc/PID/stat
 *              field 22), which tells a live init from a reused pid
 * @started: wall-clock start, seconds since the epoch
 * @map: the map mode ("root", "user", "auto", "explicit", "none")
 * @net: the network mode
 */
struct nb_record {
	char name[NB_NAME_MAX + 1];
	pid_t host_pid;
	pid_t init_pid;
	uint64_t init_start;
	int64_t started;
	bool own_pid_ns;
	bool as_pid1;
	char seccomp[16];
	char map[16];
	char net[16];
	/* The network helper's host pid (0: none), and the published ports. */
	pid_t net_helper_pid;
	char ports[256];
};

/* Whether @name can name a sandbox: [A-Za-z0-9][A-Za-z0-9_.-]*, not all digits. */
int nb_state_check_name(const char *name, struct nb_error *e);
/* A default name from the command's base name and the host pid, e.g. "make-4242". */
void nb_state_default_name(const char *argv0, pid_t pid, char *out, size_t size);
int nb_record_format(const struct nb_record *r, char *buf, size_t size);
int nb_record_parse(const char *text, struct nb_record *r);
/* Field 22 (starttime) and field 4 (ppid) of a /proc/PID/stat line. */
int nb_parse_proc_stat(const char *line, uint64_t *start, pid_t *ppid);
