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
#include "lib/json.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

extern char **environ;

/* Where the plan goes: text for people, or JSON through the one writer. */
struct out {
	FILE *f;
	bool json;
	struct nb_json j;
};

static void namespaces(const struct nb_plan *p, struct out *o)
{
	int flags = p->cfg->ns.unshare_flags;

	if (o->json)
		nb_json_open(&o->j, "namespaces", '{');
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
			nb_json_kv(&o->j, ns->name, state);
		else if (ns->flag != CLONE_NEWUSER)
			fprintf(o->f, "  %-7s %s\n", ns->name, state);
	}
	if (o->json) {
		nb_json_kv(&o->j, "command",
			   p->ids->uid_method == NB_MAP_SKIP ? "nothing nested"
			   : (flags & (CLONE_NEWNS | CLONE_NEWUTS)) == CLONE_NEWUTS
			       ? "user,uts nested"
			   : !(flags & CLONE_NEWNS) ? "user nested"
			   : (flags & CLONE_NEWUTS) ? "user,mnt,uts nested"
						    : "user,mnt nested");
		nb_json_close(&o->j, '}');
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
		nb_json_open(&o->j, key, '{');
		nb_json_open(&o->j, "command", '[');
	} else {
		fprintf(o->f, "%s map of the command (inside outside count), written by init:\n",
			kind);
	}
	for (size_t i = 0; i < m->n; i++) {
		snprintf(line, sizeof(line), "%" PRIu32 " %" PRIu32 " %" PRIu32, m->r[i].inside,
			 m->r[i].outside, m->r[i].count);
		if (o->json)
			nb_json_elem(&o->j, line);
		else
			fprintf(o->f, "  %s\n", line);
	}
	if (o->json) {
		nb_json_close(&o->j, ']');
		nb_json_open(&o->j, "nestbox", '[');
	} else {
		fputs("  nestbox's own map, each outside id onto itself:", o->f);
	}
	for (size_t i = 0; i < outer.n; i++) {
		snprintf(line, sizeof(line), "%" PRIu32 " %" PRIu32 " %" PRIu32, outer.r[i].inside,
			 outer.r[i].outside, outer.r[i].count);
		if (o->json)
			nb_json_elem(&o->j, line);
		else
			fprintf(o->f, " %s%s", line, i + 1 < outer.n ? ";" : "\n");
	}
	if (o->json)
		nb_json_close(&o->j, ']');
	if (how == NB_MAP_WRITE) {
		if (o->json)
			nb_json_kv(&o->j, "written_by", "nestbox");
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
			nb_json_kv(&o->j, "written_by", path);
			nb_json_open(&o->j, "helper_argv", '[');
			for (size_t i = 0; i < n; i++)
				nb_json_elem(&o->j, argv[i]);
			nb_json_close(&o->j, ']');
		} else {
			fprintf(o->f, "  written by the setuid %s:\n   ", path);
			for (size_t i = 0; i < n; i++)
				fprintf(o->f, " %s", argv[i]);
			fputc('\n', o->f);
		}
	}
	if (o->json)
		nb_json_close(&o->j, '}');
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
			nb_json_kv(&o->j, "uid_map", "none");
			nb_json_kv(&o->j, "gid_map", "none");
			nb_json_kv(&o->j, "setgroups", "not written");
			nb_json_kv(&o->j, "setgroups_why", why);
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
		nb_json_kv(&o->j, "setgroups", sg);
		nb_json_kv(&o->j, "setgroups_why", why);
	} else {
		fprintf(o->f, "setgroups: %s, because %s\n", sg, why);
	}
}

