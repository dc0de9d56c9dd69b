/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

#include <stddef.h>
#include <sys/types.h>

struct nb_error;
struct nb_idplan;

/* The namespaces the command gets inside nestbox's own (see lock.c). */
int nb_lock_flags(const struct nb_config *cfg);

/**
 * nb_lock_write_maps() - give the nested user namespace of @pid its maps
 * @procfd: a proc of the PID namespace @pid is counted in
 * @pid: the process that entered the nested user namespace
 * @plan: the planned maps, which the nested namespace gets as they are
 * @e: error
 *
 * Runs in nestbox's user namespace, where the writer holds CAP_SETUID and
 * CAP_SETGID, so a map of any number of ranges is allowed.  @pid must be
 * dumpable meanwhile: /proc/PID files of a non-dumpable process belong to
 * the host's root.
 */
int nb_lock_write_maps(int procfd, pid_t pid, const struct nb_idplan *plan, struct nb_error *e);

/*
 * Lets no namespace below nestbox's own user namespace create a user
 * namespace.  Return: 0, or 1 when the sysctl cannot be written (a
 * container's read-only /proc/sys) and the command must install the
 * seccomp filter that refuses them instead (nb_exec_spec.nouserns_filter).
 */
int nb_lock_disable_userns(int procfd, struct nb_error *e);

/* A proc of the caller's PID namespace, as an fd: detached if @own_pid_ns. */
int nb_lock_open_proc(bool own_pid_ns, struct nb_error *e);

/*
 * Init's ids in nestbox's namespace: the caller's, or the command's when the
 * map leaves the caller's out (@uid, @gid: the caller's).  It changes the
 * kernel's ids, which clears the parent-death signal: call it before that.
 */
int nb_lock_mapped_ids(const struct nb_idplan *plan, uid_t uid, gid_t gid, struct nb_error *e);
