// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Applying ID maps (idmap.c builds and validates them).  A one-line map of
 * the caller's own id is written by nestbox itself; anything else goes
 * through shadow's setuid newuidmap and newgidmap, after nestbox has
 * checked it the same way they will, so that the user gets a precise
 * message instead of the helper's terse one.  Reading /etc/subuid and
 * /etc/subgid is here too.
 */
#include "autoconf.h"

#include "core/idmap.h"
#include "doctor/gate.h"
#include "lib/explain.h"
#include "lib/cleanup.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

int nb_idplan_load(const struct nb_config *cfg, const struct nb_host *host, struct nb_idplan *plan,
		   struct nb_error *e)
{
	_cleanup_free_ char *subuid = NULL;
	_cleanup_free_ char *subgid = NULL;

	if (nb_idmap_needs_subids(cfg, host)) {
		int err;

		subuid = nb_read_text("/etc/subuid", &err);
		if (!subuid && err != ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "reading /etc/subuid");
		subgid = nb_read_text("/etc/subgid", &err);
		if (!subgid && err != ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "reading /etc/subgid");
	}
	return nb_idplan_build(cfg, host, subuid, subgid, plan, e);
}

static int check_helper(const char *path, struct nb_error *e)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "install the 'uidmap' package, which provides newuidmap and "
			       "newgidmap",
			       "%s", path);
	if (st.st_uid == 0 && (st.st_mode & S_ISUID))
		return 0;
	/* Some distributions grant file capabilities instead of setuid. */
	if (getxattr(path, "security.capability", NULL, 0) > 0)
		return 0;
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "reinstall the 'uidmap' package, or make it setuid root",
		       "%s is not setuid root", path);
}

/* A newuidmap or newgidmap on its way: its pid and the pipe of its output. */
struct helper_run {
	pid_t child;
	int rd;
	const char *name;
};

static int start_helper(const char *path, pid_t pid, const struct nb_idmap *m, struct helper_run *h,
			struct nb_error *e)
{
	char *argv[3 + 3 * NB_MAX_MAP_LINES];
	/* Static for its size; posix_spawn() has exec'd before it returns. */
	static char nums[3 * NB_MAX_MAP_LINES + 1][12];
	char *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	_cleanup_close_ int wr = -1;
	int p[2], r;

	h->child = -1;
	h->rd = -1;
	h->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	r = check_helper(path, e);
	if (r < 0)
		return r;
	nb_idmap_helper_argv(h->name, pid, m, argv, nums);
	if (pipe2(p, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe for %s", h->name);
	h->rd = p[0];
	wr = p[1];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, wr, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, wr, STDERR_FILENO);
	if (nb_narrating(1)) {
		char line[512];
		size_t used = 0;

		for (size_t i = 0; argv[i] && used < sizeof(line); i++)
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s",
						 i ? " " : "", i ? argv[i] : path);
		nb_narrate(1, "host", "running %s", line);
	}
	r = posix_spawn(&h->child, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		nb_closep(&h->rd);
		h->rd = -1;
		h->child = -1;
		return nb_fail(e, NB_EXIT_FAILURE, r, NULL, "starting %s", path);
	}
	return 0;
}

/* Reads what the helper said, reaps it, and turns a failure into @e. */
static int finish_helper(struct helper_run *h, struct nb_error *e)
{
	char out[400];
	size_t got = 0;
	int status;

	if (h->child < 0)
		return 0;
	for (;;) {
		ssize_t n = TEMP_FAILURE_RETRY(read(h->rd, out + got, sizeof(out) - 1 - got));

		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(out) - 1)
			break;
	}
	nb_closep(&h->rd);
	h->rd = -1;
	out[got] = '\0';
	while (got && (out[got - 1] == '\n' || out[got - 1] == ' '))
		out[--got] = '\0';
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if (TEMP_FAILURE_RETRY(waitpid(h->child, &status, 0)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "waiting for %s", h->name);
	h->child = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "check /etc/subuid and /etc/subgid, or use --map root",
			       "%s failed: %s", h->name, got ? out : "no message");
	return 0;
}

static int run_helper(const char *path, pid_t pid, const struct nb_idmap *m, struct nb_error *e)
{
	struct helper_run h;

	if (start_helper(path, pid, m, &h, e) < 0)
		return nb_err(e);
	return finish_helper(&h, e);
}

/*
 * newgidmap and newuidmap write different files of the same process: they
 * run side by side, which saves one setuid exec on the way to the command.
 */
static int run_both_helpers(pid_t pid, const struct nb_idmap *uid, const struct nb_idmap *gid,
			    struct nb_error *e)
{
	struct helper_run g, u;
	struct nb_error ue = { 0 };
	int r;

