/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Spawning the command (spawn.c). */
#pragma once

#include "run/steps.h"

#include <sys/types.h>

/*
 * Starts the command in its nested namespaces, writes its maps, and returns
 * its pid once it has exec'd (or -1 with @e filled).
 */
pid_t nb_spawn_command(struct nb_setup *s, struct nb_error *e);
/* --as-pid-1: init moves into the nested namespaces and execs the command. */
_Noreturn void nb_spawn_as_pid1(struct nb_setup *s);
