// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Printing a launch plan: `nestbox run --dry-run`, for people or, with
 * --json, for scripts.  It reads the plan that the executor would carry
 * out and creates nothing.
 */
#include "autoconf.h"

#include "core/plan.h"
#include "run/caps.h"
#include "front/cli.h"
#include "run/exec.h"
#include "core/ns.h"
#include "run/seccomp-policy.h"
#include "doctor/gate.h"
#include "run/landlock.h"
#include "lib/util.h"
#include "lib/io.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

extern char **environ;

/* A small emitter: the same calls write text or JSON. */
struct out {
	FILE *f;
	bool json;
	bool first; /* no comma before the next JSON member */
};

static void member(struct out *o, const char *key)
{
	if (!o->first)
		fputc(',', o->f);
	o->first = false;
	nb_json_str(o->f, key);
	fputc(':', o->f);
}

static void open_(struct out *o, const char *key, char bracket)
{
	if (key)
		member(o, key);
	else if (!o->first)
		fputc(',', o->f);
	fputc(bracket, o->f);
	o->first = true;
}

static void close_(struct out *o, char bracket)
{
	fputc(bracket, o->f);
	o->first = false;
}

static void kv(struct out *o, const char *key, const char *value)
{
	member(o, key);
	if (value)
		nb_json_str(o->f, value);
	else
		fputs("null", o->f);
}

static void elem(struct out *o, const char *value)
{
	if (!o->first)
		fputc(',', o->f);
	o->first = false;
	nb_json_str(o->f, value);
}

static void namespaces(const struct nb_plan *p, struct out *o)
{
	int flags = p->cfg->unshare_flags;

	if (o->json)
		open_(o, "namespaces", '{');
	else
		fputs("namespaces:\n  user    new: nestbox's own, which maps each outside id onto "
		      "itself\n",
		      o->f);
	for (size_t i = 0; i < nb_n_namespaces; i++) {
		const struct nb_ns *ns = &nb_namespaces[i];
		const char *state = ns->flag == CLONE_NEWUSER ? "new"
				    : (flags & ns->flag)      ? "new"
							      : "shared with the host";

		if (o->json)
			kv(o, ns->name, state);
		else if (ns->flag != CLONE_NEWUSER)
			fprintf(o->f, "  %-7s %s\n", ns->name, state);
	}
	if (o->json) {
		kv(o, "command",
		   p->ids->uid_method == NB_MAP_SKIP			    ? "nothing nested"
		   : (flags & (CLONE_NEWNS | CLONE_NEWUTS)) == CLONE_NEWUTS ? "user,uts nested"
		   : !(flags & CLONE_NEWNS)				    ? "user nested"
		   : (flags & CLONE_NEWUTS)				    ? "user,mnt,uts nested"
									    : "user,mnt nested");
		close_(o, '}');
		return;
	}
	if (p->ids->uid_method == NB_MAP_SKIP) {
		fputs("  the command stays in nestbox's user namespace: without a map nothing\n"
		      "  can be nested, and an unmapped uid keeps no capability across exec\n",
		      o->f);
		return;
	}
	if (!(flags & CLONE_NEWNS)) {
		fprintf(o->f,
			"  the command runs in a user%s namespace nested inside nestbox's, in\n"
			"  the host's mount namespace, where nestbox mounts nothing\n",
			(flags & CLONE_NEWUTS) ? " (and UTS)" : "");
		return;
	}
	fprintf(o->f,
		"  the command runs in a user and mount%s namespace nested inside\n"
		"  nestbox's, where every mount below is locked\n",
		(flags & CLONE_NEWUTS) ? " (and UTS)" : "");
}

