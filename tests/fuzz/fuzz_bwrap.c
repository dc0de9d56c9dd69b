// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for nestbox-bwrap's parser of bubblewrap's command line:
 * the input, split on NUL and newline bytes, is the argv after "bwrap",
 * parsed against a fixed caller, then freed.  fd 3 reads as a small --args
 * list of its own; other fds read as closed.  fds 3 and 5 count as
 * inherited.
 */
#include "autoconf.h"

#include "front/bwrap-cli.h"
#include "lib/util.h"
#include "fuzz-argv.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1001,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src",
	.shell = "/bin/sh",
};

static char *read_fd(int fd, size_t *len)
{
	static const char args[] = "--ro-bind\0/usr\0/usr\0--setenv\0A\0b\0--dir\0/x";
	char *copy;

	if (fd != 3) {
		errno = EBADF;
		return NULL;
	}
	copy = malloc(sizeof(args));
	if (!copy)
		abort();
	memcpy(copy, args, sizeof(args));
	*len = sizeof(args);
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int inherited[] = { 3, 5 };
	struct nb_config cfg;
	struct nb_bwrap_cli cli = { 0 };
	struct nb_error e = { 0 };
	int argc;
	char **argv = fuzz_argv(data, size, "bwrap", &argc);

	nb_config_init(&cfg);
	/* A message must end inside its buffer. */
	if (nb_bwrap_parse(argc, argv, &host, read_fd, inherited, 2, &cfg, &cli, &e) < 0 &&
	    strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
		abort();
	nb_bwrap_cli_free(&cli);
	nb_config_free(&cfg);

	fuzz_argv_free(argv, argc);
	return 0;
}
