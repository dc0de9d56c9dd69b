// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox compare: start a sandbox as run would, and print the host's view
 * and the sandbox's side by side.  Every value is read from the kernel: the
 * host's from nestbox's own /proc/self, the sandbox's from /proc/PID of its
 * command, and what only a process inside can see (the hostname, the ids in
 * the sandbox's own numbers) by a short-lived probe that joins the
 * command's user and UTS namespaces through its pidfd.
 *
 *   nestbox compare
 *     | fork()           the sandbox's host, exactly as 'nestbox run'
 *     | fork()           the probe: setns(pidfd, USER | UTS), uname()
 */
#include "autoconf.h"

#include "state/compare.h"
#include "lib/json.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "core/plan.h"
#include "state/ps.h"
#include "run/sandbox.h"
#include "state/state.h"
#include "lib/util.h"
#include "lib/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One side of the table. */
struct view {
	uint64_t ns[NB_PS_N_NS];
	long uid, gid; /* in this side's own numbers */
	long uid_host, gid_host; /* as the host sees them */
	char uid_map[512], gid_map[512];
	char hostname[65];
	long pid, pid_host;
	long processes;
	long mounts;
	char interfaces[512];
	uint64_t cap_eff;
};

static long count_lines(const char *path)
{
	char buf[65536];
	ssize_t n = nb_read_file(path, buf, sizeof(buf));
	long lines = 0;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

/* The interface names of /proc/PID/net/dev, space-separated. */
static void interfaces(const char *path, char *out, size_t size)
{
	char buf[16384];
	size_t used = 0;
	char *line, *save = NULL;
	int k = 0;

	out[0] = '\0';
	if (nb_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');

		/* Two header lines, then "  name: counters". */
		if (k++ < 2 || !colon)
			continue;
		*colon = '\0';
		line += strspn(line, " ");
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", line);
		if (used >= size)
			break;
	}
}

/*
 * With @root 0, every process the host's /proc shows; else @root and its
 * descendants, which are the processes of the PID namespace whose init is
 * @root (from the parent pids in /proc/PID/stat, which anyone may read).
 */
static long count_processes(pid_t root)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t *pids = NULL, *parents = NULL;
	size_t n = 0;
	long count = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		uint32_t pid;
		uint64_t start;
		pid_t ppid = 0;

		if (nb_parse_u32(de->d_name, &pid) < 0 ||
		    nb_proc_stat((pid_t)pid, &start, &ppid) < 0)
			continue;
		pids = nb_grow(pids, n, sizeof(*pids));
		parents = nb_grow(parents, n, sizeof(*parents));
		pids[n] = (pid_t)pid;
		parents[n++] = ppid;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		pid_t p = pids[i];

		/* Walk up to the root; a chain is never longer than the table. */
		for (size_t hops = 0; root && p != root && p > 1 && hops <= n; hops++) {
			pid_t up = 0;

			for (size_t k = 0; k < n; k++)
				if (pids[k] == p)
					up = parents[k];
			p = up;
		}
		count += !root || p == root;
	}
	free(pids);
	free(parents);
	return count;
}

/* Number @index of a status line, or with @index -1 its last one. */
static long status_number(const char *status, const char *key, int index)
{
	char v[256];
	char *p = v, *end;
	long last = -1;

	if (!nb_status_field(status, key, v, sizeof(v)))
		return -1;
	for (int i = 0;; i++, p = end) {
		long x = strtol(p, &end, 10);

		if (end == p)
			return index < 0 ? last : -1;
		if (i == index)
			return x;
		last = x;
	}
}

