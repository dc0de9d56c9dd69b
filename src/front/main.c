// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * argv -> subcommand; an error -> one line on stderr and an exit status.
 * Nothing else lives here.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "core/profile.h"
#include "state/compare.h"
#include "doctor/doctor.h"
#include "state/enter.h"
#include "lib/explain.h"
#include "front/host.h"
#include "core/idmap.h"
#include "run/landlock.h"
#include "core/plan.h"
#include "state/ps.h"
#include "run/sandbox.h"
#include "fs/sources.h"
#include "state/state.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Messages echo what the user typed: control bytes are escaped, so that a
 * message stays one line and cannot drive the terminal.
 */
static int fail(const struct nb_error *e)
{
	char line[4 * sizeof(e->msg) + 1];

	nb_escape(e->msg, line, sizeof(line));
	fprintf(stderr, "nestbox: %s\n", line);
	return e->status ? e->status : NB_EXIT_FAILURE;
}

/* Looks the caller up in passwd only when a message or a helper needs it. */
static void host_lookup_user(struct nb_host *host)
{
	static char user[256], home[PATH_MAX];
	struct passwd *pw = getpwuid(host->uid);

	/* Copies: later getpwuid() calls reuse libc's static buffer. */
	if (pw) {
		snprintf(user, sizeof(user), "%s", pw->pw_name);
		host->user = user;
		if (!host->home) {
			snprintf(home, sizeof(home), "%s", pw->pw_dir);
			host->home = home;
		}
	}
}

/*
 * The command died of @sig: so does nestbox, as env(1) and unshare(1) do, so
 * that a calling shell loop stops at Ctrl-C.  No core file of nestbox's own.
 */
static int die_of(int sig)
{
	struct rlimit none = { 0, 0 };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	fflush(NULL);
	setrlimit(RLIMIT_CORE, &none);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return 128 + sig; /* a signal whose default is to be ignored */
}

/* A command's result: its error printed, its death by signal passed on. */
static int outcome(int r, const struct nb_error *e)
{
	if (r < 0)
		return fail(e);
	return (r & NB_EXIT_SIGNALLED) ? die_of(r & 0xff) : r;
}

/*
 * The sandbox, made as --isolation says: auto tries namespaces, and only a
 * gate (no user namespace can be made here) sends it to Landlock, with one
 * line that names the gate.  What needs namespaces never falls back.
 */
static int run_isolated(const struct nb_config *cfg, const struct nb_plan *launch,
			struct nb_error *e)
{
	struct nb_error why;
	int r;

	if (cfg->sec.isolation == NB_ISO_LANDLOCK)
		return outcome(nb_landlock_run(launch, e), e);
	if (cfg->sec.isolation == NB_ISO_AUTO && nb_landlock_check(cfg, &why) < 0) {
		/* Only namespaces can give what was asked: no fallback to announce. */
		return outcome(nb_sandbox_run(launch, e), e);
	}
	r = nb_sandbox_run(launch, e);
	/* No Landlock either: the gate, with its fix, is the news. */
	if (r >= 0 || cfg->sec.isolation != NB_ISO_AUTO || e->kind != NB_ERR_GATE ||
	    nb_landlock_abi() <= 0)
		return outcome(r, e);
	{
		char line[4 * sizeof(e->msg) + 1];

		nb_escape(e->msg, line, sizeof(line));
		fprintf(stderr,
			"nestbox: no user namespace here (%s); running under Landlock instead "
			"(--isolation namespaces refuses)\n",
			line);
	}
	*e = (struct nb_error){ 0 };
	return outcome(nb_landlock_run(launch, e), e);
}

/*
 * --dry-run refuses what the run would: a missing or unsafe bind source is
 * opened (and closed) here exactly as the run opens it.  Opening creates
 * nothing.
 */
static int check_sources(const struct nb_plan *launch, struct nb_error *e)
{
	struct nb_sources src;

	if (launch->cfg->sec.isolation == NB_ISO_LANDLOCK)
		return 0;
	if (nb_sources_open(launch->mounts, launch->n_mounts, &src, e) < 0)
		return nb_err(e);
	nb_sources_free(&src);
	return 0;
}

typedef int (*nb_handler)(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
			  struct nb_idplan *plan, struct nb_error *e);

static int do_help(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		   struct nb_idplan *plan, struct nb_error *e)
{
	(void)cfg, (void)host, (void)plan;
	if (cli->help_for && !nb_subcommand_find(cli->help_for)) {
		char names[128] = "commands:";
		size_t n = strlen(names);

		for (size_t i = 0; i < nb_n_subcommands; i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s %s", i ? "," : "",
					      nb_subcommands[i].name);
		nb_fail(e, NB_EXIT_FAILURE, 0, names, "no help for unknown command '%s'",
			cli->help_for);
		return fail(e);
	}
	fputs(nb_cli_usage(cli->help_for), stdout);
	/* The top-level help goes on with the options of run, the default. */
	if (!cli->help_for) {
		fputc('\n', stdout);
		fputs(nb_cli_usage("run"), stdout);
	}
	return fflush(stdout) == 0 ? 0 : NB_EXIT_FAILURE;
}

