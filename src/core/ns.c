// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of namespaces (flag, name, whether --share may keep it): pure,
 * for the command lines, the plan and the narration (nest.c makes them).
 */
#include "autoconf.h"

#include "core/ns.h"
#include "lib/util.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const struct nb_ns nb_namespaces[] = {
	{ .flag = CLONE_NEWUSER, .name = "user", .shareable = 0 },
	{ .flag = CLONE_NEWUTS, .name = "uts", .shareable = 1 },
	{ .flag = CLONE_NEWPID, .name = "pid", .shareable = 1 },
	{ .flag = CLONE_NEWNS, .name = "mnt", .shareable = 1 },
	{ .flag = CLONE_NEWNET, .name = "net", .shareable = 1 },
	{ .flag = CLONE_NEWIPC, .name = "ipc", .shareable = 1 },
	{ .flag = CLONE_NEWCGROUP, .name = "cgroup", .shareable = 1 },
};
const size_t nb_n_namespaces = sizeof(nb_namespaces) / sizeof(nb_namespaces[0]);

const struct nb_ns *nb_ns_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < nb_n_namespaces; i++)
		if (strlen(nb_namespaces[i].name) == len &&
		    strncmp(nb_namespaces[i].name, name, len) == 0)
			return &nb_namespaces[i];
	return NULL;
}

int nb_ns_default_flags(void)
{
	int flags = 0;

	for (size_t i = 0; i < nb_n_namespaces; i++)
		if (nb_namespaces[i].flag != CLONE_NEWUSER)
			flags |= nb_namespaces[i].flag;
	return flags;
}

const char *nb_ns_names(int flags, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nb_n_namespaces && n < size; i++)
		if (flags & nb_namespaces[i].flag)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
					      nb_namespaces[i].name);
	return buf;
}
