// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Narration (-v) and the human views of id maps: the idmap table and JSON,
 * and --show-map's reading of the kernel's maps.
 */
#include "autoconf.h"

#include "lib/explain.h"
#include "lib/json.h"
#include "core/idmap.h"
#include "lib/util.h"
#include "lib/io.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int narrate_verbose;
static bool narrate_colour;
/* When nestbox started, for -vv; the sandbox's processes inherit it. */
static int64_t narrate_t0_us;

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void nb_narrate_start(void)
{
	narrate_t0_us = now_us();
}

void nb_narrate_level(int verbose)
{
	const char *no_colour = getenv("NO_COLOR");

	narrate_verbose = verbose;
	/* https://no-color.org: any non-empty NO_COLOR turns colour off. */
	narrate_colour = verbose > 0 && isatty(STDERR_FILENO) && !(no_colour && *no_colour);
	if (!narrate_t0_us)
		nb_narrate_start();
}

bool nb_narrating(int level)
{
	return narrate_verbose >= level;
}

void nb_narrate(int level, const char *who, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (narrate_verbose < level)
		return;
	if (narrate_verbose >= 2) {
		int64_t us = now_us() - narrate_t0_us;

		n = snprintf(line, sizeof(line), "%snestbox[%s +%lld.%03lldms]:%s ",
			     narrate_colour ? "\033[36m" : "", who, (long long)(us / 1000),
			     (long long)(us % 1000), narrate_colour ? "\033[0m" : "");
	} else {
		n = snprintf(line, sizeof(line), "%snestbox[%s]:%s ",
			     narrate_colour ? "\033[36m" : "", who,
			     narrate_colour ? "\033[0m" : "");
	}
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/*
	 * One write() per line and no stdio: lines of several processes do not
	 * mix, and the command, which shares init's memory until its exec,
	 * takes no stdio lock.
	 */
	n = (int)strnlen(line, sizeof(line) - 2);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

/* The inode of the namespace file @fd, and of the user namespace that owns it (0 if hidden). */
static void ns_inodes(int fd, unsigned long *ino, unsigned long *owner)
{
	struct stat st;
	int ufd;

	*ino = fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
	*owner = 0;
	ufd = ioctl(fd, NS_GET_USERNS);
	if (ufd >= 0) {
		if (fstat(ufd, &st) == 0)
			*owner = (unsigned long)st.st_ino;
		close(ufd);
	}
}

void nb_narrate_ns(int level, const char *who, int dirfd, const char *path, const char *what)
{
	const char *type = strrchr(path, '/');
	char name[16];
	int fd;

	if (!nb_narrating(level))
		return;
	type = type ? type + 1 : path;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(type, "_"), type);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		nb_narrate(level, who, "%s %s namespace (unreadable: %s)", what, name,
			   strerror(errno));
		return;
	}
	nb_narrate_ns_fd(level, who, fd, name, what);
	close(fd);
}

void nb_narrate_ns_fd(int level, const char *who, int fd, const char *name, const char *what)
{
	unsigned long ino, owner;

	if (!nb_narrating(level))
		return;
	ns_inodes(fd, &ino, &owner);
	if (owner)
		nb_narrate(level, who, "%s %s namespace %s:[%lu], owned by user:[%lu]", what, name,
			   name, ino, owner);
	else
		nb_narrate(level, who,
			   "%s %s namespace %s:[%lu], owned by a user namespace above ours", what,
			   name, name, ino);
}

void nb_narrate_map(const char *who, const char *path, const char *map)
{
	if (!nb_narrating(1))
		return;
	for (const char *p = map; *p;) {
		size_t len = strcspn(p, "\n");

		if (len)
			nb_narrate(1, who, "%s <- \"%.*s\"", path, (int)len, p);
		p += len + (p[len] == '\n');
	}
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

static void print_json_map(struct nb_json *j, const char *key, const struct nb_idmap *m,
			   bool is_uid, uint32_t own, const struct nb_subids *subs,
			   const char *user)
{
	const char *file = is_uid ? "/etc/subuid" : "/etc/subgid";

	nb_json_open(j, key, '[');
	for (size_t i = 0; i < m->n; i++) {
		char who[64], src[160];
		const struct nb_id_range *r = &m->r[i];

		name_of(is_uid, r->outside, who, sizeof(who));
		source_of(r, own, subs, file, user, src, sizeof(src));
		nb_json_open(j, NULL, '{');
		nb_json_ku64(j, "inside", r->inside);
		nb_json_ku64(j, "outside", r->outside);
		nb_json_ku64(j, "count", r->count);
		nb_json_kv(j, "outside_name", r->count == 1 && strcmp(who, "-") != 0 ? who : NULL);
		nb_json_kv(j, "source", src);
		nb_json_close(j, '}');
	}
	nb_json_close(j, ']');
}

/* The rest of idmap --json, after the two maps. */
static void print_json_tail(struct nb_json *j, const char *uid_method, const char *gid_method,
			    uint32_t uid, uint32_t gid, uint32_t ouid, uint32_t ogid)
{
	nb_json_kv(j, "uid_method", uid_method);
	nb_json_kv(j, "gid_method", gid_method);
	nb_json_ku64(j, "uid", uid);
	nb_json_ku64(j, "gid", gid);
	nb_json_ku64(j, "overflow_uid", ouid);
	nb_json_ku64(j, "overflow_gid", ogid);
	nb_json_close(j, '}');
	fputc('\n', j->f);
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
	if (plan->uid_method == NB_MAP_SKIP) {
		if (json) {
			struct nb_json j = NB_JSON(out);

			nb_json_open(&j, NULL, '{');
			nb_json_open(&j, "uid_map", '[');
			nb_json_close(&j, ']');
			nb_json_open(&j, "gid_map", '[');
			nb_json_close(&j, ']');
			print_json_tail(&j, "none", "none", ouid, ogid, ouid, ogid);
			return;
		}
		fprintf(
		    out,
		    "uid map: empty (--map none: nothing is written)\n"
		    "gid map: empty\n\n"
		    "Every id inside, root's included, is unmapped, so the kernel shows it as\n"
		    "uid %" PRIu32 " (%s) and gid %" PRIu32
		    " (%s), from /proc/sys/kernel/overflowuid\n"
		    "and overflowgid.  Only a process outside the namespace may write its map.\n"
		    "The command runs as uid %" PRIu32 ", gid %" PRIu32 " inside.\n",
		    ouid, oun, ogid, ogn, ouid, ogid);
		return;
	}
	if (json) {
		struct nb_json j = NB_JSON(out);

		nb_json_open(&j, NULL, '{');
		print_json_map(&j, "uid_map", &plan->uid, true, host->uid, &plan->subuid,
			       host->user);
		print_json_map(&j, "gid_map", &plan->gid, false, host->gid, &plan->subgid,
			       host->user);
		print_json_tail(&j, plan->uid_method == NB_MAP_WRITE ? "write" : "newuidmap",
				plan->gid_method == NB_MAP_WRITE ? "write" : "newgidmap",
				plan->inside_uid, plan->inside_gid, ouid, ogid);
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
