/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

#include <stddef.h>

struct nb_error;

#define NB_BWRAP_MAX_WARNINGS 8

/**
 * struct nb_bwrap_cli - what bubblewrap's command line asks beside the sandbox
 * @help: print the usage and exit 0
 * @version: print the version and exit 0
 * @level_prefix: prefix diagnostics with a syslog level, "<3>" or "<4>"
 * @warnings: messages to print before the sandbox starts
 * @n_warnings: how many
 * @args: the expanded command line (--args), which @cfg points into; freed
 *        by nb_bwrap_cli_free()
 */
struct nb_bwrap_cli {
	bool help;
	bool version;
	bool level_prefix;
	const char *warnings[NB_BWRAP_MAX_WARNINGS];
	size_t n_warnings;
	char **args;
	size_t n_args;
};

/*
 * Reads all of fd @fd (for --args); returns a malloc()ed buffer and its
 * length, or NULL with errno set.  Passed in to keep the parser pure.
 */
typedef char *(*nb_read_fd_fn)(int fd, size_t *len);

/*
 * @inherited: the fds the caller left open across exec (not close-on-exec);
 * as with bubblewrap, the command gets those that no option uses up.
 */
int nb_bwrap_parse(int argc, char **argv, const struct nb_host *host, nb_read_fd_fn read_fd,
		   const int *inherited, size_t n_inherited, struct nb_config *cfg,
		   struct nb_bwrap_cli *cli, struct nb_error *e);
void nb_bwrap_cli_free(struct nb_bwrap_cli *cli);