static void host_view(struct view *v)
{
	char status[4096];
	struct utsname u;

	for (int i = 0; i < NB_PS_N_NS; i++)
		v->ns[i] = nb_ns_inode_of(getpid(), nb_ps_namespaces[i]);
	v->uid = v->uid_host = (long)getuid();
	v->gid = v->gid_host = (long)getgid();
	nb_read_map(getpid(), "uid_map", v->uid_map, sizeof(v->uid_map));
	nb_read_map(getpid(), "gid_map", v->gid_map, sizeof(v->gid_map));
	if (uname(&u) == 0)
		snprintf(v->hostname, sizeof(v->hostname), "%s", u.nodename);
	v->pid = v->pid_host = (long)getpid();
	v->processes = count_processes(0);
	v->mounts = count_lines("/proc/self/mountinfo");
	interfaces("/proc/self/net/dev", v->interfaces, sizeof(v->interfaces));
	if (nb_read_file("/proc/self/status", status, sizeof(status)) > 0) {
		char cap[32];

		if (nb_status_field(status, "CapEff", cap, sizeof(cap)))
			v->cap_eff = strtoull(cap, NULL, 16);
	}
}

/* What a process inside sees: its hostname and the command's ids, in its numbers. */
struct probe_result {
	char hostname[65];
	long uid, gid;
	int err;
};

static int probe(const struct nb_live *l, struct probe_result *res)
{
	char path[64];
	int p[2], status;
	_cleanup_close_ int piddir = -1;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/%d", (int)l->cmd);
	piddir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0 || pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		struct probe_result r = { 0 };
		char st[4096];
		struct utsname u;

		close(p[0]);
		if (setns(l->cmd_fd, CLONE_NEWUSER | CLONE_NEWUTS) < 0) {
			r.err = errno;
		} else {
			if (uname(&u) == 0)
				snprintf(r.hostname, sizeof(r.hostname), "%s", u.nodename);
			/* Opened from inside: the kernel shows the ids in its numbers. */
			if (nb_read_file_at(piddir, "status", st, sizeof(st)) > 0) {
				r.uid = status_number(st, "Uid", 0);
				r.gid = status_number(st, "Gid", 0);
			}
		}
		_exit(nb_write_fd_all(p[1], &r, sizeof(r)) < 0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -errno;
	}
	if (TEMP_FAILURE_RETRY(read(p[0], res, sizeof(*res))) != (ssize_t)sizeof(*res))
		res->err = EIO;
	close(p[0]);
	(void)TEMP_FAILURE_RETRY(waitpid(pid, &status, 0));
	return res->err ? -res->err : 0;
}

static int sandbox_view(const struct nb_live *l, struct view *v, struct nb_error *e)
{
	char path[64], status[4096], cap[32];
	struct probe_result r = { 0 };
	pid_t cmd = l->cmd;

	for (int i = 0; i < NB_PS_N_NS; i++)
		v->ns[i] = nb_ns_inode_of(cmd, nb_ps_namespaces[i]);
	if (probe(l, &r) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, r.err ? r.err : errno, NULL,
			       "joining the sandbox to read its view");
	snprintf(v->hostname, sizeof(v->hostname), "%s", r.hostname);
	v->uid = r.uid;
	v->gid = r.gid;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)cmd);
	if (nb_read_file(path, status, sizeof(status)) <= 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading %s", path);
	v->uid_host = status_number(status, "Uid", 0);
	v->gid_host = status_number(status, "Gid", 0);
	/* NSpid: the pid in each namespace from the host's down; the last is its own. */
	v->pid = status_number(status, "NSpid", -1);
	v->pid_host = (long)cmd;
	if (nb_status_field(status, "CapEff", cap, sizeof(cap)))
		v->cap_eff = strtoull(cap, NULL, 16);
	nb_read_map(cmd, "uid_map", v->uid_map, sizeof(v->uid_map));
	nb_read_map(cmd, "gid_map", v->gid_map, sizeof(v->gid_map));
	v->processes = v->ns[4] == nb_ns_inode_of(getpid(), "pid")
			   ? count_processes(0)
			   : count_processes(l->rec.init_pid);
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)cmd);
	v->mounts = count_lines(path);
	snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)cmd);
	interfaces(path, v->interfaces, sizeof(v->interfaces));
	/* Read to the end while it ran, or not at all: a zombie shows no namespaces. */
	if (!nb_ns_inode_of(cmd, "user"))
		return -ECHILD;
	return 0;
}

