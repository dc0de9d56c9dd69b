// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The orchestration of one sandbox:
 *
 *   host (nestbox)              stays in the host namespaces
 *     | fork (clone(CLONE_NEWUSER))
 *   child                       new user namespace, nothing else yet
 *       host writes setgroups, gid_map, uid_map (or runs newgidmap and
 *       newuidmap); sends GO
 *       child unshares the PID namespace
 *     | fork (clone(CLONE_PARENT))   so that the host is init's parent
 *   init (PID 1)                UTS, mount, IPC and cgroup namespaces,
 *                               hostname, mounts, fresh /proc
 *       meanwhile the child creates the network namespace, brings up lo
 *       and hands the namespace to init, which joins it
 *     | clone(CLONE_VM), as vfork() would
 *   command (PID 2)             seccomp, ids, capabilities; exec
 *
 * The child exits once init has the network namespace, so a running
 * sandbox is the host process, init and the command, and the host waits on
 * init's pidfd.
 *
 * No process shares the host's memory: the child and init are forks, each
 * with a copy, so whatever they load or break stays in it.  Only the
 * command shares init's memory from its clone to its exec, on a stack
 * mapped for it with a guard page, while init waits for the exec.
 */
#include "autoconf.h"

#include "sandbox.h"
#include "child.h"
#include "cleanup.h"
#include "explain.h"
#include "gate.h"
#include "init.h"
#include "lock.h"
#include "net.h"
#include "netd.h"
#include "ns.h"
#include "plan.h"
#include "seccomp.h"
#include "sources.h"
#include "state.h"
#include "status.h"
#include "util.h"

#include <errno.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static int die_with_host(const struct nb_child *c, struct nb_error *e)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the parent-death signal");
	if (nb_host_gone(c))
		_exit(NB_EXIT_FAILURE);
	return 0;
}

/* Each namespace the child just made, with the kernel's inode and owner. */
static void narrate_nested(int flags)
{
	static const struct {
		int flag;
		const char *path;
	} made[] = {
		{ CLONE_NEWUTS, "/proc/self/ns/uts" },
		{ CLONE_NEWIPC, "/proc/self/ns/ipc" },
		{ CLONE_NEWCGROUP, "/proc/self/ns/cgroup" },
		{ CLONE_NEWNS, "/proc/self/ns/mnt" },
	};

	if (!nb_narrating(1))
		return;
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		if (flags & made[i].flag)
			nb_narrate_ns(1, "init", AT_FDCWD, made[i].path, "new");
}

/*
 * Namespaces joined rather than made: the user namespace first, which
 * grants the capabilities for the rest; a joined PID namespace is where
 * init and the command are born (and the parent of a new one).
 */
static int join(const struct nb_config *cfg, struct nb_error *e)
{
	if (cfg->join_userns_fd >= 0 && setns(cfg->join_userns_fd, CLONE_NEWUSER) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "joining user namespace fd %d",
			       cfg->join_userns_fd);
	if (cfg->join_pidns_fd >= 0 && setns(cfg->join_pidns_fd, CLONE_NEWPID) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "joining PID namespace fd %d",
			       cfg->join_pidns_fd);
	return 0;
}

/* Nests the namespaces @flags in the new user namespace, where a refusal is a gate. */
static int nest_or_gate(int flags, struct nb_error *e)
{
	if (nb_ns_nest(flags, e) < 0) {
		/* In a user namespace of our own, a refusal is a gate: AppArmor's, say. */
		if (e->err == EPERM || e->err == EACCES)
			nb_gate_fail(e, e->err, "nesting namespaces in the new user namespace");
		return -1;
	}
	return 0;
}

/*
 * init's first steps, in its own copy of the child's memory: the
 * namespaces @nest (all but the PID namespace, which it was born into, and
 * the network one, which the child makes meanwhile).
 */
static _Noreturn void init_start(struct nb_child *c, int child_net_end, int nest)
{
	struct nb_error e = { 0 };

	if (child_net_end >= 0)
		close(child_net_end);
	if (nb_lock_mapped_ids(c->plan, c->host->uid, c->host->gid, &e) < 0 ||
	    die_with_host(c, &e) < 0 || (nest && nest_or_gate(nest, &e) < 0))
		nb_child_fail(c, &e);
	narrate_nested(nest);
	nb_init_main(c);
}