static void one_map(const struct nb_plan *p, bool uid, struct out *o)
{
	const struct nb_idmap *m = uid ? &p->ids->uid : &p->ids->gid;
	enum nb_map_method how = uid ? p->ids->uid_method : p->ids->gid_method;
	const char *kind = uid ? "uid" : "gid";
	struct nb_id_range *storage = NULL;
	struct nb_idmap outer = { 0 };
	char *argv[3 + 3 * NB_MAX_MAP_LINES];
	static char nums[3 * NB_MAX_MAP_LINES + 1][12];
	char line[64], key[16];

	if (nb_idmap_outer(m, &outer, &storage, NULL) < 0)
		return;
	snprintf(key, sizeof(key), "%s_map", kind);
	if (o->json) {
		open_(o, key, '{');
		open_(o, "command", '[');
	} else {
		fprintf(o->f, "%s map of the command (inside outside count), written by init:\n",
			kind);
	}
	for (size_t i = 0; i < m->n; i++) {
		snprintf(line, sizeof(line), "%" PRIu32 " %" PRIu32 " %" PRIu32, m->r[i].inside,
			 m->r[i].outside, m->r[i].count);
		if (o->json)
			elem(o, line);
		else
			fprintf(o->f, "  %s\n", line);
	}
	if (o->json) {
		close_(o, ']');
		open_(o, "nestbox", '[');
	} else {
		fputs("  nestbox's own map, each outside id onto itself:", o->f);
	}
	for (size_t i = 0; i < outer.n; i++) {
		snprintf(line, sizeof(line), "%" PRIu32 " %" PRIu32 " %" PRIu32, outer.r[i].inside,
			 outer.r[i].outside, outer.r[i].count);
		if (o->json)
			elem(o, line);
		else
			fprintf(o->f, " %s%s", line, i + 1 < outer.n ? ";" : "\n");
	}
	if (o->json)
		close_(o, ']');
	if (how == NB_MAP_WRITE) {
		if (o->json)
			kv(o, "written_by", "nestbox");
		else
			fputs("  written by nestbox itself: one line of your own id needs no "
			      "privilege\n",
			      o->f);
	} else {
		const char *path = nb_idmap_helper_path(uid);
		const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		size_t n = nb_idmap_helper_argv(name, 0, &outer, argv, nums);

		static char pid[] = "PID";

		argv[1] = pid;
		if (o->json) {
			kv(o, "written_by", path);
			open_(o, "helper_argv", '[');
			for (size_t i = 0; i < n; i++)
				elem(o, argv[i]);
			close_(o, ']');
		} else {
			fprintf(o->f, "  written by the setuid %s:\n   ", path);
			for (size_t i = 0; i < n; i++)
				fprintf(o->f, " %s", argv[i]);
			fputc('\n', o->f);
		}
	}
	if (o->json)
		close_(o, '}');
	free(storage);
}

static void maps(const struct nb_plan *p, struct out *o)
{
	if (p->ids->uid_method == NB_MAP_SKIP) {
		const char *why =
		    "--map none: no setgroups, gid_map or uid_map is written, so every "
		    "id inside is unmapped and shows as the overflow id 65534 "
		    "(/proc/sys/kernel/overflowuid); only a process outside may write "
		    "a map";

		if (o->json) {
			kv(o, "uid_map", "none");
			kv(o, "gid_map", "none");
			kv(o, "setgroups", "not written");
			kv(o, "setgroups_why", why);
		} else {
			fprintf(o->f, "uid map: none\ngid map: none\n%s\n", why);
		}
		return;
	}
	bool allow = p->ids->gid_method != NB_MAP_WRITE && p->ids->allow_setgroups;
	const char *sg = allow ? "allow" : "deny";
	const char *why =
	    allow ? "--allow-setgroups: nestbox drops the supplementary groups, which cannot be "
		    "mapped, and files that one of them is denied become readable"
	    : p->ids->gid_method == NB_MAP_WRITE
		? "an unprivileged gid_map needs it, and it keeps root inside "
		  "from dropping groups that deny access (CVE-2014-8989)"
		: "nestbox writes it before newgidmap, so that root inside cannot drop the "
		  "supplementary groups, which stay (as nogroup) and still deny what they deny";

	one_map(p, true, o);
	one_map(p, false, o);
	if (o->json) {
		kv(o, "setgroups", sg);
		kv(o, "setgroups_why", why);
	} else {
		fprintf(o->f, "setgroups: %s, because %s\n", sg, why);
	}
}

