// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profiles: named sets of defaults, applied through the configuration's
 * builders like any option.
 */
#include "autoconf.h"

#include "core/profile.h"
#include "lib/util.h"

#include <sched.h>
#include <string.h>

/* Whether directory @dir is @home or lies above it (both clean and absolute). */
static bool holds_home(const char *dir, const char *home)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (!home || home[0] != '/')
		return false;
	if (n == 1)
		return true;
	return strncmp(home, dir, n) == 0 && (home[n] == '\0' || home[n] == '/');
}

static int profile_shell(struct nb_config *c, const struct nb_host *host, struct nb_error *e)
{
	return 0;
}

/* Moves the last @k mount operations to the front: a profile's come first, so later ones win. */
static void to_front(struct nb_config *c, size_t k)
{
	for (size_t r = 0; r < k; r++) {
		struct nb_mount_op last = c->fs.mounts[c->fs.n_mounts - 1];

		memmove(c->fs.mounts + 1, c->fs.mounts,
			(c->fs.n_mounts - 1) * sizeof(*c->fs.mounts));
		c->fs.mounts[0] = last;
	}
}

/*
 * The build profile: read-only host, the current directory writable, private
 * /tmp and /dev, $HOME hidden, no network, no capabilities.  It only sets
 * defaults: the parser applies it after every option, and whatever the user
 * chose (--root, --share, --map, --chdir, --cap-add, mounts) wins, wherever
 * it stands on the command line.
 */
static int profile_build(struct nb_config *c, const struct nb_host *host, struct nb_error *e)
{
	struct nb_mount_op *op;

	if (!c->fs.root_chosen)
		c->fs.root_mode = NB_ROOT_RO;
	/* Where no user namespace can be made, Landlock keeps these promises. */
	if (!c->sec.isolation_chosen)
		c->sec.isolation = NB_ISO_AUTO;
	c->ns.unshare_flags |= (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWPID) & ~c->ns.shared_flags;
	c->sec.cap_drop_all = true;
	c->sec.no_new_privs = true;
	c->fs.hide_home = true;
	c->sec.disable_userns = true;
	/*
	 * The caller's own uid inside, not root: build steps then run exactly
	 * as outside, where tar, cp -a and install keep files as the user's
	 * instead of failing to give them to ids that are not mapped.
	 */
	if (!c->ids.map_chosen)
		c->ids.map_mode = NB_MAP_USER;
	op = nb_config_add_mount(c, NB_MNT_DEV, NULL, "/dev");
	op->implicit = true;
	op->why = "a minimal /dev (--profile build)";
	if (!host || !host->cwd || host->cwd[0] != '/')
		return nb_fail(e, NB_EXIT_FAILURE, 0, "run it from a directory that exists",
			       "--profile build: the current directory is unknown");
	if (host->cwd[strspn(host->cwd, "/")] == '\0')
		return nb_fail(
		    e, NB_EXIT_FAILURE, 0, "run it from the project's directory, or --bind one",
		    "--profile build: the current directory is /, so all would be writable");
	if (holds_home(host->cwd, host->home))
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "run it from the project's directory, or --bind a subdirectory of "
			       "$HOME",
			       "--profile build: the current directory %s holds your home %s, so "
			       "all of it, dotfiles and ~/.ssh included, would be writable",
			       host->cwd, host->home);
	op = nb_config_add_mount(c, NB_MNT_BIND, host->cwd, host->cwd);
	op->implicit = true;
	op->why = "the project directory, writable (--profile build)";
	to_front(c, 2);
	if (!c->fs.chdir)
		c->fs.chdir = nb_xstrdup(host->cwd);
	return 0;
}

static const struct {
	const char *name;
	int (*apply)(struct nb_config *c, const struct nb_host *host, struct nb_error *e);
} profiles[] = {
	{ .name = "shell", .apply = profile_shell },
	{ .name = "build", .apply = profile_build },
};

const char *nb_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (nb_streq(name, profiles[i].name))
			return profiles[i].name;
	return NULL;
}

int nb_profile_apply(const char *name, struct nb_config *c, const struct nb_host *host,
		     struct nb_error *e)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (nb_streq(name, profiles[i].name)) {
			c->profile = profiles[i].name;
			return profiles[i].apply(c, host, e);
		}
	return nb_fail(e, NB_EXIT_FAILURE, 0, "use shell or build",
		       "--profile: unknown profile '%s'", name);
}

/*
 * In a container, a fresh /proc is refused while the container's masks
 * cover parts of its own.  Rather than fail, the sandbox keeps this PID
 * namespace and the /proc in view, masks and all, and says so once: never
 * another PID namespace's /proc under a new one.
 */
void nb_profile_adapt_to_host(struct nb_config *cfg, const struct nb_host *host)
{
	/* --as-pid-1 asked for PID 1 of a namespace of its own: it fails, and says why. */
	if (!(cfg->ns.unshare_flags & CLONE_NEWPID) || cfg->fs.root_mode == NB_ROOT_EMPTY ||
	    cfg->sec.isolation == NB_ISO_LANDLOCK || cfg->ns.as_pid1 || !host->proc_masked ||
	    !host->proc_masked())
		return;
	/* Not a --share the user asked for: Landlock may still serve (run_isolated()). */
	cfg->ns.unshare_flags &= ~CLONE_NEWPID;
	cfg->ns.pid_kept_for_proc = true;
}