/* The first child: in the new user namespace, waiting for its maps. */
static int child_main(void *arg)
{
	struct nb_child *c = arg;
	const struct nb_config *cfg = c->cfg;
	struct nb_error e = { 0 };
	struct nb_msg m;
	int net_sv[2] = { -1, -1 };
	ssize_t n;
	pid_t init;
	int nest;

	/* The host's ends: this process has copies of its fds, as of its memory. */
	close(c->host_sync_fd);
	if (c->host_net_sock >= 0)
		close(c->host_net_sock);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "setting the parent-death signal");
		nb_child_fail(c, &e);
	}
	if (getppid() != c->host_pid)
		_exit(NB_EXIT_FAILURE); /* the host is gone: nobody to tell */
	n = TEMP_FAILURE_RETRY(recv(c->sync_fd, &m, sizeof(m), 0));
	if (n != (ssize_t)sizeof(m) || m.type != NB_MSG_GO)
		_exit(NB_EXIT_FAILURE); /* the host gave up; it reports why */
	nb_narrate(1, "child", "%s; nesting namespaces inside the user namespace",
		   c->plan->uid_method == NB_MAP_SKIP ? "no maps, as asked" : "maps are in place");
	if (join(cfg, &e) < 0)
		nb_child_fail(c, &e);
	/*
	 * From here on no sandbox process may be ptraced: init holds the
	 * caller's terminal without the command's seccomp filter, and inherits
	 * the flag from here.  It has to wait until the maps are written, as
	 * newuidmap checks who owns /proc/PID.  The host sets its own.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "making the sandbox non-dumpable");
		nb_child_fail(c, &e);
	}

	/*
	 * The network namespace is the slow one to create, and the one init
	 * waits for.  The child makes it as soon as init exists, and hands it
	 * over; only the PID namespace must come first, as init is born into
	 * it.  init nests the others itself, meanwhile, and joins the network
	 * namespace before it starts the command.
	 */
	nest = cfg->unshare_flags & ~CLONE_NEWNET;
	if ((cfg->unshare_flags & CLONE_NEWNET) &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, net_sv) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL,
			"creating a socket for the network namespace");
		nb_child_fail(c, &e);
	}
	if ((nest & CLONE_NEWPID) && nest_or_gate(CLONE_NEWPID, &e) < 0)
		nb_child_fail(c, &e);
	c->net_sock = net_sv[1];
	init = nb_clone_fork(CLONE_PARENT, 0);
	if (init < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "starting the sandbox's init");
		nb_child_fail(c, &e);
	}
	if (init == 0)
		init_start(c, net_sv[0], nest & ~CLONE_NEWPID);
	nb_closep(&net_sv[1]);
	if (net_sv[0] >= 0) {
		int netns = -1;

		/* On failure init sees the socket close, and the host gets the error. */
		if (nest_or_gate(CLONE_NEWNET, &e) < 0 || nb_net_loopback_up(&netns, &e) < 0 ||
		    (c->net_host_sock >= 0 && nb_net_open_low_ports(&e) < 0))
			nb_child_fail(c, &e);
		/* By the fd in hand: no path to look up. */
		nb_narrate_ns_fd(1, "child", netns, "net", "new");
		nb_narrate(1, "child", "brought up lo in the new network namespace");
		if (nb_send_fd(net_sv[0], netns) < 0 ||
		    (c->net_host_sock >= 0 && nb_send_fd(c->net_host_sock, netns) < 0)) {
			nb_fail(&e, NB_EXIT_FAILURE, errno, NULL,
				"handing over the network namespace");
			nb_child_fail(c, &e);
		}
	}
	/* A PID namespace shows its inode once init, its first process, exists. */
	if (nest & CLONE_NEWPID)
		nb_narrate(1, "child", "started init as PID 1 of the new PID namespace");
	/*
	 * Naming init only now, when the child's work is done, wakes the host
	 * once the CPUs are free rather than in the middle of the setup.
	 */
	m = (struct nb_msg){ .type = NB_MSG_PID, .pid = init };
	if (TEMP_FAILURE_RETRY(send(c->sync_fd, &m, sizeof(m), MSG_NOSIGNAL)) < 0) {
		/* The host may still read this one; init then has nobody to wait for it. */
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "naming init to the host");
		kill(init, SIGKILL);
		nb_child_fail(c, &e);
	}
	_exit(0);
}

