/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The records of running sandboxes that 'nestbox ps' and 'nestbox enter'
 * read: one file per sandbox in a directory only the user can write.
 */
#pragma once

#include "core/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;
struct nb_host;

/* Start time and parent of @pid, from /proc/PID/stat. */
int nb_proc_stat(pid_t pid, uint64_t *start, pid_t *ppid);
/**
 * nb_state_dir_open() - open (and with @create, make) the user's state directory
 * @path: receives the directory's path, for messages
 *
 * It is $XDG_RUNTIME_DIR/nestbox, or without that ~/.nestbox, made when
 * needed and removed when empty:
 * never a predictable name in a shared directory.  It must be the user's
 * alone (owner, mode 0700).
 * Return: an O_PATH-free directory fd, or a negative errno.
 */
int nb_state_dir_open(const struct nb_host *h, bool create, char *path, size_t size,
		      struct nb_error *e);

/* A name claimed by a running host: the record file, locked while the host lives. */
struct nb_claim {
	int dirfd;
	int fd;
	char name[NB_NAME_MAX + 1];
};

int nb_state_claim(struct nb_claim *cl, int dirfd, const struct nb_record *r, struct nb_error *e);
int nb_state_publish(struct nb_claim *cl, const struct nb_record *r);
/*
 * Removes the record.  The directory stays for the next sandbox: making
 * and removing it on every start cost a disk block each time (on ext4 with
 * discard, a synchronous discard), about a tenth of a start.
 */
void nb_state_release(struct nb_claim *cl);

/**
 * struct nb_live - a record whose sandbox is running, checked against the kernel
 * @init_fd: pidfd of init, opened and then checked against the record
 * @cmd: host pid of the command (init's first child; init itself with --as-pid-1)
 * @cmd_fd: pidfd of the command, or -1 while it is not known
 */
struct nb_live {
	struct nb_record rec;
	int init_fd;
	pid_t cmd;
	int cmd_fd;
};

/* Every live sandbox of the user; stale records are removed on the way. */
int nb_state_list(int dirfd, struct nb_live **out, size_t *n, struct nb_error *e);
void nb_state_list_free(struct nb_live *l, size_t n);
/* The live sandbox named @what, or whose init or command has host pid @what. */
int nb_state_find(int dirfd, const char *what, struct nb_live *out, struct nb_error *e);
