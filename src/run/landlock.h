/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --isolation landlock: the build profile's promises as access rights, for
 * machines where no user namespace can be made (landlock.c), and the run
 * that applies them (landlock-run.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct nb_config;
struct nb_error;
struct nb_host;
struct nb_plan;

/* The strongest Landlock ABI the kernel has; 0 when it has none (errno says why). */
int nb_landlock_abi(void);

/* What a Landlock sandbox is given: paths, each readable or writable beneath. */
struct nb_landlock_spec {
	/* Hidden: neither readable nor listable (the read rules go around them). */
	const char **hidden;
	size_t n_hidden;
	/* Readable and executable beneath, although inside a hidden path. */
	const char **readable;
	size_t n_readable;
	/* Everything beneath, writable. */
	const char **writable;
	size_t n_writable;
};

/**
 * nb_landlock_check() - refuse what a Landlock sandbox cannot do (pure)
 *
 * Options that need namespaces (a map, --uid, --hostname, a network, a
 * --tmpfs, a bind to another place, ...) are refused with one line, never
 * ignored.
 */
int nb_landlock_check(const struct nb_config *cfg, struct nb_error *e);

/*
 * In the process about to exec: the ruleset, no_new_privs and
 * landlock_restrict_self(); @abi from nb_landlock_abi().
 */
int nb_landlock_enforce(const struct nb_landlock_spec *spec, int abi, struct nb_error *e);

/* One line per guarantee that holds with @abi, and one per what does not, for -v and --dry-run. */
const char *const *nb_landlock_guarantees(int abi, bool holds);

/* Runs the plan's command under Landlock; the command's status, as nb_sandbox_run() gives it. */
int nb_landlock_run(const struct nb_plan *plan, struct nb_error *e);
