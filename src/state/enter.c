// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox enter: a new process in a running sandbox.  init is non-dumpable,
 * so nothing can join through it; the command, which exec'd and is
 * dumpable, is the way in.  Everything the new process gets is read from
 * the command through the kernel, while its pidfd proves that the pid is
 * still the command's: the namespaces (joined at once with
 * setns(pidfd, ...)), root and working directory, ids, capabilities,
 * no_new_privs, limits and environment; the seccomp policy is the one the
 * kernel says it runs under (the number of its filters), installed as init
 * installs it.  The record is believed only as far as the kernel bears it
 * out (state.c).
 *
 *   nestbox enter             non-dumpable; joins the namespaces
 *     | fork()                 so that the new PID namespace applies
 *   the process                root, cwd, seccomp, limits, ids, caps; exec
 */
#include "autoconf.h"

#include "state/enter.h"
#include "run/caps.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "run/exec.h"
#include "lib/explain.h"
#include "state/ps.h"
#include "state/relay.h"
#include "run/seccomp.h"
#include "state/state.h"
#include "run/sync.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

static const struct {
	const char *name;
	int flag;
} ns_flags[] = {
	{ "user", CLONE_NEWUSER },     { "mnt", CLONE_NEWNS },	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },       { "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
	{ "cgroup", CLONE_NEWCGROUP },
};

/* What the command has, read while its pidfd proved the pid was still its. */
struct target {
	int piddir;
	int rootfd;
	int cwdfd;
	int flags; /* the namespaces that are not ours */
	uint64_t cap_inh, cap_bnd, cap_amb;
	bool nnp;
	bool setgroups_allowed;
	struct rlimit rl[RLIM_NLIMITS];
	char *environ_buf;
	size_t environ_len;
	bool environ_later;
	/* From the number of filters the kernel says the command has. */
	enum nb_seccomp_mode seccomp;
	/* --map none: no id is mapped, so none can be taken; exec drops every capability. */
	bool unmapped;
	/* Read after joining its user namespace, so in its own numbers. */
	uid_t uid;
	gid_t gid;
	gid_t groups[NGROUPS_MAX];
	int n_groups;
	/* Its groups as the host numbers them, read before joining. */
	gid_t host_groups[NGROUPS_MAX];
	int n_host_groups;
};

static uint64_t hex_field(const char *status, const char *key)
{
	char v[32];

	return nb_status_field(status, key, v, sizeof(v)) ? strtoull(v, NULL, 16) : 0;
}

/* The Groups line of a /proc/PID/status, as the reader's user namespace numbers them. */
static int status_groups(const char *status, gid_t groups[NGROUPS_MAX])
{
	char v[1024], *end;
	int n = 0;

	if (!nb_status_field(status, "Groups", v, sizeof(v)))
		return 0;
	for (char *p = v; *p && n < NGROUPS_MAX; p = end) {
		unsigned long g = strtoul(p, &end, 10);

		if (end == p)
			break;
		groups[n++] = (gid_t)g;
	}
	return n;
}

