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

#include "run/sandbox.h"
#include "core/plan.h"
#include "doctor/gate.h"
#include "fs/sources.h"
#include "lib/cleanup.h"
#include "lib/explain.h"
#include "lib/io.h"
#include "lib/util.h"
#include "net/netd.h"
#include "run/child.h"
#include "run/init.h"
#include "run/nest.h"
#include "run/seccomp.h"
#include "run/status.h"
#include "run/supervise.h"
#include "state/state.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
static void status_end(const struct nb_watch *h, int exit_code)
{
	if (!h->cfg->proc.status_version && h->timed_out)
		return;
	nb_status_exited(h->cfg, &(struct nb_status_end){
				     .exit_code = exit_code,
				     .wait_status = h->have_status ? h->cmd_status : -1,
				     .timed_out = h->timed_out || exit_code == NB_EXIT_TIMEOUT,
				     .ru = &h->ru,
				 });
}

static void narrate_end(const struct nb_watch *h, const struct nb_config *cfg)
{
	if (!nb_narrating(1) || h->have_error || h->timed_out)
		return;
	if (!h->have_status && !cfg->ns.as_pid1)
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
	struct nb_watch h = {
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
	if ((cfg->proc.info_fd >= 0 || cfg->proc.json_status_fd >= 0) &&
	    setsockopt(sync_host, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0) {
		close(c.sync_fd);
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "preparing the status fds");
	}
	/* --die-with-parent: nestbox's death already ends the sandbox. */
	if (cfg->proc.die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
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
	if (cfg->proc.timeout)
		c.deadline_ms = nb_now_ms() + (int64_t)cfg->proc.timeout * 1000;
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
	h.child = nb_clone_fork(cfg->compat.join_userns_fd >= 0 ? 0 : CLONE_NEWUSER, 0);
	if (h.child == 0)
		_exit(nb_child_main(&c));
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
	if (cfg->ns.pid_kept_for_proc)
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
	if (cfg->compat.userns_block_fd >= 0) {
		char b;

		(void)TEMP_FAILURE_RETRY(read(cfg->compat.userns_block_fd, &b, 1));
	}
	/* A joined user namespace has its maps already. */
	r = cfg->compat.join_userns_fd >= 0 ? 0 : nb_idmap_apply(plan, h.child, e);
	if (r < 0) {
		nb_kill_and_reap(h.child);
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
		nb_kill_and_reap(h.child);
		return r;
	}
	if (TEMP_FAILURE_RETRY(send(sync_host, &go, sizeof(go), MSG_NOSIGNAL)) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "signalling the sandbox");
		nb_kill_and_reap(h.child);
		return r;
	}

	sfd = signalfd(-1, &block, SFD_CLOEXEC);
	if (sfd < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a signalfd");
		nb_kill_and_reap(h.child);
		return r;
	}
	r = nb_watch_init(&h, sfd, c.deadline_ms ? c.deadline_ms + 1000 : 0, e);
	if (r < 0 || h.init <= 0) {
		/*
		 * Without the child, an init it started (and did not name) gets no
		 * network namespace and exits: wait for it too.
		 */
		nb_kill_and_reap(h.init);
		nb_kill_and_reap(h.child);
		nb_reap_all();
		if (r < 0)
			return r;
		if (h.timed_out)
			return nb_fail(e, NB_EXIT_TIMEOUT, 0, NULL,
				       "--timeout: %u s are up, so the sandbox was ended",
				       cfg->proc.timeout);
		r = 0;
	} else {
		/* Its work is done once it has named init: no zombie beside the sandbox. */
		nb_kill_and_reap(h.child);
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
			nb_kill_and_reap(h.init);
			nb_closep(&h.init_fd);
			/* A sandbox that failed meanwhile said why: that comes first. */
			nb_watch_drain(&h);
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
		r = nb_watch_run(&h, cfg, sfd, c.deadline_ms, &status, e);
		nb_netd_stop(&netd);
		/* Done or not (a slow network namespace at a timeout), it has no more to do. */
		nb_kill_and_reap(h.child);
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
	nb_watch_drain(&h);
	narrate_end(&h, cfg);
	if (h.have_error && !h.timed_out && (h.init <= 0 || r == h.error.status)) {
		/*
		 * init's --timeout, say, after the command had started: nestbox's
		 * format says how it ended; bubblewrap's gives no exit code to a
		 * command that failed before its exec.
		 */
		if (h.started && cfg->proc.status_version)
			status_end(&h, h.error.status ? h.error.status : NB_EXIT_FAILURE);
		nb_error_from_msg(e, &h.error);
		return -(h.error.err ? h.error.err : EINVAL);
	}
	if (h.init <= 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "the sandbox setup ended early");
	/* Only a command that ran has an exit code; nestbox's format tells a timeout too. */
	if (h.started && (!h.timed_out || cfg->proc.status_version))
		status_end(&h, h.timed_out ? NB_EXIT_TIMEOUT : r);
	/* A death by signal is passed on, from init's report or, as PID 1, its own. */
	if (!h.timed_out && h.have_status && WIFSIGNALED(h.cmd_status))
		return NB_EXIT_SIGNALLED | WTERMSIG(h.cmd_status);
	if (!h.timed_out && cfg->ns.as_pid1 && WIFSIGNALED(status))
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
		.own_pid_ns = (cfg->ns.unshare_flags & CLONE_NEWPID) != 0,
		.as_pid1 = cfg->ns.as_pid1,
	};
	snprintf(rec->seccomp, sizeof(rec->seccomp), "%s",
		 cfg->sec.seccomp == NB_SECCOMP_DEFAULT ? "default" : "none");
	snprintf(rec->map, sizeof(rec->map), "%s", map_names[cfg->ids.map_mode]);
	snprintf(rec->net, sizeof(rec->net), "%s", nb_net_mode_name(plan->net.mode));
	for (size_t i = 0, used = 0; i < cfg->ns.n_publish; i++) {
		const struct nb_publish *p = &cfg->ns.publish[i];
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
		nb_state_default_name(cfg->proc.argv ? cfg->proc.argv[0] : plan->host->shell,
				      rec->host_pid, rec->name, sizeof(rec->name));
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
	r = plan->cfg->compat.no_record ? 0 : claim_name(plan, &claim, &rec, dir, sizeof(dir), e);
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
