/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "run/child.h"

/* PID 1 of the sandbox: set up, start the command, reap, forward, exit. */
_Noreturn void nb_init_main(struct nb_child *c);