static int status_to_exit(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return NB_EXIT_FAILURE;
}

struct host_state {
	const struct nb_config *cfg;
	pid_t child;
	pid_t init;
	int init_fd; /* pidfd of init */
	int sync_fd;
	bool have_error;
	bool timed_out;
	bool have_status;
	bool started; /* the status fds have been told */
	int cmd_status; /* the command's wait status, from init */
	int64_t t0_ms; /* when the run began, for the status fds' setup time */
	struct rusage ru; /* init's and all it reaped: the sandbox's resource use */
	struct nb_msg error;
	struct nb_claim *claim; /* the record for ps, if any */
};

static void take_message(struct host_state *h, const struct nb_msg *m)
{
	if (m->type == NB_MSG_PID && m->pid > 0 && h->init <= 0) {
		h->init = m->pid;
	} else if (m->type == NB_MSG_STATUS) {
		h->have_status = true;
		h->cmd_status = m->status;
	} else if (m->type == NB_MSG_STARTED && !h->started) {
		uint64_t ino[NB_STATUS_NS];
		pid_t init = h->init;

		h->started = true;
		nb_status_decode(m->text, ino);
		/* init may report the command before the child has named init. */
		if (h->init <= 0) {
			uint64_t start;
			pid_t parent = 0;

			if (nb_proc_stat(m->pid, &start, &parent) == 0 && parent > 0)
				init = h->cfg->as_pid1 ? m->pid : parent;
		}
		nb_status_started(h->cfg,
				  &(struct nb_status_start){ .pid = m->pid,
							     .init_pid = init,
							     .isolation = "namespaces",
							     .setup_ms = nb_now_ms() - h->t0_ms,
							     .ino = ino });
	} else if (m->type == NB_MSG_ERROR && !h->have_error) {
		h->have_error = true;
		h->error = *m;
		h->error.text[sizeof(m->text) - 1] = '\0';
	}
}

/*
 * One message; a STARTED one without a pid names the command through its
 * credentials, which the kernel gave in the host's PID namespace.  The
 * host reads only what poll() said is there.
 */
static ssize_t recv_msg(int fd, struct nb_msg *m, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n = TEMP_FAILURE_RETRY(recvmsg(fd, &msg, flags | MSG_CMSG_CLOEXEC));

	if (n == (ssize_t)sizeof(*m) && m->type == NB_MSG_STARTED && m->pid == 0)
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cred;

				memcpy(&cred, CMSG_DATA(c), sizeof(cred));
				m->pid = cred.pid;
			}
	return n;
}

/* Reads whatever the sandbox has sent, without waiting; 0 at end of file. */
static ssize_t drain_messages(struct host_state *h)
{
	struct nb_msg m;
	ssize_t n;

	while ((n = recv_msg(h->sync_fd, &m, MSG_DONTWAIT)) == (ssize_t)sizeof(m))
		take_message(h, &m);
	return n;
}

/* Reads the one message that poll() saw; 0 at end of file. */
static ssize_t read_message(struct host_state *h)
{
	struct nb_msg m;
	ssize_t n = recv_msg(h->sync_fd, &m, 0);

	if (n == (ssize_t)sizeof(m))
		take_message(h, &m);
	return n;
}

/*
 * Waits for the child to name init.  Signals that come first are kept and
 * passed on once init is known; --timeout still applies.
 */