static int do_version(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		      struct nb_idplan *plan, struct nb_error *e)
{
	(void)cli, (void)cfg, (void)host, (void)plan, (void)e;
	printf("nestbox %s\n", PACKAGE_VERSION);
	return fflush(stdout) == 0 ? 0 : NB_EXIT_FAILURE;
}

static int do_doctor(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		     struct nb_idplan *plan, struct nb_error *e)
{
	(void)cfg, (void)plan, (void)e;
	host_lookup_user(host);
	return nb_doctor(host, cli->json, stdout);
}

static int do_ps(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		 struct nb_idplan *plan, struct nb_error *e)
{
	(void)cfg, (void)plan;
	if (nb_ps(host, cli->json, cli->quiet, stdout, e) < 0)
		return fail(e);
	return fflush(stdout) == 0 ? 0 : NB_EXIT_FAILURE;
}

static int do_enter(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		    struct nb_idplan *plan, struct nb_error *e)
{
	(void)plan;
	nb_narrate_level(cfg->verbose);
	return outcome(nb_enter(host, cli->target, cfg->proc.argv, e), e);
}

/* idmap, run and compare: the ids, then the launch plan, then what to do with it. */
static int do_plan(const struct nb_cli *cli, struct nb_config *cfg, struct nb_host *host,
		   struct nb_idplan *plan, struct nb_error *e)
{
	struct nb_plan launch;
	int r, hold = -1;

	nb_narrate_level(cfg->verbose);
	if (cli->action == NB_ACT_IDMAP || cfg->ids.show_map || nb_idmap_needs_subids(cfg, host))
		host_lookup_user(host);
	if (nb_idplan_load(cfg, host, plan, e) < 0)
		return fail(e);
	if (cli->action == NB_ACT_IDMAP) {
		nb_idmap_print(plan, host, cli->json, stdout);
		return fflush(stdout) == 0 ? 0 : NB_EXIT_FAILURE;
	}
	if (cli->action == NB_ACT_COMPARE && !cfg->name) {
		char name[NB_NAME_MAX + 1];

		nb_state_default_name("compare", getpid(), name, sizeof(name));
		cfg->name = nb_xstrdup(name);
	}
	nb_profile_adapt_to_host(cfg, host);
	if (cli->action == NB_ACT_COMPARE && !cfg->dry_run && cfg->proc.argv &&
	    (hold = nb_compare_hold(cfg, e)) < 0)
		return fail(e);
	if (nb_plan_build(cfg, host, plan, &launch, e) < 0) {
		if (hold >= 0)
			close(hold);
		return fail(e);
	}
	if (cli->action == NB_ACT_COMPARE && !cfg->dry_run) {
		r = outcome(nb_compare(cfg, &launch, hold, cli->json, stdout, e), e);
		if (fflush(stdout) != 0 && r == 0)
			r = NB_EXIT_FAILURE;
	} else if (cfg->dry_run && cfg->sec.isolation == NB_ISO_LANDLOCK &&
		   nb_landlock_check(cfg, e) < 0) {
		/* The plan refuses what the run refuses. */
		r = fail(e);
	} else if (cfg->dry_run && check_sources(&launch, e) < 0) {
		r = fail(e);
	} else if (cfg->dry_run) {
		nb_plan_print(&launch, cli->json, stdout);
		r = fflush(stdout) == 0 ? 0 : NB_EXIT_FAILURE;
	} else {
		r = run_isolated(cfg, &launch, e);
	}
	nb_plan_free(&launch);
	return r;
}

/* What main() does for each action; the commands' own table is cli.c's. */
static const nb_handler handlers[] = {
	[NB_ACT_RUN] = do_plan,	     [NB_ACT_IDMAP] = do_plan,	    [NB_ACT_COMPARE] = do_plan,
	[NB_ACT_DOCTOR] = do_doctor, [NB_ACT_PS] = do_ps,	    [NB_ACT_ENTER] = do_enter,
	[NB_ACT_HELP] = do_help,     [NB_ACT_VERSION] = do_version,
};

int main(int argc, char **argv)
{
	struct nb_config cfg;
	struct nb_cli cli;
	struct nb_error e = { 0 };
	struct nb_idplan plan = { 0 };
	char cwd[PATH_MAX];
	struct nb_host host;
	int r;

	nb_narrate_start();
	nb_host_ensure_std_fds();
	nb_host_gather(&host, cwd, sizeof(cwd));
	nb_config_init(&cfg);
	if (nb_cli_parse(argc, argv, &host, &cfg, &cli, &e) < 0)
		r = fail(&e);
	else
		r = handlers[cli.action](&cli, &cfg, &host, &plan, &e);
	nb_idplan_free(&plan);
	nb_config_free(&cfg);
	return r;
}
