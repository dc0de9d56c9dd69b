// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner: configuration plus facts about the host in, one launch plan
 * out.  It decides every implicit mount (a fresh /proc, a private /tmp and
 * /dev/shm, the hidden session and $HOME), in the order the executor will
 * make them, and checks what can be checked without a sandbox, so that a
 * bad command line is refused before any process exists.  Facts come from
 * struct nb_host; the planner itself makes no system call.
 */
#include "autoconf.h"

#include "core/plan.h"
#include "core/plan-fds.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool host_dir(const struct nb_plan *p, const char *path)
{
	/* With an empty root nothing of the host is in view. */
	if (p->cfg->fs.root_mode == NB_ROOT_EMPTY)
		return false;
	return !p->host->is_dir || p->host->is_dir(path);
}

struct nb_mount_op *nb_plan_push(struct nb_plan *p, const struct nb_mount_op *from)
{
	struct nb_mount_op *grown = reallocarray(p->mounts, p->n_mounts + 1, sizeof(*grown));
	struct nb_mount_op *op;

	if (!grown)
		return NULL;
	p->mounts = grown;
	op = &p->mounts[p->n_mounts];
	*op = *from;
	op->src = from->src ? strdup(from->src) : NULL;
	op->dst = strdup(from->dst);
	op->upper = from->upper ? strdup(from->upper) : NULL;
	op->work = from->work ? strdup(from->work) : NULL;
	p->n_mounts++;
	if (!op->dst || (from->src && !op->src) || (from->upper && !op->upper) ||
	    (from->work && !op->work))
		return NULL;
	return op;
}

static int implicit(struct nb_plan *p, enum nb_mount_kind kind, const char *dst, unsigned mode,
		    bool command_owned, const char *why, struct nb_error *e)
{
	const struct nb_mount_op op = {
		.kind = kind,
		.dst = (char *)dst,
		.mode = mode,
		.command_owned = command_owned,
		.implicit = true,
		.why = why,
	};

	if (!nb_plan_push(p, &op))
		return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning the mounts");
	return 0;
}

static bool has_op_at(const struct nb_config *cfg, enum nb_mount_kind kind, const char *dst)
{
	for (size_t i = 0; i < cfg->fs.n_mounts; i++)
		if (cfg->fs.mounts[i].kind == kind && nb_streq(cfg->fs.mounts[i].dst, dst))
			return true;
	return false;
}

static bool usable_dir(const char *d)
{
	return d && nb_is_abs_clean_path(d) && d[strspn(d, "/")] != '\0';
}

/*
 * The user's own tools stay: a directory of PATH that an implicit mount
 * would hide ($HOME's ~/.local/bin, a private /tmp) is bound back,
 * read-only, so that "command not found" does not come from the sandbox.
 */
static int keep_path_dirs(struct nb_plan *p, struct nb_error *e)
{
	const char *path = p->host->path;

	for (const char *d = path; d && *d; d += strcspn(d, ":"), d += !!*d) {
		char dir[4096];
		const struct nb_mount_op *hider;
		const struct nb_mount_op bind = {
			.kind = NB_MNT_RO_BIND,
			.src = dir,
			.dst = dir,
			.optional = true,
			.implicit = true,
			.why = "keeps a directory of PATH that would be hidden",
		};

		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(d, ":"), d);
		hider = nb_is_abs_clean_path(dir) ? nb_plan_hider_of(p, dir) : NULL;
		/* Only below what is hidden, never the hidden directory itself, and
		 * never into the session's runtime directory. */
		if (!hider || !hider->implicit || hider->kind != NB_MNT_TMPFS ||
		    hider->command_owned || nb_streq(hider->dst, dir) || !host_dir(p, dir))
			continue;
		if (!nb_plan_push(p, &bind))
			return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning the mounts");
	}
	return 0;
}

static bool strictly_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (nb_streq(dir, "/"))
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/*
 * gpg-agent's sockets live in ~/.gnupg (or $GNUPGHOME) where there is no
 * runtime directory, and read-only does not stop connect(): the directory
 * is hidden with the rest of the session.  A tmpfs, not a mask on each
 * socket, so that an agent started later is hidden too.
 */
static bool gnupg_dir(const struct nb_host *host, char *dir, size_t size)
{
	if (host->gnupg_home && usable_dir(host->gnupg_home))
		snprintf(dir, size, "%s", host->gnupg_home);
	else if (usable_dir(host->home) && strlen(host->home) < size - 8)
		snprintf(dir, size, "%s/.gnupg", nb_streq(host->home, "/") ? "" : host->home);
	else
		return false;
	return nb_is_abs_clean_path(dir);
}