static void mounts(const struct nb_plan *p, struct out *o)
{
	if (o->json)
		open_(o, "mounts", '[');
	else
		fputs("mounts, in order:\n", o->f);
	if (p->cfg->root_mode != NB_ROOT_HOST) {
		const char *what = p->cfg->root_mode == NB_ROOT_RO
				       ? "the host's tree, read-only, every submount too"
				       : "an empty read-only tmpfs";

		if (o->json) {
			open_(o, NULL, '{');
			kv(o, "kind", "root");
			kv(o, "dst", "/");
			kv(o, "what", what);
			member(o, "implicit");
			fputs("true", o->f);
			close_(o, '}');
		} else {
			fprintf(o->f, "   0  root         /  %s (--root)\n", what);
		}
	}
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct nb_mount_op *op = &p->mounts[i];

		if (o->json) {
			open_(o, NULL, '{');
			kv(o, "kind", nb_mount_kind_name(op->kind));
			kv(o, "dst", op->dst);
			if (op->src)
				kv(o, op->kind == NB_MNT_TEXT ? "content" : "src", op->src);
			if (op->upper)
				kv(o, "upper", op->upper);
			if (op->work)
				kv(o, "work", op->work);
			member(o, "implicit");
			fputs(op->implicit ? "true" : "false", o->f);
			if (op->why)
				kv(o, "why", op->why);
			close_(o, '}');
			continue;
		}
		fprintf(o->f, "  %2zu  %-11s  %s", i + 1, nb_mount_kind_name(op->kind), op->dst);
		if (op->src && op->kind == NB_MNT_TEXT)
			fprintf(o->f, "  containing \"%s\"", op->src);
		else if (op->src)
			fprintf(o->f, "  from %s", op->src);
		if (op->upper)
			fprintf(o->f, "  upper %s  work %s", op->upper, op->work);
		if (op->optional)
			fputs("  (skipped if the source is missing)", o->f);
		if (op->implicit)
			fprintf(o->f, "  (implicit%s%s)", op->why ? ": " : "",
				op->why ? op->why : "");
		fputc('\n', o->f);
	}
	if (p->private_sysfs) {
		const char *why = "a fresh read-only sysfs, once the network namespace is joined";

		if (o->json) {
			open_(o, NULL, '{');
			kv(o, "kind", "sysfs");
			kv(o, "dst", "/sys");
			member(o, "implicit");
			fputs("true", o->f);
			kv(o, "why", why);
			close_(o, '}');
		} else {
			fprintf(o->f, "   -  sysfs        /sys  (implicit: %s)\n", why);
		}
	}
	if (o->json)
		close_(o, ']');
}

static void network(const struct nb_plan *p, struct out *o)
{
	const struct nb_net_plan *np = &p->net;
	static const char *const what[] = {
		[NB_NET_NONE] = "a new network namespace with loopback only",
		[NB_NET_HOST] = "the host's network namespace (--share net)",
		[NB_NET_PASTA] = "a new network namespace, connected by pasta",
		[NB_NET_SLIRP4NETNS] = "a new network namespace, connected by slirp4netns",
		[NB_NET_AUTO] = "?",
	};

	if (o->json) {
		open_(o, "network", '{');
		kv(o, "mode", nb_net_mode_name(np->mode));
		kv(o, "helper", np->helper);
		open_(o, "helper_argv", '[');
		for (char **a = np->argv; a && *a; a++)
			elem(o, *a);
		close_(o, ']');
		kv(o, "dns", np->dns);
		member(o, "host_loopback");
		fputs(np->host_loopback ? "true" : "false", o->f);
		open_(o, "publish", '[');
		for (size_t i = 0; i < np->n_ports; i++) {
			const struct nb_publish *pp = &np->ports[i];

			open_(o, NULL, '{');
			kv(o, "host_addr", pp->addr);
			member(o, "host_port");
			fprintf(o->f, "%u", pp->host_port);
			member(o, "sandbox_port");
			fprintf(o->f, "%u", pp->sandbox_port);
			kv(o, "proto", pp->proto == IPPROTO_UDP ? "udp" : "tcp");
			close_(o, '}');
		}
		close_(o, ']');
		close_(o, '}');
		return;
	}
	fprintf(o->f, "network: %s, %s\n", nb_net_mode_name(np->mode), what[np->mode]);
	if (!np->argv)
		return;
	fputs("  helper, started by nestbox on the host once the namespace exists, and\n"
	      "  stopped when the sandbox ends:\n   ",
	      o->f);
	for (char **a = np->argv; *a; a++)
		fprintf(o->f, " %s", *a);
	fprintf(o->f, "\n  DNS: %s, the helper's forwarder\n", np->dns);
	fprintf(o->f, "  the host's loopback: %s\n",
		np->host_loopback ? "reachable (--net-allow-host-loopback)"
				  : "unreachable (--net-allow-host-loopback opens it)");
	for (size_t i = 0; i < np->n_ports; i++)
		fprintf(o->f, "  publish: %s%s%s:%u -> port %u/%s inside\n",
			np->ports[i].family == AF_INET6 ? "[" : "", np->ports[i].addr,
			np->ports[i].family == AF_INET6 ? "]" : "", np->ports[i].host_port,
			np->ports[i].sandbox_port,
			np->ports[i].proto == IPPROTO_UDP ? "udp" : "tcp");
}

