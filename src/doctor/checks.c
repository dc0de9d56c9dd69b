// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox doctor's checks: gathered facts (doctor.c) in, checks with their
 * fixes out.  No system call, so a unit test can describe any machine.
 *
 * A check fails only when a default sandbox ('nestbox run' without options)
 * cannot run, so that the exit status and the FAIL lines agree.  What only
 * some options need (subordinate ids, newuidmap, overlayfs) is a warning.
 */
#include "autoconf.h"

#include "doctor/doctor.h"
#include "doctor/checks.h"
#include "doctor/gate.h"
#include "run/landlock.h"
#include "lib/cleanup.h"
#include "front/cli.h"
#include "core/idmap.h"
#include "run/lock.h"
#include "run/nest.h"
#include "core/ns.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The value Red Hat documents for re-enabling user namespaces. */
#define NS_LIMIT_ADVICE 15000

struct nb_check *nb_check_add(struct checks *cs, const char *name, enum nb_check_status status,
			      const char *fmt, ...)
{
	struct nb_check *c = cs->n < cs->max ? &cs->c[cs->n++] : &cs->spare;
	va_list ap;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->status = status;
	va_start(ap, fmt);
	vsnprintf(c->found, sizeof(c->found), fmt, ap);
	va_end(ap);
	return c;
}

void nb_check_fix(struct nb_check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->fix, sizeof(c->fix), fmt, ap);
	va_end(ap);
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "error";
}

/* 1 when @release is at least @maj.@min, 0 when older, -1 when unknown. */
static int kernel_at_least(const char *release, unsigned maj, unsigned min)
{
	unsigned a, b;

	if (sscanf(release, "%u.%u", &a, &b) != 2)
		return -1;
	return a > maj || (a == maj && b >= min);
}

/* How many namespaces of this kind one default sandbox creates. */
static int ns_needed(int flag)
{
	struct nb_config cfg;
	int n = 0;

	nb_config_init(&cfg);
	if (flag == CLONE_NEWUSER || (cfg.ns.unshare_flags & flag))
		n++;
	if (nb_lock_flags(&cfg) & flag)
		n++;
	nb_config_free(&cfg);
	return n;
}

static void limit_fix(struct nb_check *c, const struct nb_doctor_facts *f, const char *ns,
		      bool shareable)
{
	char share[48] = "";

	if (shareable)
		snprintf(share, sizeof(share), ", or run with --share %s", ns);
	if (f->nested_userns)
		nb_check_fix(c,
			     "this nested user namespace sets it; its root can raise it: echo %d > "
			     "/proc/sys/user/max_%s_namespaces%s",
			     NS_LIMIT_ADVICE, ns, share);
	else
		nb_check_fix(c,
			     "sysctl -w user.max_%s_namespaces=%d, and to keep it: echo "
			     "user.max_%s_namespaces=%d > /etc/sysctl.d/60-nestbox.conf%s",
			     ns, NS_LIMIT_ADVICE, ns, NS_LIMIT_ADVICE, share);
}

static void apparmor_fix(struct nb_check *c, const struct nb_doctor_facts *f)
{
	nb_check_fix(
	    c,
	    "load nestbox's AppArmor profile, which make install puts in /etc/apparmor.d "
	    "(apparmor_parser -r /etc/apparmor.d/nestbox; for a copy elsewhere: 'abi "
	    "<abi/4.0>, profile nestbox %.200s flags=(unconfined) { userns, }'); or sysctl -w "
	    "kernel.apparmor_restrict_unprivileged_userns=0; the build profile uses Landlock "
	    "meanwhile",
	    *f->exe ? f->exe : "/usr/bin/nestbox");
}

static void check_kernel(struct checks *cs, const struct nb_doctor_facts *f)
{
	struct nb_check *c;

	if (!*f->kernel) {
		nb_check_add(cs, "kernel", NB_CHECK_WARN,
			     "uname() failed; nestbox needs Linux 5.11+");
		return;
	}
	if (kernel_at_least(f->kernel, 5, 11) != 0) {
		nb_check_add(cs, "kernel", NB_CHECK_OK, "Linux %s", f->kernel);
		return;
	}
	c = nb_check_add(cs, "kernel", NB_CHECK_FAIL,
			 "Linux %s: nestbox needs 5.11+ (close_range CLOEXEC, overlayfs in user "
			 "namespaces)",
			 f->kernel);
	nb_check_fix(c, "upgrade to Linux 5.11 or later (Debian 12 ships 6.1)");
}

