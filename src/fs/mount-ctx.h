/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to fs/mounts.c (the context, destinations, the new root) and
 * fs/mount-kinds.c (one function per kind of mount operation).
 */
#pragma once

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;
struct nb_sources;

#define STAGE "/tmp"
#define NEWROOT STAGE "/nestbox-root"
#define DEFAULT_TMPFS_SIZE (1ULL << 30)
#define FD_PATH_MAX 32

struct nb_mctx {
	const struct nb_config *cfg;
	/* The plan's operations, the implicit ones included, in order. */
	const struct nb_mount_op *ops;
	size_t n_ops;
	const struct nb_host *host;
	bool new_pid_ns;
	int rootfd;
	/* Devices of the filesystems nestbox mounted: mount points may be made there. */
	dev_t *ours;
	size_t n_ours;
	/* The sources the host opened, one slot per operation (-1 if none). */
	struct nb_sources *src;
	/* A detached proc of the new PID namespace, attached once at /proc. */
	int procfd;
	bool proc_attached;
	uint32_t uid, gid;
	/* A private tmpfs holding the files of --bind-data, made on first use. */
	int datafd;
	unsigned n_data;
};

enum dst_kind { DST_DIR, DST_FILE };

struct fs_opt {
	const char *key;
	const char *value; /* NULL: a flag */
};

void nb_mnt_fd_path(int fd, char buf[FD_PATH_MAX]);
int nb_mnt_resolve(const struct nb_mctx *m, const char *rel, int flags);
bool nb_mnt_is_ours(const struct nb_mctx *m, int fd);
int nb_mnt_add_ours(struct nb_mctx *m, int fd, const char *dst, struct nb_error *e);
int nb_mnt_open_dst_mode(struct nb_mctx *m, const char *dst, enum dst_kind kind,
			 unsigned parent_mode, unsigned leaf_mode, bool *created,
			 struct nb_error *e);
int nb_mnt_open_dst(struct nb_mctx *m, const char *dst, enum dst_kind kind, struct nb_error *e);
int nb_mnt_ro_tree(int fd);
bool nb_mnt_ro_tree_missing(int r);
int nb_mnt_ro_remount_tree(const char *prefix, struct nb_error *e);
int nb_mnt_fd_target(int fd, char *buf, size_t size, struct nb_error *e);
int nb_mnt_attach_fs(const char *type, const struct fs_opt *opts, unsigned attrs, int dst_fd,
		     const char *dst, struct nb_error *e);
int nb_mnt_apply_op(struct nb_mctx *m, size_t i, struct nb_error *e);
