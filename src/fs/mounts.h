/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct nb_config;
struct nb_host;
struct nb_error;
struct nb_sources;
struct nb_mount_op;
#include <stddef.h>

/**
 * struct nb_mounts_in - what building the filesystem view needs
 * @cfg: configuration
 * @host: the caller
 * @ops: the plan's mount operations, in order, the implicit ones included
 * @n_ops: how many
 * @src: their sources, opened by the host
 * @procfd: a detached proc mount of the new PID namespace, or -1
 * @uid: the command's uid, which owns the hidden session directories
 * @gid: the command's gid
 */
struct nb_mounts_in {
	const struct nb_config *cfg;
	const struct nb_host *host;
	const struct nb_mount_op *ops;
	size_t n_ops;
	struct nb_sources *src;
	int procfd;
	uint32_t uid;
	uint32_t gid;
};

/**
 * nb_mounts_setup() - build the sandbox's filesystem view
 *
 * Runs in PID 1 of the sandbox, inside the new mount namespace.
 */
int nb_mounts_setup(const struct nb_mounts_in *in, struct nb_error *e);

/*
 * Replaces a host sysfs in view by one of the current network namespace,
 * read-only, keeping /sys/fs/cgroup.  Runs after init joined that namespace.
 */
int nb_mounts_private_sysfs(struct nb_error *e);