static void caps(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;
	uint64_t keep = nb_caps_keep(cfg);
	int last = cap_max_bits();
	char buf[2048] = "";
	size_t n = 0;

	if (p->ids->uid_method == NB_MAP_SKIP) {
		snprintf(buf, sizeof(buf), "none after exec: the uid is unmapped");
	} else if (!nb_caps_touched(cfg)) {
		snprintf(buf, sizeof(buf), "all, in the command's own user namespace");
	} else if (!keep) {
		snprintf(buf, sizeof(buf), "none");
	} else {
		for (int c = 0; c < last && c < 64 && n < sizeof(buf) - 32; c++)
			if (keep & (1ULL << c)) {
				char *name = cap_to_name((cap_value_t)c);

				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
						      n ? "," : "", name ? name : "?");
				cap_free(name);
			}
	}
	if (o->json) {
		kv(o, "capabilities", buf);
		member(o, "no_new_privs");
		fputs(cfg->no_new_privs || nb_caps_touched(cfg) ? "true" : "false", o->f);
	} else {
		fprintf(o->f, "capabilities: %s\nno_new_privs: %s\n", buf,
			cfg->no_new_privs || nb_caps_touched(cfg) ? "yes" : "no");
	}
}

/* The plan runs under Landlock: the sections after isolation() say so. */
static bool shown_landlock;

static void security(const struct nb_plan *p, struct out *o)
{
	enum nb_seccomp_mode mode = p->cfg->seccomp;
	bool on = mode == NB_SECCOMP_DEFAULT;
	size_t n = ARRAY_SIZE(nb_seccomp_denied);

	if (o->json) {
		kv(o, "seccomp", on ? "default" : "none");
		open_(o, "seccomp_denied", '[');
		for (size_t i = 0; on && i < n; i++)
			elem(o, nb_seccomp_denied[i].syscall);
		for (size_t i = 0;
		     mode != NB_SECCOMP_OFF && i < ARRAY_SIZE(nb_seccomp_denied_ioctls); i++)
			elem(o, nb_seccomp_denied_ioctls[i].syscall);
		close_(o, ']');
		kv(o, "user_namespaces", p->cfg->disable_userns ? "refused" : "allowed");
		return;
	}
	if (on) {
		fputs("seccomp: default, refusing", o->f);
		for (size_t i = 0; i < n; i++)
			fprintf(o->f, " %s", nb_seccomp_denied[i].syscall);
		fputs(" and the ioctls TIOCSTI and TIOCLINUX\n", o->f);
	} else if (mode == NB_SECCOMP_NONE) {
		fputs("seccomp: none, but the ioctls TIOCSTI and TIOCLINUX are still refused, "
		      "so that nothing can type into your terminal\n",
		      o->f);
	} else {
		fputs("seccomp: none\n", o->f);
	}
	fprintf(o->f, "user namespaces inside: %s\n",
		shown_landlock		 ? "refused (seccomp, --isolation landlock)"
		: p->cfg->disable_userns ? "refused (--disable-userns)"
					 : "allowed");
}

static void environment(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;

	if (o->json) {
		open_(o, "environment", '{');
		member(o, "cleared");
		fputs(cfg->clearenv ? "true" : "false", o->f);
		open_(o, "removed", '[');
		for (const char *const *v = nb_session_vars; nb_config_hides_session(cfg) && *v;
		     v++)
			if (getenv(*v))
				elem(o, *v);
		close_(o, ']');
		open_(o, "ops", '[');
		for (size_t i = 0; i < cfg->n_env; i++) {
			char what[512];

			snprintf(what, sizeof(what), "%s %s",
				 cfg->env[i].kind == NB_ENV_SET ? "set" : "unset",
				 cfg->env[i].kind == NB_ENV_SET ? cfg->env[i].entry
								: cfg->env[i].key);
			elem(o, what);
		}
		close_(o, ']');
		close_(o, '}');
		return;
	}
	fputs("environment:", o->f);
	if (cfg->clearenv)
		fputs(" cleared;", o->f);
	if (nb_config_hides_session(cfg)) {
		int n = 0;

		fputs(" the session's variables removed:", o->f);
		for (const char *const *v = nb_session_vars; *v; v++)
			if (getenv(*v) && ++n)
				fprintf(o->f, " %s", *v);
		fputs(n ? ";" : " none is set;", o->f);
	}
	for (size_t i = 0; i < cfg->n_env; i++)
		fprintf(o->f, " %s %s;", cfg->env[i].kind == NB_ENV_SET ? "set" : "unset",
			cfg->env[i].kind == NB_ENV_SET ? cfg->env[i].entry : cfg->env[i].key);
	fputs(cfg->clearenv || nb_config_hides_session(cfg) || cfg->n_env ? "\n" : " unchanged\n",
	      o->f);
}