static int gather(const struct nb_live *l, struct target *t, struct nb_error *e)
{
	char path[64], status[4096], sg[16];
	pid_t pid = l->cmd;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	t->piddir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->piddir < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", path);
	t->rootfd = openat(t->piddir, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	t->cwdfd = openat(t->piddir, "cwd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "is the command still starting?",
			       "opening the root of the sandbox's command (pid %d)", (int)pid);
	if (nb_read_file_at(t->piddir, "status", status, sizeof(status)) <= 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading the command's status");
	t->n_host_groups = status_groups(status, t->host_groups);
	t->cap_inh = hex_field(status, "CapInh");
	t->cap_bnd = hex_field(status, "CapBnd");
	t->cap_amb = hex_field(status, "CapAmb");
	t->nnp = hex_field(status, "NoNewPrivs") != 0;
	t->setgroups_allowed = nb_read_file_at(t->piddir, "setgroups", sg, sizeof(sg)) > 0 &&
			       strncmp(sg, "allow", 5) == 0;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (prlimit(pid, (enum __rlimit_resource)r, NULL, &t->rl[r]) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "reading the command's resource limits");
	{
		int r = nb_read_all_at(t->piddir, "environ", &t->environ_buf, &t->environ_len);

		/*
		 * A command that runs as another id (--map auto --uid 1000) keeps
		 * its environment from us until we are in its user namespace.
		 */
		if (r == -EACCES || r == -EPERM)
			t->environ_later = true;
		else if (r < 0)
			return nb_fail(e, NB_EXIT_FAILURE, -r, NULL,
				       "reading the command's environment");
	}
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		uint64_t theirs = nb_ns_inode_of(pid, ns_flags[i].name);

		if (!theirs)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "reading the command's %s namespace", ns_flags[i].name);
		if (theirs != nb_ns_inode_of(getpid(), ns_flags[i].name))
			t->flags |= ns_flags[i].flag;
		nb_narrate(1, "enter", "the command's %s namespace is %s:[%llu]%s",
			   ns_flags[i].name, ns_flags[i].name, (unsigned long long)theirs,
			   (t->flags & ns_flags[i].flag) ? "" : ", the host's own: not joined");
	}
	/*
	 * From the kernel, not from the record, which lives where the sandbox
	 * may write: a command under a filter gets the policy, one without none.
	 */
	{
		char v[32];

		long ours = nb_seccomp_filters_of(0);
		unsigned long theirs = nb_status_field(status, "Seccomp_filters", v, sizeof(v))
					   ? strtoul(v, NULL, 10)
					   : (hex_field(status, "Seccomp") != 0) * 2;

		/* Those the sandbox added, not a container's or a service manager's. */
		t->seccomp = nb_seccomp_mode_of_filters(ours > 0 && theirs >= (unsigned long)ours
							    ? theirs - (unsigned long)ours
							    : theirs);
	}
	{
		char map[64];

		t->unmapped = nb_read_file_at(t->piddir, "uid_map", map, sizeof(map)) == 0;
	}
	return 0;
}

/* The ids the command has, in the numbers of its user namespace, which we are in now. */
static int read_ids(struct target *t, struct nb_error *e)
{
	char status[4096], v[1024];

	if (nb_read_file_at(t->piddir, "status", status, sizeof(status)) <= 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading the command's status");
	if (!nb_status_field(status, "Uid", v, sizeof(v)))
		return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "no Uid in the command's status");
	t->uid = (uid_t)strtoul(v, NULL, 10);
	if (!nb_status_field(status, "Gid", v, sizeof(v)))
		return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "no Gid in the command's status");
	t->gid = (gid_t)strtoul(v, NULL, 10);
	t->n_groups = status_groups(status, t->groups);
	return 0;
}

static char **split_environ(struct target *t)
{
	size_t n = 0, k = 0;
	char **env;

	for (size_t i = 0; i < t->environ_len; i++)
		n += t->environ_buf[i] == '\0';
	env = calloc(n + 2, sizeof(char *));
	if (!env)
		nb_oom();
	for (size_t i = 0; i < t->environ_len; i += strlen(t->environ_buf + i) + 1)
		if (t->environ_buf[i])
			env[k++] = t->environ_buf + i;
	env[k] = NULL;
	return env;
}

/*
 * Where setgroups() is denied, the process keeps the groups we have: they
 * must be the command's, or the sandbox (which can ptrace the process and
 * take its fds) would gain a group that it never had.
 */
