/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

struct nb_error;
struct sock_fprog;

#include <stddef.h>

/* The caller's own compiled BPF programs (config seccomp_fds), read on the host. */
struct nb_seccomp_progs {
	struct sock_fprog *p;
	size_t n;
};

int nb_seccomp_read(const struct nb_config *cfg, struct nb_seccomp_progs *out, struct nb_error *e);
void nb_seccomp_progs_free(struct nb_seccomp_progs *progs);
/* Installs them in order; the last step before exec. */
int nb_seccomp_install_progs(const struct nb_seccomp_progs *progs, struct nb_error *e);

/*
 * Installs the policy @mode names: the terminal's filter, then for
 * NB_SECCOMP_DEFAULT the default policy over it; nothing for NB_SECCOMP_OFF.
 */
/* One line for -v: the policy and its size. */
const char *nb_seccomp_describe(enum nb_seccomp_mode mode);
int nb_seccomp_install(enum nb_seccomp_mode mode, struct nb_error *e);
/* --isolation landlock's filter, over the policy: no socket(), no new user namespace. */
int nb_seccomp_install_landlock(struct nb_error *e);
/* Refuses unshare(CLONE_NEWUSER) and clone(CLONE_NEWUSER), and clone3() with ENOSYS. */
int nb_seccomp_install_nouserns(struct nb_error *e);
/* The mode a process runs under, from its number of filters (Seccomp_filters). */
enum nb_seccomp_mode nb_seccomp_mode_of_filters(unsigned long n);
