/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/resource.h>

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_config;

/* The namespaces that --info-fd reports, in the order it prints them. */
#define NB_STATUS_NS 6

/* Inodes of /proc/@who/ns/{cgroup,ipc,mnt,net,pid,uts}, through @procfd (0: not there). */
void nb_status_collect(int procfd, const char *who, uint64_t ino[NB_STATUS_NS]);
/*
 * Init tells the host that the command @pid (in init's PID namespace) is
 * there.  @translate: attach it as SCM_CREDENTIALS, so that the kernel hands
 * the host its own number for it.
 */
int nb_status_send(int sync_fd, pid_t pid, bool translate, const uint64_t ino[NB_STATUS_NS]);
/* Host side: decodes a NB_MSG_STARTED payload. */
void nb_status_decode(const char *text, uint64_t ino[NB_STATUS_NS]);

/* The JSON the status fds get: once the command is there, and once it has ended. */
/*
 * What the status fds learn when the command has started: its pid and its
 * namespaces; with nestbox's own format (status_version 1) also init's pid,
 * the isolation and how long setup took.
 */
struct nb_status_start {
	pid_t pid;
	pid_t init_pid;
	const char *isolation;
	int64_t setup_ms;
	const uint64_t *ino; /* NB_STATUS_NS of them, or NULL */
};

/* And when it has ended: its wait status, and for nestbox's format more. */
struct nb_status_end {
	int exit_code; /* what nestbox exits with */
	int wait_status; /* the command's, or -1 when unknown */
	bool timed_out;
	const struct rusage *ru; /* the sandbox's, or NULL */
};

void nb_status_started(const struct nb_config *cfg, const struct nb_status_start *s);
void nb_status_exited(const struct nb_config *cfg, const struct nb_status_end *end);