/* The engines' hooks (--json-status-fd and the rest), as the run will use them. */
static void hooks(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;
	struct nb_hook_fd fds[NB_N_HOOK_FDS];

	nb_config_hook_fds(cfg, fds);
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i].fd >= 0)
			fprintf(o->f, "hook: --%s %d\n", fds[i].option, fds[i].fd);
	for (size_t i = 0; i < cfg->n_lock_files; i++)
		fprintf(o->f, "hook: --lock-file %s (a read lock while the command runs)\n",
			cfg->lock_files[i]);
}

static void fds(const struct nb_plan *p, struct out *o)
{
	if (o->json) {
		open_(o, "keep_fds", '[');
		for (size_t i = 0; i < p->n_keep_fds; i++) {
			if (!o->first)
				fputc(',', o->f);
			o->first = false;
			fprintf(o->f, "%d", p->keep_fds[i]);
		}
		close_(o, ']');
		return;
	}
	fputs("file descriptors: 0, 1, 2", o->f);
	for (size_t i = 0; i < p->n_keep_fds; i++)
		fprintf(o->f, ", %d", p->keep_fds[i]);
	fputc('\n', o->f);
	hooks(p, o);
}

static void limits(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;
	char buf[1024] = "";
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_rlimits && n < sizeof(buf) - 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%" PRIu64 ":%" PRIu64,
				      n ? " " : "", nb_cli_rlimit_name(cfg->rlimits[i].resource),
				      cfg->rlimits[i].soft, cfg->rlimits[i].hard);
	if (o->json) {
		kv(o, "rlimits", buf);
		member(o, "timeout");
		fprintf(o->f, "%u", cfg->timeout);
		kv(o, "name", cfg->name ? cfg->name : "");
	} else {
		if (cfg->name)
			fprintf(o->f, "name: %s\n", cfg->name);
		else
			fputs("name: the command's name and nestbox's pid (no --name)\n", o->f);
		fprintf(o->f, "rlimits: %s\ntimeout: ", n ? buf : "the caller's");
		if (cfg->timeout)
			fprintf(o->f, "%u s\n", cfg->timeout);
		else
			fputs("none\n", o->f);
	}
}

/* The command as a PATH search on the host would find it; the sandbox may differ. */
static void resolve_command(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	snprintf(buf, size, "%s", name);
	if (!*name || strchr(name, '/'))
		return;
	for (const char *p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, size, "%.*s/%s", (int)len, p, name);
		if (len && access(buf, X_OK) == 0)
			return;
		p += len + (p[len] == ':');
	}
	snprintf(buf, size, "%s (not found on the host's PATH)", name);
}

/*
 * How the sandbox will be made: namespaces, or Landlock and what then holds
 * and what does not.  auto tries a user namespace here, as the run would.
 */