static void mounts(const struct nb_plan *p, struct out *o)
{
	if (o->json)
		nb_json_open(&o->j, "mounts", '[');
	else
		fputs("mounts, in order:\n", o->f);
	if (p->cfg->fs.root_mode != NB_ROOT_HOST) {
		const char *what = p->cfg->fs.root_mode == NB_ROOT_RO
				       ? "the host's tree, read-only, every submount too"
				       : "an empty read-only tmpfs";

		if (o->json) {
			nb_json_open(&o->j, NULL, '{');
			nb_json_kv(&o->j, "kind", "root");
			nb_json_kv(&o->j, "dst", "/");
			nb_json_kv(&o->j, "what", what);
			nb_json_key(&o->j, "implicit");
			fputs("true", o->f);
			nb_json_close(&o->j, '}');
		} else {
			fprintf(o->f, "   0  root         /  %s (--root)\n", what);
		}
	}
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct nb_mount_op *op = &p->mounts[i];

		if (o->json) {
			nb_json_open(&o->j, NULL, '{');
			nb_json_kv(&o->j, "kind", nb_mount_kind_name(op->kind));
			nb_json_kv(&o->j, "dst", op->dst);
			if (op->src)
				nb_json_kv(&o->j, op->kind == NB_MNT_TEXT ? "content" : "src",
					   op->src);
			if (op->upper)
				nb_json_kv(&o->j, "upper", op->upper);
			if (op->work)
				nb_json_kv(&o->j, "work", op->work);
			nb_json_key(&o->j, "implicit");
			fputs(op->implicit ? "true" : "false", o->f);
			if (op->why)
				nb_json_kv(&o->j, "why", op->why);
			nb_json_close(&o->j, '}');
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
			nb_json_open(&o->j, NULL, '{');
			nb_json_kv(&o->j, "kind", "sysfs");
			nb_json_kv(&o->j, "dst", "/sys");
			nb_json_key(&o->j, "implicit");
			fputs("true", o->f);
			nb_json_kv(&o->j, "why", why);
			nb_json_close(&o->j, '}');
		} else {
			fprintf(o->f, "   -  sysfs        /sys  (implicit: %s)\n", why);
		}
	}
	if (o->json)
		nb_json_close(&o->j, ']');
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
		nb_json_open(&o->j, "network", '{');
		nb_json_kv(&o->j, "mode", nb_net_mode_name(np->mode));
		nb_json_kv(&o->j, "helper", np->helper);
		nb_json_open(&o->j, "helper_argv", '[');
		for (char **a = np->argv; a && *a; a++)
			nb_json_elem(&o->j, *a);
		nb_json_close(&o->j, ']');
		nb_json_kv(&o->j, "dns", np->dns);
		nb_json_key(&o->j, "host_loopback");
		fputs(np->host_loopback ? "true" : "false", o->f);
		nb_json_open(&o->j, "publish", '[');
		for (size_t i = 0; i < np->n_ports; i++) {
			const struct nb_publish *pp = &np->ports[i];

			nb_json_open(&o->j, NULL, '{');
			nb_json_kv(&o->j, "host_addr", pp->addr);
			nb_json_key(&o->j, "host_port");
			fprintf(o->f, "%u", pp->host_port);
			nb_json_key(&o->j, "sandbox_port");
			fprintf(o->f, "%u", pp->sandbox_port);
			nb_json_kv(&o->j, "proto", pp->proto == IPPROTO_UDP ? "udp" : "tcp");
			nb_json_close(&o->j, '}');
		}
		nb_json_close(&o->j, ']');
		nb_json_close(&o->j, '}');
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
		nb_json_kv(&o->j, "capabilities", buf);
		nb_json_key(&o->j, "no_new_privs");
		fputs(cfg->sec.no_new_privs || nb_caps_touched(cfg) ? "true" : "false", o->f);
	} else {
		fprintf(o->f, "capabilities: %s\nno_new_privs: %s\n", buf,
			cfg->sec.no_new_privs || nb_caps_touched(cfg) ? "yes" : "no");
	}
}

/* The plan runs under Landlock: the sections after isolation() say so. */
static bool shown_landlock;

static void security(const struct nb_plan *p, struct out *o)
{
	enum nb_seccomp_mode mode = p->cfg->sec.seccomp;
	bool on = mode == NB_SECCOMP_DEFAULT;
	size_t n = ARRAY_SIZE(nb_seccomp_denied);

	if (o->json) {
		nb_json_kv(&o->j, "seccomp", on ? "default" : "none");
		nb_json_open(&o->j, "seccomp_denied", '[');
		for (size_t i = 0; on && i < n; i++)
			nb_json_elem(&o->j, nb_seccomp_denied[i].syscall);
		for (size_t i = 0;
		     mode != NB_SECCOMP_OFF && i < ARRAY_SIZE(nb_seccomp_denied_ioctls); i++)
			nb_json_elem(&o->j, nb_seccomp_denied_ioctls[i].syscall);
		nb_json_close(&o->j, ']');
		nb_json_kv(&o->j, "user_namespaces",
			   p->cfg->sec.disable_userns ? "refused" : "allowed");
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
		shown_landlock		     ? "refused (seccomp, --isolation landlock)"
		: p->cfg->sec.disable_userns ? "refused (--disable-userns)"
					     : "allowed");
}

