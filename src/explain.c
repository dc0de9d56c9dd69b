// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Narration (-v) and the human views of id maps: the idmap table and JSON,
 * and --show-map's reading of the kernel's maps.
 */
#include "autoconf.h"

#include "explain.h"
#include "idmap.h"
#include "util.h"

#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

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

/* The human and JSON views of id maps, for 'idmap' and --show-map. */

static void name_of(bool is_uid, uint32_t id, char *buf, size_t size)
{
	if (is_uid) {
		struct passwd *pw = getpwuid(id);

		snprintf(buf, size, "%s", pw ? pw->pw_name : "-");
	} else {
		struct group *gr = getgrgid(id);

		snprintf(buf, size, "%s", gr ? gr->gr_name : "-");
	}
}

static uint32_t read_overflow(int dirfd, const char *path)
{
	char buf[32];
	uint32_t v;

	if (nb_read_file_at(dirfd, path, buf, sizeof(buf)) <= 0)
		return NB_OVERFLOW_ID;
	buf[strcspn(buf, "\n")] = '\0';
	return nb_parse_u32(buf, &v) < 0 ? NB_OVERFLOW_ID : v;
}

static void source_of(const struct nb_id_range *r, uint32_t own, const struct nb_subids *subs,
		      const char *file, const char *user, char *buf, size_t size)
{
	if (r->outside == own && r->count == 1) {
		snprintf(buf, size, "your own id");
		return;
	}
	for (size_t k = 0; k < subs->n; k++)
		if (r->outside >= subs->r[k].start &&
		    (uint64_t)r->outside + r->count <=
			(uint64_t)subs->r[k].start + subs->r[k].count) {
			snprintf(buf, size, "%s line %u: %s:%" PRIu32 ":%" PRIu32, file,
				 subs->r[k].line, user ? user : "?", subs->r[k].start,
				 subs->r[k].count);
			return;
		}
	snprintf(buf, size, "(not yours)");
}

static void range_str(uint32_t start, uint32_t count, char *buf, size_t size)
{
	if (count == 1)
		snprintf(buf, size, "%" PRIu32, start);
	else
		snprintf(buf, size, "%" PRIu32 "-%" PRIu32, start, start + count - 1);
}

static void print_table(const struct nb_idmap *m, bool is_uid, uint32_t own,
			const struct nb_subids *subs, const char *user, enum nb_map_method how,
			FILE *out)
{
	const char *file = is_uid ? "/etc/subuid" : "/etc/subgid";

	fprintf(out, "%s map, applied by %s:\n", is_uid ? "uid" : "gid",
		how == NB_MAP_WRITE ? "nestbox (one id, written directly)"
		: is_uid	    ? "newuidmap"
				    : "newgidmap");
	fprintf(out, "  %-21s %-21s %-16s %s\n", "INSIDE", "OUTSIDE", "WHO OUTSIDE", "SOURCE");
	for (size_t i = 0; i < m->n; i++) {
		char in[24], outs[24], who[64], src[160], inname[64];
		const struct nb_id_range *r = &m->r[i];

		range_str(r->inside, r->count, in, sizeof(in));
		range_str(r->outside, r->count, outs, sizeof(outs));
		name_of(is_uid, r->outside, who, sizeof(who));
		if (r->count > 1)
			snprintf(who, sizeof(who), "%s", "(subordinate)");
		if (r->inside == 0)
			snprintf(inname, sizeof(inname), "%s (root)", in);
		else
			snprintf(inname, sizeof(inname), "%s", in);
		source_of(r, own, subs, file, user, src, sizeof(src));
		fprintf(out, "  %-21s %-21s %-16s %s\n", inname, outs, who, src);
	}
}

static void print_json_map(const struct nb_idmap *m, bool is_uid, uint32_t own,
			   const struct nb_subids *subs, const char *user, FILE *out)
{
	const char *file = is_uid ? "/etc/subuid" : "/etc/subgid";

	fputc('[', out);
	for (size_t i = 0; i < m->n; i++) {
		char who[64], src[160];
		const struct nb_id_range *r = &m->r[i];

		name_of(is_uid, r->outside, who, sizeof(who));
		source_of(r, own, subs, file, user, src, sizeof(src));
		fprintf(out,
			"%s{\"inside\":%" PRIu32 ",\"outside\":%" PRIu32 ",\"count\":%" PRIu32
			",\"outside_name\":",
			i ? "," : "", r->inside, r->outside, r->count);
		if (r->count == 1 && strcmp(who, "-") != 0)
			fprintf(out, "\"%s\"", who);
		else
			fputs("null", out);
		/* Names and file lines hold no quotes or backslashes worth escaping here. */
		for (char *c = src; *c; c++)
			if (*c == '"' || *c == '\\')
				*c = '?';
		fprintf(out, ",\"source\":\"%s\"}", src);
	}
	fputc(']', out);
}

