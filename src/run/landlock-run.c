// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A sandbox without namespaces (--isolation landlock):
 *
 *   host (nestbox)          a child subreaper; a private TMPDIR
 *     | fork()
 *   command                 rlimits, environment, directory; Landlock
 *                           ruleset, no_new_privs, seccomp; exec
 *
 * The host forwards signals, ends the whole tree at --timeout or when the
 * command ends (whatever it left behind was reparented to the host, the
 * subreaper), removes the private TMPDIR and passes the exit status on
 * exactly as a namespace sandbox does.
 */
#include "autoconf.h"

#include "run/landlock.h"
#include "run/reap.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "run/exec.h"
#include "lib/explain.h"
#include "core/plan.h"
#include "run/seccomp.h"
#include "run/status.h"
#include "run/sync.h"
#include "lib/util.h"
#include "lib/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The paths of the spec, built from the plan (the build profile's view). */
struct spec_store {
	struct nb_landlock_spec spec;
	char run_user[32];
	char tmpdir[4096];
	/* Resolved paths, owned here. */
	char **owned;
	size_t n_owned;
};

/* @path as it really is (realpath), kept in @st; @path itself when it is not there. */
static const char *keep(struct spec_store *st, const char *path)
{
	char *r = realpath(path, NULL);

	if (!r)
		r = nb_xstrdup(path);
	st->owned = nb_grow(st->owned, st->n_owned, sizeof(*st->owned));
	st->owned[st->n_owned++] = r;
	return r;
}

static void hide(struct spec_store *st, const char *path)
{
	const char *r;

	if (!path || path[0] != '/')
		return;
	r = keep(st, path);
	/* "/" would hide everything: it is nobody's home to hide. */
	if (nb_streq(r, "/"))
		return;
	st->spec.hidden = nb_grow(st->spec.hidden, st->spec.n_hidden, sizeof(char *));
	st->spec.hidden[st->spec.n_hidden++] = r;
}

static const char *passwd_home(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_dir : NULL;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = nb_grow(*v, *n, sizeof(**v));
	(*v)[(*n)++] = s;
}

static void build_spec(const struct nb_plan *plan, struct spec_store *st)
{
	const struct nb_host *host = plan->host;
	struct nb_landlock_spec *sp = &st->spec;
	static const char *const private_dirs[] = { "/tmp", "/var/tmp", "/dev/shm", "/dev/pts" };

	memset(sp, 0, sizeof(*sp));
	/*
	 * Compared as strings with the tree's entries: each as it really is
	 * (no trailing slash, no "//", no link), and the home of passwd too,
	 * whatever $HOME says.
	 */
	hide(st, host->home);
	hide(st, passwd_home(host->uid));
	hide(st, host->runtime_dir);
	snprintf(st->run_user, sizeof(st->run_user), "/run/user/%u", (unsigned)host->uid);
	hide(st, st->run_user);
	for (size_t i = 0; i < ARRAY_SIZE(private_dirs); i++)
		hide(st, private_dirs[i]);
	/* What the plan binds back read-only (PATH under $HOME) and the writable binds. */
	for (size_t i = 0; i < plan->n_mounts; i++) {
		const struct nb_mount_op *op = &plan->mounts[i];

		if ((op->kind != NB_MNT_BIND && op->kind != NB_MNT_RO_BIND) || !op->src ||
		    !nb_streq(op->src, op->dst))
			continue;
		if (op->kind == NB_MNT_BIND)
			push(&sp->writable, &sp->n_writable, keep(st, op->dst));
		else
			push(&sp->readable, &sp->n_readable, keep(st, op->dst));
	}
	push(&sp->writable, &sp->n_writable, keep(st, st->tmpdir));
}

static void spec_free(struct spec_store *st)
{
	for (size_t i = 0; i < st->n_owned; i++)
		free(st->owned[i]);
	free(st->owned);
	free(st->spec.hidden);
	free(st->spec.readable);
	free(st->spec.writable);
}

/* Removes @name in @dirfd and all beneath it, never following a link. */
static void remove_tree_at(int at, const char *name, int depth)
{
	_cleanup_close_ int fd = -1;
	DIR *d;
	struct dirent *de;

	if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth > 64)
		goto rmdir;
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d)
		return;
	fd = -1;
	while ((de = readdir(d)))
		if (!nb_streq(de->d_name, ".") && !nb_streq(de->d_name, ".."))
			remove_tree_at(dirfd(d), de->d_name, depth + 1);
	closedir(d);
rmdir:
	(void)unlinkat(at, name, AT_REMOVEDIR);
}