static void check_ns_limits(struct checks *cs, const struct nb_doctor_facts *f)
{
	for (size_t i = 0; i < nb_n_namespaces && i < NB_DOCTOR_MAX_NS; i++) {
		const struct nb_ns *ns = &nb_namespaces[i];
		const struct nb_sysctl *s = &f->max_ns[i];
		int need = ns_needed(ns->flag);
		struct nb_check *c;
		char name[24];

		snprintf(name, sizeof(name), "%s namespaces", ns->name);
		if (s->err == ENOENT && ns->flag == CLONE_NEWUSER) {
			c = nb_check_add(
			    cs, name, NB_CHECK_FAIL,
			    "no /proc/sys/user/max_user_namespaces: the kernel has no user "
			    "namespaces");
			nb_check_fix(c, "use a kernel built with CONFIG_USER_NS=y");
		} else if (s->err == ENOENT) {
			nb_check_add(cs, name, NB_CHECK_INFO,
				     "no max_%s_namespaces limit in this kernel", ns->name);
		} else if (s->err) {
			nb_check_add(cs, name, NB_CHECK_WARN, "reading max_%s_namespaces: %s",
				     ns->name, strerror(s->err));
		} else if (s->value < need) {
			c = nb_check_add(cs, name, NB_CHECK_FAIL,
					 "max_%s_namespaces=%lld, and a sandbox needs %d", ns->name,
					 s->value, need);
			limit_fix(c, f, ns->name, ns->shareable);
		} else {
			nb_check_add(cs, name, NB_CHECK_OK, "max_%s_namespaces=%lld", ns->name,
				     s->value);
		}
	}
}

static void check_userns_clone(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->userns_clone;
	struct nb_check *c;

	if (s->err == ENOENT)
		nb_check_add(cs, "userns_clone", NB_CHECK_OK,
			     "no kernel.unprivileged_userns_clone (not a Debian-patched kernel)");
	else if (s->err)
		nb_check_add(cs, "userns_clone", NB_CHECK_WARN,
			     "reading unprivileged_userns_clone: %s", strerror(s->err));
	else if (s->value != 0)
		nb_check_add(cs, "userns_clone", NB_CHECK_OK, "unprivileged_userns_clone=%lld",
			     s->value);
	else if (f->probe_step == NB_PROBE_PASSED)
		nb_check_add(cs, "userns_clone", NB_CHECK_OK,
			     "unprivileged_userns_clone=0, but this caller is privileged");
	else {
		c = nb_check_add(cs, "userns_clone", NB_CHECK_FAIL,
				 "unprivileged_userns_clone=0: user namespaces are for root only");
		nb_check_fix(c,
			     "sysctl -w kernel.unprivileged_userns_clone=1, and to keep it: echo "
			     "kernel.unprivileged_userns_clone=1 > /etc/sysctl.d/60-nestbox.conf");
	}
}

static void check_apparmor(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->apparmor_restrict;
	struct nb_check *c;

	if (s->err == ENOENT)
		nb_check_add(cs, "apparmor userns", NB_CHECK_OK,
			     "no kernel.apparmor_restrict_unprivileged_userns");
	else if (s->err)
		nb_check_add(cs, "apparmor userns", NB_CHECK_WARN,
			     "reading apparmor_restrict_unprivileged_userns: %s", strerror(s->err));
	else if (s->value == 0)
		nb_check_add(cs, "apparmor userns", NB_CHECK_OK,
			     "apparmor_restrict_unprivileged_userns=0");
	else if (f->probe_step == NB_PROBE_PASSED)
		nb_check_add(
		    cs, "apparmor userns", NB_CHECK_OK,
		    "apparmor_restrict_unprivileged_userns=%lld, but a profile lets nestbox in",
		    s->value);
	else {
		c = nb_check_add(
		    cs, "apparmor userns", NB_CHECK_FAIL,
		    "apparmor_restrict_unprivileged_userns=%lld: no capabilities in a user "
		    "namespace",
		    s->value);
		apparmor_fix(c, f);
	}
}