static int wait_for_init(struct host_state *h, int sfd, int64_t deadline, struct nb_error *e)
{
	sigset_t early;

	/*
	 * Until init is named or every sandbox process is gone (end of file):
	 * an error may come first, from init or the command, and the outcome
	 * is still init's exit status.
	 */
	sigemptyset(&early);
	while (h->init <= 0) {
		struct pollfd p[2] = {
			{ .fd = h->sync_fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		int timeout = -1;
		ssize_t n;

		if (deadline) {
			int64_t left = deadline - nb_now_ms();

			if (left <= 0) {
				h->timed_out = true;
				return 0;
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(p, 2, timeout)) <= 0)
			continue;
		if (p[1].revents) {
			/* A terminal's signals reach the sandbox directly (see supervise()). */
			if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) == (ssize_t)sizeof(si) &&
			    nb_forward_this(&si))
				sigaddset(&early, (int)si.ssi_signo);
			continue;
		}
		n = read_message(h);
		if (n == 0)
			break;
		if (n < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading from the sandbox");
	}
	if (h->init <= 0)
		return 0;
	/* init is our unreaped child, so its pid cannot have been reused. */
	h->init_fd = nb_pidfd_open(h->init);
	if (h->init_fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 5.3",
			       "opening a pidfd for the sandbox");
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&early, sig))
			kill(h->init, sig);
	return 0;
}

/* Reaps every child, waiting for those that are on their way out. */
static void reap_all(void)
{
	while (TEMP_FAILURE_RETRY(waitpid(-1, NULL, __WALL)) > 0)
		;
}

static void kill_and_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		(void)TEMP_FAILURE_RETRY(waitpid(pid, NULL, __WALL));
	}
}

/*
 * Waits for init, forwarding signals.  Init enforces --timeout itself, so
 * that it can end every process first; the host steps in only for a command
 * that is PID 1 itself, or when init has not finished a second later.
 */
static int supervise(struct host_state *h, const struct nb_config *cfg, int sfd,
		     int64_t deadline_ms, int *status, struct nb_error *e)
{
	int64_t deadline = deadline_ms ? deadline_ms + (cfg->as_pid1 ? 0 : 1000) : -1;
	/*
	 * The status fds want to hear of the command's start while it runs.
	 * The command's end, which init reports just before it exits, is when
	 * the record goes: nestbox removes it while init's exit tears the
	 * namespaces down, rather than after.
	 */
	bool want_start = !h->started && (cfg->info_fd >= 0 || cfg->json_status_fd >= 0);
	bool listen = want_start || (!h->have_status && h->claim->fd >= 0);

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = h->init_fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = listen ? h->sync_fd : -1, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		int timeout = -1;

		if (deadline >= 0) {
			int64_t left = deadline - nb_now_ms();

			if (left <= 0) {
				nb_narrate(1, "host", "--timeout expired; killing the sandbox");
				kill_and_reap(h->init);
				kill_and_reap(h->child);
				h->timed_out = true;
				return nb_fail(e, NB_EXIT_TIMEOUT, 0, NULL,
					       "--timeout: %u s are up, so the sandbox was ended",
					       cfg->timeout);
			}
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		if (TEMP_FAILURE_RETRY(poll(p, 3, timeout)) <= 0)
			continue;
		if (p[2].revents) {
			ssize_t n = read_message(h);

			if (h->have_status)
				nb_state_release(h->claim);
			if (n == 0 || ((h->started || !want_start) && h->claim->fd < 0))
				listen = false;
			continue;
		}
		if (p[0].revents) {
			if (TEMP_FAILURE_RETRY(wait4(h->init, status, __WALL, &h->ru)) != h->init)
				return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
					       "waiting for the sandbox");
			return status_to_exit(*status);
		}
		if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof(si))) != (ssize_t)sizeof(si))
			continue;
		/*
		 * A terminal's signals (SI_KERNEL) already reach the whole foreground
		 * process group, the command included: passing them on would
		 * deliver them twice.
		 */
		if (nb_forward_this(&si))
			kill(h->init, (int)si.ssi_signo);
	}
}

/*
 * The host starts the network helper once the child has handed it the
 * network namespace (it did so before naming init), and tells init when
 * the helper is ready: init holds the command back until then.
 */
static int start_net(const struct nb_plan *launch, int sock, struct nb_netd *netd,
		     struct nb_error *e)
{
	_cleanup_close_ int netns = nb_recv_fd(sock);

