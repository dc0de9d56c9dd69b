// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox doctor.  The first half turns gathered facts into checks and
 * prints them; it makes no syscall, so a unit test can describe any machine.
 * The second half gathers the facts: /proc, /etc/subuid, the helpers, and a
 * probe that creates the namespaces a default sandbox creates, the way
 * 'nestbox run' creates them.
 *
 * A check fails only when a default sandbox ('nestbox run' without options)
 * cannot run, so that the exit status and the FAIL lines agree.  What only
 * some options need (subordinate ids, newuidmap, overlayfs) is a warning.
 */
#include "autoconf.h"

#include "doctor.h"
#include "landlock.h"
#include "cleanup.h"
#include "cli.h"
#include "idmap.h"
#include "lock.h"
#include "ns.h"
#include "util.h"

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

/* What shadow's useradd hands out by default (SUB_UID_MIN, SUB_UID_COUNT). */
#define SUBID_COUNT 65536u
/* The value Red Hat documents for re-enabling user namespaces. */
#define NS_LIMIT_ADVICE 15000

struct checks {
	struct nb_check *c;
	size_t n;
	size_t max;
	/* Where checks beyond @max go, so that callers need no NULL test. */
	struct nb_check spare;
};

static struct nb_check *add(struct checks *cs, const char *name, enum nb_check_status status,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_fix(struct nb_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static struct nb_check *add(struct checks *cs, const char *name, enum nb_check_status status,
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

static void set_fix(struct nb_check *c, const char *fmt, ...)
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
	if (flag == CLONE_NEWUSER || (cfg.unshare_flags & flag))
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
		set_fix(c,
			"this nested user namespace sets it; its root can raise it: echo %d > "
			"/proc/sys/user/max_%s_namespaces%s",
			NS_LIMIT_ADVICE, ns, share);
	else
		set_fix(c,
			"sysctl -w user.max_%s_namespaces=%d, and to keep it: echo "
			"user.max_%s_namespaces=%d > /etc/sysctl.d/60-nestbox.conf%s",
			ns, NS_LIMIT_ADVICE, ns, NS_LIMIT_ADVICE, share);
}

static void apparmor_fix(struct nb_check *c, const struct nb_doctor_facts *f)
{
	set_fix(c,
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
		add(cs, "kernel", NB_CHECK_WARN, "uname() failed; nestbox needs Linux 5.11+");
		return;
	}
	if (kernel_at_least(f->kernel, 5, 11) != 0) {
		add(cs, "kernel", NB_CHECK_OK, "Linux %s", f->kernel);
		return;
	}
	c = add(cs, "kernel", NB_CHECK_FAIL,
		"Linux %s: nestbox needs 5.11+ (close_range CLOEXEC, overlayfs in user "
		"namespaces)",
		f->kernel);
	set_fix(c, "upgrade to Linux 5.11 or later (Debian 12 ships 6.1)");
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
			c = add(cs, name, NB_CHECK_FAIL,
				"no /proc/sys/user/max_user_namespaces: the kernel has no user "
				"namespaces");
			set_fix(c, "use a kernel built with CONFIG_USER_NS=y");
		} else if (s->err == ENOENT) {
			add(cs, name, NB_CHECK_INFO, "no max_%s_namespaces limit in this kernel",
			    ns->name);
		} else if (s->err) {
			add(cs, name, NB_CHECK_WARN, "reading max_%s_namespaces: %s", ns->name,
			    strerror(s->err));
		} else if (s->value < need) {
			c = add(cs, name, NB_CHECK_FAIL,
				"max_%s_namespaces=%lld, and a sandbox needs %d", ns->name,
				s->value, need);
			limit_fix(c, f, ns->name, ns->shareable);
		} else {
			add(cs, name, NB_CHECK_OK, "max_%s_namespaces=%lld", ns->name, s->value);
		}
	}
}

static void check_userns_clone(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->userns_clone;
	struct nb_check *c;

	if (s->err == ENOENT)
		add(cs, "userns_clone", NB_CHECK_OK,
		    "no kernel.unprivileged_userns_clone (not a Debian-patched kernel)");
	else if (s->err)
		add(cs, "userns_clone", NB_CHECK_WARN, "reading unprivileged_userns_clone: %s",
		    strerror(s->err));
	else if (s->value != 0)
		add(cs, "userns_clone", NB_CHECK_OK, "unprivileged_userns_clone=%lld", s->value);
	else if (f->probe_step == NB_PROBE_PASSED)
		add(cs, "userns_clone", NB_CHECK_OK,
		    "unprivileged_userns_clone=0, but this caller is privileged");
	else {
		c = add(cs, "userns_clone", NB_CHECK_FAIL,
			"unprivileged_userns_clone=0: user namespaces are for root only");
		set_fix(c, "sysctl -w kernel.unprivileged_userns_clone=1, and to keep it: echo "
			   "kernel.unprivileged_userns_clone=1 > /etc/sysctl.d/60-nestbox.conf");
	}
}