/* A host path of the session that nestbox hides, wherever it would show. */
struct hidden {
	char path[4096];
	unsigned mode;
	const char *why;
};

/*
 * The session's paths that exist on the host: the runtime directories,
 * the GnuPG home, and $HOME in the build profile.  A path inside another
 * one of the list is hidden with it.
 */
static size_t session_paths(const struct nb_plan *p, struct hidden *out, size_t max)
{
	const struct nb_config *cfg = p->cfg;
	const struct nb_host *host = p->host;
	size_t n = 0;
	char run_user[32], gpg[4096];
	const struct {
		const char *path;
		unsigned mode;
		const char *why;
		bool want;
	} all[] = {
		{ host->runtime_dir, 0700, "hides the session's sockets ($XDG_RUNTIME_DIR)",
		  nb_config_hides_session(cfg) },
		{ run_user, 0700, "hides the session's sockets (the runtime directory)",
		  nb_config_hides_session(cfg) && !nb_streq(host->runtime_dir, run_user) },
		{ gpg, 0700, "hides gpg-agent's sockets (the GnuPG home directory)",
		  nb_config_hides_session(cfg) && gnupg_dir(host, gpg, sizeof(gpg)) },
		{ host->home, 0755, "hides $HOME (--profile build)", cfg->fs.hide_home },
	};

	snprintf(run_user, sizeof(run_user), "/run/user/%u", (unsigned)host->uid);
	for (size_t i = 0; i < ARRAY_SIZE(all) && n < max; i++) {
		if (!all[i].want || !usable_dir(all[i].path) ||
		    (host->is_dir && !host->is_dir(all[i].path)))
			continue;
		snprintf(out[n].path, sizeof(out[n].path), "%s", all[i].path);
		out[n].mode = all[i].mode;
		out[n].why = all[i].why;
		n++;
	}
	/* The hidden $HOME hides ~/.gnupg already. */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < n; k++)
			if (k != i && strictly_under(out[i].path, out[k].path)) {
				memmove(&out[i], &out[i + 1], (n - i - 1) * sizeof(*out));
				n--;
				i--;
				break;
			}
	return n;
}

/* @path with its links resolved, as the host has it (a fact of struct nb_host). */
static void real(const struct nb_plan *p, const char *path, char *out, size_t size)
{
	if (!p->host->real_path || !p->host->real_path(path, out, size))
		snprintf(out, size, "%s", path);
}

/*
 * Where a bind of @src (links resolved) on @dst shows host path @hidden
 * (links resolved): into @at, or false when it does not hold it.
 */
static bool shows(const char *src, const char *dst, const char *hidden, char *at, size_t size)
{
	/* The hidden directory itself, bound on purpose: the caller's wish. */
	if (nb_streq(src, hidden) || !strictly_under(hidden, src))
		return false;
	return snprintf(at, size, "%s%s", nb_streq(dst, "/") ? "" : dst,
			hidden + (nb_streq(src, "/") ? 0 : strlen(src))) < (int)size;
}

/*
 * What nestbox hides stays hidden, whatever the options bind: each bind
 * whose source holds a hidden host path ($HOME, the runtime directory,
 * ~/.gnupg), under whatever name (/var/run is /run), gets an empty tmpfs
 * where that path shows under its destination, right after it.  The build
 * profile's project bind may hold $XDG_RUNTIME_DIR; --ro-bind /run /mnt
 * would show it at /mnt/user/UID.  Each path is resolved once.
 */
static int keep_hidden(struct nb_plan *p, const struct hidden *hid, size_t n_hid,
		       struct nb_error *e)
{
	char(*where)[4096];

	if (n_hid == 0)
		return 0;
	where = calloc(n_hid, sizeof(*where));
	if (!where)
		nb_oom();
	for (size_t h = 0; h < n_hid; h++)
		real(p, hid[h].path, where[h], sizeof(where[h]));
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct nb_mount_op *op = &p->mounts[i];
		char src[4096];

