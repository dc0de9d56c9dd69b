// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PID 1.  A process that is PID 1 of a namespace gets no signal it has no
 * handler for, so a command run as PID 1 ignores SIGTERM and Ctrl-C.  This
 * init forwards signals to the command (PID 2), reaps every orphan that is
 * reparented to it, and exits with the command's status, which makes the
 * kernel kill whatever is left in the namespace.
 */
#include "autoconf.h"

#include "init.h"
#include "caps.h"
#include "cleanup.h"
#include "exec.h"
#include "ns.h"
#include "explain.h"
#include "idmap.h"
#include "lock.h"
#include "mounts.h"
#include "plan.h"
#include "sources.h"
#include "status.h"
#include "seccomp.h"
#include "util.h"

#include <linux/capability.h>
#include <linux/keyctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <poll.h>
#include <fcntl.h>
#include <time.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A proc of init's PID namespace, through which init writes the command's
 * nested maps; static, so that the command, which shares init's memory until
 * it execs, never touches init's stack.
 */
static int procfd = -1;
/* --disable-userns by seccomp, in the command (nb_lock_disable_userns()). */
static bool nouserns_filter;

/* --lock-file: init holds a read lock on each while it lives. */
static int lock_fds[16];
static size_t n_lock_fds;

static int take_locks(const struct nb_config *cfg, struct nb_error *e)
{
	int r = nb_take_read_locks(cfg->lock_files, cfg->n_lock_files, lock_fds,
				   ARRAY_SIZE(lock_fds), e);

	/* Those taken before a failure are closed with init. */
	n_lock_fds = r < 0 ? 0 : (size_t)r;
	return r < 0 ? -1 : 0;
}

static int setup(const struct nb_child *c, struct nb_error *e)
{
	const struct nb_config *cfg = c->cfg;
	const char *hostname = cfg->hostname ? cfg->hostname : NB_DEFAULT_HOSTNAME;
	const struct nb_mounts_in mounts = {
		.cfg = cfg,
		.host = c->host,
		.ops = c->launch->mounts,
		.n_ops = c->launch->n_mounts,
		.src = c->src,
		.procfd = procfd,
		/* In the ids of nestbox's namespace: the outside numbers, unless direct. */
		.uid = c->plan->direct
			   ? c->plan->inside_uid
			   : nb_idmap_to_outside(&c->plan->uid, c->plan->inside_uid, NULL),
		.gid = c->plan->direct
			   ? c->plan->inside_gid
			   : nb_idmap_to_outside(&c->plan->gid, c->plan->inside_gid, NULL),
	};

	if ((cfg->unshare_flags & CLONE_NEWUTS) && (cfg->hostname || !cfg->keep_hostname)) {
		if (sethostname(hostname, strlen(hostname)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the hostname");
		if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the domain name");
		nb_narrate(1, "init", "hostname is now '%s' in the new UTS namespace", hostname);
	}
	if ((cfg->unshare_flags & CLONE_NEWNS) && nb_mounts_setup(&mounts, e) < 0)
		return nb_err(e);
	/* The caller's session keyring stays outside: the command gets an empty one. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "is the key quota used up?",
			       "joining a new session keyring");
	/*
	 * Init installs the command's seccomp filter (the command inherits it)
	 * while the child is still making the network namespace: off the
	 * critical path, and init is covered too.
	 */
	if (nb_seccomp_install(cfg->seccomp, e) < 0)
		return nb_err(e);
	nb_narrate(1, "init", "%s", nb_seccomp_describe(cfg->seccomp));
	if (c->net_sock >= 0) {
		int netns = nb_recv_fd(c->net_sock);

		/* No namespace: the child failed and told the host why. */
		if (netns < 0)
			_exit(NB_EXIT_FAILURE);
		if (setns(netns, CLONE_NEWNET) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "joining the new network namespace");
		close(netns);
		close(c->net_sock);
		nb_narrate(1, "init", "joined the new network namespace");
		if (c->launch->private_sysfs && nb_mounts_private_sysfs(e) < 0)
			return nb_err(e);
	}
	/* Unmapped, the command cannot create a user namespace anyway. */
	if (cfg->disable_userns && cfg->map_mode != NB_MAP_NONE) {
		int r = nb_lock_disable_userns(procfd, e);

		if (r < 0)
			return nb_err(e);
		nouserns_filter = r == 1;
	}
	/* The command starts with its network configured: the host says when. */
	if (c->net_host_sock >= 0) {
		char ready;

		if (TEMP_FAILURE_RETRY(recv(c->net_host_sock, &ready, 1, 0)) != 1)
			_exit(NB_EXIT_FAILURE); /* the host reports why */
		close(c->net_host_sock);
		nb_narrate(1, "init", "the network helper is ready");
	}
	return take_locks(cfg, e);
}

/* What the command applies before exec; static, as the command shares init's memory. */
static struct nb_exec_spec spec;

static void make_spec(const struct nb_child *c)
{
	spec = (struct nb_exec_spec){
		.cfg = c->cfg,
		.ids = c->plan,
		.shell = c->host->shell,
		.cwd = c->launch->chdir,
		.mask = c->orig_mask,
		.sigchld_ignored = c->sigchld_ignored,
		/* --as-pid-1: the command is init, whose parent is the host. */
		.parent = c->cfg->as_pid1 ? 0 : getpid(),
		.sync_fd = c->sync_fd,
		.keep_fds = c->launch->keep_fds,
		.n_keep_fds = c->launch->n_keep_fds,
		.progs = c->progs,
		.nouserns_filter = nouserns_filter,
	};
}

/* The command's end of the handshake with init, and its stack. */
static int go_rd = -1, go_wr = -1, started_rd = -1, started_wr = -1;

static int command_main(void *arg)
{
	char go;

	/* Only init's end may keep the pipe open: its death is then end of file. */
	close(go_wr);
	close(started_rd);
	if (TEMP_FAILURE_RETRY(read(go_rd, &go, 1)) != 1)
		_exit(NB_EXIT_FAILURE); /* init failed, and said why */
	close(go_rd);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		struct nb_error e = { 0 };

		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "making the command non-dumpable");
		nb_sync_fail(spec.sync_fd, &e);
	}
	nb_exec(&spec);
}