static void check_apparmor(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->apparmor_restrict;
	struct nb_check *c;

	if (s->err == ENOENT)
		add(cs, "apparmor userns", NB_CHECK_OK,
		    "no kernel.apparmor_restrict_unprivileged_userns");
	else if (s->err)
		add(cs, "apparmor userns", NB_CHECK_WARN,
		    "reading apparmor_restrict_unprivileged_userns: %s", strerror(s->err));
	else if (s->value == 0)
		add(cs, "apparmor userns", NB_CHECK_OK, "apparmor_restrict_unprivileged_userns=0");
	else if (f->probe_step == NB_PROBE_PASSED)
		add(cs, "apparmor userns", NB_CHECK_OK,
		    "apparmor_restrict_unprivileged_userns=%lld, but a profile lets nestbox in",
		    s->value);
	else {
		c = add(cs, "apparmor userns", NB_CHECK_FAIL,
			"apparmor_restrict_unprivileged_userns=%lld: no capabilities in a user "
			"namespace",
			s->value);
		apparmor_fix(c, f);
	}
}

/* One "owner:start:count" line; false at the end of @text. */
struct subid_line {
	const char *owner;
	size_t owner_len;
	uint32_t start;
	uint32_t count;
	bool valid;
};

static bool next_subid_line(const char **text, struct subid_line *l)
{
	const char *p = *text, *end, *colon;
	char num[2][16];
	size_t len[2];

	if (!p || !*p)
		return false;
	end = strchrnul(p, '\n');
	*text = *end ? end + 1 : end;
	memset(l, 0, sizeof(*l));
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon || *p == '#')
		return true;
	l->owner = p;
	l->owner_len = (size_t)(colon - p);
	p = colon + 1;
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon)
		return true;
	len[0] = (size_t)(colon - p);
	len[1] = (size_t)(end - colon - 1);
	if (!len[0] || len[0] >= sizeof(num[0]) || !len[1] || len[1] >= sizeof(num[1]))
		return true;
	memcpy(num[0], p, len[0]);
	num[0][len[0]] = '\0';
	memcpy(num[1], colon + 1, len[1]);
	num[1][len[1]] = '\0';
	/* The same rules as nb_subid_parse(), which is what nestbox uses. */
	l->valid = l->owner_len && nb_parse_u32(num[0], &l->start) == 0 &&
		   nb_parse_u32(num[1], &l->count) == 0 && l->count &&
		   (uint64_t)l->start + l->count <= UINT32_MAX;
	return true;
}

static bool is_owner(const struct subid_line *l, const char *user, uid_t uid)
{
	char id[16];

	snprintf(id, sizeof(id), "%u", (unsigned)uid);
	return (*user && strlen(user) == l->owner_len && !strncmp(user, l->owner, l->owner_len)) ||
	       (strlen(id) == l->owner_len && !strncmp(id, l->owner, l->owner_len));
}

static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

