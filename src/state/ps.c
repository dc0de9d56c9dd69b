// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox ps: the caller's running sandboxes.  The records (state.c) say
 * only which processes to look at; every value shown is read from the
 * kernel: the command line, the uptime, the namespace inodes and the maps.
 */
#include "autoconf.h"

#include "state/ps.h"
#include "lib/json.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "state/state.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const nb_ps_namespaces[NB_PS_N_NS] = {
	"user", "mnt", "uts", "ipc", "pid", "net", "cgroup",
};

/* The inode of /proc/PID/ns/NAME, or 0 when it cannot be read. */
uint64_t nb_ns_inode_of(pid_t pid, const char *name)
{
	char path[64], link[64];
	ssize_t n;
	const char *open;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	open = strchr(link, '[');
	return open ? strtoull(open + 1, NULL, 10) : 0;
}

/* A map file of @pid as "in:out:count" items joined by ','; "" if unreadable. */
void nb_read_map(pid_t pid, const char *file, char *out, size_t size)
{
	char path[64], buf[4096];
	size_t used = 0;
	char *line, *save = NULL;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (nb_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long a, b, c;
		int n;

		if (sscanf(line, "%lu %lu %lu", &a, &b, &c) != 3)
			continue;
		n = snprintf(out + used, size - used, "%s%lu:%lu:%lu", used ? "," : "", a, b, c);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* The command line as the kernel keeps it, NUL-separated; its length. */
static size_t read_cmdline_raw(pid_t pid, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = nb_read_file(path, out, size);
	if (n <= 0)
		n = 0;
	if ((size_t)n >= size)
		n = (ssize_t)size - 1;
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	return (size_t)n;
}

/* The command line, its arguments separated by spaces. */
static void read_cmdline(pid_t pid, char *out, size_t size)
{
	size_t n = read_cmdline_raw(pid, out, size);

	if (!n)
		snprintf(out, size, "?");
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
}

static long uptime_of(uint64_t start_ticks)
{
	char buf[64];
	double up;
	long hz = sysconf(_SC_CLK_TCK);

	if (nb_read_file("/proc/uptime", buf, sizeof(buf)) <= 0 || sscanf(buf, "%lf", &up) != 1 ||
	    hz <= 0)
		return -1;
	up -= (double)start_ticks / (double)hz;
	return up < 0 ? 0 : (long)up;
}

static void format_uptime(long s, char *out, size_t size)
{
	if (s < 0)
		snprintf(out, size, "?");
	else if (s < 60)
		snprintf(out, size, "%lds", s);
	else if (s < 3600)
		snprintf(out, size, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, size, "%ldh%02ldm", s / 3600, (s / 60) % 60);
	else
		snprintf(out, size, "%ldd%02ldh", s / 86400, (s / 3600) % 24);
}

void nb_ps_read(const struct nb_live *l, struct nb_ps_row *row)
{
	memset(row, 0, sizeof(*row));
	row->live = l;
	row->uptime = uptime_of(l->rec.init_start);
	if (l->cmd <= 0) {
		snprintf(row->command, sizeof(row->command), "(starting)");
		return;
	}
	read_cmdline(l->cmd, row->command, sizeof(row->command));
	for (int i = 0; i < NB_PS_N_NS; i++)
		row->ns[i] = nb_ns_inode_of(l->cmd, nb_ps_namespaces[i]);
	nb_read_map(l->cmd, "uid_map", row->uid_map, sizeof(row->uid_map));
	nb_read_map(l->cmd, "gid_map", row->gid_map, sizeof(row->gid_map));
}

static void print_json_map(struct nb_json *j, const char *key, const char *map)
{
	const char *p = map;

	nb_json_open(j, key, '[');
	while (*p) {
		unsigned long a, b, c;
		int used = 0;

		if (sscanf(p, "%lu:%lu:%lu%n", &a, &b, &c, &used) != 3)
			break;
		nb_json_open(j, NULL, '[');
		nb_json_elem_u64(j, a);
		nb_json_elem_u64(j, b);
		nb_json_elem_u64(j, c);
		nb_json_close(j, ']');
		p += used;
		if (*p == ',')
			p++;
	}
	nb_json_close(j, ']');
}

static void print_json(FILE *out, const struct nb_ps_row *rows, size_t n)
{
	struct nb_json j = NB_JSON(out);

	nb_json_open(&j, NULL, '[');
	for (size_t i = 0; i < n; i++) {
		const struct nb_ps_row *r = &rows[i];
		const struct nb_record *rec = &r->live->rec;
		char argv[4096];

		nb_json_open(&j, NULL, '{');
		nb_json_kv(&j, "name", rec->name);
		nb_json_ki64(&j, "host_pid", rec->host_pid);
		nb_json_ki64(&j, "init_pid", rec->init_pid);
		nb_json_ki64(&j, "pid", r->live->cmd);
		nb_json_open(&j, "command", '[');
		if (r->live->cmd > 0) {
			size_t len = read_cmdline_raw(r->live->cmd, argv, sizeof(argv));

			for (size_t a = 0; a < len; a += strlen(argv + a) + 1)
				nb_json_elem(&j, argv + a);
		}
		nb_json_close(&j, ']');
		nb_json_ki64(&j, "started", rec->started);
		nb_json_ki64(&j, "uptime_s", r->uptime);
		nb_json_open(&j, "namespaces", '{');
		for (int k = 0; k < NB_PS_N_NS; k++)
			nb_json_ku64(&j, nb_ps_namespaces[k], r->ns[k]);
		nb_json_close(&j, '}');
		nb_json_kv(&j, "map", rec->map);
		print_json_map(&j, "uid_map", r->uid_map);
		print_json_map(&j, "gid_map", r->gid_map);
		nb_json_kv(&j, "seccomp", rec->seccomp);
		nb_json_kv(&j, "net", rec->net);
		nb_json_ki64(&j, "net_helper_pid", rec->net_helper_pid);
		nb_json_open(&j, "ports", '[');
		for (const char *p = rec->ports; *p;) {
			size_t len = strcspn(p, ",");
			char one[128];

			snprintf(one, sizeof(one), "%.*s", (int)len, p);
			nb_json_elem(&j, one);
			p += len + (p[len] == ',');
		}
		nb_json_close(&j, ']');
		nb_json_close(&j, '}');
	}
	nb_json_close(&j, ']');
	fputc('\n', out);
}

/*
 * Every field goes through nb_escape(): the record lives where a sandbox
 * may write, and /proc holds what the command chose to put there.
 */
static void print_table(FILE *out, const struct nb_ps_row *rows, size_t n)
{
	fprintf(out, "%-20s %7s %7s %8s  %-24s %s\n", "NAME", "INIT", "PID", "UPTIME", "UID MAP",
		"COMMAND");
	for (size_t i = 0; i < n; i++) {
		const struct nb_ps_row *r = &rows[i];
		const struct nb_record *rec = &r->live->rec;
		char up[32], cmd[4 * sizeof(r->command) + 1], name[4 * sizeof(rec->name) + 1];
		char map[4 * sizeof(r->uid_map) + 1], net[4 * sizeof(rec->net) + 1];
		char ports[4 * sizeof(rec->ports) + 1];

		format_uptime(r->uptime, up, sizeof(up));
		nb_escape(r->command, cmd, sizeof(cmd));
		nb_escape(rec->name, name, sizeof(name));
		nb_escape(r->uid_map[0] ? r->uid_map : "-", map, sizeof(map));
		nb_escape(rec->net, net, sizeof(net));
		nb_escape(rec->ports, ports, sizeof(ports));
		fprintf(out, "%-20s %7d %7d %8s  %-24s %s\n", name, (int)rec->init_pid,
			(int)r->live->cmd, up, map, cmd);
		fputs("   ", out);
		if (!nb_streq(rec->net, "none") && rec->net[0]) {
			fprintf(out, " net:%s", net);
			if (rec->net_helper_pid)
				fprintf(out, " (helper %d)", (int)rec->net_helper_pid);
			if (rec->ports[0])
				fprintf(out, " ports:%s", ports);
			fputc(';', out);
		}
		for (int k = 0; k < NB_PS_N_NS; k++)
			if (r->ns[k])
				fprintf(out, " %s:[%" PRIu64 "]", nb_ps_namespaces[k], r->ns[k]);
			else
				fprintf(out, " %s:-", nb_ps_namespaces[k]);
		fputc('\n', out);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct nb_live *)a)->rec.name, ((const struct nb_live *)b)->rec.name);
}

int nb_ps(const struct nb_host *h, bool json, bool quiet, FILE *out, struct nb_error *e)
{
	char path[4096];
	_cleanup_close_ int dirfd = nb_state_dir_open(h, false, path, sizeof(path), e);
	struct nb_live *all = NULL;
	struct nb_ps_row *rows;
	size_t n = 0;

	if (dirfd == -ENOENT) {
		/* Nothing ever ran here. */
		*e = (struct nb_error){ 0 };
	} else if (dirfd < 0) {
		return dirfd;
	} else if (nb_state_list(dirfd, &all, &n, e) < 0) {
		return nb_err(e);
	}
	if (n > 1)
		qsort(all, n, sizeof(*all), by_name);
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows)
		nb_oom();
	for (size_t i = 0; i < n; i++)
		nb_ps_read(&all[i], &rows[i]);
	if (json)
		print_json(out, rows, n);
	else if (quiet)
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s\n", all[i].rec.name);
	else
		print_table(out, rows, n);
	free(rows);
	nb_state_list_free(all, n);
	return 0;
}
