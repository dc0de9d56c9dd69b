/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct nb_host;
struct nb_idplan;

/**
 * nb_narrate() - with --verbose, say what step is being taken and why
 * @level: the verbosity at which to speak (1 for every step)
 *
 * Narration goes to stderr, so that stdout stays the command's.
 */
void nb_narrate(int level, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void nb_narrate_level(int verbose);
/* Marks nestbox's start, from which -vv counts; nb_narrate_level() sets it if unset. */
void nb_narrate_start(void);
/* Whether narration at @level is on: to skip work done only to narrate. */
bool nb_narrating(int level);
/*
 * Narrates "<what> <type> namespace <type>:[inode], owned by user:[inode]"
 * for the namespace file @path (relative to @dirfd), read from the kernel.
 */
void nb_narrate_ns(int level, const char *who, int dirfd, const char *path, const char *what);
/* The same for an open namespace fd of type @name ("net", ...). */
void nb_narrate_ns_fd(int level, const char *who, int fd, const char *name, const char *what);
/* Narrates each line of a map written to @path. */
void nb_narrate_map(const char *who, const char *path, const char *map);

/* The table (or JSON) of what 'nestbox run' would map, for 'nestbox idmap'. */
void nb_idmap_print(const struct nb_idplan *plan, const struct nb_host *host, bool json, FILE *out);
/* The sandbox's real uid_map and gid_map, line by line with their meaning. */
/* The command's maps as the kernel shows them, read through @procfd. */
void nb_idmap_show_live(int procfd, pid_t pid, FILE *out);