static void check_subids(struct checks *cs, const struct nb_doctor_facts *f, bool uids)
{
	const char *kind = uids ? "uid" : "gid";
	const char *file = uids ? "/etc/subuid" : "/etc/subgid";
	const char *text = uids ? f->subuid : f->subgid;
	int err = uids ? f->subuid_err : f->subgid_err;
	/* The same free block that --map auto's message names. */
	uint64_t free_start = nb_subid_free_start(f->subuid, f->subgid);
	char who[280], list[200] = "", add_cmd[320];
	struct nb_subids own = { 0 };
	struct nb_check *c;
	size_t n = 0;

	if (*f->user)
		snprintf(who, sizeof(who), "%s", f->user);
	else
		snprintf(who, sizeof(who), "uid %u", (unsigned)f->uid);
	if (*f->user)
		snprintf(add_cmd, sizeof(add_cmd),
			 "usermod --add-sub%ss %" PRIu64 "-%" PRIu64 " %s", kind, free_start,
			 free_start + SUBID_COUNT - 1, f->user);
	else
		snprintf(add_cmd, sizeof(add_cmd), "add the line '%u:%" PRIu64 ":%u' to %s",
			 (unsigned)f->uid, free_start, SUBID_COUNT, file);

	if (err && err != ENOENT) {
		c = add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN, "reading %s: %s", file,
			strerror(err));
		if (err == EACCES)
			set_fix(c, "chmod 0644 %s", file);
		return;
	}
	nb_subid_parse(text, *f->user ? f->user : NULL, f->uid, &own);
	if (!own.n) {
		c = add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN,
			"%s%s has no entry for %.200s (--map auto needs one)", file,
			text ? "" : " is missing, so it", who);
		set_fix(c, "%s", add_cmd);
		nb_subids_free(&own);
		return;
	}
	for (size_t i = 0; i < own.n && n + 40 < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%" PRIu32 "-%" PRIu64,
				      i ? ", " : "", own.r[i].start,
				      (uint64_t)own.r[i].start + own.r[i].count - 1);

	/* Another user with the same ids could enter or signal our sandboxes. */
	for (size_t i = 0; i < own.n; i++) {
		const char *t = text;
		struct subid_line l;

		while (next_subid_line(&t, &l)) {
			const struct nb_subid *r = &own.r[i];
			uint64_t end = (uint64_t)r->start + r->count - 1;

			if (!l.valid || is_owner(&l, f->user, f->uid) ||
			    !ranges_overlap(r->start, r->count, l.start, l.count))
				continue;
			c = add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN,
				"%.60s's %" PRIu32 "-%" PRIu64 " overlaps %.*s's %" PRIu32
				"-%" PRIu64 " in %s",
				who, r->start, end, (int)(l.owner_len > 60 ? 60 : l.owner_len),
				l.owner, l.start, (uint64_t)l.start + l.count - 1, file);
			if (*f->user)
				set_fix(c,
					"give %s ids of its own: usermod --del-sub%ss %" PRIu32
					"-%" PRIu64 " --add-sub%ss %" PRIu64 "-%" PRIu64 " %s",
					f->user, kind, r->start, end, kind, free_start,
					free_start + SUBID_COUNT - 1, f->user);
			else
				set_fix(c, "give uid %u ids of its own in %s", (unsigned)f->uid,
					file);
			nb_subids_free(&own);
			return;
		}
	}
	add(cs, uids ? "subuid" : "subgid", NB_CHECK_OK, "%.60s: %s", who, list);
	nb_subids_free(&own);
}

static void check_helper(struct checks *cs, const struct nb_doctor_facts *f, const char *name,
			 const struct nb_helper_facts *h)
{
	char where[64] = "";
	struct nb_check *c;

	if (h->from_env)
		snprintf(where, sizeof(where), " (from %s)", h->env);
	if (h->stat_err) {
		c = add(cs, name, NB_CHECK_WARN, "%.200s%s: %s%s%.200s", h->path, where,
			h->stat_err == ENOENT ? "missing" : strerror(h->stat_err),
			*h->on_path ? "; PATH has " : ", none on PATH", h->on_path);
		if (*h->on_path && h->from_env)
			set_fix(c, "set %s=%.200s, or unset it", h->env, h->on_path);
		else if (*h->on_path)
			set_fix(c,
				"set %s=%.200s, or install the uidmap package (apt-get install "
				"uidmap)",
				h->env, h->on_path);
		else if (h->from_env)
			set_fix(c,
				"install the uidmap package (apt-get install uidmap) and unset %s, "
				"or point it at a %s",
				h->env, name);
		else
			set_fix(c, "install the uidmap package: apt-get install uidmap");
		return;
	}
	if (h->owner == 0 && (h->mode & S_ISUID)) {
		add(cs, name, NB_CHECK_OK, "%.200s%s, setuid root", h->path, where);
		return;
	}
	/* Some distributions grant file capabilities instead of setuid. */
	if (h->fcaps) {
		add(cs, name, NB_CHECK_OK, "%.200s%s, with file capabilities", h->path, where);
		return;
	}
	/* Root is unmapped here, so the kernel ignores the setuid bit. */
	if (f->nested_userns && h->owner == NB_OVERFLOW_ID && (h->mode & S_ISUID)) {
		c = add(cs, name, NB_CHECK_WARN,
			"%.200s%s is setuid, but its owner is unmapped in this user namespace",
			h->path, where);
		set_fix(c, "for --map auto, run nestbox outside this nested user namespace");
		return;
	}
	c = add(cs, name, NB_CHECK_WARN,
		"%.200s%s is not setuid root (--map auto and --%s-map ranges need it)", h->path,
		where, name[3] == 'u' ? "uid" : "gid");
	set_fix(c,
		"reinstall the uidmap package (apt-get install --reinstall uidmap), or chown "
		"root %.200s && chmod u+s %.200s",
		h->path, h->path);
}

