// SPDX-License-Identifier: GPL-2.0-or-later
/* The helpers with effects (io.c); util.h has the pure ones. */
#pragma once

#include "lib/json.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

int nb_write_file(const char *path, const char *buf, size_t len);
/* The Seccomp_filters count of /proc/@pid/status (0 for "self" as pid 0), or -1. */
long nb_seccomp_filters_of(pid_t pid);
/* What a whole-file read takes at most: 16 MiB. */
#define NB_READ_MAX (16u << 20)
/*
 * The one reader of a whole file: what is left of @fd (up to about @max
 * bytes; a /proc file has no size to ask for), NUL-terminated in *@out (to
 * free()), its length in *@len.
 * Return: 0, or a negative errno (-E2BIG past @max).
 */
int nb_read_all_fd(int fd, size_t max, char **out, size_t *len);
/* The same of @file in @dirfd, up to NB_READ_MAX. */
int nb_read_all_at(int dirfd, const char *file, char **out, size_t *len);
/* The text of @path (up to NB_READ_MAX), or NULL with *@err. */
char *nb_read_text(const char *path, int *err);
/*
 * --lock-file: opens each of @paths and takes a read lock on it, the fds
 * into @fds (room for @max), kept open for as long as the lock must hold.
 * Return: how many, or -1 with @e filled (the fds taken so far stay in @fds).
 */
int nb_take_read_locks(char *const *paths, size_t n, int *fds, size_t max, struct nb_error *e);
/* The one pidfd_open(2) (close-on-exec, as every pidfd is), or -1 with errno. */
int nb_pidfd_open(pid_t pid);
/*
 * The pidfd of our own child @pid, just forked; when none can be had, the
 * child is killed and reaped and @e says why ("opening a pidfd for @what").
 * Return: the pidfd, or -1.
 */
int nb_child_pidfd(pid_t pid, const char *what, struct nb_error *e);
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
/* Whether @file is a regular file this process may execute (for nb_path_find()). */
bool nb_executable(const char *file);
