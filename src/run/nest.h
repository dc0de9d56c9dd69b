/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Making namespaces (nest.c); ns.h has the table. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

struct nb_error;

int nb_ns_nest(int flags, struct nb_error *e);
/* fork() through clone3 with extra CLONE_* @flags; returns 0 in the child. */
pid_t nb_clone_fork(uint64_t flags, int exit_signal);
