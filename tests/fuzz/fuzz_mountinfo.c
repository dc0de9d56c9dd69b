// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the mountinfo planner.  The input's first line is the
 * prefix (the subtree to remount read-only; "/" when empty), the rest is a
 * mountinfo table.  The table is written to a memfd and read back through
 * /proc/self/fd/N, the way nb_mountinfo_ro_plan() reads /proc/self/mountinfo.
 * The plan must stay below the prefix, hold each target once, and add only
 * the locked flags to a read-only bind remount.  libmount itself is loaded
 * with dlopen() and not instrumented: this covers nestbox's use of it.
 */
#include "autoconf.h"

#include "fs/mountinfo.h"
#include "lib/util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RO_BIND (MS_BIND | MS_REMOUNT | MS_RDONLY)
#define LOCKED                                                                         \
	(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	 MS_STRICTATIME)

static bool below(const char *target, const char *prefix)
{
	size_t len = strlen(prefix);

	if (strcmp(prefix, "/") == 0)
		return target[0] == '/';
	return strncmp(target, prefix, len) == 0 && (target[len] == '\0' || target[len] == '/');
}

static void check(const struct nb_remount *r, size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++) {
		if (!r[i].target || !below(r[i].target, prefix))
			abort();
		if ((r[i].flags & RO_BIND) != RO_BIND || (r[i].flags & ~(RO_BIND | LOCKED)))
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(r[i].target, r[j].target) == 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	char *prefix;
	struct nb_remount *r;
	struct nb_error e = { 0 };
	size_t n;

	if (fd < 0) {
		fd = memfd_create("mountinfo", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	/* The prefix is a C string: it ends at its first NUL. */
	prefix = malloc(plen + 2);
	if (!prefix)
		abort();
	memcpy(prefix, data, plen);
	prefix[plen] = '\0';
	if (!prefix[0])
		strcpy(prefix, "/");
	data += nl ? plen + 1 : plen;
	size -= nl ? plen + 1 : plen;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	if (nb_mountinfo_ro_plan(path, prefix, &r, &n, &e) == 0) {
		check(r, n, prefix);
		nb_remounts_free(r, n);
	} else if (strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg)) {
		abort();
	}
	free(prefix);
	return 0;
}