		if ((op->kind != NB_MNT_BIND && op->kind != NB_MNT_RO_BIND) || !op->src ||
		    op->has_fd)
			continue;
		real(p, op->src, src, sizeof(src));
		for (size_t h = 0; h < n_hid; h++) {
			char at[4096];
			struct nb_mount_op hider = {
				.kind = NB_MNT_TMPFS,
				.dst = at,
				.mode = hid[h].mode,
				.command_owned = true,
				.implicit = true,
				.why = hid[h].why,
			};
			struct nb_mount_op added;

			if (!shows(src, p->mounts[i].dst, where[h], at, sizeof(at)) ||
			    !nb_is_abs_clean_path(at))
				continue;
			if (!nb_plan_push(p, &hider)) {
				free(where);
				return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL,
					       "planning the mounts");
			}
			/* Right after the bind: what later options bind inside still shows. */
			added = p->mounts[p->n_mounts - 1];
			memmove(&p->mounts[i + 2], &p->mounts[i + 1],
				(p->n_mounts - i - 2) * sizeof(*p->mounts));
			p->mounts[i + 1] = added;
		}
	}
	free(where);
	return 0;
}

static int plan_mounts(struct nb_plan *p, struct nb_error *e)
{
	const struct nb_config *cfg = p->cfg;
	const struct nb_host *host = p->host;
	struct hidden hid[4];
	size_t n_hid;

	if (!(cfg->ns.unshare_flags & CLONE_NEWNS))
		return 0;
	if ((cfg->ns.unshare_flags & CLONE_NEWPID) && cfg->fs.root_mode != NB_ROOT_EMPTY &&
	    !has_op_at(cfg, NB_MNT_PROC, "/proc") &&
	    implicit(p, NB_MNT_PROC, "/proc", 0, false, "a fresh /proc for the new PID namespace",
		     e) < 0)
		return nb_err(e);
	if (cfg->fs.root_mode == NB_ROOT_RO &&
	    implicit(p, NB_MNT_TMPFS, "/tmp", 01777, false, "a private /tmp (--root ro)", e) < 0)
		return nb_err(e);
	if ((cfg->ns.unshare_flags & CLONE_NEWIPC) && host_dir(p, "/dev/shm") &&
	    implicit(p, NB_MNT_TMPFS, "/dev/shm", 01777, false,
		     "the host's POSIX shared memory belongs to the host's IPC namespace", e) < 0)
		return nb_err(e);
	n_hid = session_paths(p, hid, ARRAY_SIZE(hid));
	/* Where the host tree is in view, each is hidden where it is. */
	for (size_t i = 0; cfg->fs.root_mode != NB_ROOT_EMPTY && i < n_hid; i++) {
		if (implicit(p, NB_MNT_TMPFS, hid[i].path, hid[i].mode,
			     !nb_streq(hid[i].path, host->home), hid[i].why, e) < 0)
			return nb_err(e);
	}
	if (keep_path_dirs(p, e) < 0)
		return nb_err(e);
	for (size_t i = 0; i < cfg->fs.n_mounts; i++)
		if (!nb_plan_push(p, &cfg->fs.mounts[i]))
			return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning the mounts");
	if (keep_hidden(p, hid, n_hid, e) < 0)
		return nb_err(e);
	p->private_sysfs = (cfg->ns.unshare_flags & CLONE_NEWNET) && host_dir(p, "/sys");
	return 0;
}