static enum nb_isolation isolation(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;
	enum nb_isolation iso = cfg->isolation;
	struct nb_gate g = { 0 };
	int abi = nb_landlock_abi();

	/*
	 * What the run would choose.  The try is an unshare() of this very
	 * process, which only prints from here on: a dry run creates no process.
	 */
	if (iso == NB_ISO_AUTO) {
		int err = unshare(CLONE_NEWUSER) == 0 ? 0 : errno;

		if (err)
			nb_gate_explain(err, &g);
		iso = !err || nb_landlock_check(cfg, &(struct nb_error){ 0 }) < 0
			  ? NB_ISO_NAMESPACES
			  : NB_ISO_LANDLOCK;
	}
	shown_landlock = iso == NB_ISO_LANDLOCK;
	if (o->json) {
		kv(o, "isolation", nb_isolation_name(iso));
		kv(o, "isolation_asked", nb_isolation_name(cfg->isolation));
		kv(o, "gate", g.name);
		if (iso == NB_ISO_LANDLOCK) {
			member(o, "landlock_abi");
			fprintf(o->f, "%d", abi);
			open_(o, "guarantees", '[');
			for (const char *const *l = nb_landlock_guarantees(abi, true); *l; l++)
				elem(o, *l);
			close_(o, ']');
			open_(o, "not_guaranteed", '[');
			for (const char *const *l = nb_landlock_guarantees(abi, false); *l; l++)
				elem(o, *l);
			close_(o, ']');
		}
		return iso;
	}
	if (iso == NB_ISO_NAMESPACES) {
		fprintf(o->f, "isolation: namespaces%s\n",
			cfg->isolation == NB_ISO_AUTO ? " (auto: a user namespace can be made here)"
						      : "");
		return iso;
	}
	fprintf(o->f, "isolation: landlock, ABI %d%s%s%s\n", abi,
		cfg->isolation == NB_ISO_AUTO ? " (auto: no user namespace here, gate: " : "",
		cfg->isolation == NB_ISO_AUTO ? (g.name ? g.name : "?") : "",
		cfg->isolation == NB_ISO_AUTO ? ")" : "");
	for (const char *const *l = nb_landlock_guarantees(abi, true); *l; l++)
		fprintf(o->f, "  holds: %s\n", *l);
	for (const char *const *l = nb_landlock_guarantees(abi, false); *l; l++)
		fprintf(o->f, "  does not hold: %s\n", *l);
	return iso;
}

void nb_plan_print(const struct nb_plan *p, bool json, FILE *f)
{
	const struct nb_config *cfg = p->cfg;
	struct out o = { .f = f, .json = json, .first = true };
	const char *name = cfg->argv ? cfg->argv[0] : p->host->shell;
	char cmd[4096];

	resolve_command(name, cmd, sizeof(cmd));
	if (json)
		fputc('{', f);
	else
		fputs("nestbox run --dry-run: this is the plan; nothing was created.\n", f);
	/* Under Landlock there are no namespaces, maps or mounts to show. */
	if (isolation(p, &o) == NB_ISO_LANDLOCK)
		goto process;
	namespaces(p, &o);
	maps(p, &o);
	mounts(p, &o);
	network(p, &o);
	if (json) {
		kv(&o, "hostname",
		   (cfg->unshare_flags & CLONE_NEWUTS)
		       ? (cfg->hostname ? cfg->hostname : NB_DEFAULT_HOSTNAME)
		       : NULL);
		member(&o, "uid");
		fprintf(f, "%" PRIu32, p->ids->inside_uid);
		member(&o, "gid");
		fprintf(f, "%" PRIu32, p->ids->inside_gid);
		kv(&o, "domainname", cfg->domainname);
		member(&o, "as_pid1");
		fputs(cfg->as_pid1 ? "true" : "false", f);
		member(&o, "show_map");
		fputs(cfg->show_map ? "true" : "false", f);
	} else {
		if (cfg->domainname)
			fprintf(f, "domain name: %s\n", cfg->domainname);
		fprintf(f, "PID 1: %s\n",
			cfg->as_pid1
			    ? "the command itself (--as-pid-1)"
			    : "nestbox's init, which reaps and forwards signals; the command is "
			      "PID 2");
		if (cfg->show_map)
			fputs(
			    "--show-map: the kernel's maps are printed before the command starts\n",
			    f);
		fprintf(f, "hostname: %s\nidentity: uid %" PRIu32 ", gid %" PRIu32 "\n",
			(cfg->unshare_flags & CLONE_NEWUTS)
			    ? (cfg->hostname ? cfg->hostname : NB_DEFAULT_HOSTNAME)
			    : "the host's (--share uts)",
			p->ids->inside_uid, p->ids->inside_gid);
	}
	caps(p, &o);
process:
	security(p, &o);
	environment(p, &o);
	fds(p, &o);
	limits(p, &o);
	if (json) {
		kv(&o, "chdir", p->chdir);
		kv(&o, "command", cmd);
		open_(&o, "argv", '[');
		for (char **a = cfg->argv; a && *a; a++)
			elem(&o, *a);
		if (!cfg->argv)
			elem(&o, p->host->shell);
		close_(&o, ']');
		fputs("}\n", f);
		return;
	}
	fprintf(f, "working directory: %s\ncommand: %s", p->chdir ? p->chdir : "/", cmd);
	for (char **a = cfg->argv ? cfg->argv + 1 : NULL; a && *a; a++)
		fprintf(f, " %s", *a);
	fputc('\n', f);
}