static void caps_text(uint64_t eff, char *out, size_t size)
{
	int last = cap_max_bits();
	uint64_t full = last >= 64 ? ~0ULL : (1ULL << last) - 1;
	size_t used = 0;

	if ((eff & full) == full) {
		snprintf(out, size, "all %d", last);
		return;
	}
	if (!eff) {
		snprintf(out, size, "none");
		return;
	}
	out[0] = '\0';
	for (int c = 0; c < last && used < size; c++)
		if (eff & (1ULL << c)) {
			char *name = cap_to_name((cap_value_t)c);

			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
						 name ? name : "?");
			cap_free(name);
		}
}

static void maps_text(const char *m, char *out, size_t size)
{
	snprintf(out, size, "%s", m[0] ? m : "(empty)");
	for (char *c = out; *c; c++)
		if (*c == ':')
			*c = ' ';
		else if (*c == ',')
			*c = ';';
}

static void row(FILE *out, const char *what, const char *h, const char *s, const char *mark)
{
	if (*mark)
		fprintf(out, "%-16s %-28s %-28s %s\n", what, h, s, mark);
	else
		fprintf(out, "%-16s %-28s %s\n", what, h, s);
}

static void print_table(FILE *out, const struct view *h, const struct view *s)
{
	char a[600], b[600];

	row(out, "", "HOST", "SANDBOX", "");
	for (int i = 0; i < NB_PS_N_NS; i++) {
		char what[32];

		snprintf(what, sizeof(what), "%s ns", nb_ps_namespaces[i]);
		snprintf(a, sizeof(a), "%s:[%" PRIu64 "]", nb_ps_namespaces[i], h->ns[i]);
		snprintf(b, sizeof(b), "%s:[%" PRIu64 "]", nb_ps_namespaces[i], s->ns[i]);
		row(out, what, a, b, h->ns[i] == s->ns[i] ? "same" : "new");
	}
	snprintf(a, sizeof(a), "%ld", h->uid);
	snprintf(b, sizeof(b), "%ld (host sees %ld)", s->uid, s->uid_host);
	row(out, "uid", a, b, "");
	snprintf(a, sizeof(a), "%ld", h->gid);
	snprintf(b, sizeof(b), "%ld (host sees %ld)", s->gid, s->gid_host);
	row(out, "gid", a, b, "");
	maps_text(h->uid_map, a, sizeof(a));
	maps_text(s->uid_map, b, sizeof(b));
	row(out, "uid map", a, b, "");
	maps_text(h->gid_map, a, sizeof(a));
	maps_text(s->gid_map, b, sizeof(b));
	row(out, "gid map", a, b, "");
	row(out, "hostname", h->hostname, s->hostname,
	    strcmp(h->hostname, s->hostname) ? "" : "same");
	snprintf(a, sizeof(a), "%ld", h->pid);
	snprintf(b, sizeof(b), "%ld (host sees %ld)", s->pid, s->pid_host);
	row(out, "command pid", a, b, "");
	snprintf(a, sizeof(a), "%ld", h->processes);
	snprintf(b, sizeof(b), "%ld", s->processes);
	row(out, "processes", a, b, "");
	snprintf(a, sizeof(a), "%ld", h->mounts);
	snprintf(b, sizeof(b), "%ld", s->mounts);
	row(out, "mounts", a, b, "");
	row(out, "interfaces", h->interfaces, s->interfaces, "");
	caps_text(h->cap_eff, a, sizeof(a));
	caps_text(s->cap_eff, b, sizeof(b));
	row(out, "capabilities", a, b, "");
}