	if (netns < 0)
		return nb_fail(e, NB_EXIT_FAILURE, -netns, NULL,
			       "receiving the network namespace for %s", launch->net.helper);
	if (nb_netd_start(&launch->net, launch->host, netns, netd, e) < 0)
		return nb_err(e);
	if (TEMP_FAILURE_RETRY(send(sock, "r", 1, MSG_NOSIGNAL)) != 1) {
		nb_netd_stop(netd);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "telling the sandbox that the network is ready");
	}
	return 0;
}

/* The status fd's last object: bubblewrap's "exit-code", or nestbox's account. */
static void status_end(const struct host_state *h, int exit_code)
{
	if (!h->cfg->status_version && h->timed_out)
		return;
	nb_status_exited(h->cfg, &(struct nb_status_end){
				     .exit_code = exit_code,
				     .wait_status = h->have_status ? h->cmd_status : -1,
				     .timed_out = h->timed_out || exit_code == NB_EXIT_TIMEOUT,
				     .ru = &h->ru,
				 });
}

static void narrate_end(const struct host_state *h, const struct nb_config *cfg)
{
	if (!nb_narrating(1) || h->have_error || h->timed_out)
		return;
	if (!h->have_status && !cfg->as_pid1)
		return;
	if (h->have_status && WIFSIGNALED(h->cmd_status))
		nb_narrate(1, "host", "the command was killed by signal %d (%s)",
			   WTERMSIG(h->cmd_status), strsignal(WTERMSIG(h->cmd_status)));
	else if (h->have_status)
		nb_narrate(1, "host", "the command exited with status %d",
			   WEXITSTATUS(h->cmd_status));
}

static int run(const struct nb_plan *launch, struct nb_sources *src,
	       const struct nb_seccomp_progs *progs, struct nb_claim *claim, struct nb_record *rec,
	       struct nb_error *e)
{
	const struct nb_config *cfg = launch->cfg;
	const struct nb_host *host = launch->host;
	const struct nb_idplan *plan = launch->ids;
	struct host_state h = {
		.cfg = cfg, .sync_fd = -1, .init_fd = -1, .claim = claim, .t0_ms = nb_now_ms()
	};
	_cleanup_close_ int sfd = -1;
	_cleanup_close_ int sync_host = -1;
	_cleanup_close_ int net_host = -1;
	/* The running helper: its mode, pid and ports are what a ps record shows. */
	struct nb_netd netd;
	struct nb_child c = {
		.cfg = cfg,
		.host = host,
		.plan = plan,
		.host_pid = getpid(),
		.net_sock = -1,
		.net_host_sock = -1,
		.host_net_sock = -1,
		.launch = launch,
		.src = src,
		.progs = progs,
	};
	struct nb_msg go = { .type = NB_MSG_GO };
	sigset_t block;
	int sv[2];
	int r, status;