static void check_overlay(struct checks *cs, const struct nb_doctor_facts *f)
{
	struct nb_check *c;

	if (kernel_at_least(f->kernel, 5, 11) == 0) {
		c = nb_check_add(cs, "overlayfs", NB_CHECK_WARN,
				 "Linux %s mounts overlayfs in user namespaces only from 5.11",
				 f->kernel);
		nb_check_fix(c, "upgrade to Linux 5.11 or later");
	} else if (f->filesystems_err) {
		nb_check_add(cs, "overlayfs", NB_CHECK_WARN, "reading /proc/filesystems: %s",
			     strerror(f->filesystems_err));
	} else if (!f->have_overlay) {
		c = nb_check_add(
		    cs, "overlayfs", NB_CHECK_WARN,
		    "overlay is not in /proc/filesystems (--overlay, --tmp-overlay need it)");
		nb_check_fix(c, "modprobe overlay, and to keep it: echo overlay > "
				"/etc/modules-load.d/overlay.conf");
	} else {
		nb_check_add(cs, "overlayfs", NB_CHECK_OK,
			     "overlay in /proc/filesystems, usable unprivileged");
	}
}

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\n' || !p[len]))
			return true;
	return false;
}

static void check_seccomp(struct checks *cs, const struct nb_doctor_facts *f)
{
	struct nb_check *c;

	if (f->seccomp_mode < 0) {
		c = nb_check_add(
		    cs, "seccomp", NB_CHECK_FAIL,
		    "no Seccomp field in /proc/self/status: the kernel has no seccomp");
		nb_check_fix(
		    c, "run with --seccomp none, or use a kernel with CONFIG_SECCOMP_FILTER=y");
	} else if (*f->seccomp_actions && !has_word(f->seccomp_actions, "errno")) {
		c = nb_check_add(
		    cs, "seccomp", NB_CHECK_FAIL,
		    "seccomp/actions_avail lacks errno, which nestbox's policy returns");
		nb_check_fix(
		    c, "run with --seccomp none, or use a kernel with CONFIG_SECCOMP_FILTER=y");
	} else if (f->seccomp_mode == 2) {
		nb_check_add(cs, "seccomp", NB_CHECK_OK,
			     "available; doctor itself runs under a filter (in a container?)");
	} else {
		nb_check_add(cs, "seccomp", NB_CHECK_OK,
			     "available (Seccomp: %d, filters can return errno)", f->seccomp_mode);
	}
}

static void check_tiocsti(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->legacy_tiocsti;
	struct nb_check *c;

	if (s->err == ENOENT)
		nb_check_add(
		    cs, "tiocsti", NB_CHECK_INFO,
		    "no dev.tty.legacy_tiocsti (Linux < 6.2); nestbox's seccomp policy blocks "
		    "TIOCSTI");
	else if (s->err)
		nb_check_add(cs, "tiocsti", NB_CHECK_INFO, "reading legacy_tiocsti: %s",
			     strerror(s->err));
	else if (s->value == 0)
		nb_check_add(cs, "tiocsti", NB_CHECK_OK,
			     "legacy_tiocsti=0: the kernel refuses TIOCSTI");
	else {
		c = nb_check_add(cs, "tiocsti", NB_CHECK_INFO,
				 "legacy_tiocsti=%lld (nestbox's seccomp policy blocks TIOCSTI)",
				 s->value);
		nb_check_fix(c, "sysctl -w dev.tty.legacy_tiocsti=0 to refuse it to all");
	}
}

