/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

struct nb_error;

enum nb_action {
	NB_ACT_RUN,
	NB_ACT_IDMAP,
	NB_ACT_DOCTOR,
	NB_ACT_PS,
	NB_ACT_ENTER,
	NB_ACT_COMPARE,
	NB_ACT_HELP,
	NB_ACT_VERSION,
};

/**
 * struct nb_cli - the outcome of parsing the command line
 * @action: what main() should do
 * @help_for: the subcommand whose help was asked for ("run", "idmap", "doctor", NULL)
 * @json: idmap --json, doctor --json
 */
struct nb_cli {
	enum nb_action action;
	const char *help_for;
	bool json;
	/* ps -q: names only. */
	bool quiet;
	/* enter: the NAME or PID of the sandbox (points into argv). */
	const char *target;
};

/**
 * nb_cli_parse() - turn argv into a configuration, without any syscall
 * @argc: argument count
 * @argv: arguments; strings are copied, so argv may go away afterwards
 * @host: facts about the caller (cwd, home, ...) that profiles need
 * @cfg: initialised configuration to fill
 * @cli: what to do
 * @e: error, with status NB_EXIT_FAILURE
 *
 * Return: 0 or a negative errno.
 */
int nb_cli_parse(int argc, char **argv, const struct nb_host *host, struct nb_config *cfg,
		 struct nb_cli *cli, struct nb_error *e);

const char *nb_cli_usage(const char *subcommand);

/**
 * struct nb_subcommand - one of nestbox's commands: the one table from which
 * the parser, the help and main()'s dispatch are derived
 * @name: its word on the command line
 * @sub: its bit in the option table's subcommands (compare takes run's)
 * @action: what main() does for it
 * @synopsis: its arguments, for the usage line
 * @summary: what it does, for the list of commands
 * @usage: its --help text (usage.c)
 */
struct nb_subcommand {
	const char *name;
	int sub;
	enum nb_action action;
	const char *synopsis;
	const char *summary;
	const char *usage;
};
/* The commands, run (the default) first. */
extern const struct nb_subcommand nb_subcommands[];
extern const size_t nb_n_subcommands;
/* The command named @name, or NULL. */
const struct nb_subcommand *nb_subcommand_find(const char *name);
/* The --help texts of the commands (usage.c). */
extern const char nb_usage_run[], nb_usage_idmap[], nb_usage_doctor[], nb_usage_compare[],
    nb_usage_ps[], nb_usage_enter[];
/* The --rlimit name of a resource (RLIMIT_*). */
const char *nb_cli_rlimit_name(int resource);
