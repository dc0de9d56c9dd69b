// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the option parser: the input, split on NUL and
 * newline bytes, is the argv after "nestbox", parsed against a fixed caller,
 * then freed.
 * Each argument gets its own allocation, so that reading past one is caught
 * rather than landing in the next.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "lib/util.h"
#include "fuzz-argv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src",
	.shell = "/bin/bash",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_config cfg;
	struct nb_cli cli;
	struct nb_error e = { 0 };
	int argc;
	char **argv = fuzz_argv(data, size, "nestbox", &argc);

	nb_config_init(&cfg);
	if (nb_cli_parse(argc, argv, &host, &cfg, &cli, &e) < 0) {
		if (strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
			abort();
	} else if (cli.action == NB_ACT_HELP) {
		(void)strlen(nb_cli_usage(cli.help_for));
	}
	nb_config_free(&cfg);

	fuzz_argv_free(argv, argc);
	return 0;
}