/* Whether @path lies at or under the destination of one of the operations. */
static bool under_a_mount(const struct nb_plan *p, const char *path)
{
	for (size_t i = 0; i < p->n_mounts; i++) {
		const char *d = p->mounts[i].dst;
		size_t n = strlen(d);

		if (strncmp(path, d, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

static bool covers(const char *dst, const char *path)
{
	size_t n = strlen(dst);

	if (nb_streq(dst, "/"))
		return true;
	return strncmp(path, dst, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Whether the colon-separated overlay lowers @lowers include @dir. */
static bool has_lower(const char *lowers, const char *dir)
{
	size_t n = strlen(dir);

	for (const char *l = lowers; *l; l += strcspn(l, ":"), l += !!*l)
		if (strcspn(l, ":") == n && strncmp(l, dir, n) == 0)
			return true;
	return false;
}

/*
 * Whether the caller's directory @cwd is the same directory inside: the
 * last operation over it must be a bind of that very path, or there must be
 * none and the host tree must be in view.
 */
const struct nb_mount_op *nb_plan_hider_of(const struct nb_plan *p, const char *cwd)
{
	/* (@cwd: any path) */
	for (size_t i = p->n_mounts; i-- > 0;) {
		const struct nb_mount_op *op = &p->mounts[i];

		if (!covers(op->dst, cwd))
			continue;
		if ((op->kind == NB_MNT_BIND || op->kind == NB_MNT_RO_BIND) &&
		    nb_streq(op->src, op->dst))
			return NULL;
		/* An overlay whose lower layer is its own destination keeps what is there in view. */
		if ((op->kind == NB_MNT_OVERLAY || op->kind == NB_MNT_TMP_OVERLAY) && op->src &&
		    has_lower(op->src, op->dst))
			return NULL;
		return op;
	}
	return NULL;
}

static int plan_chdir(struct nb_plan *p, struct nb_error *e)
{
	const char *dir = p->cfg->fs.chdir;
	const char *cwd = p->host->cwd;
	const struct nb_mount_op *hider;
	char hint[1100];

	/* The command looks for its directory itself (exec.c). */
	if (p->cfg->compat.chdir_fallback) {
		p->chdir = dir ? dir : cwd;
		return 0;
	}
	if (dir) {
		p->chdir = dir;
		if (nb_streq(dir, "/") || under_a_mount(p, dir) || host_dir(p, dir))
			return 0;
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "create it with --dir, or --bind a directory there",
			       "--chdir %s: no such directory in the sandbox", dir);
	}
	/* Never / without a word: "make: No targets specified" helps nobody. */
	if (!cwd)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "give --chdir DIR",
			       "the current directory is gone (deleted?), so the sandbox has none");
	p->chdir = cwd;
	hider = nb_plan_hider_of(p, cwd);
	snprintf(hint, sizeof(hint), "give --chdir DIR, or --bind %.500s %.500s", cwd, cwd);
	if (hider && hider->why)
		return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
			       "the current directory %s is not visible inside: %s covers it", cwd,
			       hider->why);
	if (hider)
		return nb_fail(
		    e, NB_EXIT_FAILURE, 0, hint,
		    "the current directory %s is not visible inside: the --%s on %s covers "
		    "it",
		    cwd, nb_mount_kind_name(hider->kind), hider->dst);
	if (p->cfg->fs.root_mode == NB_ROOT_EMPTY && !under_a_mount(p, cwd))
		return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
			       "the current directory %s is not in the empty root", cwd);
	return 0;
}

static int plan_destinations(struct nb_plan *p, struct nb_error *e)
{
	size_t user = 0;

	if (p->cfg->fs.root_mode == NB_ROOT_EMPTY || !p->host->exists)
		return 0;
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct nb_mount_op *op = &p->mounts[i];
		char where[4096];
		bool placed = false;

		if (op->implicit)
			continue;
		user++;
		snprintf(where, sizeof(where), "%s", op->dst);
		/* A link is made in its directory; the link itself is new. */
		if (op->kind == NB_MNT_SYMLINK && strrchr(where, '/') != where)
			*strrchr(where, '/') = '\0';
		else if (op->kind == NB_MNT_SYMLINK)
			continue;
		for (size_t k = 0; k < i && !placed; k++)
			placed = covers(p->mounts[k].dst, where) &&
				 !nb_streq(p->mounts[k].dst, "/");
		if (placed || op->optional || p->host->exists(where))
			continue;
		return nb_fail(
		    e, NB_EXIT_FAILURE, 0,
		    "nestbox makes mount points only inside filesystems it mounted: use an "
		    "existing path, --root empty, or a --tmpfs or --dir above it",
		    "--%s #%zu %s: %s does not exist", nb_mount_kind_name(op->kind), user, op->dst,
		    where);
	}
	return 0;
}

/*
 * With a helper, the sandbox's resolver is the helper's DNS forwarder: a
 * private resolv.conf, after the user's mounts, unless the user binds one.
 */
static int plan_net(struct nb_plan *p, struct nb_error *e)
{
	static const char resolv[] = "/etc/resolv.conf";
	char line[64];
	const struct nb_mount_op file = {
		.kind = NB_MNT_TEXT,
		.src = line,
		.dst = (char *)resolv,
		.implicit = true,
		.why = "names the network helper's DNS forwarder",
	};

	if (nb_net_plan_build(p->cfg, p->host, &p->net, e) < 0)
		return nb_err(e);
	/* With --share mnt nestbox mounts nothing: the host's resolver stays. */
	if (!p->net.dns || !(p->cfg->ns.unshare_flags & CLONE_NEWNS) ||
	    has_op_at(p->cfg, NB_MNT_BIND, resolv) || has_op_at(p->cfg, NB_MNT_RO_BIND, resolv))
		return 0;
	if (p->cfg->fs.root_mode != NB_ROOT_EMPTY && p->host->exists && !p->host->exists(resolv))
		return 0;
	snprintf(line, sizeof(line), "nameserver %s", p->net.dns);
	return nb_plan_push(p, &file) ? 0 : nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "planning");
}