static void check_overlay(struct checks *cs, const struct nb_doctor_facts *f)
{
	struct nb_check *c;

	if (kernel_at_least(f->kernel, 5, 11) == 0) {
		c = add(cs, "overlayfs", NB_CHECK_WARN,
			"Linux %s mounts overlayfs in user namespaces only from 5.11", f->kernel);
		set_fix(c, "upgrade to Linux 5.11 or later");
	} else if (f->filesystems_err) {
		add(cs, "overlayfs", NB_CHECK_WARN, "reading /proc/filesystems: %s",
		    strerror(f->filesystems_err));
	} else if (!f->have_overlay) {
		c = add(cs, "overlayfs", NB_CHECK_WARN,
			"overlay is not in /proc/filesystems (--overlay, --tmp-overlay need it)");
		set_fix(c, "modprobe overlay, and to keep it: echo overlay > "
			   "/etc/modules-load.d/overlay.conf");
	} else {
		add(cs, "overlayfs", NB_CHECK_OK,
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
		c = add(cs, "seccomp", NB_CHECK_FAIL,
			"no Seccomp field in /proc/self/status: the kernel has no seccomp");
		set_fix(c, "run with --seccomp none, or use a kernel with CONFIG_SECCOMP_FILTER=y");
	} else if (*f->seccomp_actions && !has_word(f->seccomp_actions, "errno")) {
		c = add(cs, "seccomp", NB_CHECK_FAIL,
			"seccomp/actions_avail lacks errno, which nestbox's policy returns");
		set_fix(c, "run with --seccomp none, or use a kernel with CONFIG_SECCOMP_FILTER=y");
	} else if (f->seccomp_mode == 2) {
		add(cs, "seccomp", NB_CHECK_OK,
		    "available; doctor itself runs under a filter (in a container?)");
	} else {
		add(cs, "seccomp", NB_CHECK_OK, "available (Seccomp: %d, filters can return errno)",
		    f->seccomp_mode);
	}
}

static void check_tiocsti(struct checks *cs, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *s = &f->legacy_tiocsti;
	struct nb_check *c;

	if (s->err == ENOENT)
		add(cs, "tiocsti", NB_CHECK_INFO,
		    "no dev.tty.legacy_tiocsti (Linux < 6.2); nestbox's seccomp policy blocks "
		    "TIOCSTI");
	else if (s->err)
		add(cs, "tiocsti", NB_CHECK_INFO, "reading legacy_tiocsti: %s", strerror(s->err));
	else if (s->value == 0)
		add(cs, "tiocsti", NB_CHECK_OK, "legacy_tiocsti=0: the kernel refuses TIOCSTI");
	else {
		c = add(cs, "tiocsti", NB_CHECK_INFO,
			"legacy_tiocsti=%lld (nestbox's seccomp policy blocks TIOCSTI)", s->value);
		set_fix(c, "sysctl -w dev.tty.legacy_tiocsti=0 to refuse it to all");
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
		c = add(cs, "tun", NB_CHECK_INFO,
			"no /dev/net/tun, which user-mode networking needs");
		set_fix(c, "modprobe tun");
	} else if (f->tun_err) {
		add(cs, "tun", NB_CHECK_INFO, "/dev/net/tun: %s", strerror(f->tun_err));
	} else if (!f->tun_usable) {
		c = add(cs, "tun", NB_CHECK_INFO,
			"/dev/net/tun is mode %04o: user-mode networking cannot open it",
			(unsigned)(f->tun_mode & 07777));
		set_fix(c, "chmod 0666 /dev/net/tun");
	} else {
		add(cs, "tun", NB_CHECK_OK, "/dev/net/tun is mode %04o",
		    (unsigned)(f->tun_mode & 07777));
	}
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		const char *path = (const char *)f + helpers[i].offset;

		if (*path) {
			add(cs, helpers[i].name, NB_CHECK_OK, "%.200s", path);
			continue;
		}
		c = add(cs, helpers[i].name, NB_CHECK_INFO, "not on PATH (user-mode networking)");
		set_fix(c, "apt-get install %s", helpers[i].package);
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
	c = add(cs, "cgroup", NB_CHECK_INFO, "%s%s (nestbox uses no cgroup; nothing to do)",
		kinds[f->cgroup], own);
}

/* KERNEL.md section 8: why clone(CLONE_NEWUSER) fails, by errno. */
static const struct nb_sysctl *user_limit(const struct nb_doctor_facts *f)
{
	for (size_t i = 0; i < nb_n_namespaces && i < NB_DOCTOR_MAX_NS; i++)
		if (nb_namespaces[i].flag == CLONE_NEWUSER)
			return &f->max_ns[i];
	return &f->max_ns[0];
}

static void explain_create(struct nb_check *c, const struct nb_doctor_facts *f)
{
	const struct nb_sysctl *max = user_limit(f);
	int err = f->probe_err;
	const char *why;

	switch (err) {
	case ENOSPC:
		if (!max->err && max->value == 0) {
			why = "user.max_user_namespaces is 0";
			limit_fix(c, f, "user", false);
		} else {
			why = "the user namespace limit is used up, or they nest 32 deep";
			set_fix(c, "end other sandboxes or containers, or raise "
				   "user.max_user_namespaces");
		}
		break;
	case EUSERS:
		why = "user namespaces nest too deeply";
		set_fix(c, "run nestbox from fewer nested namespaces");
		break;
	case EPERM:
		if (!f->userns_clone.err && f->userns_clone.value == 0) {
			why = "kernel.unprivileged_userns_clone=0";
			set_fix(c, "sysctl -w kernel.unprivileged_userns_clone=1");
		} else if (f->seccomp_mode == 2) {
			why = "a seccomp filter on this process refuses it (a container?)";
			set_fix(c, "let the container create user namespaces, e.g. docker run "
				   "--security-opt seccomp=unconfined");
		} else {
			why = "a chroot, an LSM, or ids unmapped in the current user namespace";
			set_fix(c, "run outside any chroot; look for a denial in dmesg");
		}
		break;
	case EACCES:
		why = "an LSM refuses it";
		if (!f->apparmor_restrict.err && f->apparmor_restrict.value)
			apparmor_fix(c, f);
		else
			set_fix(c, "look for apparmor=\"DENIED\" or an SELinux user_namespace "
				   "denial in dmesg, and allow it");
		break;
	case EINVAL:
		if (!f->have_userns) {
			why = "the kernel has no user namespaces";
			set_fix(c, "use a kernel built with CONFIG_USER_NS=y");
			break;
		}
		why = strerror(err);
		break;
	default:
		why = strerror(err);
		break;
	}
	snprintf(c->found, sizeof(c->found), "cannot create a user namespace: %s: %s", errname(err),
		 why);
}

static void check_probe(struct checks *cs, const struct nb_doctor_facts *f)
{
	bool denied = f->probe_err == EPERM || f->probe_err == EACCES;
	bool apparmor = !f->apparmor_restrict.err && f->apparmor_restrict.value;
	struct nb_check *c;

	switch (f->probe_step) {
	case NB_PROBE_PASSED:
		add(cs, "userns probe", NB_CHECK_OK,
		    "created and mapped a user namespace, and a default sandbox's namespaces");
		return;
	case NB_PROBE_START:
		add(cs, "userns probe", NB_CHECK_FAIL, "could not start the probe: %.200s",
		    f->probe_msg);
		return;
	case NB_PROBE_CREATE:
		explain_create(add(cs, "userns probe", NB_CHECK_FAIL, "-"), f);
		return;
	case NB_PROBE_MAP:
	case NB_PROBE_NEST:
		c = add(cs, "userns probe", NB_CHECK_FAIL, "created a user namespace, but %.200s",
			f->probe_msg);
		if (denied && apparmor)
			apparmor_fix(c, f);
		else if (denied)
			set_fix(c, "look for a denial in dmesg (an LSM), and allow it");
		else if (f->probe_err == ENOSPC)
			set_fix(c, "raise the user.max_*_namespaces limits above, or end other "
				   "sandboxes");
		return;
	case NB_PROBE_LOCK:
		c = add(cs, "userns probe", NB_CHECK_FAIL,
			"cannot nest a second user namespace: %s (%s)", errname(f->probe_err),
			strerror(f->probe_err));
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
			add(cs, "isolation", NB_CHECK_OK,
			    "both profiles use namespaces here; --isolation landlock would have "
			    "Landlock ABI %d",
			    f->landlock_abi);
		else
			add(cs, "isolation", NB_CHECK_OK,
			    "both profiles use namespaces here; this kernel has no Landlock for "
			    "--isolation landlock");
		return;
	}
	if (f->landlock_abi) {
		c = add(cs, "isolation", NB_CHECK_WARN,
			"no user namespace here: the build profile runs under Landlock ABI %d "
			"(--isolation auto), the shell profile cannot run",
			f->landlock_abi);
		set_fix(c, "see the user-namespace checks above for the gate and its fix");
		return;
	}
	c = add(cs, "isolation", NB_CHECK_FAIL,
		"no user namespace and no Landlock here: no profile can run");
	set_fix(c, "fix the user-namespace gate above, or use a kernel with Landlock (5.13+)");
}

size_t nb_doctor_evaluate(const struct nb_doctor_facts *f, struct nb_check *checks, size_t max)
{
	struct checks cs = { .c = checks, .max = max };

	check_kernel(&cs, f);
	check_ns_limits(&cs, f);
	check_userns_clone(&cs, f);
	check_apparmor(&cs, f);
	check_subids(&cs, f, true);
	check_subids(&cs, f, false);
	check_helper(&cs, f, "newuidmap", &f->newuidmap);
	check_helper(&cs, f, "newgidmap", &f->newgidmap);
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

static const char *const status_names[] = {
	[NB_CHECK_OK] = "ok",
	[NB_CHECK_INFO] = "info",
	[NB_CHECK_WARN] = "warn",
	[NB_CHECK_FAIL] = "fail",
};

int nb_doctor_print(const struct nb_check *checks, size_t n, bool json, FILE *out)
{
	bool ok = nb_doctor_ok(checks, n);

	if (json) {
		fprintf(out, "{\"ok\":%s,\"checks\":[", ok ? "true" : "false");
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ",{\"name\":" : "{\"name\":", out);
			nb_json_str(out, checks[i].name);
			fprintf(out,
				",\"status\":\"%s\",\"found\":", status_names[checks[i].status]);
			nb_json_str(out, checks[i].found);
			fputs(",\"fix\":", out);
			if (*checks[i].fix)
				nb_json_str(out, checks[i].fix);
			else
				fputs("null", out);
			fputc('}', out);
		}
		fputs("]}\n", out);
	} else {
		for (size_t i = 0; i < n; i++) {
			/* Facts come from files and the environment: keep each to one line. */
			char found[4 * sizeof(checks[i].found) + 1];
			char fix[4 * sizeof(checks[i].fix) + 1];
			const char *st = checks[i].status == NB_CHECK_FAIL
					     ? "FAIL"
					     : status_names[checks[i].status];

			nb_escape(checks[i].found, found, sizeof(found));
			nb_escape(checks[i].fix, fix, sizeof(fix));
			fprintf(out, "%-5s %-18s %s%s%s\n", st, checks[i].name, found,
				*fix ? ": " : "", fix);
		}
		fputs(ok ? "nestbox can run a default sandbox here\n"
			 : "nestbox cannot run a default sandbox here: see the FAIL lines\n",
		      out);
	}
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}

