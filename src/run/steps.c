// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The setup inside the sandbox, as data: init runs these steps in order,
 * each that this sandbox needs, before the command exists.  The order is
 * the kernel's and the threat model's:
 *
 *   hostname     before the mounts: nothing depends on it, it cannot fail late
 *   mounts       the filesystem view, every mount locked (fs/mounts.c)
 *   keyring      an empty session keyring: the caller's stays outside
 *   seccomp      the command's filter, inherited by it; installed while the
 *                first child still makes the network namespace
 *   netns        join that network namespace, then
 *   sysfs        the fresh /sys that only a namespace of its own may show
 *   no-userns    --disable-userns, once the mounts no longer need one
 *   net-ready    the host says the network helper is ready
 *   locks        --lock-file: read locks held for as long as init lives
 */
#include "autoconf.h"

#include "run/steps.h"
#include "core/idmap.h"
#include "core/plan.h"
#include "fs/mounts.h"
#include "lib/explain.h"
#include "lib/io.h"
#include "lib/util.h"
#include "run/lock.h"
#include "run/seccomp.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool needs_hostname(const struct nb_setup *s)
{
	const struct nb_config *cfg = s->c->cfg;

	return (cfg->ns.unshare_flags & CLONE_NEWUTS) &&
	       (cfg->ns.hostname || !cfg->ns.keep_hostname);
}

static int set_hostname(struct nb_setup *s, struct nb_error *e)
{
	const struct nb_config *cfg = s->c->cfg;
	const char *hostname = cfg->ns.hostname ? cfg->ns.hostname : NB_DEFAULT_HOSTNAME;

	if (sethostname(hostname, strlen(hostname)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the hostname");
	if (cfg->ns.domainname && setdomainname(cfg->ns.domainname, strlen(cfg->ns.domainname)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting the domain name");
	nb_narrate(1, "init", "hostname is now '%s' in the new UTS namespace", hostname);
	return 0;
}

static bool needs_mounts(const struct nb_setup *s)
{
	return s->c->cfg->ns.unshare_flags & CLONE_NEWNS;
}

static int make_mounts(struct nb_setup *s, struct nb_error *e)
{
	const struct nb_child *c = s->c;
	const struct nb_idplan *ids = c->plan;
	const struct nb_mounts_in in = {
		.cfg = c->cfg,
		.host = c->host,
		.ops = c->launch->mounts,
		.n_ops = c->launch->n_mounts,
		.src = c->src,
		.procfd = s->procfd,
		/* In the ids of nestbox's namespace: the outside numbers, unless direct. */
		.uid = ids->direct ? ids->inside_uid
				   : nb_idmap_to_outside(&ids->uid, ids->inside_uid, NULL),
		.gid = ids->direct ? ids->inside_gid
				   : nb_idmap_to_outside(&ids->gid, ids->inside_gid, NULL),
	};

	return nb_mounts_setup(&in, e) < 0 ? nb_err(e) : 0;
}

static int join_keyring(struct nb_setup *s, struct nb_error *e)
{
	(void)s;
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "is the key quota used up?",
			       "joining a new session keyring");
	return 0;
}

static int install_seccomp(struct nb_setup *s, struct nb_error *e)
{
	const struct nb_config *cfg = s->c->cfg;

	if (nb_seccomp_install(cfg->sec.seccomp, e) < 0)
		return nb_err(e);
	nb_narrate(1, "init", "%s", nb_seccomp_describe(cfg->sec.seccomp));
	return 0;
}

static bool needs_netns(const struct nb_setup *s)
{
	return s->c->net_sock >= 0;
}

static int join_netns(struct nb_setup *s, struct nb_error *e)
{
	int netns = nb_recv_fd(s->c->net_sock);

	/* No namespace: the child failed and told the host why. */
	if (netns < 0)
		_exit(NB_EXIT_FAILURE);
	if (setns(netns, CLONE_NEWNET) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "joining the new network namespace");
	close(netns);
	close(s->c->net_sock);
	nb_narrate(1, "init", "joined the new network namespace");
	return 0;
}

static bool needs_sysfs(const struct nb_setup *s)
{
	return needs_netns(s) && s->c->launch->private_sysfs;
}

static int mount_sysfs(struct nb_setup *s, struct nb_error *e)
{
	(void)s;
	return nb_mounts_private_sysfs(e) < 0 ? nb_err(e) : 0;
}

static bool needs_no_userns(const struct nb_setup *s)
{
	/* Unmapped, the command cannot create a user namespace anyway. */
	return s->c->cfg->sec.disable_userns && s->c->cfg->ids.map_mode != NB_MAP_NONE;
}

static int disable_userns(struct nb_setup *s, struct nb_error *e)
{
	int r = nb_lock_disable_userns(s->procfd, e);

	if (r < 0)
		return nb_err(e);
	s->nouserns_filter = r == 1;
	return 0;
}

static bool needs_net_ready(const struct nb_setup *s)
{
	return s->c->net_host_sock >= 0;
}

static int await_net_ready(struct nb_setup *s, struct nb_error *e)
{
	char ready;

	(void)e;
	if (TEMP_FAILURE_RETRY(recv(s->c->net_host_sock, &ready, 1, 0)) != 1)
		_exit(NB_EXIT_FAILURE); /* the host reports why */
	close(s->c->net_host_sock);
	nb_narrate(1, "init", "the network helper is ready");
	return 0;
}

static bool needs_locks(const struct nb_setup *s)
{
	return s->c->cfg->proc.n_lock_files > 0;
}

static int take_locks(struct nb_setup *s, struct nb_error *e)
{
	const struct nb_config *cfg = s->c->cfg;
	int r = nb_take_read_locks(cfg->proc.lock_files, cfg->proc.n_lock_files, s->lock_fds,
				   ARRAY_SIZE(s->lock_fds), e);

	/* Those taken before a failure are closed with init. */
	s->n_lock_fds = r < 0 ? 0 : (size_t)r;
	return r < 0 ? -1 : 0;
}

const struct nb_step nb_setup_steps[] = {
	{ "hostname", "the new UTS namespace gets its own name", needs_hostname, set_hostname },
	{ "mounts", "the filesystem view, every mount locked", needs_mounts, make_mounts },
	{ "keyring", "an empty session keyring; the caller's stays outside", NULL, join_keyring },
	{ "seccomp", "the command's system-call filter, which it inherits", NULL, install_seccomp },
	{ "netns", "join the network namespace that the first child made", needs_netns,
	  join_netns },
	{ "sysfs", "a /sys of the sandbox's own network namespace", needs_sysfs, mount_sysfs },
	{ "no-userns", "--disable-userns: no user namespace for the command", needs_no_userns,
	  disable_userns },
	{ "net-ready", "wait until the host says the network helper is ready", needs_net_ready,
	  await_net_ready },
	{ "locks", "--lock-file: read locks held while the sandbox lives", needs_locks,
	  take_locks },
};
const size_t nb_n_setup_steps = ARRAY_SIZE(nb_setup_steps);

int nb_setup_run(struct nb_setup *s, struct nb_error *e)
{
	for (size_t i = 0; i < nb_n_setup_steps; i++) {
		const struct nb_step *st = &nb_setup_steps[i];

		if (st->needed && !st->needed(s)) {
			nb_narrate(3, "init", "step %s: not needed here", st->name);
			continue;
		}
		nb_narrate(2, "init", "step %s: %s", st->name, st->why);
		if (st->run(s, e) < 0)
			return -1;
	}
	return 0;
}
