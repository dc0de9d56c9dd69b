/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

struct nb_mount_op;
struct nb_error;

/* nestbox takes up to this many lower directories per overlay. */
#define NB_MAX_LOWERS 8

/* The host device nodes that --dev binds, in this order. */
extern const char *const nb_dev_nodes[];
extern const size_t nb_n_dev_nodes;
/* The slot of a --dev operation that holds the caller's terminal, or -1. */
#define NB_DEV_CONSOLE 6

/**
 * struct nb_sources - the fds of every mount source, one slot per operation
 *
 * The host opens them before any namespace exists, as the caller sees them
 * and without following planted links; init inherits the fds and mounts
 * from them, never from a path.  Unused slots hold -1.
 */
struct nb_sources {
	size_t n;
	int *src; /* bind source */
	int (*lower)[NB_MAX_LOWERS]; /* overlay lowers, or the --dev nodes */
	int *upper;
	int *work;
};

int nb_sources_open(const struct nb_mount_op *ops, size_t n, struct nb_sources *s,
		    struct nb_error *e);
/* Closes every fd still held; the arrays stay until nb_sources_free(). */
void nb_sources_close(struct nb_sources *s);
void nb_sources_free(struct nb_sources *s);
