// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --dry-run's sections about the command's process: capabilities, the
 * security settings, the environment, the engines' hook fds, the fds it
 * gets and its resource limits.
 */
#include "autoconf.h"

#include "front/dryrun.h"
#include "lib/util.h"
#include "run/caps.h"
#include "front/cli.h"
#include "run/exec.h"
#include "run/seccomp-policy.h"
#include "lib/io.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sys/capability.h>

extern char **environ;

void nb_dry_caps(const struct nb_plan *p, struct out *o)
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

void nb_dry_security(const struct nb_plan *p, struct out *o)
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
		o->landlock		     ? "refused (seccomp, --isolation landlock)"
		: p->cfg->sec.disable_userns ? "refused (--disable-userns)"
					     : "allowed");
}

void nb_dry_environment(const struct nb_plan *p, struct out *o)
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
void nb_dry_hooks(const struct nb_plan *p, struct out *o)
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

void nb_dry_fds(const struct nb_plan *p, struct out *o)
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
	nb_dry_hooks(p, o);
}

void nb_dry_limits(const struct nb_plan *p, struct out *o)
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