static void remove_tree(const char *path)
{
	char parent[4096];
	const char *slash = strrchr(path, '/');
	_cleanup_close_ int fd = -1;

	if (!slash || !slash[1])
		return;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	fd = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		remove_tree_at(fd, slash + 1, 0);
}

/*
 * A host killed with SIGKILL could not remove its private TMPDIR: the next
 * run removes those of ours whose host (the pid in the name) is gone, as a
 * stale record is removed by the next ps.
 */
static void sweep_stale(const char *base)
{
	_cleanup_close_ int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd)))
		return;
	fd = -1;
	while ((de = readdir(d))) {
		static const char prefix[] = "nestbox-landlock.";
		struct stat st;
		long pid;
		char *end;

		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		pid = strtol(de->d_name + sizeof(prefix) - 1, &end, 10);
		if (pid <= 0 || *end != '.' ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != getuid() || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		remove_tree_at(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

static _Noreturn void command_main(const struct nb_plan *plan, struct spec_store *st, int abi,
				   const sigset_t *mask, int sync_fd)
{
	const struct nb_config *cfg = plan->cfg;
	char *shell_argv[2] = { (char *)plan->host->shell, NULL };
	char **argv = cfg->proc.argv ? cfg->proc.argv : shell_argv;
	struct nb_error e = { 0 };
	char **env, tmpenv[4200];

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || nb_sync_host_gone(sync_fd))
		_exit(NB_EXIT_FAILURE);
	if (nb_exec_apply_rlimits(cfg, &e) < 0)
		nb_sync_fail(sync_fd, &e);
	if (plan->chdir && chdir(plan->chdir) < 0) {
		nb_fail_kind(&e, NB_ERR_CHDIR, plan->chdir, NB_EXIT_FAILURE, errno,
			     "give --chdir a directory that exists", "--chdir %s", plan->chdir);
		nb_sync_fail(sync_fd, &e);
	}
	env = nb_env_build(environ, cfg);
	if (!env) {
		nb_fail(&e, NB_EXIT_FAILURE, ENOMEM, NULL, "building the environment");
		nb_sync_fail(sync_fd, &e);
	}
	/* TMPDIR is the private one; the host's /tmp is hidden. */
	snprintf(tmpenv, sizeof(tmpenv), "TMPDIR=%s", st->tmpdir);
	env = nb_env_set(env, tmpenv);
	if (nb_landlock_enforce(&st->spec, abi, &e) < 0)
		nb_sync_fail(sync_fd, &e);
	nb_narrate(1, "cmd",
		   "Landlock ABI %d enforced: the host tree read-only, %zu writable "
		   "path(s), %zu hidden",
		   abi, st->spec.n_writable, st->spec.n_hidden);
	if (nb_seccomp_install(NB_SECCOMP_DEFAULT, &e) < 0 || nb_seccomp_install_landlock(&e) < 0)
		nb_sync_fail(sync_fd, &e);
	if (sigprocmask(SIG_SETMASK, mask, NULL) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "restoring the signal mask");
		nb_sync_fail(sync_fd, &e);
	}
	/* --keep-fd and make's jobserver, as with namespaces. */
	if (nb_exec_pass_fds(plan->keep_fds, plan->n_keep_fds, &e) < 0)
		nb_sync_fail(sync_fd, &e);
	/* --block-fd: the command starts once the caller says so. */
	if (cfg->proc.block_fd >= 0) {
		char b;

		(void)TEMP_FAILURE_RETRY(read(cfg->proc.block_fd, &b, 1));
	}
	nb_narrate(1, "cmd", "exec'ing %s as yourself (uid %u)", argv[0], (unsigned)getuid());
	nb_exec_argv(argv[0], argv, env, &e);
	nb_sync_fail(sync_fd, &e);
}

/* Waits for @pid, forwarding signals, until it ends or @deadline_ms passes. */
static int supervise(pid_t pid, int pidfd, int sfd, int64_t deadline_ms, bool *timed_out,
		     int *wait_status)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		struct signalfd_siginfo si;
		int timeout = -1, status;

		if (deadline_ms) {
			int64_t left = deadline_ms - nb_now_ms();

			if (left <= 0) {
				*timed_out = true;
				kill(pid, SIGKILL);
				(void)TEMP_FAILURE_RETRY(waitpid(pid, &status, 0));
				/* nestbox's own SIGKILL: "timed-out" says it, not "signal". */
				*wait_status = -1;
				return NB_EXIT_TIMEOUT;
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(p, 2, timeout)) <= 0)
			continue;
		if (p[0].revents) {
			if (TEMP_FAILURE_RETRY(waitpid(pid, &status, 0)) != pid)
				return NB_EXIT_FAILURE;
			*wait_status = status;
			if (WIFSIGNALED(status))
				return NB_EXIT_SIGNALLED | WTERMSIG(status);
			return WEXITSTATUS(status);
		}
		if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) == (ssize_t)sizeof(si) &&
		    nb_forward_this(&si))
			kill(pid, (int)si.ssi_signo);
	}
}