static void check_net(struct checks *cs, const struct nb_doctor_facts *f)
{
	static const struct {
		const char *name;
		const char *package;
		size_t offset;
	} helpers[] = {
		{ .name = "pasta",
		  .package = "passt",
		  .offset = offsetof(struct nb_doctor_facts, pasta) },
		{ .name = "slirp4netns",
		  .package = "slirp4netns",
		  .offset = offsetof(struct nb_doctor_facts, slirp4netns) },
	};
	struct nb_check *c;

	if (f->tun_err == ENOENT) {
		c = nb_check_add(cs, "tun", NB_CHECK_INFO,
				 "no /dev/net/tun, which user-mode networking needs");
		nb_check_fix(c, "modprobe tun");
	} else if (f->tun_err) {
		nb_check_add(cs, "tun", NB_CHECK_INFO, "/dev/net/tun: %s", strerror(f->tun_err));
	} else if (!f->tun_usable) {
		c = nb_check_add(cs, "tun", NB_CHECK_INFO,
				 "/dev/net/tun is mode %04o: user-mode networking cannot open it",
				 (unsigned)(f->tun_mode & 07777));
		nb_check_fix(c, "chmod 0666 /dev/net/tun");
	} else {
		nb_check_add(cs, "tun", NB_CHECK_OK, "/dev/net/tun is mode %04o",
			     (unsigned)(f->tun_mode & 07777));
	}
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		const char *path = (const char *)f + helpers[i].offset;

		if (*path) {
			nb_check_add(cs, helpers[i].name, NB_CHECK_OK, "%.200s", path);
			continue;
		}
		c = nb_check_add(cs, helpers[i].name, NB_CHECK_INFO,
				 "not on PATH (user-mode networking)");
		nb_check_fix(c, "apt-get install %s", helpers[i].package);
	}
}

static void check_cgroup(struct checks *cs, const struct nb_doctor_facts *f)
{
	static const char *const kinds[] = {
		[NB_CGROUP_NONE] = "no cgroup filesystem at /sys/fs/cgroup",
		[NB_CGROUP_V1] = "v1",
		[NB_CGROUP_HYBRID] = "v1 + cgroup2 at /sys/fs/cgroup/unified",
		[NB_CGROUP_V2] = "v2",
	};
	char own[320] = "";
	struct nb_check *c;

	if (*f->cgroup_path && f->cgroup != NB_CGROUP_NONE && f->cgroup != NB_CGROUP_V1)
		snprintf(own, sizeof(own), "; own cgroup %.200s %s", f->cgroup_path,
			 f->cgroup_access_err ? "not writable (not delegated)" : "writable");
	/* Nothing in nestbox uses cgroups yet: what matters is only what it is. */
	(void)c;
	c = nb_check_add(cs, "cgroup", NB_CHECK_INFO,
			 "%s%s (nestbox uses no cgroup; nothing to do)", kinds[f->cgroup], own);
}

/* KERNEL.md section 8: why clone(CLONE_NEWUSER) fails, by errno. */
static const struct nb_sysctl *user_limit(const struct nb_doctor_facts *f)
{
	for (size_t i = 0; i < nb_n_namespaces && i < NB_DOCTOR_MAX_NS; i++)
		if (nb_namespaces[i].flag == CLONE_NEWUSER)
			return &f->max_ns[i];
	return &f->max_ns[0];
}

static long sysctl_or_none(const struct nb_sysctl *s)
{
	return s->err ? -1 : (long)s->value;
}

/* The probe's failure through the one table of gates (gate.c), with doctor's longer fixes. */
static void explain_create(struct nb_check *c, const struct nb_doctor_facts *f)
{
	const struct nb_gate_facts gf = {
		.max_user_namespaces = sysctl_or_none(user_limit(f)),
		.unprivileged_userns_clone = sysctl_or_none(&f->userns_clone),
		.apparmor_restrict = sysctl_or_none(&f->apparmor_restrict),
		.seccomp_mode = f->seccomp_mode,
		.in_container = f->in_container,
	};
	struct nb_gate g;
	int err = f->probe_err;

	nb_gate_classify(err, &gf, &g);
	if (nb_streq(g.name, "max_user_namespaces") && gf.max_user_namespaces == 0)
		limit_fix(c, f, "user", false);
	else if (nb_streq(g.name, "apparmor"))
		apparmor_fix(c, f);
	else
		nb_check_fix(c, "%s", g.fix);
	snprintf(c->found, sizeof(c->found), "cannot create a user namespace: %s: %.200s",
		 errname(err), g.why);
}

