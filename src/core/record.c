// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A sandbox's record as text (what state.c writes and reads), its name's
 * rules, and a /proc/PID/stat line.  Pure: the core library's.
 */
#include "autoconf.h"

#include "core/record.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nb_state_check_name(const char *name, struct nb_error *e)
{
	size_t len = strlen(name);
	bool digits = len > 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (!isdigit(ch))
			digits = false;
		if (!(isalnum(ch) || (i > 0 && (ch == '_' || ch == '.' || ch == '-'))))
			goto bad;
	}
	if (len == 0 || len > NB_NAME_MAX)
		goto bad;
	if (digits)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "add a letter; numbers name pids",
			       "--name: '%s' is all digits", name);
	return 0;
bad:
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "use up to 63 letters, digits and _ . - (starting with a letter or digit)",
		       "--name: invalid name '%s'", name);
}

void nb_state_default_name(const char *argv0, pid_t pid, char *out, size_t size)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;
	char stem[33];
	size_t n = 0;

	base = base ? base + 1 : argv0 ? argv0 : "";
	for (; *base && n < sizeof(stem) - 1; base++) {
		unsigned char ch = (unsigned char)*base;

		if (isalnum(ch) || (n > 0 && (ch == '_' || ch == '.' || ch == '-')))
			stem[n++] = (char)ch;
	}
	stem[n] = '\0';
	snprintf(out, size, "%s-%d", n ? stem : "sandbox", (int)pid);
}

int nb_record_format(const struct nb_record *r, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "nestbox-record 1\nname=%s\nhost_pid=%d\ninit_pid=%d\ninit_start=%" PRIu64
			 "\nstarted=%" PRId64
			 "\npid_ns=%d\nas_pid1=%d\nseccomp=%s\nmap=%s\nnet=%s\nnet_helper_pid=%d\n"
			 "ports=%s\n",
			 r->name, (int)r->host_pid, (int)r->init_pid, r->init_start, r->started,
			 r->own_pid_ns, r->as_pid1, r->seccomp, r->map, r->net,
			 (int)r->net_helper_pid, r->ports);

	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

static int copy_word(char *dst, size_t size, const char *v)
{
	size_t len = strlen(v);

	if (len >= size)
		return -EINVAL;
	/* A record lives where a sandbox may write: no byte a terminal obeys. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f)
			return -EINVAL;
	memcpy(dst, v, len + 1);
	return 0;
}

static int parse_pid(const char *v, pid_t *out)
{
	uint32_t u;

	if (nb_parse_u32(v, &u) < 0 || u > INT32_MAX)
		return -EINVAL;
	*out = (pid_t)u;
	return 0;
}

int nb_record_parse(const char *text, struct nb_record *r)
{
	char line[256];
	const char *p = text;
	bool magic = false;

	memset(r, 0, sizeof(*r));
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *eq;
		uint64_t u;
		int bad = 0;

		if (len >= sizeof(line))
			return -EINVAL;
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (p[len] == '\n');
		if (!magic) {
			if (!nb_streq(line, "nestbox-record 1"))
				return -EINVAL;
			magic = true;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq)
			return -EINVAL;
		*eq++ = '\0';
		if (nb_streq(line, "name"))
			bad = copy_word(r->name, sizeof(r->name), eq) < 0 ||
			      nb_state_check_name(eq, NULL) < 0;
		else if (nb_streq(line, "host_pid"))
			bad = parse_pid(eq, &r->host_pid);
		else if (nb_streq(line, "init_pid"))
			bad = parse_pid(eq, &r->init_pid);
		else if (nb_streq(line, "init_start"))
			bad = nb_parse_u64(eq, &r->init_start);
		else if (nb_streq(line, "started"))
			bad = nb_parse_u64(eq, &u) < 0 || u > INT64_MAX
				  ? -1
				  : (r->started = (int64_t)u, 0);
		else if (nb_streq(line, "pid_ns"))
			r->own_pid_ns = nb_streq(eq, "1");
		else if (nb_streq(line, "as_pid1"))
			r->as_pid1 = nb_streq(eq, "1");
		else if (nb_streq(line, "seccomp"))
			bad = copy_word(r->seccomp, sizeof(r->seccomp), eq);
		else if (nb_streq(line, "map"))
			bad = copy_word(r->map, sizeof(r->map), eq);
		else if (nb_streq(line, "net"))
			bad = copy_word(r->net, sizeof(r->net), eq);
		else if (nb_streq(line, "net_helper_pid"))
			bad = parse_pid(eq, &r->net_helper_pid);
		else if (nb_streq(line, "ports"))
			bad = copy_word(r->ports, sizeof(r->ports), eq);
		/* Unknown keys are a newer nestbox's: skip them. */
		if (bad)
			return -EINVAL;
	}
	return magic && r->name[0] && r->host_pid > 0 ? 0 : -EINVAL;
}

int nb_parse_proc_stat(const char *line, uint64_t *start, pid_t *ppid)
{
	/* The command name (field 2) may hold spaces and parentheses: skip to the last ')'. */
	const char *p = strrchr(line, ')');
	int field = 2;

	if (!p)
		return -EINVAL;
	p++;
	while (*p && field < 22) {
		while (*p == ' ')
			p++;
		field++;
		if (field == 4 && ppid)
			*ppid = (pid_t)strtol(p, NULL, 10);
		if (field == 22)
			break;
		p += strcspn(p, " ");
	}
	if (field != 22 || !isdigit((unsigned char)*p))
		return -EINVAL;
	*start = strtoull(p, NULL, 10);
	return 0;
}