static pid_t spawn(struct nb_child *c, int flags)
{
#ifdef __SANITIZE_ADDRESS__
	/* ASan cannot follow a process onto a stack of its own: copy instead. */
	pid_t pid = nb_clone_fork((uint64_t)flags, SIGCHLD);

	if (pid == 0)
		_exit(command_main(c));
	return pid;
#else
	/*
	 * The command runs on init's memory from its clone to its exec, as
	 * vfork() would, on a stack mapped for it with a guard page below: an
	 * overflow faults instead of writing over init's data.  It stays
	 * mapped: a quarter of a MiB of address space, touched only as far
	 * as the command's setup went.
	 */
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size = 256 * 1024;
	char *stack = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (stack == MAP_FAILED)
		return -1;
	if (mprotect(stack, page, PROT_NONE) < 0) {
		munmap(stack, size + page);
		return -1;
	}
	return clone(command_main, stack + page + size, CLONE_VM | flags | SIGCHLD, c);
#endif
}

/* The command's namespaces, read while it waits for its maps to take effect. */
static void narrate_command_ns(pid_t cmd)
{
	static const char *const names[] = { "user", "mnt", "uts", "ipc", "pid", "net", "cgroup" };

	if (!nb_narrating(1))
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[48];

		snprintf(path, sizeof(path), "%d/ns/%s", (int)cmd, names[i]);
		nb_narrate_ns(1, "init", procfd, path, "the command's");
	}
}

/*
 * The status fds: while init's memory is dumpable, the command's namespaces
 * can be looked at through proc, and init names them to the host.
 */