/* Effects: gathering the facts. */

static void read_sysctl(const char *path, struct nb_sysctl *s)
{
	char buf[32], *end;
	ssize_t n = nb_read_file(path, buf, sizeof(buf));

	s->value = -1;
	s->err = n < 0 ? (int)-n : 0;
	if (n < 0)
		return;
	errno = 0;
	s->value = strtoll(buf, &end, 10);
	if (errno || end == buf)
		s->err = EINVAL;
}

static char *slurp(const char *path, int *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t size = 0;

	*err = 0;
	if (!f) {
		*err = errno;
		return NULL;
	}
	/* No NUL in a text file: one getdelim() reads all of it. */
	if (getdelim(&buf, &size, '\0', f) < 0) {
		*err = ferror(f) ? errno : 0;
		free(buf);
		return *err ? NULL : strdup("");
	}
	return buf;
}

static void find_on_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");

	*out = '\0';
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char cand[PATH_MAX];

		if (len &&
		    (size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, path, name) <
			sizeof(cand) &&
		    access(cand, X_OK) == 0) {
			snprintf(out, size, "%s", cand);
			return;
		}
		path += len;
		if (*path == ':')
			path++;
	}
}

static void gather_helper(struct nb_helper_facts *h, const char *env, const char *builtin,
			  const char *name)
{
	const char *p = getenv(env);
	struct stat st;

	h->env = env;
	/* The same choice as idmap.c's helper_path(). */
	h->from_env = p && *p;
	snprintf(h->path, sizeof(h->path), "%s", h->from_env ? p : builtin);
	if (stat(h->path, &st) < 0) {
		h->stat_err = errno;
	} else {
		h->owner = st.st_uid;
		h->mode = st.st_mode;
		h->fcaps = getxattr(h->path, "security.capability", NULL, 0) > 0;
	}
	find_on_path(name, h->on_path, sizeof(h->on_path));
}

