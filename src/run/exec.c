// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The last steps of the command's process, in an order that the kernel
 * dictates: resource limits (the seccomp filter is already in place, from
 * init); the bounding set while CAP_SETPCAP is still held; the uid change;
 * the remaining capability sets; no_new_privs; and, with every fd but 0-2
 * marked close-on-exec, the exec itself.
 */
#include "autoconf.h"

#include "run/exec.h"
#include "core/env.h"
#include "run/caps.h"
#include "lib/explain.h"
#include "run/nest.h"
#include "core/ns.h"
#include "run/seccomp.h"
#include "run/sync.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int nb_exec_pass_fds(const int *keep, size_t n, struct nb_error *e)
{
	/*
	 * Only 0, 1 and 2 may reach the command, and the fds passed on on
	 * purpose (--keep-fd, make's jobserver); the sync socket closes on exec.
	 */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 5.11",
			       "marking inherited file descriptors close-on-exec");
	for (size_t i = 0; i < n; i++)
		if (fcntl(keep[i], F_SETFD, 0) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "passing fd %d on",
				       keep[i]);
	return 0;
}

int nb_exec_apply_rlimits(const struct nb_config *cfg, struct nb_error *e)
{
	for (size_t i = 0; i < cfg->proc.n_rlimits; i++) {
		struct rlimit rl = {
			.rlim_cur = (rlim_t)cfg->proc.rlimits[i].soft,
			.rlim_max = (rlim_t)cfg->proc.rlimits[i].hard,
		};

		if (setrlimit(cfg->proc.rlimits[i].resource, &rl) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno,
				       "a hard limit cannot be raised above the caller's",
				       "setting resource limit %d", cfg->proc.rlimits[i].resource);
	}
	return 0;
}

/*
 * chdir_fallback: the caller's directory if it is there, else $HOME, else /;
 * @pwd gets the one chosen.
 */
static int enter_dir_fallback(const struct nb_exec_spec *x, char *pwd, size_t size,
			      struct nb_error *e)
{
	const char *home = getenv("HOME");
	const char *dir = x->cfg->fs.chdir;

	if (dir && chdir(dir) < 0)
		return nb_fail_kind(e, NB_ERR_CHDIR, dir, NB_EXIT_FAILURE, errno,
				    "give --chdir a directory that exists inside", "--chdir %s",
				    dir);
	if (!dir && x->cwd && chdir(x->cwd) == 0)
		dir = x->cwd;
	else if (!dir && home && chdir(home) == 0)
		dir = home;
	else if (!dir)
		dir = "/";
	snprintf(pwd, size, "PWD=%s", dir);
	return 0;
}

static int enter_dir(const struct nb_exec_spec *x, struct nb_error *e)
{
	const char *dir = x->cfg->fs.chdir;

	if (dir) {
		if (chdir(dir) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, "check --chdir", "changing to %s",
				       dir);
		return 0;
	}
	/* The caller's directory, which the planner found visible inside. */
	if (x->cwd && chdir(x->cwd) == 0)
		return 0;
	if (!x->cwd)
		return chdir("/") < 0 ? nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "changing to /")
				      : 0;
	return nb_fail(e, NB_EXIT_FAILURE, errno, "give --chdir DIR, or --bind it",
		       "the current directory %s is not visible inside", x->cwd);
}

static char pwd[4100];

/* Whether a child of the command's could have a user namespace of its own. */
static bool userns_allowed(void)
{
	pid_t pid = nb_clone_fork(CLONE_NEWUSER, SIGCHLD);

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return false;
	(void)TEMP_FAILURE_RETRY(waitpid(pid, NULL, 0));
	return true;
}

