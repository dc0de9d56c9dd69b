/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sandbox's setup, run by init before the command starts: a table of
 * steps (steps.c), each with its name, what it needs and what it does in
 * words.  Adding a step is one entry and one function.
 */
#pragma once

#include "run/child.h"

#include <stdbool.h>
#include <stddef.h>

/**
 * struct nb_setup - what the setup steps share with init and the spawn
 * @c: what the processes inside inherited
 * @procfd: a proc of init's PID namespace (the command's maps go through it)
 * @nouserns_filter: --disable-userns is a seccomp filter, in the command
 * @lock_fds: --lock-file: the read locks init holds while it lives
 * @cmd_mnt_fd: the command's mount namespace, held by init (spawn.c)
 *
 * Static storage, never init's stack: the command shares init's memory
 * until it execs.
 */
struct nb_setup {
	struct nb_child *c;
	int procfd;
	bool nouserns_filter;
	int lock_fds[16];
	size_t n_lock_fds;
	int cmd_mnt_fd;
};

/**
 * struct nb_step - one step of the setup
 * @name: its name, as -vv says it
 * @why: what it does, in words, for -vv
 * @needed: whether this sandbox needs it (NULL: always)
 * @run: the step; 0, or -1 with @e filled
 */
struct nb_step {
	const char *name;
	const char *why;
	bool (*needed)(const struct nb_setup *s);
	int (*run)(struct nb_setup *s, struct nb_error *e);
};

/* The steps, in the order they run. */
extern const struct nb_step nb_setup_steps[];
extern const size_t nb_n_setup_steps;

/* Runs, and narrates, every step this sandbox needs, in order. */
int nb_setup_run(struct nb_setup *s, struct nb_error *e);