static void gather_proc(struct nb_doctor_facts *f)
{
	char buf[8192], *p;
	unsigned a, b, c;

	ssize_t r = nb_read_file("/proc/filesystems", buf, sizeof(buf));

	f->filesystems_err = r < 0 ? (int)-r : 0;
	f->have_overlay = r >= 0 && strstr(buf, "\toverlay\n");

	f->seccomp_mode = -1;
	if (nb_read_file("/proc/self/status", buf, sizeof(buf)) >= 0 &&
	    (p = strstr(buf, "\nSeccomp:")))
		f->seccomp_mode = atoi(p + strlen("\nSeccomp:"));
	if (nb_read_file("/proc/sys/kernel/seccomp/actions_avail", f->seccomp_actions,
			 sizeof(f->seccomp_actions)) < 0)
		f->seccomp_actions[0] = '\0';

	/* The initial user namespace maps all of 0..2^32-2 onto itself. */
	f->nested_userns =
	    nb_read_file("/proc/self/uid_map", buf, sizeof(buf)) >= 0 &&
	    !(sscanf(buf, "%u %u %u", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295u);
	f->have_userns = access("/proc/self/ns/user", F_OK) == 0;
}

static bool is_cgroup2(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

static void gather_cgroup(struct nb_doctor_facts *f)
{
	const char *mnt = "/sys/fs/cgroup";
	char buf[8192], dir[PATH_MAX + 64], *p;
	struct statfs s;

	if (is_cgroup2("/sys/fs/cgroup")) {
		f->cgroup = NB_CGROUP_V2;
	} else if (is_cgroup2("/sys/fs/cgroup/unified")) {
		f->cgroup = NB_CGROUP_HYBRID;
		mnt = "/sys/fs/cgroup/unified";
	} else {
		f->cgroup = statfs("/sys/fs/cgroup", &s) == 0 ? NB_CGROUP_V1 : NB_CGROUP_NONE;
		return;
	}
	if (nb_read_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return;
	/* The v2 line is "0::/path". */
	p = !strncmp(buf, "0::", 3) ? buf + 3 : strstr(buf, "\n0::");
	if (!p)
		return;
	if (p != buf + 3)
		p += 4;
	p[strcspn(p, "\n")] = '\0';
	snprintf(f->cgroup_path, sizeof(f->cgroup_path), "%.4000s", p);
	if (!strcmp(p, "/"))
		*p = '\0';
	/* Delegated means we may move processes and enable controllers there. */
	snprintf(dir, sizeof(dir), "%s%.4000s/cgroup.procs", mnt, p);
	f->cgroup_access_err = access(dir, W_OK) == 0 ? 0 : errno;
	snprintf(dir, sizeof(dir), "%s%.4000s/cgroup.subtree_control", mnt, p);
	if (!f->cgroup_access_err && access(dir, W_OK) < 0)
		f->cgroup_access_err = errno;
}

struct probe_result {
	int step;
	int err;
	char msg[480];
};

/* In the new user namespace: the rest of what a default sandbox creates. */
static _Noreturn void probe_child(int sock, const struct nb_config *cfg)
{
	struct probe_result res = { .step = NB_PROBE_PASSED };
	struct nb_error e = { 0 };
	char go;

	/* EOF means the parent could not write the maps. */
	if (TEMP_FAILURE_RETRY(recv(sock, &go, 1, 0)) != 1)
		_exit(1);
	if (nb_ns_nest(cfg->unshare_flags, &e) < 0) {
		res = (struct probe_result){ .step = NB_PROBE_NEST, .err = e.err };
		snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
	} else if (unshare(nb_lock_flags(cfg)) < 0) {
		res = (struct probe_result){ .step = NB_PROBE_LOCK, .err = errno };
	}
	if (TEMP_FAILURE_RETRY(send(sock, &res, sizeof(res), MSG_NOSIGNAL)) < 0)
		_exit(1);
	_exit(0);
}

/*
 * The namespaces are created with the calls 'nestbox run' makes: clone()
 * with CLONE_NEWUSER, the maps written from outside by nb_idmap_apply(),
 * then nb_ns_nest() and the locking user namespace inside.  A probe with a
 * plain unshare() would miss the map write, which is what Ubuntu's AppArmor
 * restriction breaks.
 */
static void probe(const struct nb_host *host, struct nb_doctor_facts *f)
{
	struct probe_result res = { .step = NB_PROBE_START };
	_cleanup_close_ int sock = -1;
	struct nb_idplan plan = { 0 };
	struct nb_error e = { 0 };
	struct nb_config cfg;
	int sv[2], status;
	pid_t pid;

	nb_config_init(&cfg);
	if (nb_idplan_build(&cfg, host, NULL, NULL, &plan, &e) < 0)
		goto out_msg;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "socketpair");
		goto out_msg;
	}
	sock = sv[0];
	pid = nb_clone_fork(CLONE_NEWUSER, SIGCHLD);
	if (pid < 0) {
		res.step = NB_PROBE_CREATE;
		res.err = errno;
		close(sv[1]);
		goto out;
	}
	if (pid == 0) {
		close(sv[0]);
		probe_child(sv[1], &cfg);
	}
	close(sv[1]);
	if (nb_idmap_apply(&plan, pid, &e) < 0) {
		res.step = NB_PROBE_MAP;
		res.err = e.err;
		snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
	} else if (TEMP_FAILURE_RETRY(send(sock, "g", 1, MSG_NOSIGNAL)) != 1 ||
		   TEMP_FAILURE_RETRY(recv(sock, &res, sizeof(res), 0)) != sizeof(res)) {
		res = (struct probe_result){ .step = NB_PROBE_START };
		snprintf(res.msg, sizeof(res.msg), "the probe's child died");
	}
	nb_closep(&sock);
	sock = -1;
	if (TEMP_FAILURE_RETRY(waitpid(pid, &status, 0)) < 0 && res.step == NB_PROBE_PASSED)
		res = (struct probe_result){ .step = NB_PROBE_START, .msg = "waitpid failed" };
	goto out;
out_msg:
	snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
out:
	f->probe_step = (enum nb_probe_step)res.step;
	f->probe_err = res.err;
	f->landlock_abi = nb_landlock_abi();
	snprintf(f->probe_msg, sizeof(f->probe_msg), "%s", res.msg);
	nb_idplan_free(&plan);
	nb_config_free(&cfg);
}

void nb_doctor_gather(const struct nb_host *host, struct nb_doctor_facts *f)
{
	struct utsname u;
	struct stat st;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (uname(&u) == 0)
		snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	for (size_t i = 0; i < nb_n_namespaces && i < NB_DOCTOR_MAX_NS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces",
			 nb_namespaces[i].name);
		read_sysctl(path, &f->max_ns[i]);
	}
	read_sysctl("/proc/sys/kernel/unprivileged_userns_clone", &f->userns_clone);
	read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
		    &f->apparmor_restrict);
	read_sysctl("/proc/sys/dev/tty/legacy_tiocsti", &f->legacy_tiocsti);
	gather_proc(f);

	f->uid = host->uid;
	f->gid = host->gid;
	if (host->user) {
		snprintf(f->user, sizeof(f->user), "%s", host->user);
	} else {
		struct passwd *pw = getpwuid(host->uid);

		if (pw)
			snprintf(f->user, sizeof(f->user), "%s", pw->pw_name);
	}
	f->subuid = slurp("/etc/subuid", &f->subuid_err);
	f->subgid = slurp("/etc/subgid", &f->subgid_err);
	gather_helper(&f->newuidmap, "NESTBOX_NEWUIDMAP", NB_NEWUIDMAP, "newuidmap");
	gather_helper(&f->newgidmap, "NESTBOX_NEWGIDMAP", NB_NEWGIDMAP, "newgidmap");

	if (stat("/dev/net/tun", &st) < 0) {
		f->tun_err = errno;
	} else {
		f->tun_mode = st.st_mode;
		f->tun_usable = access("/dev/net/tun", R_OK | W_OK) == 0;
	}
	find_on_path("pasta", f->pasta, sizeof(f->pasta));
	find_on_path("slirp4netns", f->slirp4netns, sizeof(f->slirp4netns));
	gather_cgroup(f);

	n = readlink("/proc/self/exe", f->exe, sizeof(f->exe) - 1);
	f->exe[n > 0 ? n : 0] = '\0';
	probe(host, f);
}

void nb_doctor_facts_free(struct nb_doctor_facts *f)
{
	free(f->subuid);
	free(f->subgid);
	f->subuid = f->subgid = NULL;
}

int nb_doctor(const struct nb_host *host, bool json, FILE *out)
{
	struct nb_check checks[NB_DOCTOR_MAX_CHECKS];
	struct nb_doctor_facts f;
	size_t n;

	nb_doctor_gather(host, &f);
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	nb_doctor_facts_free(&f);
	if (nb_doctor_print(checks, n, json, out) < 0)
		return NB_EXIT_FAILURE;
	return nb_doctor_ok(checks, n) ? 0 : NB_DOCTOR_CANNOT_RUN;
}