static void json_side(struct nb_json *j, const char *key, const struct view *v)
{
	char cap[24];

	nb_json_open(j, key, '{');
	nb_json_open(j, "namespaces", '{');
	for (int i = 0; i < NB_PS_N_NS; i++)
		nb_json_ku64(j, nb_ps_namespaces[i], v->ns[i]);
	nb_json_close(j, '}');
	nb_json_ki64(j, "uid", v->uid);
	nb_json_ki64(j, "gid", v->gid);
	nb_json_ki64(j, "uid_on_host", v->uid_host);
	nb_json_ki64(j, "gid_on_host", v->gid_host);
	nb_json_kv(j, "uid_map", v->uid_map);
	nb_json_kv(j, "gid_map", v->gid_map);
	nb_json_kv(j, "hostname", v->hostname);
	nb_json_ki64(j, "pid", v->pid);
	nb_json_ki64(j, "pid_on_host", v->pid_host);
	nb_json_ki64(j, "processes", v->processes);
	nb_json_ki64(j, "mounts", v->mounts);
	nb_json_kv(j, "interfaces", v->interfaces);
	snprintf(cap, sizeof(cap), "%016" PRIx64, v->cap_eff);
	nb_json_kv(j, "cap_eff", cap);
	nb_json_close(j, '}');
}

static void print_json(FILE *out, const struct view *h, const struct view *s)
{
	struct nb_json j = NB_JSON(out);

	nb_json_open(&j, NULL, '{');
	json_side(&j, "host", h);
	json_side(&j, "sandbox", s);
	nb_json_open(&j, "same", '{');
	for (int i = 0; i < NB_PS_N_NS; i++)
		nb_json_kbool(&j, nb_ps_namespaces[i], h->ns[i] == s->ns[i]);
	nb_json_close(&j, '}');
	nb_json_close(&j, '}');
	fputc('\n', out);
}

/* Waits until the sandbox named @name has exec'd its command, or @host ended. */
static int find_sandbox(const struct nb_host *h, const char *name, pid_t host, struct nb_live *l,
			int *host_status, struct nb_error *e)
{
	char path[4096];

	for (int tries = 0; tries < 500; tries++) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		_cleanup_close_ int dirfd = nb_state_dir_open(h, false, path, sizeof(path), e);
		int status;

		*e = (struct nb_error){ 0 };
		if (dirfd >= 0 && nb_state_find(dirfd, name, l, e) == 0) {
			/* Ours (not another of that name), and exec'd, so dumpable. */
			if (l->rec.host_pid == host && l->cmd > 0 && nb_ns_inode_of(l->cmd, "user"))
				return 0;
			nb_closep(&l->init_fd);
			nb_closep(&l->cmd_fd);
		}
		*e = (struct nb_error){ 0 };
		if (waitpid(host, &status, WNOHANG) == host) {
			*host_status = status;
			return -ECHILD;
		}
		nanosleep(&pause, NULL);
	}
	return nb_fail(e, NB_EXIT_FAILURE, ETIMEDOUT, NULL, "waiting for the sandbox to start");
}

int nb_compare_hold(struct nb_config *cfg, struct nb_error *e)
{
	static char sh[] = "sh", c[] = "-c", name[] = "nestbox-compare";
	static char script[64];
	int p[2];
	size_t n = 0;
	char **argv;

	if (!cfg->proc.argv)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe");
	/* sh takes fds of one digit only in a redirection: the read end goes to 3-9. */
	if (p[0] > 9) {
		int low = -1;

		for (int fd = 3; fd <= 9 && low < 0; fd++)
			if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
				low = fd;
		if (low < 0 || dup3(p[0], low, O_CLOEXEC) < 0) {
			close(p[0]);
			close(p[1]);
			return nb_fail(e, NB_EXIT_FAILURE, low < 0 ? EMFILE : errno,
				       "close one of fds 3-9 in the calling shell",
				       "compare: holding the command needs an fd from 3 to 9");
		}
		close(p[0]);
		p[0] = low;
	}
	/* The read end goes on to the command, which closes it before its exec. */
	snprintf(script, sizeof(script), "read -r _ <&%d || :; exec %d<&-; exec \"$@\"", p[0],
		 p[0]);
	nb_config_add_fd(&cfg->proc.keep_fds, &cfg->proc.n_keep_fds, p[0]);
	while (cfg->proc.argv[n])
		n++;
	argv = calloc(n + 5, sizeof(char *));
	if (!argv)
		nb_oom();
	argv[0] = sh;
	argv[1] = c;
	argv[2] = script;
	argv[3] = name;
	memcpy(argv + 4, cfg->proc.argv, (n + 1) * sizeof(char *));
	/* The original list stays owned by the configuration, after the wrapper. */
	cfg->proc.held_argv = cfg->proc.argv;
	cfg->proc.argv = argv;
	return p[1];
}

