/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

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
void nb_status_started(const struct nb_config *cfg, pid_t pid, const uint64_t ino[NB_STATUS_NS]);
void nb_status_exited(const struct nb_config *cfg, int code);
