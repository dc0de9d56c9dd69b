// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Gates: what keeps a user namespace from being made here, named with its
 * fix (KERNEL.md section 8).  The same words serve the refusal of
 * --isolation namespaces, the one line of --isolation auto's fallback, and
 * doctor.
 */
#include "autoconf.h"

#include "doctor/gate.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A sysctl's number, or -1 when it is not there. */
static long sysctl_value(const char *path)
{
	char buf[32];

	if (nb_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

bool nb_gate_in_container(void)
{
	return access("/.dockerenv", F_OK) == 0 || access("/run/.containerenv", F_OK) == 0;
}

static int seccomp_mode(void)
{
	char buf[4096], v[16];

	if (nb_read_file("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    !nb_status_field(buf, "Seccomp", v, sizeof(v)))
		return -1;
	return atoi(v);
}

void nb_gate_classify(int err, const struct nb_gate_facts *f, struct nb_gate *g)
{
	long max = f->max_user_namespaces, clone = f->unprivileged_userns_clone,
	     apparmor = f->apparmor_restrict;

	memset(g, 0, sizeof(*g));
	if (err == ENOSPC && max == 0) {
		g->name = "max_user_namespaces";
		snprintf(g->why, sizeof(g->why), "user.max_user_namespaces is 0");
		snprintf(g->fix, sizeof(g->fix), "sysctl -w user.max_user_namespaces=15000");
	} else if (err == ENOSPC || err == EUSERS) {
		g->name = "max_user_namespaces";
		snprintf(g->why, sizeof(g->why),
			 "user.max_user_namespaces (%ld) is used up, or namespaces nest 32 deep",
			 max);
		snprintf(g->fix, sizeof(g->fix),
			 "end other sandboxes or containers, or raise user.max_user_namespaces");
	} else if (err == EPERM && clone == 0) {
		g->name = "unprivileged_userns_clone";
		snprintf(g->why, sizeof(g->why), "kernel.unprivileged_userns_clone=0");
		snprintf(g->fix, sizeof(g->fix), "sysctl -w kernel.unprivileged_userns_clone=1");
	} else if (err == EPERM && f->seccomp_mode == 2 && (apparmor <= 0 || f->in_container)) {
		/*
		 * A filter refused clone() itself: a container's, whose host's
		 * AppArmor sysctl may show through; AppArmor's own restriction
		 * refuses later steps instead.
		 */
		g->name = "seccomp";
		snprintf(g->why, sizeof(g->why), "a seccomp filter on this process refuses it%s",
			 f->in_container ? " (the container's default profile)" : "");
		snprintf(g->fix, sizeof(g->fix),
			 "let the container make user namespaces: docker run --security-opt "
			 "seccomp=unconfined (podman: the same)");
	} else if ((err == EPERM || err == EACCES) && apparmor > 0) {
		g->name = "apparmor";
		snprintf(g->why, sizeof(g->why),
			 "AppArmor restricts unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns=1)");
		snprintf(
		    g->fix, sizeof(g->fix),
		    "load nestbox's AppArmor profile: apparmor_parser -r /etc/apparmor.d/nestbox "
		    "(make install puts it there), or sysctl -w "
		    "kernel.apparmor_restrict_unprivileged_userns=0");
	} else if (err == EINVAL) {
		g->name = "no_userns";
		snprintf(g->why, sizeof(g->why), "the kernel has no user namespaces");
		snprintf(g->fix, sizeof(g->fix), "use a kernel built with CONFIG_USER_NS=y");
	} else {
		g->name = "lsm";
		snprintf(g->why, sizeof(g->why), "%s (a chroot, an LSM, or unmapped ids)",
			 strerror(err));
		snprintf(g->fix, sizeof(g->fix),
			 "look for a denial in dmesg; run outside any chroot");
	}
}

void nb_gate_explain(int err, struct nb_gate *g)
{
	const struct nb_gate_facts f = {
		.max_user_namespaces = sysctl_value("/proc/sys/user/max_user_namespaces"),
		.unprivileged_userns_clone =
		    sysctl_value("/proc/sys/kernel/unprivileged_userns_clone"),
		.apparmor_restrict =
		    sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
		.seccomp_mode = seccomp_mode(),
		.in_container = nb_gate_in_container(),
	};

	nb_gate_classify(err, &f, g);
}

int nb_gate_fail(struct nb_error *e, int err, const char *what)
{
	struct nb_gate g;

	/* Out of processes or memory is no gate: trying Landlock instead would hide it. */
	if (err != EPERM && err != EACCES && err != ENOSPC && err != EINVAL && err != EUSERS)
		return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "%s", what);
	nb_gate_explain(err, &g);
	return nb_fail_kind(e, NB_ERR_GATE, g.name, NB_EXIT_FAILURE, 0, g.fix,
			    "%s: %s: %s (gate: %s)", what, strerror(err), g.why, g.name);
}