static void check_probe(struct checks *cs, const struct nb_doctor_facts *f)
{
	bool denied = f->probe_err == EPERM || f->probe_err == EACCES;
	bool apparmor = !f->apparmor_restrict.err && f->apparmor_restrict.value;
	struct nb_check *c;

	switch (f->probe_step) {
	case NB_PROBE_PASSED:
		nb_check_add(
		    cs, "userns probe", NB_CHECK_OK,
		    "created and mapped a user namespace, and a default sandbox's namespaces");
		return;
	case NB_PROBE_START:
		nb_check_add(cs, "userns probe", NB_CHECK_FAIL, "could not start the probe: %.200s",
			     f->probe_msg);
		return;
	case NB_PROBE_CREATE:
		explain_create(nb_check_add(cs, "userns probe", NB_CHECK_FAIL, "-"), f);
		return;
	case NB_PROBE_MAP:
	case NB_PROBE_NEST:
		c = nb_check_add(cs, "userns probe", NB_CHECK_FAIL,
				 "created a user namespace, but %.200s", f->probe_msg);
		if (denied && apparmor)
			apparmor_fix(c, f);
		else if (denied)
			nb_check_fix(c, "look for a denial in dmesg (an LSM), and allow it");
		else if (f->probe_err == ENOSPC)
			nb_check_fix(c,
				     "raise the user.max_*_namespaces limits above, or end other "
				     "sandboxes");
		return;
	case NB_PROBE_LOCK:
		c = nb_check_add(cs, "userns probe", NB_CHECK_FAIL,
				 "cannot nest a second user namespace: %s (%s)",
				 errname(f->probe_err), strerror(f->probe_err));
		if (f->probe_err == ENOSPC)
			limit_fix(c, f, "user", false);
		return;
	}
}

/* Which isolation each profile gets here (nestbox(1), ISOLATION), and why. */
static void check_isolation(struct checks *cs, const struct nb_doctor_facts *f)
{
	struct nb_check *c;

	if (f->probe_step == NB_PROBE_PASSED) {
		if (f->landlock_abi)
			nb_check_add(
			    cs, "isolation", NB_CHECK_OK,
			    "both profiles use namespaces here; --isolation landlock would have "
			    "Landlock ABI %d",
			    f->landlock_abi);
		else
			nb_check_add(
			    cs, "isolation", NB_CHECK_OK,
			    "both profiles use namespaces here; this kernel has no Landlock for "
			    "--isolation landlock");
		return;
	}
	if (f->landlock_abi) {
		c = nb_check_add(
		    cs, "isolation", NB_CHECK_WARN,
		    "no user namespace here: the build profile runs under Landlock ABI %d "
		    "(--isolation auto), the shell profile cannot run",
		    f->landlock_abi);
		nb_check_fix(c, "see the user-namespace checks above for the gate and its fix");
		return;
	}
	c = nb_check_add(cs, "isolation", NB_CHECK_FAIL,
			 "no user namespace and no Landlock here: no profile can run");
	nb_check_fix(c, "fix the user-namespace gate above, or use a kernel with Landlock (5.13+)");
}

size_t nb_doctor_evaluate(const struct nb_doctor_facts *f, struct nb_check *checks, size_t max)
{
	struct checks cs = { .c = checks, .max = max };

	check_kernel(&cs, f);
	check_ns_limits(&cs, f);
	check_userns_clone(&cs, f);
	check_apparmor(&cs, f);
	nb_check_subids(&cs, f, true);
	nb_check_subids(&cs, f, false);
	nb_check_helper(&cs, f, "newuidmap", &f->newuidmap);
	nb_check_helper(&cs, f, "newgidmap", &f->newgidmap);
	check_overlay(&cs, f);
	check_seccomp(&cs, f);
	check_tiocsti(&cs, f);
	check_net(&cs, f);
	check_cgroup(&cs, f);
	check_probe(&cs, f);
	check_isolation(&cs, f);
	return cs.n;
}

bool nb_doctor_ok(const struct nb_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (checks[i].status == NB_CHECK_FAIL)
			return false;
	return true;
}
