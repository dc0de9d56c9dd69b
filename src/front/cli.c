// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option parser.  It is pure: no syscalls, so the unit tests drive it
 * directly.  Options are described by one table; an option may take several
 * arguments (--bind SRC DST), which getopt cannot express.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "front/cli-opts.h"
#include "core/netplan.h"
#include "core/ns.h"
#include "core/profile.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

static const struct opt *find_opt(const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	if (arg[0] == '-' && arg[1] == '-') {
		const char *name = arg + 2;
		size_t len = strcspn(name, "=");

		for (size_t i = 0; i < nb_cli_n_options; i++)
			if (strlen(nb_cli_options[i].name) == len &&
			    strncmp(nb_cli_options[i].name, name, len) == 0) {
				if (name[len] == '=')
					*inline_val = name + len + 1;
				return &nb_cli_options[i];
			}
		return NULL;
	}
	if (arg[0] == '-' && arg[1] && !arg[2])
		for (size_t i = 0; i < nb_cli_n_options; i++)
			if (nb_cli_options[i].short_name == arg[1])
				return &nb_cli_options[i];
	return NULL;
}

const struct nb_subcommand nb_subcommands[] = {
	{ "run", SUB_RUN, NB_ACT_RUN, "[options] [--] [command [arg...]]",
	  "run a command or your shell in a sandbox", nb_usage_run },
	{ "idmap", SUB_IDMAP, NB_ACT_IDMAP, "[mapping options] [--json]",
	  "show the uid and gid mapping a sandbox would get", nb_usage_idmap },
	{ "doctor", SUB_DOCTOR, NB_ACT_DOCTOR, "[--json]",
	  "check this machine for what nestbox needs", nb_usage_doctor },
	{ "compare", SUB_RUN, NB_ACT_COMPARE, "[run options] [--json] [--] [command]",
	  "show the host's view and the sandbox's side by side", nb_usage_compare },
	{ "ps", SUB_PS, NB_ACT_PS, "[--json] [-q]", "list your running sandboxes", nb_usage_ps },
	{ "enter", SUB_ENTER, NB_ACT_ENTER, "<name|pid> [--] [command [arg...]]",
	  "run a command inside a running sandbox", nb_usage_enter },
};
const size_t nb_n_subcommands = ARRAY_SIZE(nb_subcommands);

const struct nb_subcommand *nb_subcommand_find(const char *word)
{
	for (size_t i = 0; i < nb_n_subcommands; i++)
		if (nb_streq(word, nb_subcommands[i].name))
			return &nb_subcommands[i];
	return NULL;
}

/* The name of the first command that takes @sub's options (run for run's). */
static const char *sub_name(int sub)
{
	for (size_t i = 0; i < nb_n_subcommands; i++)
		if (nb_subcommands[i].sub == sub)
			return nb_subcommands[i].name;
	return "run";
}

/* -v, -vv, -vvv: the one short flag that repeats. */
static bool is_verbose_flag(const char *arg)
{
	return arg[0] == '-' && arg[1] == 'v' && arg[strspn(arg + 1, "v") + 1] == '\0';
}

/* How many values follow the option at argv[@k]; -1 if one is missing or "--". */
static int option_values(int argc, char **argv, int k)
{
	const char *inline_val;
	const struct opt *o;

	if (is_verbose_flag(argv[k]))
		return 0;
	o = find_opt(argv[k], &inline_val);
	if (!o || inline_val)
		return 0;
	for (int v = 1; v <= o->nargs; v++)
		if (k + v >= argc || nb_streq(argv[k + v], "--"))
			return -1;
	return o->nargs;
}

/*
 * "nestbox -vv run -- id" means "nestbox run -vv -- id": a subcommand after
 * options that it takes moves to the front, so that it is not taken for
 * the command.  Anything else stays as it is, for the parser to run or to
 * refuse: "nestbox --unshare pid ps" runs ps, and a command of a
 * subcommand's name follows "--" or "run".
 */
static void subcommand_first(int argc, char **argv)
{
	const struct nb_subcommand *s;
	int i = 1;
	char *sub;

	if (argc < 2 || nb_subcommand_find(argv[1]) || nb_streq(argv[1], "help"))
		return;
	while (i < argc && argv[i][0] == '-' && argv[i][1] && !nb_streq(argv[i], "--")) {
		int n = option_values(argc, argv, i);

		if (n < 0)
			return; /* the parser says what is missing */
		i += 1 + n;
	}
	if (i >= argc || !(s = nb_subcommand_find(argv[i])))
		return;
	for (int k = 1; k < i; k += 1 + option_values(argc, argv, k)) {
		const char *inline_val;
		const struct opt *o =
		    find_opt(is_verbose_flag(argv[k]) ? "--verbose" : argv[k], &inline_val);

		if (!o || !(o->subcommands & s->sub))
			return;
	}
	sub = argv[i];
	memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
	argv[1] = sub;
}

