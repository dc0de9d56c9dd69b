/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;

/**
 * struct nb_ns - one kind of namespace
 * @flag: its CLONE_NEW* flag
 * @name: the name used on the command line and in /proc/PID/ns
 * @shareable: whether --share may keep the host's one
 */
struct nb_ns {
	int flag;
	const char *name;
	int shareable;
};

extern const struct nb_ns nb_namespaces[];
extern const size_t nb_n_namespaces;

const struct nb_ns *nb_ns_by_name(const char *name, size_t len);
/* The namespaces nested inside the user namespace by default. */
int nb_ns_default_flags(void);
/* The names of the namespaces in @flags, comma-separated, into @buf. */
const char *nb_ns_names(int flags, char *buf, size_t size);
