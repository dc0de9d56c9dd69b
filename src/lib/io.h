// SPDX-License-Identifier: GPL-2.0-or-later
/* The helpers with effects (io.c); util.h has the pure ones. */
#pragma once

#include "lib/util.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* @s as a JSON string; bytes that are not UTF-8 become \\u00XX. */
void nb_json_str(FILE *f, const char *s);

int nb_write_file(const char *path, const char *buf, size_t len);
/* The Seccomp_filters count of /proc/@pid/status (0 for "self" as pid 0), or -1. */
long nb_seccomp_filters_of(pid_t pid);
/*
 * The whole of @file in @dirfd (a /proc file has no size to ask for), up to
 * 16 MiB, NUL-terminated in *@out (to free()), its length in *@len.
 * Return: 0, or a negative errno.
 */
int nb_read_all_at(int dirfd, const char *file, char **out, size_t *len);
/*
 * --lock-file: opens each of @paths and takes a read lock on it, the fds
 * into @fds (room for @max), kept open for as long as the lock must hold.
 * Return: how many, or -1 with @e filled (the fds taken so far stay in @fds).
 */
int nb_take_read_locks(char *const *paths, size_t n, int *fds, size_t max, struct nb_error *e);
/* The one pidfd_open(2) (close-on-exec, as every pidfd is), or -1 with errno. */
int nb_pidfd_open(pid_t pid);
/* Whether the process behind @pidfd is still alive (a signal 0 through it). */
bool nb_pidfd_alive(int pidfd);
int nb_write_file_at(int dirfd, const char *path, const char *buf, size_t len);
int nb_write_fd_all(int fd, const void *buf, size_t len);
ssize_t nb_read_file(const char *path, char *buf, size_t size);
ssize_t nb_read_file_at(int dirfd, const char *path, char *buf, size_t size);
/* Pass one fd over a unix socket (SCM_RIGHTS); the received one is O_CLOEXEC. */
int nb_send_fd(int sock, int fd);
int nb_recv_fd(int sock);
/* CLOCK_MONOTONIC in milliseconds, for --timeout deadlines. */
int64_t nb_now_ms(void);