int nb_compare(struct nb_config *cfg, const struct nb_plan *launch, int hold_wr, bool json,
	       FILE *out, struct nb_error *e)
{
	static char sh[] = "sh", c[] = "-c", script[] = "read -r _ || :";
	static char *wait_argv[] = { sh, c, script, NULL };
	struct view hv = { 0 }, sv = { 0 };
	struct nb_live l = { .init_fd = -1, .cmd_fd = -1 };
	bool waiter = !cfg->proc.argv;
	int hold[2] = { -1, -1 };
	int r, status;
	pid_t host;

	host_view(&hv);
	/* Without a command, a shell that waits on a pipe until compare has looked. */
	if (waiter) {
		if (pipe2(hold, O_CLOEXEC) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe");
		cfg->proc.argv = wait_argv;
	}
	fflush(NULL);
	host = fork();
	if (host < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the sandbox");
		goto out;
	}
	if (host == 0) {
		if (waiter && (dup2(hold[0], STDIN_FILENO) < 0 || close(hold[1]) < 0))
			_exit(NB_EXIT_FAILURE);
		/* Only compare may end the hold: no process of the sandbox keeps its end. */
		if (hold_wr >= 0)
			close(hold_wr);
		r = nb_sandbox_run(launch, e);
		if (r < 0) {
			char line[4 * sizeof(e->msg) + 1];

			nb_escape(e->msg, line, sizeof(line));
			fprintf(stderr, "nestbox: %s\n", line);
			_exit(e->status ? e->status : NB_EXIT_FAILURE);
		}
		_exit(r & NB_EXIT_SIGNALLED ? 128 + (r & 0xff) : r);
	}
	nb_closep(&hold[0]);
	status = -1;
	r = find_sandbox(launch->host, cfg->name, host, &l, &status, e);
	if (r == 0)
		r = sandbox_view(&l, &sv, e);
	/* Read: the held command may start now. */
	nb_closep(&hold_wr);
	/*
	 * It may end, or fail to start, between being found and being read:
	 * what the sandbox then says of itself comes first.  Half a second for
	 * its host to end tells that from a view that cannot be read.
	 */
	for (int tries = 0; r < 0 && r != -ECHILD && tries < 50; tries++) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };

		if (waitpid(host, &status, WNOHANG) == host) {
			*e = (struct nb_error){ 0 };
			r = -ECHILD;
			break;
		}
		nanosleep(&pause, NULL);
	}
	nb_closep(&hold[1]);
	nb_closep(&l.init_fd);
	nb_closep(&l.cmd_fd);
	if (r < 0 && r != -ECHILD)
		kill(host, SIGTERM);
	/* Reaped already when it ended first. */
	if (status == -1 && TEMP_FAILURE_RETRY(waitpid(host, &status, 0)) != host)
		status = NB_EXIT_FAILURE << 8;
	if (waiter)
		cfg->proc.argv = NULL;
	/* The sandbox ended first: its host said why (one line already), ... */
	if (r == -ECHILD && WIFEXITED(status) && WEXITSTATUS(status))
		return WEXITSTATUS(status);
	if (r == -ECHILD && WIFSIGNALED(status))
		return NB_EXIT_SIGNALLED | WTERMSIG(status);
	/* ... or the command was too quick to look at. */
	if (r == -ECHILD)
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "give a command that runs for a moment, or none",
			       "compare: the sandbox ended before it could be read");
	if (r < 0)
		return r;
	if (json)
		print_json(out, &hv, &sv);
	else
		print_table(out, &hv, &sv);
	r = WIFEXITED(status) ? WEXITSTATUS(status) : NB_EXIT_SIGNALLED | WTERMSIG(status);
out:
	if (waiter)
		cfg->proc.argv = NULL;
	nb_closep(&hold[0]);
	nb_closep(&hold[1]);
	nb_closep(&hold_wr);
	return r;
}