/**
 * nb_idmap_print() - the human table, or JSON, of what 'run' would map
 */
void nb_idmap_print(const struct nb_idplan *plan, const struct nb_host *host, bool json, FILE *out)
{
	uint32_t ouid = read_overflow(AT_FDCWD, "/proc/sys/kernel/overflowuid");
	uint32_t ogid = read_overflow(AT_FDCWD, "/proc/sys/kernel/overflowgid");
	char oun[64], ogn[64];

	name_of(true, ouid, oun, sizeof(oun));
	name_of(false, ogid, ogn, sizeof(ogn));
	if (json) {
		fputs("{\"uid_map\":", out);
		print_json_map(&plan->uid, true, host->uid, &plan->subuid, host->user, out);
		fputs(",\"gid_map\":", out);
		print_json_map(&plan->gid, false, host->gid, &plan->subgid, host->user, out);
		fprintf(out,
			",\"uid_method\":\"%s\",\"gid_method\":\"%s\",\"uid\":%" PRIu32
			",\"gid\":%" PRIu32 ",\"overflow_uid\":%" PRIu32 ",\"overflow_gid\":"
			"%" PRIu32 "}\n",
			plan->uid_method == NB_MAP_WRITE ? "write" : "newuidmap",
			plan->gid_method == NB_MAP_WRITE ? "write" : "newgidmap", plan->inside_uid,
			plan->inside_gid, ouid, ogid);
		return;
	}
	print_table(&plan->uid, true, host->uid, &plan->subuid, host->user, plan->uid_method, out);
	fputc('\n', out);
	print_table(&plan->gid, false, host->gid, &plan->subgid, host->user, plan->gid_method, out);
	fprintf(out,
		"\nEvery other id shows up inside as uid %" PRIu32 " (%s) and gid %" PRIu32
		" (%s),\nfrom /proc/sys/kernel/overflowuid and overflowgid.\n",
		ouid, oun, ogid, ogn);
	fprintf(out, "The command runs as uid %" PRIu32 ", gid %" PRIu32 " inside.\n",
		plan->inside_uid, plan->inside_gid);
}

static void show_one(int procfd, pid_t pid, bool is_uid, FILE *out)
{
	char path[64], buf[8192];
	const char *kind = is_uid ? "uid" : "gid";
	char *line, *save = NULL;

	snprintf(path, sizeof(path), "%d/%s_map", (int)pid, kind);
	if (nb_read_file_at(procfd, path, buf, sizeof(buf)) < 0)
		return;
	fprintf(out, "nestbox: %s_map (the kernel's map of the command):\n", kind);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint32_t in, o, n;
		char who[64], inr[24], outr[24];

		if (sscanf(line, "%" SCNu32 " %" SCNu32 " %" SCNu32, &in, &o, &n) != 3)
			continue;
		range_str(in, n, inr, sizeof(inr));
		range_str(o, n, outr, sizeof(outr));
		name_of(is_uid, o, who, sizeof(who));
		fprintf(out,
			"nestbox:   %10" PRIu32 " %10" PRIu32 " %10" PRIu32 "   inside %s %s is "
			"outside %s%s%s%s\n",
			in, o, n, kind, inr, outr, n == 1 ? " (" : "", n == 1 ? who : "",
			n == 1 ? ")" : "");
	}
}

/**
 * nb_idmap_show_live() - print the sandbox's real maps, with their meaning
 */
void nb_idmap_show_live(int procfd, pid_t pid, FILE *out)
{
	uint32_t ouid = read_overflow(procfd, "sys/kernel/overflowuid");
	uint32_t ogid = read_overflow(procfd, "sys/kernel/overflowgid");

	show_one(procfd, pid, true, out);
	show_one(procfd, pid, false, out);
	fprintf(out,
		"nestbox: any other uid appears inside as %" PRIu32 " (nobody), any other gid as "
		"%" PRIu32 " (nogroup)\n",
		ouid, ogid);
	fflush(out);
}
