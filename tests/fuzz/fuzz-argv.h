/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The harnesses' argv: the input split on NUL and newline bytes, after
 * @argv0.  Each argument gets its own allocation, so that reading past one
 * is caught rather than landing in the next.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char **fuzz_argv(const uint8_t *data, size_t size, const char *argv0, int *argc)
{
	/* At most one argument per byte, plus argv[0], plus the final one. */
	char **argv = calloc(size + 3, sizeof(*argv));
	size_t start = 0;
	int n = 0;

	if (!argv || !(argv[n++] = strdup(argv0)))
		abort();
	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != '\0' && data[i] != '\n')
			continue;
		/* A text file's final newline ends the last argument, it adds none. */
		if (i == size && start == size && size > 0)
			break;
		argv[n] = malloc(i - start + 1);
		if (!argv[n])
			abort();
		memcpy(argv[n], data + start, i - start);
		argv[n++][i - start] = '\0';
		start = i + 1;
	}
	*argc = n;
	return argv;
}

static inline void fuzz_argv_free(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