int nb_cli_parse(int argc, char **argv, const struct nb_host *host, struct nb_config *cfg,
		 struct nb_cli *cli, struct nb_error *e)
{
	struct parse_state st = { .cfg = cfg, .cli = cli, .host = host, .e = e };
	const struct nb_subcommand *s;
	int sub = SUB_RUN;
	bool explicit_sub = true, compare = false;
	int i = 1;
	char hint[64];

	memset(cli, 0, sizeof(*cli));
	cli->action = NB_ACT_RUN;
	subcommand_first(argc, argv);
	if (i < argc && (s = nb_subcommand_find(argv[i]))) {
		/* compare: run's options, and the same plan. */
		sub = s->sub;
		cli->action = s->action;
		compare = s->action == NB_ACT_COMPARE;
		i++;
	} else if (i < argc && nb_streq(argv[i], "help")) {
		cli->action = NB_ACT_HELP;
		cli->help_for = i + 1 < argc ? argv[i + 1] : NULL;
		return 0;
	} else {
		explicit_sub = false;
	}
	snprintf(hint, sizeof(hint), "see 'nestbox %s --help'",
		 cli->action == NB_ACT_COMPARE ? "compare" : sub_name(sub));

	for (; i < argc; i++) {
		const char *arg = argv[i];
		const char *inline_val;
		const struct opt *o;
		char *args[4];

		if (nb_streq(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		o = find_opt(is_verbose_flag(arg) ? "--verbose" : arg, &inline_val);
		if (!o || !(o->subcommands & sub))
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "unknown option '%s' for '%s'",
				       arg, sub_name(sub));
		/* -vv: the one short flag that repeats. */
		if (is_verbose_flag(arg)) {
			cfg->verbose += (int)strlen(arg) - 1;
			continue;
		}
		if (inline_val && o->nargs != 1)
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "option '--%s' takes %d arguments, not '='", o->name,
				       o->nargs);
		if (inline_val) {
			args[0] = (char *)inline_val;
		} else {
			bool short_of = i + o->nargs >= argc;

			/* "--bind /tmp -- cmd": the "--" ends the options, it is no DST. */
			for (int k = 0; !short_of && k < o->nargs; k++)
				short_of = nb_streq(argv[i + 1 + k], "--");
			if (short_of)
				return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "--%s needs %s",
					       o->name, o->args ? o->args : "a value");
			for (int k = 0; k < o->nargs; k++)
				args[k] = argv[i + 1 + k];
			i += o->nargs;
		}
		if (o->fn(&st, args) < 0)
			return -EINVAL;
		if (cli->action == NB_ACT_HELP) {
			cli->help_for = compare ? "compare" : explicit_sub ? sub_name(sub) : NULL;
			return 0;
		}
		if (cli->action == NB_ACT_VERSION)
			return 0;
	}

	if (sub == SUB_ENTER) {
		if (i >= argc)
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "'enter' needs the NAME or PID of a sandbox");
		cli->target = argv[i++];
		if (i < argc && nb_streq(argv[i], "--"))
			i++;
	}
	if ((sub == SUB_IDMAP || sub == SUB_DOCTOR || sub == SUB_PS) && i < argc)
		return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "'%s' takes no command, got '%s'",
			       sub_name(sub), argv[i]);
	if (sub == SUB_RUN && nb_profile_apply(cfg->profile, cfg, host, e) < 0)
		return -EINVAL;
	if (sub == SUB_RUN && cli->json && !cfg->dry_run && cli->action != NB_ACT_COMPARE)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "add --dry-run, or drop --json",
			       "'run --json' prints only a plan");
	if (st.next_tmpfs_size)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "put --size before the --tmpfs it sizes",
			       "--size without a following --tmpfs");
	if (cfg->ns.as_pid1 && (cfg->ns.shared_flags & CLONE_NEWPID))
		return nb_fail(e, NB_EXIT_FAILURE, 0, "drop one of them",
			       "--as-pid-1 needs a new PID namespace but --share pid was given");
	if ((cfg->ns.n_publish || cfg->ns.net_host_loopback) &&
	    !nb_net_has_helper(cfg->ns.net_mode) && cfg->ns.net_mode != NB_NET_AUTO)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "add --net pasta, slirp4netns or auto",
			       "%s needs a network helper, but the network is '%s'",
			       cfg->ns.n_publish ? "--publish" : "--net-allow-host-loopback",
			       nb_net_mode_name(cfg->ns.net_mode));
	if (i < argc) {
		cfg->proc.argv = calloc((size_t)(argc - i + 1), sizeof(char *));
		if (!cfg->proc.argv)
			nb_oom();
		for (int k = 0; i + k < argc; k++)
			cfg->proc.argv[k] = nb_xstrdup(argv[i + k]);
	}
	return 0;
}