static int prepare(const struct nb_exec_spec *x, struct nb_error *e)
{
	const struct nb_config *cfg = x->cfg;
	bool touched = nb_caps_touched(cfg);
	uint64_t keep = nb_caps_keep(cfg);
	uint32_t uid = x->ids->inside_uid, gid = x->ids->inside_gid;

	if (x->sigchld_ignored && signal(SIGCHLD, SIG_IGN) == SIG_ERR)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "restoring SIGCHLD");
	if (sigprocmask(SIG_SETMASK, &x->mask, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "restoring the signal mask");
	if (nb_exec_apply_rlimits(cfg, e) < 0)
		return nb_err(e);
	if (cfg->compat.switch_userns_fd >= 0 &&
	    setns(cfg->compat.switch_userns_fd, CLONE_NEWUSER) < 0)
		return nb_fail_kind(e, NB_ERR_USERNS2, NULL, NB_EXIT_FAILURE, errno, NULL,
				    "joining the second user namespace (--userns2)");
	if (touched && nb_caps_drop_bounding(keep, e) < 0)
		return nb_err(e);
	/*
	 * With --allow-setgroups, newgidmap leaves setgroups "allow": drop the
	 * supplementary groups, which cannot be mapped, as asked.  Otherwise
	 * setgroups is "deny" and they stay, shown as nogroup.
	 */
	if (x->ids->uid_method != NB_MAP_SKIP &&
	    nb_caps_set_identity(uid, gid,
				 x->ids->gid_method == NB_MAP_HELPER && x->ids->allow_setgroups,
				 touched && uid != 0, e) < 0)
		return nb_err(e);
	if (touched && nb_caps_apply(cfg, keep, e) < 0)
		return nb_err(e);
	if ((cfg->sec.no_new_privs || touched) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting no_new_privs");
	if (x->nouserns_filter && nb_seccomp_install_nouserns(e) < 0)
		return nb_err(e);
	/*
	 * A change of kuid clears the parent-death signal: set it again.  The
	 * command dies with init even where no PID namespace would kill it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the parent-death signal");
	if (!x->parent && nb_sync_host_gone(x->sync_fd))
		_exit(NB_EXIT_FAILURE);
	/* The parent may have died before the signal was armed: then do not start. */
	if (x->parent && getppid() != x->parent)
		_exit(NB_EXIT_FAILURE);
	if (cfg->compat.assert_userns_disabled && userns_allowed())
		return nb_fail(e, NB_EXIT_FAILURE, 0, NULL,
			       "creation of new user namespaces was not disabled as requested");
	if (cfg->proc.new_session && setsid() < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting a new session");
	if (cfg->proc.block_fd >= 0) {
		char b;

		(void)TEMP_FAILURE_RETRY(read(cfg->proc.block_fd, &b, 1));
	}
	if (cfg->compat.chdir_fallback)
		return enter_dir_fallback(x, pwd, sizeof(pwd), e);
	return enter_dir(x, e);
}

/*
 * execvp() with env(1)'s distinction: 127 only when no candidate exists,
 * 126 when one exists but cannot be run.  execvp() itself reports EACCES
 * for a missing command whenever some PATH directory is unreadable.
 */
static int exec_path(const char *name, char **argv, char **env)
{
	const char *path = nb_env_get(env, "PATH");
	const char *p;
	int found_err = 0;

	/* No file has an empty name; a PATH search would find its directories. */
	if (!*name)
		return ENOENT;
	if (strchr(name, '/')) {
		execve(name, argv, env);
		return errno;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dlen = (size_t)(end - p);
		char file[4096];

		if (dlen + strlen(name) + 2 <= sizeof(file)) {
			if (dlen == 0)
				snprintf(file, sizeof(file), "%s", name);
			else
				snprintf(file, sizeof(file), "%.*s/%s", (int)dlen, p, name);
			execve(file, argv, env);
			if (errno != ENOENT && errno != ENOTDIR &&
			    !(errno == EACCES && access(file, F_OK) < 0))
				found_err = errno;
		}
		if (!*end)
			break;
		p = end;
	}
	return found_err ? found_err : ENOENT;
}

void nb_exec_argv(const char *name, char **argv, char **env, struct nb_error *e)
{
	int err = exec_path(name, argv, env);

	if (!*name)
		nb_fail(e, NB_EXIT_NOT_FOUND, 0, "name a command", "'': command not found");
	else if ((err == ENOENT || err == ENOTDIR) && !strchr(name, '/'))
		nb_fail(e, NB_EXIT_NOT_FOUND, 0, "check the name and PATH inside the sandbox",
			"%s: command not found", name);
	else if (err == ENOENT || err == ENOTDIR)
		nb_fail(e, NB_EXIT_NOT_FOUND, err, "the path is resolved inside the sandbox", "%s",
			name);
	else
		nb_fail(e, NB_EXIT_CANNOT_EXEC, err, NULL, "cannot run %s", name);
	/* bubblewrap words every exec failure alike: "execvp NAME: reason". */
	nb_error_kind(e, NB_ERR_EXEC, name);
}

/* What the command holds just before exec, read back from the kernel. */
static void narrate_caps(const struct nb_config *cfg)
{
	cap_t caps = cap_get_proc();
	char *text = caps ? cap_to_text(caps, NULL) : NULL;
	int kept = 0, last = cap_max_bits();

	for (int c = 0; c < last; c++)
		kept += cap_get_bound((cap_value_t)c) == 1;
	nb_narrate(1, "cmd",
		   "capabilities \"%s\"; the bounding set keeps %d of %d; no_new_privs %d",
		   text ? text : "?", kept, last, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	nb_narrate(1, "cmd", "seccomp policy: %s",
		   cfg->sec.seccomp == NB_SECCOMP_DEFAULT ? "default (see nestbox(1))"
		   : cfg->sec.seccomp == NB_SECCOMP_NONE ? "none, but TIOCSTI and TIOCLINUX refused"
							 : "none");
	cap_free(text);
	cap_free(caps);
}

_Noreturn void nb_exec(const struct nb_exec_spec *x)
{
	struct nb_error e = { 0 };
	char *shell_argv[2] = { (char *)x->shell, NULL };
	char **argv = x->cfg->proc.argv ? x->cfg->proc.argv : shell_argv;
	char **env;

	if (prepare(x, &e) < 0)
		nb_sync_fail(x->sync_fd, &e);
	env = nb_env_build(environ, x->cfg);
	if (!env) {
		nb_fail(&e, NB_EXIT_FAILURE, ENOMEM, NULL, "building the environment");
		nb_sync_fail(x->sync_fd, &e);
	}
	if (nb_narrating(1))
		narrate_caps(x->cfg);
	/* chdir_fallback: $PWD names the directory the command starts in. */
	if (x->cfg->compat.chdir_fallback)
		env = nb_env_set(env, pwd);
	nb_narrate(1, "cmd", "exec'ing %s as uid %u, gid %u", argv[0], x->ids->inside_uid,
		   x->ids->inside_gid);
	if (nb_exec_pass_fds(x->keep_fds, x->n_keep_fds, &e) < 0)
		nb_sync_fail(x->sync_fd, &e);
	/* Last: a program may forbid the calls above, as long as it allows execve. */
	if (nb_seccomp_install_progs(x->progs, &e) < 0)
		nb_sync_fail(x->sync_fd, &e);
	/*
	 * --argv0: what the command sees as its name, not what is run.  In a
	 * copy of the list: the command may share the host's memory, where the
	 * host's own list must stay as it is.
	 */
	if (x->cfg->proc.argv0) {
		size_t n = 0;
		char **named;

		while (argv[n])
			n++;
		named = calloc(n + 1, sizeof(char *));
		if (!named) {
			nb_fail(&e, NB_EXIT_FAILURE, ENOMEM, NULL, "building the argument list");
			nb_sync_fail(x->sync_fd, &e);
		}
		memcpy(named, argv, n * sizeof(char *));
		named[0] = x->cfg->proc.argv0;
		nb_exec_argv(argv[0], named, env, &e);
	} else {
		nb_exec_argv(argv[0], argv, env, &e);
	}
	nb_sync_fail(x->sync_fd, &e);
}
