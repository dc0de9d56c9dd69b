/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"

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
/* The --rlimit name of a resource (RLIMIT_*). */
const char *nb_cli_rlimit_name(int resource);
