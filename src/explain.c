// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int narrate_verbose;

void nb_narrate_level(int verbose)
{
	narrate_verbose = verbose;
}

void nb_narrate(int level, const char *who, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (narrate_verbose < level)
		return;
	n = snprintf(line, sizeof(line), "nestbox[%s]: ", who);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/*
	 * One write() per line and no stdio: lines of several processes do not
	 * mix, and a child that shares the host's memory takes no stdio lock.
	 */
	n = (int)strnlen(line, sizeof(line) - 2);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