static void environment(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;

	if (o->json) {
		nb_json_open(&o->j, "environment", '{');
		nb_json_key(&o->j, "cleared");
		fputs(cfg->proc.clearenv ? "true" : "false", o->f);
		nb_json_open(&o->j, "removed", '[');
		for (const char *const *v = nb_session_vars; nb_config_hides_session(cfg) && *v;
		     v++)
			if (getenv(*v))
				nb_json_elem(&o->j, *v);
		nb_json_close(&o->j, ']');
		nb_json_open(&o->j, "ops", '[');
		for (size_t i = 0; i < cfg->proc.n_env; i++) {
			char what[512];

			snprintf(what, sizeof(what), "%s %s",
				 cfg->proc.env[i].kind == NB_ENV_SET ? "set" : "unset",
				 cfg->proc.env[i].kind == NB_ENV_SET ? cfg->proc.env[i].entry
								     : cfg->proc.env[i].key);
			nb_json_elem(&o->j, what);
		}
		nb_json_close(&o->j, ']');
		nb_json_close(&o->j, '}');
		return;
	}
	fputs("environment:", o->f);
	if (cfg->proc.clearenv)
		fputs(" cleared;", o->f);
	if (nb_config_hides_session(cfg)) {
		int n = 0;

		fputs(" the session's variables removed:", o->f);
		for (const char *const *v = nb_session_vars; *v; v++)
			if (getenv(*v) && ++n)
				fprintf(o->f, " %s", *v);
		fputs(n ? ";" : " none is set;", o->f);
	}
	for (size_t i = 0; i < cfg->proc.n_env; i++)
		fprintf(o->f, " %s %s;", cfg->proc.env[i].kind == NB_ENV_SET ? "set" : "unset",
			cfg->proc.env[i].kind == NB_ENV_SET ? cfg->proc.env[i].entry
							    : cfg->proc.env[i].key);
	fputs(cfg->proc.clearenv || nb_config_hides_session(cfg) || cfg->proc.n_env
		  ? "\n"
		  : " unchanged\n",
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
	for (size_t i = 0; i < cfg->proc.n_lock_files; i++)
		fprintf(o->f, "hook: --lock-file %s (a read lock while the command runs)\n",
			cfg->proc.lock_files[i]);
}

static void fds(const struct nb_plan *p, struct out *o)
{
	if (o->json) {
		nb_json_open(&o->j, "keep_fds", '[');
		for (size_t i = 0; i < p->n_keep_fds; i++) {
			nb_json_elem_u64(&o->j, (uint64_t)p->keep_fds[i]);
		}
		nb_json_close(&o->j, ']');
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

	for (size_t i = 0; i < cfg->proc.n_rlimits && n < sizeof(buf) - 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%" PRIu64 ":%" PRIu64,
				      n ? " " : "",
				      nb_cli_rlimit_name(cfg->proc.rlimits[i].resource),
				      cfg->proc.rlimits[i].soft, cfg->proc.rlimits[i].hard);
	if (o->json) {
		nb_json_kv(&o->j, "rlimits", buf);
		nb_json_key(&o->j, "timeout");
		fprintf(o->f, "%u", cfg->proc.timeout);
		nb_json_kv(&o->j, "name", cfg->name ? cfg->name : "");
	} else {
		if (cfg->name)
			fprintf(o->f, "name: %s\n", cfg->name);
		else
			fputs("name: the command's name and nestbox's pid (no --name)\n", o->f);
		fprintf(o->f, "rlimits: %s\ntimeout: ", n ? buf : "the caller's");
		if (cfg->proc.timeout)
			fprintf(o->f, "%u s\n", cfg->proc.timeout);
		else
			fputs("none\n", o->f);
	}
}

/* The command as a PATH search on the host would find it; the sandbox may differ. */
static void resolve_command(const char *name, char *buf, size_t size)
{
	char *found = nb_path_find(getenv("PATH"), name, nb_executable);

	if (found)
		snprintf(buf, size, "%s", found);
	else if (!*name || strchr(name, '/'))
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s (not found on the host's PATH)", name);
	free(found);
}

/*
 * How the sandbox will be made: namespaces, or Landlock and what then holds
 * and what does not.  auto tries a user namespace here, as the run would.
 */
static enum nb_isolation isolation(const struct nb_plan *p, struct out *o)
{
	const struct nb_config *cfg = p->cfg;
	enum nb_isolation iso = cfg->sec.isolation;
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
		nb_json_kv(&o->j, "isolation", nb_isolation_name(iso));
		nb_json_kv(&o->j, "isolation_asked", nb_isolation_name(cfg->sec.isolation));
		nb_json_kv(&o->j, "gate", g.name);
		if (iso == NB_ISO_LANDLOCK) {
			nb_json_key(&o->j, "landlock_abi");
			fprintf(o->f, "%d", abi);
			nb_json_open(&o->j, "guarantees", '[');
			for (const char *const *l = nb_landlock_guarantees(abi, true); *l; l++)
				nb_json_elem(&o->j, *l);
			nb_json_close(&o->j, ']');
			nb_json_open(&o->j, "not_guaranteed", '[');
			for (const char *const *l = nb_landlock_guarantees(abi, false); *l; l++)
				nb_json_elem(&o->j, *l);
			nb_json_close(&o->j, ']');
		}
		return iso;
	}
	if (iso == NB_ISO_NAMESPACES) {
		fprintf(o->f, "isolation: namespaces%s\n",
			cfg->sec.isolation == NB_ISO_AUTO
			    ? " (auto: a user namespace can be made here)"
			    : "");
		return iso;
	}
	fprintf(o->f, "isolation: landlock, ABI %d%s%s%s\n", abi,
		cfg->sec.isolation == NB_ISO_AUTO ? " (auto: no user namespace here, gate: " : "",
		cfg->sec.isolation == NB_ISO_AUTO ? (g.name ? g.name : "?") : "",
		cfg->sec.isolation == NB_ISO_AUTO ? ")" : "");
	for (const char *const *l = nb_landlock_guarantees(abi, true); *l; l++)
		fprintf(o->f, "  holds: %s\n", *l);
	for (const char *const *l = nb_landlock_guarantees(abi, false); *l; l++)
		fprintf(o->f, "  does not hold: %s\n", *l);
	return iso;
}

void nb_plan_print(const struct nb_plan *p, bool json, FILE *f)
{
	const struct nb_config *cfg = p->cfg;
	struct out o = { .f = f, .json = json, .j = NB_JSON(f) };
	const char *name = cfg->proc.argv ? cfg->proc.argv[0] : p->host->shell;
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
		nb_json_kv(&o.j, "hostname",
			   (cfg->ns.unshare_flags & CLONE_NEWUTS)
			       ? (cfg->ns.hostname ? cfg->ns.hostname : NB_DEFAULT_HOSTNAME)
			       : NULL);
		nb_json_key(&o.j, "uid");
		fprintf(f, "%" PRIu32, p->ids->inside_uid);
		nb_json_key(&o.j, "gid");
		fprintf(f, "%" PRIu32, p->ids->inside_gid);
		nb_json_kv(&o.j, "domainname", cfg->ns.domainname);
		nb_json_key(&o.j, "as_pid1");
		fputs(cfg->ns.as_pid1 ? "true" : "false", f);
		nb_json_key(&o.j, "show_map");
		fputs(cfg->ids.show_map ? "true" : "false", f);
	} else {
		if (cfg->ns.domainname)
			fprintf(f, "domain name: %s\n", cfg->ns.domainname);
		fprintf(f, "PID 1: %s\n",
			cfg->ns.as_pid1
			    ? "the command itself (--as-pid-1)"
			    : "nestbox's init, which reaps and forwards signals; the command is "
			      "PID 2");
		if (cfg->ids.show_map)
			fputs(
			    "--show-map: the kernel's maps are printed before the command starts\n",
			    f);
		fprintf(f, "hostname: %s\nidentity: uid %" PRIu32 ", gid %" PRIu32 "\n",
			(cfg->ns.unshare_flags & CLONE_NEWUTS)
			    ? (cfg->ns.hostname ? cfg->ns.hostname : NB_DEFAULT_HOSTNAME)
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
		nb_json_kv(&o.j, "chdir", p->chdir);
		nb_json_kv(&o.j, "command", cmd);
		nb_json_open(&o.j, "argv", '[');
		for (char **a = cfg->proc.argv; a && *a; a++)
			nb_json_elem(&o.j, *a);
		if (!cfg->proc.argv)
			nb_json_elem(&o.j, p->host->shell);
		nb_json_close(&o.j, ']');
		fputs("}\n", f);
		return;
	}
	fprintf(f, "working directory: %s\ncommand: %s", p->chdir ? p->chdir : "/", cmd);
	for (char **a = cfg->proc.argv ? cfg->proc.argv + 1 : NULL; a && *a; a++)
		fprintf(f, " %s", *a);
	fputc('\n', f);
}