static int report_start(const struct nb_child *c, pid_t cmd, struct nb_error *e)
{
	uint64_t ino[NB_STATUS_NS];
	char who[16];

	if (c->cfg->info_fd < 0 && c->cfg->json_status_fd < 0)
		return 0;
	snprintf(who, sizeof(who), "%d", (int)cmd);
	nb_status_collect(procfd, cmd == getpid() ? "self" : who, ino);
	if (nb_status_send(c->sync_fd, cmd,
			   (c->cfg->unshare_flags & CLONE_NEWPID) || c->cfg->join_pidns_fd >= 0,
			   ino) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reporting the command's start");
	return 0;
}

/*
 * Init holds the command's own mount namespace until init itself exits.
 * Otherwise the command's exit tears it down (an RCU grace period for its
 * unmounts) before init even hears of that exit; this way both go at init's
 * exit.  0.1 ms less per start here.  Best effort: without it, only slower.
 */
static int cmd_mnt_fd = -1;

static void hold_command_mnt_ns(const struct nb_child *c, pid_t cmd)
{
	char path[32];

	if (!(nb_lock_flags(c->cfg) & CLONE_NEWNS))
		return;
	snprintf(path, sizeof(path), "%d/ns/mnt", (int)cmd);
	cmd_mnt_fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
}

/*
 * Starts the command in a user and mount namespace nested inside nestbox's
 * (lock.c), writes its maps, and returns once it has exec'd or failed: like
 * vfork(), the command shares init's memory until then, but init must run
 * meanwhile to write the maps.
 */
static pid_t start_command(struct nb_child *c, struct nb_error *e)
{
	int go[2], started[2];
	pid_t cmd;
	char buf;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(started, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the command's pipes");
	go_rd = go[0], go_wr = go[1], started_rd = started[0], started_wr = started[1];
	/*
	 * Dumpable only while the maps are written; nothing of the command runs
	 * yet, and the host's source fds, which init no longer needs, go first.
	 */
	nb_sources_close(c->src);
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the command's maps");
	cmd = spawn(c, nb_lock_flags(c->cfg));
	if (cmd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
	close(go_rd);
	close(started_wr);
	if (report_start(c, cmd, e) < 0 ||
	    (nb_lock_flags(c->cfg) && nb_lock_write_maps(procfd, cmd, c->plan, e) < 0)) {
		kill(cmd, SIGKILL);
		return nb_err(e);
	}
	hold_command_mnt_ns(c, cmd);
	/* Read while the command is still dumpable, and before any of it runs. */
	narrate_command_ns(cmd);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making the command non-dumpable");
		kill(cmd, SIGKILL);
		return nb_err(e);
	}
	if (c->cfg->show_map) {
		nb_idmap_show_live(procfd, cmd, stderr);
		if (c->plan->uid_method == NB_MAP_SKIP)
			fputs("nestbox: both maps are empty: --map none wrote nothing, and only a "
			      "process outside the namespace may write them\n",
			      stderr);
	}
	if (c->plan->uid_method == NB_MAP_SKIP)
		nb_narrate(1, "init",
			   "--map none: the command stays in nestbox's user namespace; an unmapped "
			   "uid keeps no capability across exec, so it cannot change a mount, and "
			   "it cannot create files in the fresh /dev/shm, whose root is unmapped");
	else
		nb_narrate(
		    1, "init",
		    "the command runs in a nested user namespace, where every mount is locked");
	if (TEMP_FAILURE_RETRY(write(go_wr, "g", 1)) != 1) {
		kill(cmd, SIGKILL);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the command");
	}
	close(go_wr);
	/* End of file: the command exec'd (close-on-exec) or died. */
	(void)TEMP_FAILURE_RETRY(read(started_rd, &buf, 1));
	close(started_rd);
	return cmd;
}

/* --as-pid-1: init moves into the nested namespaces itself; a helper writes the maps. */
static int lock_self(struct nb_child *c, struct nb_error *e)
{
	int go[2], status;
	pid_t helper, self = getpid();
	char buf;

	if (!nb_lock_flags(c->cfg))
		return report_start(c, self, e);

	if (pipe2(go, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe");
	nb_sources_close(c->src);
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the nested maps");
	helper = nb_clone_fork(0, SIGCHLD);
	if (helper < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the map helper");
	if (helper == 0) {
		close(go[1]);
		if (TEMP_FAILURE_RETRY(read(go[0], &buf, 1)) != 1)
			_exit(NB_EXIT_FAILURE);
		if (nb_lock_write_maps(procfd, self, c->plan, e) < 0)
			nb_child_fail(c, e);
		if (c->cfg->show_map)
			nb_idmap_show_live(procfd, self, stderr);
		_exit(0);
	}
	close(go[0]);
	if (unshare(nb_lock_flags(c->cfg)) < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the nested namespaces");
		close(go[1]);
		(void)TEMP_FAILURE_RETRY(waitpid(helper, NULL, 0));
		return nb_err(e);
	}
	if (TEMP_FAILURE_RETRY(write(go[1], "g", 1)) != 1)
		kill(helper, SIGKILL);
	close(go[1]);
	if (TEMP_FAILURE_RETRY(waitpid(helper, &status, 0)) != helper || status != 0)
		_exit(NB_EXIT_FAILURE); /* the helper said why */
	if (report_start(c, self, e) < 0)
		return nb_err(e);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making init non-dumpable");
	return 0;
}

/*
 * Without a PID namespace of its own, the sandbox is not ended by the kernel
 * when the command exits.  Init is then a child subreaper, so every orphan
 * comes to it, and it kills its children until none is left.  The list is
 * read from a /proc file opened before the mounts, so that it is there even
 * when the sandbox has no /proc.
 */
static void kill_descendants(int children_fd)
{
	size_t cap = 4096;
	char *buf = malloc(cap);

	for (int round = 0; buf && round < 100000; round++) {
		size_t len = 0;
		int killed = 0;
		ssize_t n;

		if (lseek(children_fd, 0, SEEK_SET) < 0)
			break;
		while ((n = TEMP_FAILURE_RETRY(read(children_fd, buf + len, cap - len))) > 0) {
			len += (size_t)n;
			if (len == cap) {
				char *grown = realloc(buf, cap * 2);

				if (!grown)
					break;
				buf = grown;
				cap *= 2;
			}
		}
		/* Only whole numbers, each ended by a separator, are pids. */
		for (size_t i = 0; i < len;) {
			char *end;
			long pid = strtol(buf + i, &end, 10);
			size_t used = (size_t)(end - (buf + i));

			if (used == 0 || i + used >= len)
				break;
			if (pid > 1 && kill((pid_t)pid, SIGKILL) == 0)
				killed++;
			i += used + 1;
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!killed && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			break;
		if (!killed)
			(void)waitpid(-1, NULL, 0);
	}
	free(buf);
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every fd from 3 up, except those of @keep (sorted here; -1 is none). */
static void close_all_but(int *keep, size_t n)
{
	unsigned from = 3;

	qsort(keep, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			close_range(from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

/*
 * Tells the host how the command ended, so that nestbox can die of the same
 * signal (init itself can only exit), then exits with the shell's code.
 */
static _Noreturn void finish(const struct nb_child *c, int status)
{
	struct nb_msg m = { .type = NB_MSG_STATUS, .status = status };

	(void)TEMP_FAILURE_RETRY(send(c->sync_fd, &m, sizeof(m), MSG_NOSIGNAL));
	_exit(exit_code(status));
}

/* --timeout fired: say so in one line, through the host, and exit 124. */
static _Noreturn void timed_out(const struct nb_child *c)
{
	struct nb_error e = { 0 };

	nb_fail(&e, NB_EXIT_TIMEOUT, 0, NULL, "--timeout: %u s are up, so the sandbox was ended",
		c->cfg->timeout);
	nb_sync_fail(c->sync_fd, &e);
}

/* init's parent-death signal when no PID namespace of its own ends everything. */
#define NB_HOST_DEATH_SIGNAL (SIGRTMIN + 1)

/* Static, not on the stack, so that the vfork()ed command cannot clobber it. */
static int children_fd = -1;

_Noreturn void nb_init_main(struct nb_child *c)
{
	bool own_pid_ns = c->cfg->unshare_flags & CLONE_NEWPID;
	struct nb_error e = { 0 };
	sigset_t fwd;
	pid_t cmd;
	int sfd;

	if (!own_pid_ns) {
		char path[64];
		sigset_t death;

		/*
		 * No PID namespace will end the sandbox if the host dies, so init
		 * must: its parent-death signal becomes one it handles, blocked
		 * until its loop reads it.
		 */
		sigemptyset(&death);
		sigaddset(&death, NB_HOST_DEATH_SIGNAL);
		if (sigprocmask(SIG_BLOCK, &death, NULL) < 0 ||
		    prctl(PR_SET_PDEATHSIG, NB_HOST_DEATH_SIGNAL, 0, 0, 0) < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL,
				"setting the parent-death signal");
			nb_child_fail(c, &e);
		}
		if (nb_host_gone(c))
			_exit(NB_EXIT_FAILURE);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "becoming a child subreaper");
			nb_child_fail(c, &e);
		}
		/* thread-self: init's pid may belong to a PID namespace that it joined. */
		snprintf(path, sizeof(path), "/proc/thread-self/children");
		children_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (children_fd < 0) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, "--share pid needs the host's /proc",
				"opening %s", path);
			nb_child_fail(c, &e);
		}
	}
	procfd = nb_lock_open_proc(own_pid_ns, &e);
	if (procfd < 0 || setup(c, &e) < 0)
		nb_child_fail(c, &e);
	nb_abort_on_pending_signal();
	if (c->cfg->as_pid1) {
		if (lock_self(c, &e) < 0)
			nb_child_fail(c, &e);
		nb_closep(&procfd);
		nb_narrate(1, "init", "exec'ing the command as PID 1 (--as-pid-1)");
		make_spec(c);
		nb_exec(&spec);
	}

	/*
	 * SIGCHLD must be blocked before the command exists: an unblocked
	 * SIGCHLD with the default disposition is discarded, and init would wait
	 * for it forever.  The command restores the caller's mask.
	 */
	nb_forwarded_signals(&fwd);
	sigaddset(&fwd, SIGCHLD);
	if (!own_pid_ns)
		sigaddset(&fwd, NB_HOST_DEATH_SIGNAL);
	if (sigprocmask(SIG_BLOCK, &fwd, NULL) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "blocking signals in init");
		nb_child_fail(c, &e);
	}

	/*
	 * The command shares init's memory until it execs: it replaces its
	 * memory then anyway, so copying init's page tables for it would be
	 * wasted work on every start.
	 */
	make_spec(c);
	cmd = start_command(c, &e);
	if (cmd < 0)
		nb_child_fail(c, &e);

	/*
	 * Init keeps nothing of the host but the sync socket, to report the end,
	 * and its locks (and the command's mount namespace, see above); and of
	 * its capabilities only CAP_KILL, to forward signals.
	 */
	{
		int keep[3 + sizeof(lock_fds) / sizeof(lock_fds[0])] = { children_fd, c->sync_fd,
									 cmd_mnt_fd };

		memcpy(keep + 3, lock_fds, n_lock_fds * sizeof(int));
		close_all_but(keep, 3 + n_lock_fds);
	}
	if (nb_caps_keep_only(1ULL << CAP_KILL, &e) < 0)
		nb_child_fail(c, &e);
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0)
		_exit(NB_EXIT_FAILURE);
	nb_narrate(2, "init", "command is PID %d; reaping and forwarding signals", (int)cmd);

	for (;;) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;
		int timeout = -1;

		if (c->deadline_ms) {
			int64_t left = c->deadline_ms - nb_now_ms();

			if (left <= 0) {
				/* --timeout: end everything, as timeout(1) would. */
				nb_narrate(1, "init", "--timeout expired; ending the sandbox");
				if (!own_pid_ns)
					kill_descendants(children_fd);
				timed_out(c);
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(&p, 1, timeout)) <= 0)
			continue;
		if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) != (ssize_t)sizeof(si))
			continue;
		/* The same signal, sent to nestbox by someone, goes on to the command. */
		if ((int)si.ssi_signo == NB_HOST_DEATH_SIGNAL && nb_sync_host_gone(c->sync_fd)) {
			/* The host is gone: end everything, as a PID namespace would. */
			kill_descendants(children_fd);
			_exit(128 + SIGKILL);
		}
		if (si.ssi_signo != SIGCHLD) {
			/*
			 * A terminal's signals (SI_KERNEL) go to its foreground process
			 * group.  If that is init's, the command got them too, unless
			 * it moved to a group of its own (as timeout(1) does).
			 */
			if (si.ssi_code != SI_KERNEL || getpgid(cmd) != getpgrp())
				kill(cmd, (int)si.ssi_signo);
			continue;
		}
		for (;;) {
			int status;
			pid_t w = waitpid(-1, &status, WNOHANG);

			if (w <= 0)
				break;
			if (w == cmd) {
				if (!own_pid_ns)
					kill_descendants(children_fd);
				finish(c, status);
			}
		}
	}
}