	if (start_helper(nb_idmap_helper_path(false), pid, gid, &g, e) < 0)
		return nb_err(e);
	if (start_helper(nb_idmap_helper_path(true), pid, uid, &u, &ue) < 0) {
		(void)finish_helper(&g, e);
		*e = ue;
		return nb_err(e);
	}
	r = finish_helper(&g, e);
	if (finish_helper(&u, &ue) < 0 && r == 0) {
		*e = ue;
		r = nb_err(e);
	}
	return r;
}

static int write_map(int procfd, pid_t pid, const char *file, const struct nb_idmap *m,
		     struct nb_error *e)
{
	char path[64];
	char buf[4096];
	int len = nb_idmap_format(m, buf, sizeof(buf));
	int r;

	if (len < 0)
		return nb_fail(e, NB_EXIT_FAILURE, E2BIG, "use fewer ranges", "formatting %s",
			       file);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = nb_write_file_at(procfd, file, buf, (size_t)len);
	if (r == 0)
		nb_narrate_map("host", path, buf);
	if (r == -EPERM || r == -EACCES)
		return nb_gate_fail(e, -r, file);
	if (r < 0)
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "writing %s", path);
	return 0;
}

/*
 * The environment may point at other helpers: nestbox is not setuid, so this
 * grants nothing that running the helper by hand would not.
 */
const char *nb_idmap_helper_path(bool uid)
{
	const char *p = getenv(uid ? "NESTBOX_NEWUIDMAP" : "NESTBOX_NEWGIDMAP");

	return p && *p ? p : uid ? NB_NEWUIDMAP : NB_NEWGIDMAP;
}

/**
 * nb_idmap_apply() - give the child at @pid its maps
 *
 * Order: setgroups, gid_map, uid_map.  A directly written gid map needs
 * setgroups "deny" first.  Before newgidmap nestbox writes "deny" too,
 * unless --allow-setgroups: setgroups() would let the sandbox drop a
 * supplementary group that denies the caller a file (CVE-2014-8989's
 * class), and shadow's helper leaves "allow".
 */
int nb_idmap_apply(const struct nb_idplan *plan, pid_t pid, struct nb_error *e)
{
	_cleanup_free_ struct nb_id_range *ur = NULL;
	_cleanup_free_ struct nb_id_range *gr = NULL;
	_cleanup_close_ int procfd = -1;
	struct nb_idmap uid, gid;
	int r;

	/*
	 * nestbox's own user namespace maps each outside id onto the same
	 * number; the command's, nested inside, then gets the planned map
	 * (lock.c), so that its /proc/self/uid_map reads as the plan says.
	 */
	if (plan->direct) {
		uid = plan->uid;
		gid = plan->gid;
	} else {
		r = nb_idmap_outer(&plan->uid, &uid, &ur, e);
		if (r < 0 || (r = nb_idmap_outer(&plan->gid, &gid, &gr, e)) < 0)
			return r;
	}
	if (plan->gid_method == NB_MAP_SKIP) {
		nb_narrate(1, "host",
			   "--map none: writing no setgroups, gid_map or uid_map; only a process "
			   "outside could, so every id inside stays unmapped and shows as the "
			   "overflow id (/proc/sys/kernel/overflowuid)");
		return 0;
	}
	/*
	 * One directory fd for the child's /proc entries, opened while it is
	 * our unreaped child, so that every write goes to that very process.
	 */
	{
		char dir[32];

		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
		procfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (procfd < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", dir);
	}
	if (plan->gid_method == NB_MAP_WRITE || !plan->allow_setgroups) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		r = nb_write_file_at(procfd, "setgroups", "deny", 4);
		if (r < 0 && r != -ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "writing %s", path);
		if (plan->gid_method == NB_MAP_WRITE)
			nb_narrate(1, "host",
				   "%s <- \"deny\": an unprivileged writer of gid_map must first "
				   "take setgroups() away, or a process could drop a group that "
				   "denies it access",
				   path);
		else
			nb_narrate(1, "host",
				   "%s <- \"deny\": newgidmap would leave setgroups() allowed, and "
				   "a process could drop a group that denies it access; your "
				   "supplementary groups stay, shown as nogroup (--allow-setgroups "
				   "drops them instead)",
				   path);
	}
	if (plan->gid_method == NB_MAP_HELPER && plan->uid_method == NB_MAP_HELPER)
		return run_both_helpers(pid, &uid, &gid, e);
	if (plan->gid_method == NB_MAP_WRITE) {
		r = write_map(procfd, pid, "gid_map", &gid, e);
	} else {
		r = run_helper(nb_idmap_helper_path(false), pid, &gid, e);
	}
	if (r < 0)
		return r;
	if (plan->uid_method == NB_MAP_WRITE)
		return write_map(procfd, pid, "uid_map", &uid, e);
	return run_helper(nb_idmap_helper_path(true), pid, &uid, e);
}
