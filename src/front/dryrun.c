// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Printing a launch plan: `nestbox run --dry-run`, for people or, with
 * --json, for scripts.  It reads the plan that the executor would carry
 * out and creates nothing.
 */
#include "autoconf.h"

#include "front/dryrun.h"
#include "lib/util.h"
#include "core/ns.h"
#include "doctor/gate.h"
#include "run/landlock.h"
#include "lib/io.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

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
	o->landlock = iso == NB_ISO_LANDLOCK;
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
	nb_dry_caps(p, &o);
process:
	nb_dry_security(p, &o);
	nb_dry_environment(p, &o);
	nb_dry_fds(p, &o);
	nb_dry_limits(p, &o);
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
