/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

struct nb_error;

int nb_seccomp_deny_tty_injection(struct nb_error *e);