	/*
	 * Block the forwarded signals before the clone, so that none is lost
	 * between now and the signalfd; the sandbox restores the mask.  SIGCHLD
	 * stays unblocked and ignored: the host waits on init's pidfd.
	 */
	/*
	 * An ignored SIGCHLD makes the kernel reap children unasked: init would
	 * never learn that the command exited, and waitpid() for the map
	 * helpers would fail.  The command gets the caller's setting back.
	 */
	{
		struct sigaction dfl = { .sa_handler = SIG_DFL }, old;

		if (sigaction(SIGCHLD, &dfl, &old) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "resetting SIGCHLD");
		c.sigchld_ignored = old.sa_handler == SIG_IGN;
	}
	nb_forwarded_signals(&block);
	if (sigprocmask(SIG_BLOCK, &block, &c.orig_mask) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "blocking signals");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the sync socket");
	sync_host = sv[0];
	c.sync_fd = sv[1];
	if ((cfg->info_fd >= 0 || cfg->json_status_fd >= 0) &&
	    setsockopt(sync_host, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0) {
		close(c.sync_fd);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the status fds");
	}
	/* --die-with-parent: nestbox's death already ends the sandbox. */
	if (cfg->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		close(c.sync_fd);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the parent-death signal");
	}
	nb_netd_init(&netd);
	if (nb_net_has_helper(launch->net.mode)) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
			close(c.sync_fd);
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "creating a socket for the network helper");
		}
		net_host = sv[0];
		c.host_net_sock = sv[0];
		c.net_host_sock = sv[1];
	}

	c.host_sync_fd = sync_host;
	if (cfg->timeout)
		c.deadline_ms = nb_now_ms() + (int64_t)cfg->timeout * 1000;
	/*
	 * No exit signal: nothing needs to wake the host when the child is done,
	 * and init, its CLONE_PARENT sibling, inherits that.
	 */
	/*
	 * Fork semantics, as bubblewrap's and crun's first child has: a copy of
	 * the host's memory, never the memory itself, so that nothing the child
	 * does (its heap, errno, stdio) can reach the host.  The sanitizer
	 * build runs this same path.
	 */
	h.child = nb_clone_fork(cfg->join_userns_fd >= 0 ? 0 : CLONE_NEWUSER, 0);
	if (h.child == 0)
		_exit(child_main(&c));
	if (h.child < 0) {
		int err = errno;

		close(c.sync_fd);
		if (c.net_host_sock >= 0)
			close(c.net_host_sock);
		return nb_gate_fail(e, err, "creating a user namespace");
	}
	/*
	 * One line, once the user namespace exists (where it cannot, Landlock
	 * may serve instead): what a container's masked /proc costs.
	 */
	if (cfg->pid_kept_for_proc)
		fprintf(stderr,
			"nestbox: /proc is masked here (a container's), so no fresh /proc can "
			"be mounted: the sandbox keeps this PID namespace and its /proc, as "
			"--share pid does (its processes see and can signal yours)\n");
	close(c.sync_fd);
	if (c.net_host_sock >= 0)
		close(c.net_host_sock);
	h.sync_fd = sync_host;
	if (nb_narrating(1)) {
		char ns[48], what[64];

		snprintf(ns, sizeof(ns), "/proc/%d/ns/user", (int)h.child);
		snprintf(what, sizeof(what), "started pid %d in a new", (int)h.child);
		nb_narrate_ns(1, "host", AT_FDCWD, ns, what);
		nb_narrate(1, "host",
			   "writing its maps from outside, as only a process outside may");
	}
	nb_narrate(1, "host", "network: %s%s", nb_net_mode_name(launch->net.mode),
		   net_host >= 0 ? "; its helper starts once the namespace exists" : "");

	/* Someone else may want to look at the new user namespace first. */
	if (cfg->userns_block_fd >= 0) {
		char b;

		(void)TEMP_FAILURE_RETRY(read(cfg->userns_block_fd, &b, 1));
	}
	/* A joined user namespace has its maps already. */
	r = cfg->join_userns_fd >= 0 ? 0 : nb_idmap_apply(plan, h.child, e);
	if (r < 0) {
		kill_and_reap(h.child);
		return r;
	}
	/*
	 * The host holds the sandbox's record lock, its sockets and the
	 * caller's terminal: nobody may ptrace it either, from here on, as the
	 * child does not share its memory (and so its dumpable flag).  Before
	 * GO, so that a failure here ends a child that has started nothing.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "making nestbox non-dumpable");
		kill_and_reap(h.child);
		return r;
	}
	if (TEMP_FAILURE_RETRY(send(sync_host, &go, sizeof(go), MSG_NOSIGNAL)) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "signalling the sandbox");
		kill_and_reap(h.child);
		return r;
	}

	sfd = signalfd(-1, &block, SFD_CLOEXEC);
	if (sfd < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a signalfd");
		kill_and_reap(h.child);
		return r;
	}
	r = wait_for_init(&h, sfd, c.deadline_ms ? c.deadline_ms + 1000 : 0, e);
	if (r < 0 || h.init <= 0) {
		/*
		 * Without the child, an init it started (and did not name) gets no
		 * network namespace and exits: wait for it too.
		 */
		kill_and_reap(h.init);
		kill_and_reap(h.child);
		reap_all();
		if (r < 0)
			return r;
		if (h.timed_out)
			return nb_fail(e, NB_EXIT_TIMEOUT, 0, NULL,
				       "--timeout: %u s are up, so the sandbox was ended",
				       cfg->timeout);
		r = 0;
	} else {
		/* Its work is done once it has named init: no zombie beside the sandbox. */
		kill_and_reap(h.child);
		h.child = 0;
		/* The record now points at init, for ps and enter. */
		rec->init_pid = h.init;
		if (claim->fd >= 0 && (nb_proc_stat(h.init, &rec->init_start, NULL) < 0 ||
				       nb_state_publish(claim, rec) < 0))
			nb_narrate(1, "host", "could not write the record of sandbox %s",
				   rec->name);
		nb_narrate(1, "host", "sandbox init is pid %d on the host; waiting for it",
			   (int)h.init);
		if (net_host >= 0 && start_net(launch, net_host, &netd, e) < 0) {
			kill_and_reap(h.init);
			nb_closep(&h.init_fd);
			/* A sandbox that failed meanwhile said why: that comes first. */
			drain_messages(&h);
			if (h.have_error)
				nb_error_from_msg(e, &h.error);
			return nb_err(e);
		}
		if (net_host >= 0 && claim->fd >= 0) {
			/* The helper runs now: ps shows its pid and the ports it forwards. */
			rec->net_helper_pid = netd.info.helper_pid;
			if (nb_state_publish(claim, rec) < 0)
				nb_narrate(1, "host", "could not write the record of sandbox %s",
					   rec->name);
		}
		r = supervise(&h, cfg, sfd, c.deadline_ms, &status, e);
		nb_netd_stop(&netd);
		/* Done or not (a slow network namespace at a timeout), it has no more to do. */
		kill_and_reap(h.child);
		nb_closep(&h.init_fd);
		if (r < 0 && h.started && h.timed_out)
			status_end(&h, NB_EXIT_TIMEOUT);
		if (r < 0)
			return r;
	}
	/*
	 * A process that failed during setup said why before it exited, with
	 * the status that init then passed on.  A message whose status is not
	 * the outcome (a timeout cut the setup short) is only an echo.
	 */
	drain_messages(&h);
	narrate_end(&h, cfg);
	if (h.have_error && !h.timed_out && (h.init <= 0 || r == h.error.status)) {
		/*
		 * init's --timeout, say, after the command had started: nestbox's
		 * format says how it ended; bubblewrap's gives no exit code to a
		 * command that failed before its exec.
		 */
		if (h.started && cfg->status_version)
			status_end(&h, h.error.status ? h.error.status : NB_EXIT_FAILURE);
		nb_error_from_msg(e, &h.error);
		return -(h.error.err ? h.error.err : EINVAL);
	}
	if (h.init <= 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "the sandbox setup ended early");
	/* Only a command that ran has an exit code; nestbox's format tells a timeout too. */
	if (h.started && (!h.timed_out || cfg->status_version))
		status_end(&h, h.timed_out ? NB_EXIT_TIMEOUT : r);
	/* A death by signal is passed on, from init's report or, as PID 1, its own. */
	if (!h.timed_out && h.have_status && WIFSIGNALED(h.cmd_status))
		return NB_EXIT_SIGNALLED | WTERMSIG(h.cmd_status);
	if (!h.timed_out && cfg->as_pid1 && WIFSIGNALED(status))
		return NB_EXIT_SIGNALLED | WTERMSIG(status);
	return r;
}