/*
 * --map none: what needs a mapped id is refused here, with the reason.  A
 * file system that nestbox mounts belongs to the namespace's root, which is
 * unmapped, so nothing inside could create a file in it; capabilities do not
 * survive the exec of an unmapped uid.
 */
static int plan_unmapped(const struct nb_config *cfg, struct nb_error *e)
{
	const char *what = NULL;
	char opt[32];

	if (cfg->ids.map_mode != NB_MAP_NONE)
		return 0;
	if (cfg->profile && nb_streq(cfg->profile, "build"))
		what = "--profile build";
	else if (cfg->fs.root_mode != NB_ROOT_HOST)
		what = cfg->fs.root_mode == NB_ROOT_RO ? "--root ro" : "--root empty";
	for (size_t i = 0; !what && i < cfg->fs.n_mounts; i++)
		if (!cfg->fs.mounts[i].implicit) {
			snprintf(opt, sizeof(opt), "--%s",
				 nb_mount_kind_name(cfg->fs.mounts[i].kind));
			what = opt;
		}
	if (!what && cfg->sec.cap_add)
		what = "--cap-add";
	if (!what)
		return 0;
	return nb_fail(e, NB_EXIT_FAILURE, 0, "drop it, or drop --map none",
		       "--map none: %s needs a map: without one, nothing inside can own what "
		       "nestbox mounts, and no capability survives the exec",
		       what);
}

/*
 * --share mnt: the command sees the host's mount namespace, which its user
 * namespace does not own, so nestbox mounts nothing at all.
 */
static int plan_no_mnt(const struct nb_config *cfg, struct nb_error *e)
{
	if (cfg->ns.unshare_flags & CLONE_NEWNS)
		return 0;
	if (cfg->ns.unshare_flags & CLONE_NEWPID)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "share pid too, or give it a mount namespace",
			       "a new PID namespace needs a new mount namespace for its /proc");
	if (cfg->profile && nb_streq(cfg->profile, "build"))
		return nb_fail(e, NB_EXIT_FAILURE, 0, "drop --share mnt",
			       "--profile build needs a mount namespace of its own");
	if (cfg->fs.root_mode != NB_ROOT_HOST)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "drop --share mnt, or --root",
			       "--root needs a mount namespace of its own");
	for (size_t i = 0; i < cfg->fs.n_mounts; i++)
		if (!cfg->fs.mounts[i].implicit)
			return nb_fail(e, NB_EXIT_FAILURE, 0, "drop --share mnt",
				       "--%s needs a mount namespace of its own",
				       nb_mount_kind_name(cfg->fs.mounts[i].kind));
	return 0;
}

int nb_plan_build(const struct nb_config *cfg, const struct nb_host *host,
		  const struct nb_idplan *ids, struct nb_plan *plan, struct nb_error *e)
{
	memset(plan, 0, sizeof(*plan));
	if (plan_no_mnt(cfg, e) < 0)
		return nb_err(e);
	if (plan_unmapped(cfg, e) < 0)
		return nb_err(e);
	plan->cfg = cfg;
	plan->host = host;
	plan->ids = ids;
	if (plan_mounts(plan, e) < 0 || plan_net(plan, e) < 0 || plan_destinations(plan, e) < 0 ||
	    plan_chdir(plan, e) < 0 || nb_plan_fds(plan, e) < 0) {
		nb_plan_free(plan);
		return nb_err(e);
	}
	return 0;
}

void nb_plan_free(struct nb_plan *plan)
{
	for (size_t i = 0; i < plan->n_mounts; i++) {
		free(plan->mounts[i].src);
		free(plan->mounts[i].dst);
		free(plan->mounts[i].upper);
		free(plan->mounts[i].work);
	}
	free(plan->mounts);
	free(plan->keep_fds);
	nb_net_plan_free(&plan->net);
	plan->keep_fds = NULL;
	plan->n_keep_fds = 0;
	plan->mounts = NULL;
	plan->n_mounts = 0;
}