static int same_groups(const struct target *t, struct nb_error *e)
{
	gid_t mine[NGROUPS_MAX];
	int n = getgroups(NGROUPS_MAX, mine);

	if (n < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading our groups");
	for (int i = 0; i < n; i++) {
		bool theirs = false;

		for (int k = 0; k < t->n_host_groups && !theirs; k++)
			theirs = t->host_groups[k] == mine[i];
		if (!theirs)
			return nb_fail(
			    e, NB_EXIT_FAILURE, 0,
			    "enter from a login whose groups are the sandbox's (newgrp, sg "
			    "and a later usermod change them)",
			    "you are in group %u, which the sandbox's command is not in, and "
			    "the sandbox cannot drop groups (setgroups is denied)",
			    (unsigned)mine[i]);
	}
	return 0;
}

/* The command's groups, gid and uid, keeping the capabilities if it kept some. */
static int take_ids(const struct target *t, bool keep, struct nb_error *e)
{
	if (t->setgroups_allowed && setgroups((size_t)t->n_groups, t->groups) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the command's groups");

	if (setresgid(t->gid, t->gid, t->gid) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting gid %u", t->gid);
	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting keepcaps");
	if (setresuid(t->uid, t->uid, t->uid) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting uid %u", t->uid);
	return 0;
}

static int apply_caps(const struct target *t, struct nb_error *e)
{
	int last = cap_max_bits();
	uint64_t full = last >= 64 ? ~0ULL : (1ULL << last) - 1;
	bool keep = t->uid != 0 && (t->cap_inh || t->cap_amb);
	bool touched = t->cap_inh || t->cap_amb || (t->cap_bnd & full) != full;

	if (nb_caps_drop_bounding(t->cap_bnd, e) < 0)
		return nb_err(e);
	if (!t->unmapped && take_ids(t, keep, e) < 0)
		return nb_err(e);
	/* As run leaves the command before exec: P = E = I = what it kept. */
	if (touched && nb_caps_set(t->cap_inh, t->cap_amb, e) < 0)
		return nb_err(e);
	if (t->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting no_new_privs");
	return 0;
}

/* The entered process, already in every namespace but its PID one's first pid. */
static _Noreturn void process_main(struct target *t, char **argv, pid_t parent,
				   const sigset_t *mask, struct nb_relay *relay, int sync_fd)
{
	struct nb_error e = { 0 };
	struct stat a, b;
	char **env;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(NB_EXIT_FAILURE);
	/* setns() put us at the namespace's root: chroot only if the command's differs. */
	if (fstat(t->rootfd, &a) < 0 || stat("/", &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		if (fchdir(t->rootfd) < 0 || chroot(".") < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "entering the command's root");
			goto fail;
		}
	}
	if (t->cwdfd < 0 || fchdir(t->cwdfd) < 0) {
		if (chdir("/") < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "changing to /");
			goto fail;
		}
		nb_narrate(1, "enter", "the command's working directory is gone: starting in /");
	}
	if (nb_seccomp_install(t->seccomp, &e) < 0)
		goto fail;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (setrlimit((enum __rlimit_resource)r, &t->rl[r]) < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno,
				"a hard limit cannot be raised above yours",
				"setting resource limit %d as the command has it", r);
			goto fail;
		}
	if (apply_caps(t, &e) < 0)
		goto fail;
	/* A change of uid clears the parent-death signal: set it again. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(NB_EXIT_FAILURE);
	if (sigprocmask(SIG_SETMASK, mask, NULL) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "restoring the signal mask");
		goto fail;
	}
	if (nb_relay_child(relay, &e) < 0)
		goto fail;
	env = split_environ(t);
	nb_narrate(1, "enter", "exec'ing %s as uid %u, gid %u", argv[0], t->uid, t->gid);
	/* Only 0, 1 and 2 reach the process. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "closing inherited fds");
		goto fail;
	}
	nb_exec_argv(argv[0], argv, env, &e);
fail:
	/* The parent prints it, as main() prints every error. */
	nb_sync_fail(sync_fd, &e);
}

static void target_free(struct target *t)
{
	nb_closep(&t->piddir);
	nb_closep(&t->rootfd);
	nb_closep(&t->cwdfd);
	free(t->environ_buf);
}

int nb_enter(const struct nb_host *h, const char *what, char **argv, struct nb_error *e)
{
	char path[4096];
	char *shell_argv[2] = { (char *)h->shell, NULL };
	struct target t = { .piddir = -1, .rootfd = -1, .cwdfd = -1 };
	struct nb_live l = { .init_fd = -1, .cmd_fd = -1 };
	struct nb_relay relay;
	_cleanup_close_ int dirfd = -1;
	_cleanup_close_ int sfd = -1;
	_cleanup_close_ int child_fd = -1;
	_cleanup_close_ int sync_rd = -1;
	sigset_t fwd, old;
	int sv[2];
	pid_t pid;
	int r;

	nb_relay_init(&relay);
	/* Nothing inside may ptrace us while we hold fds of the host. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making nestbox non-dumpable");
	dirfd = nb_state_dir_open(h, false, path, sizeof(path), e);
	if (dirfd == -ENOENT)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "'nestbox ps' lists yours",
			       "no running sandbox of yours is %s '%s'",
			       what[strspn(what, "0123456789")] ? "named" : "pid", what);
	if (dirfd < 0)
		return dirfd;
	/*
	 * A sandbox that has just started may not have exec'd its command yet,
	 * which stays out of reach until then: wait a second at most.
	 */
	for (int tries = 0;; tries++) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };

		if (nb_state_find(dirfd, what, &l, e) < 0) {
			if (e->err != EAGAIN || tries == 100)
				return nb_err(e);
			r = nb_err(e);
		} else if (l.cmd > 0) {
			r = gather(&l, &t, e);
			if (r == 0)
				break;
		} else {
			r = nb_fail(e, NB_EXIT_FAILURE, 0, "try again in a moment",
				    "sandbox %s has no running command yet, or any more",
				    l.rec.name);
		}
		target_free(&t);
		t = (struct target){ .piddir = -1, .rootfd = -1, .cwdfd = -1 };
		nb_closep(&l.init_fd);
		nb_closep(&l.cmd_fd);
		l.init_fd = l.cmd_fd = -1;
		if (tries == 100)
			return r;
		*e = (struct nb_error){ 0 };
		nanosleep(&pause, NULL);
	}
	nb_narrate(1, "enter", "sandbox %s: init is pid %d, the command pid %d", l.rec.name,
		   (int)l.rec.init_pid, (int)l.cmd);
	/* Everything read above was the command's if it is still alive now. */
	if (!nb_pidfd_alive(l.cmd_fd)) {
		r = nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "sandbox %s ended", l.rec.name);
		goto out;
	}
#ifdef __SANITIZE_ADDRESS__
	/*
	 * LeakSanitizer checks from a tracer that it clones and then spins
	 * for; the tracer quits without a word if getppid() is not the pid it
	 * was given.  Once we have joined a PID namespace, our children are
	 * born in it and see our pid as 0, so the check at exit would spin for
	 * ever.  Check now, while it still works: that also ends the one at
	 * exit, and leaves what is allocated from here on unchecked.
	 */
	if (t.flags & CLONE_NEWPID)
		__lsan_do_leak_check();
#endif
	if (!t.setgroups_allowed && !t.unmapped && same_groups(&t, e) < 0) {
		r = nb_err(e);
		goto out;
	}
	/* From the host's /dev/ptmx, before we join the sandbox's mount namespace. */
	r = nb_relay_prepare(&relay, e);
	if (r < 0)
		goto out;
	if (relay.interactive)
		nb_narrate(1, "enter",
			   "a pseudo-terminal of nestbox's own for the process, never yours: "
			   "it is dead once enter returns");
	if (setns(l.cmd_fd, t.flags) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "joining the namespaces of sandbox %s",
			    l.rec.name);
		goto out;
	}
	nb_narrate(1, "enter", "joined its namespaces, user first, through its pidfd");
	r = read_ids(&t, e);
	if (r < 0)
		goto out;
	if (t.environ_later) {
		r = nb_read_all_at(t.piddir, "environ", &t.environ_buf, &t.environ_len);
		if (r < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, -r, NULL,
				    "reading the command's environment");
			goto out;
		}
	}
	nb_forwarded_signals(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &old) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "blocking signals");
		goto out;
	}
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a signalfd");
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a socket");
		goto out;
	}
	sync_rd = sv[0];
	{
		/* Seen from inside a PID namespace that we joined, our pid is 0. */
		pid_t parent = (t.flags & CLONE_NEWPID) ? 0 : getpid();

		pid = fork();
		if (pid == 0) {
			close(sv[0]);
			process_main(&t, argv ? argv : shell_argv, parent, &old, &relay, sv[1]);
		}
		close(sv[1]);
	}
	if (pid < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the process");
		goto out;
	}
	child_fd = nb_child_pidfd(pid, "the process", e);
	if (child_fd < 0) {
		r = nb_err(e);
		goto out;
	}
	nb_relay_parent(&relay);
	r = nb_relay_wait(&relay, pid, child_fd, sfd);
	nb_relay_end(&relay);
	/* A failure before exec came with its message. */
	{
		int err = nb_sync_take_error(sync_rd, e);

		if (err < 0)
			r = err;
	}
out:
	nb_relay_end(&relay);
	target_free(&t);
	nb_closep(&l.init_fd);
	nb_closep(&l.cmd_fd);
	return r;
}