static const char *const map_names[] = {
	[NB_MAP_ROOT] = "root",		[NB_MAP_USER] = "user", [NB_MAP_AUTO] = "auto",
	[NB_MAP_EXPLICIT] = "explicit", [NB_MAP_NONE] = "none",
};

/*
 * Claims the sandbox's name in the user's state directory before anything
 * starts, so that a clash costs nothing.  Without a place for records a
 * sandbox that nobody named still runs; one named with --name does not.
 */
static int claim_name(const struct nb_plan *plan, struct nb_claim *claim, struct nb_record *rec,
		      char *dir, size_t size, struct nb_error *e)
{
	const struct nb_config *cfg = plan->cfg;
	int dirfd;

	*rec = (struct nb_record){
		.host_pid = getpid(),
		.started = (int64_t)time(NULL),
		.own_pid_ns = (cfg->unshare_flags & CLONE_NEWPID) != 0,
		.as_pid1 = cfg->as_pid1,
	};
	snprintf(rec->seccomp, sizeof(rec->seccomp), "%s",
		 cfg->seccomp == NB_SECCOMP_DEFAULT ? "default" : "none");
	snprintf(rec->map, sizeof(rec->map), "%s", map_names[cfg->map_mode]);
	snprintf(rec->net, sizeof(rec->net), "%s", nb_net_mode_name(plan->net.mode));
	for (size_t i = 0, used = 0; i < cfg->n_publish; i++) {
		const struct nb_publish *p = &cfg->publish[i];
		int n = snprintf(rec->ports + used, sizeof(rec->ports) - used, "%s%s:%u:%u/%s",
				 used ? "," : "", p->addr, p->host_port, p->sandbox_port,
				 p->proto == IPPROTO_UDP ? "udp" : "tcp");

		if (n < 0 || (size_t)n >= sizeof(rec->ports) - used)
			break;
		used += (size_t)n;
	}
	if (cfg->name)
		snprintf(rec->name, sizeof(rec->name), "%s", cfg->name);
	else
		nb_state_default_name(cfg->argv ? cfg->argv[0] : plan->host->shell, rec->host_pid,
				      rec->name, sizeof(rec->name));
	for (int tries = 0;; tries++) {
		int r;

		dirfd = nb_state_dir_open(plan->host, true, dir, size, e);
		if (dirfd < 0) {
			if (cfg->name)
				return nb_error_wrap(e, "--name %s", cfg->name);
			nb_narrate(1, "host", "no record for ps and enter: %s", e->msg);
			*e = (struct nb_error){ 0 };
			return 0;
		}
		r = nb_state_claim(claim, dirfd, rec, e);
		if (r == 0)
			break;
		close(dirfd);
		claim->dirfd = -1;
		/* The directory went (the user, or an older nestbox) as we opened it: again. */
		if (r == -ENOENT && tries < 3)
			continue;
		if (cfg->name)
			return r;
		/* A sandbox nobody named runs without a record, as without a directory. */
		nb_narrate(1, "host", "no record for ps and enter: %s", e->msg);
		*e = (struct nb_error){ 0 };
		return 0;
	}
	nb_narrate(1, "host", "the sandbox is named %s (record in %s)", rec->name, dir);
	return 0;
}

