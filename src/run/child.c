// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The first child: the one home of the process that the host clones into
 * a new user namespace.  It waits for its maps (GO), dies with the host,
 * unshares the PID namespace, starts init (init.c) as the host's child,
 * makes the network namespace and hands it on, then exits.
 */
#include "autoconf.h"

#include "run/child.h"
#include "doctor/gate.h"
#include "lib/cleanup.h"
#include "lib/explain.h"
#include "lib/io.h"
#include "lib/util.h"
#include "net/net.h"
#include "run/init.h"
#include "run/lock.h"
#include "run/nest.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

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
	if (cfg->compat.join_userns_fd >= 0 && setns(cfg->compat.join_userns_fd, CLONE_NEWUSER) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "joining user namespace fd %d",
			       cfg->compat.join_userns_fd);
	if (cfg->compat.join_pidns_fd >= 0 && setns(cfg->compat.join_pidns_fd, CLONE_NEWPID) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "joining PID namespace fd %d",
			       cfg->compat.join_pidns_fd);
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
int nb_child_main(void *arg)
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
	nest = cfg->ns.unshare_flags & ~CLONE_NEWNET;
	if ((cfg->ns.unshare_flags & CLONE_NEWNET) &&
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