int nb_landlock_run(const struct nb_plan *plan, struct nb_error *e)
{
	const struct nb_config *cfg = plan->cfg;
	struct spec_store st = { 0 };
	_cleanup_close_ int sfd = -1;
	_cleanup_close_ int sync_rd = -1;
	_cleanup_close_ int pidfd = -1;
	const char *tmp = getenv("TMPDIR");
	int abi = nb_landlock_abi(), sv[2], r;
	sigset_t fwd, old;
	bool timed_out = false;
	int wait_status = -1;
	int64_t t0 = nb_now_ms();
	pid_t pid;

	if (abi < 1)
		return nb_fail_kind(
		    e, NB_ERR_GATE, "landlock", NB_EXIT_FAILURE, errno ? errno : ENOSYS,
		    "use a kernel with Landlock (5.13 or later, lsm= including landlock), "
		    "or --isolation namespaces where user namespaces work",
		    "--isolation landlock: the kernel has no Landlock");
	if (nb_landlock_check(cfg, e) < 0)
		return nb_err(e);
	sweep_stale(tmp && tmp[0] == '/' ? tmp : "/tmp");
	snprintf(st.tmpdir, sizeof(st.tmpdir), "%s/nestbox-landlock.%d.XXXXXX",
		 tmp && tmp[0] == '/' ? tmp : "/tmp", (int)getpid());
	if (!mkdtemp(st.tmpdir))
		return nb_fail(e, NB_EXIT_FAILURE, errno, "set TMPDIR to a writable directory",
			       "creating the sandbox's private TMPDIR");
	build_spec(plan, &st);
	if (nb_narrating(1)) {
		const char *const *g = nb_landlock_guarantees(abi, true);

		nb_narrate(1, "host",
			   "isolation: landlock (ABI %d), no namespace: the command runs "
			   "as you, in the host's namespaces",
			   abi);
		for (; *g; g++)
			nb_narrate(1, "host", "holds: %s", *g);
		for (g = nb_landlock_guarantees(abi, false); *g; g++)
			nb_narrate(1, "host", "does not hold: %s", *g);
		nb_narrate(1, "host", "private TMPDIR %s", st.tmpdir);
	}
	nb_forwarded_signals(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &old) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "blocking signals");
		goto out;
	}
	/*
	 * --lock-file: the host holds the read locks while the command runs,
	 * the fds open until nestbox exits (closing one would drop its lock).
	 */
	{
		int locks[16];

		if (nb_take_read_locks(cfg->proc.lock_files, cfg->proc.n_lock_files, locks,
				       ARRAY_SIZE(locks), e) < 0) {
			r = nb_err(e);
			goto out;
		}
	}
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the sandbox");
		goto out;
	}
	sync_rd = sv[0];
	/* Whatever the command leaves behind is reparented to us, to be ended. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		close(sv[1]);
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "becoming a child subreaper");
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		command_main(plan, &st, abi, &old, sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
		goto out;
	}
	pidfd = nb_child_pidfd(pid, "the command", e);
	if (pidfd < 0) {
		r = nb_err(e);
		goto out;
	}
	nb_status_started(cfg, &(struct nb_status_start){ .pid = pid,
							  .isolation = "landlock",
							  .setup_ms = nb_now_ms() - t0 });
	r = supervise(pid, pidfd, sfd,
		      cfg->proc.timeout ? nb_now_ms() + (int64_t)cfg->proc.timeout * 1000 : 0,
		      &timed_out, &wait_status);
	{
		int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			nb_end_descendants(fd);
			close(fd);
		}
	}
	{
		struct rusage ru;
		bool have_ru = getrusage(RUSAGE_CHILDREN, &ru) == 0;

		nb_status_exited(cfg, &(struct nb_status_end){
					  .exit_code = r & NB_EXIT_SIGNALLED ? 128 + (r & 0xff) : r,
					  .wait_status = wait_status,
					  .timed_out = timed_out,
					  .ru = have_ru ? &ru : NULL,
				      });
	}
	/* A failure before exec came with its message. */
	{
		int err = nb_sync_take_error(sync_rd, e);

		if (err < 0) {
			r = err;
		} else if (timed_out) {
			r = nb_fail(e, NB_EXIT_TIMEOUT, 0, NULL,
				    "--timeout: %u s are up, so the sandbox was ended",
				    cfg->proc.timeout);
		}
	}
out:
	remove_tree(st.tmpdir);
	spec_free(&st);
	return r;
}