int nb_sandbox_run(const struct nb_plan *plan, struct nb_error *e)
{
	struct nb_sources src = { 0 };
	struct nb_claim claim = { .dirfd = -1, .fd = -1 };
	struct nb_record rec = { 0 };
	char dir[4096] = "";
	struct nb_seccomp_progs progs;
	int r;

	/* Every source is opened here, on the host: a bad one stops the start. */
	r = nb_seccomp_read(plan->cfg, &progs, e);
	if (r < 0)
		return r;
	r = nb_sources_open(plan->mounts, plan->n_mounts, &src, e);
	if (r < 0) {
		nb_seccomp_progs_free(&progs);
		return r;
	}
	r = plan->cfg->no_record ? 0 : claim_name(plan, &claim, &rec, dir, sizeof(dir), e);
	if (r == 0) {
		struct sigaction chld;
		sigset_t mask;

		(void)sigprocmask(SIG_SETMASK, NULL, &mask);
		(void)sigaction(SIGCHLD, NULL, &chld);
		r = run(plan, &src, &progs, &claim, &rec, e);
		/*
		 * A sandbox that could not be made gives the caller's signals
		 * back: what runs next (a Landlock run, after a gate) starts
		 * from them, not from the forwarding mask.
		 */
		if (r < 0) {
			(void)sigaction(SIGCHLD, &chld, NULL);
			(void)sigprocmask(SIG_SETMASK, &mask, NULL);
		}
	}
	nb_state_release(&claim);
	nb_closep(&claim.dirfd);
	nb_sources_free(&src);
	nb_seccomp_progs_free(&progs);
	return r;
}
