// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Landlock: the build profile's promises kept as access rights, where no
 * user namespace can be made (a container's seccomp profile, AppArmor's
 * restriction, user.max_user_namespaces=0).  No namespace exists; the
 * command runs as the caller, and the kernel refuses it:
 *
 *   - writing anywhere but the writable paths (the project, --rw, a
 *     private TMPDIR);
 *   - reading or listing the hidden paths ($HOME, the runtime directory,
 *     /tmp, /var/tmp, /dev/shm).  Landlock only grants, so "everything but
 *     $HOME" is granted entry by entry along the way down to each hidden
 *     path: /home itself is not listable, its other entries are readable;
 *   - TCP bind and connect (ABI 4), and abstract unix sockets and signals
 *     outside the sandbox (ABI 6 scopes); ptrace of anything outside.
 *
 * Landlock cannot keep connect() away from a pathname unix socket, so the
 * seccomp filter of this mode refuses socket() itself (seccomp-gen.c).
 */
#include "autoconf.h"

#include "run/landlock.h"
#include "lib/cleanup.h"
#include "core/config.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Debian 12's headers stop at ABI 3: what later kernels added, by number. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#define NB_LL_IOCTL_DEV (1ULL << 15)
#define NB_LL_NET_BIND_TCP (1ULL << 0)
#define NB_LL_NET_CONNECT_TCP (1ULL << 1)
#define NB_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define NB_LL_SCOPE_SIGNAL (1ULL << 1)
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* struct landlock_ruleset_attr as ABI 6 has it; older kernels take a prefix. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define RX (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* The rights a rule on a file (not a directory) may hold. */
#define FILE_RIGHTS                                                   \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | NB_LL_IOCTL_DEV)

int nb_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi > 0 ? (int)abi : 0;
}

static uint64_t handled_fs(int abi)
{
	uint64_t all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		all |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		all |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		all |= NB_LL_IOCTL_DEV;
	return all;
}

struct ll {
	int fd;
	int abi;
	const struct nb_landlock_spec *spec;
};

static int add_fd(struct ll *ll, int fd, uint64_t access, const char *path, struct nb_error *e)
{
	struct stat st;
	struct ll_path_beneath pb = { .parent_fd = fd };

	if (fstat(fd, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "landlock: %s", path);
	access &= handled_fs(ll->abi);
	if (!S_ISDIR(st.st_mode))
		access &= FILE_RIGHTS;
	pb.allowed_access = access;
	if (access &&
	    syscall(SYS_landlock_add_rule, ll->fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "landlock: a rule for %s", path);
	return 0;
}

/* A rule for @path if it exists; a missing one (an optional device) is skipped. */
static int add_path(struct ll *ll, const char *path, uint64_t access, struct nb_error *e)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT || errno == EACCES
			   ? 0
			   : nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "landlock: opening %s", path);
	return add_fd(ll, fd, access, path, e);
}

/* Whether @path is @dir or lies beneath it. */
static bool beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (nb_streq(dir, "/"))
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool hidden(const struct ll *ll, const char *path)
{
	for (size_t i = 0; i < ll->spec->n_hidden; i++)
		if (beneath(path, ll->spec->hidden[i]))
			return true;
	return false;
}

static bool hides_below(const struct ll *ll, const char *path)
{
	for (size_t i = 0; i < ll->spec->n_hidden; i++)
		if (beneath(ll->spec->hidden[i], path) && !nb_streq(ll->spec->hidden[i], path))
			return true;
	return false;
}

/*
 * Read and execute beneath @path, around every hidden path: a directory
 * with a hidden path below gets no rule of its own (it would cover that
 * path), only its entries do.  Symbolic links need none: access is checked
 * where they lead.
 */
static int grant_around(struct ll *ll, const char *path, int depth, struct nb_error *e)
{
	_cleanup_close_ int fd = -1;
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (hidden(ll, path))
		return 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* A file, a link, or a directory we may not read anyway. */
		if (errno == ENOTDIR) {
			_cleanup_close_ int f = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			struct stat st;

			if (f >= 0 && fstat(f, &st) == 0 && !S_ISLNK(st.st_mode))
				return add_fd(ll, f, RX, path, e);
		}
		return 0;
	}
	if (!hides_below(ll, path) || depth > 32)
		return add_fd(ll, fd, RX, path, e);
	d = fdopendir(fd);
	if (!d)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "landlock: reading %s", path);
	fd = -1; /* the DIR owns it now */
	while (r == 0 && (de = readdir(d))) {
		char child[4096];

		if (nb_streq(de->d_name, ".") || nb_streq(de->d_name, "..") || de->d_type == DT_LNK)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", nb_streq(path, "/") ? "" : path,
			     de->d_name) >= (int)sizeof(child))
			continue;
		r = grant_around(ll, child, depth + 1, e);
	}
	closedir(d);
	return r;
}

/*
 * What a build needs of /dev besides reading: the null, zero and random
 * devices, its controlling terminal and new ptys.  Not /dev/pts: the
 * caller's other terminals are there (hidden by the run), and only the one
 * on fds 0-2 is granted, through the fd.
 */
static const char *const rw_devices[] = {
	"/dev/null",	"/dev/zero", "/dev/full", "/dev/random",
	"/dev/urandom", "/dev/tty",  "/dev/ptmx",
};

int nb_landlock_enforce(const struct nb_landlock_spec *spec, int abi, struct nb_error *e)
{
	struct ll_ruleset_attr attr = {
		.handled_access_fs = handled_fs(abi),
		.handled_access_net = abi >= 4 ? NB_LL_NET_BIND_TCP | NB_LL_NET_CONNECT_TCP : 0,
		.scoped = abi >= 6 ? NB_LL_SCOPE_ABSTRACT_UNIX_SOCKET | NB_LL_SCOPE_SIGNAL : 0,
	};
	size_t size = abi >= 6 ? sizeof(attr) : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
	_cleanup_close_ int fd = -1;
	struct ll ll = { .abi = abi, .spec = spec };

	if (abi < 1)
		return nb_fail(e, NB_EXIT_FAILURE, ENOSYS, NULL, "landlock: the kernel has none");
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "landlock: creating a ruleset");
	ll.fd = fd;
	if (grant_around(&ll, "/", 0, e) < 0)
		return nb_err(e);
	for (size_t i = 0; i < spec->n_readable; i++)
		if (add_path(&ll, spec->readable[i], RX, e) < 0)
			return nb_err(e);
	for (size_t i = 0; i < ARRAY_SIZE(rw_devices); i++)
		if (add_path(&ll, rw_devices[i],
			     RX | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
				 NB_LL_IOCTL_DEV,
			     e) < 0)
			return nb_err(e);
	for (size_t i = 0; i < spec->n_writable; i++)
		if (add_path(&ll, spec->writable[i], handled_fs(abi), e) < 0)
			return nb_err(e);
	/* The terminal on fds 0-2, if any: through the fd, never by a name. */
	for (int std = 0; std < 3; std++)
		if (isatty(std) && add_fd(&ll, std,
					  LANDLOCK_ACCESS_FS_READ_FILE |
					      LANDLOCK_ACCESS_FS_WRITE_FILE | NB_LL_IOCTL_DEV,
					  "the terminal", e) < 0)
			return nb_err(e);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting no_new_privs");
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "landlock: restricting the command");
	return 0;
}

static const char *const holds_all[] = {
	"the host tree is readable and executable, and not writable",
	"only the project directory, --rw and --bind paths and a private TMPDIR are writable",
	"$HOME, the runtime directory, /tmp, /var/tmp, /dev/shm and your other terminals "
	"(/dev/pts) are neither readable nor listable, but for what is bound back",
	"no socket at all (seccomp refuses socket(); socketpair() works), so no network and no "
	"unix socket of the session",
	"no ptrace of a process outside the sandbox",
	"no_new_privs, the default seccomp policy, and no new user namespace",
	"session variables removed; --rlimit, --timeout and the exit statuses as with namespaces",
};

static const char *const lost_all[] = {
	"no PID, UTS, IPC or mount namespace: the command sees the host's processes and hostname",
	"no root inside: the command runs as you, with your ids",
	"the host's /proc and /sys are readable",
	"Landlock does not mediate the metadata (mode, times) of files the command may read",
};

const char *const *nb_landlock_guarantees(int abi, bool holds)
{
	static const char *out[16];
	size_t n = 0;

	if (holds) {
		for (size_t i = 0; i < ARRAY_SIZE(holds_all); i++)
			out[n++] = holds_all[i];
		if (abi >= 4)
			out[n++] = "TCP bind and connect refused by Landlock too (ABI 4)";
		if (abi >= 6)
			out[n++] =
			    "abstract unix sockets and signals scoped to the sandbox (ABI 6)";
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(lost_all); i++)
			out[n++] = lost_all[i];
		if (abi < 6)
			out[n++] = "signals can reach your other processes (Landlock ABI 6 scopes "
				   "them; this kernel has an older one)";
	}
	out[n] = NULL;
	return out;
}

/* The options that name something only namespaces can give. */
int nb_landlock_check(const struct nb_config *cfg, struct nb_error *e)
{
	const char *what = NULL;

	if (cfg->ids.map_chosen && cfg->ids.map_mode != NB_MAP_USER)
		what = "--map";
	else if (cfg->ids.uid_map.n || cfg->ids.gid_map.n)
		what = "--uid-map and --gid-map";
	else if (cfg->ids.uid >= 0 || cfg->ids.gid >= 0)
		what = "--uid and --gid";
	else if (cfg->ns.hostname)
		what = "--hostname";
	else if (cfg->ns.domainname)
		what = "--domainname";
	else if (cfg->ns.n_publish)
		what = "--publish";
	else if (cfg->ns.net_mode != NB_NET_NONE)
		what = "--net";
	else if (cfg->ns.shared_flags)
		what = "--share";
	else if (cfg->ns.as_pid1)
		what = "--as-pid-1";
	else if (cfg->fs.root_chosen && cfg->fs.root_mode != NB_ROOT_RO)
		what = "--root";
	else if (cfg->sec.cap_add)
		what = "--cap-add";
	else if (cfg->sec.seccomp != NB_SECCOMP_DEFAULT)
		what = "--seccomp none";
	if (!what)
		for (size_t i = 0; i < cfg->fs.n_mounts && !what; i++) {
			const struct nb_mount_op *op = &cfg->fs.mounts[i];

			if (op->implicit)
				continue;
			if (op->kind == NB_MNT_BIND && op->src && nb_streq(op->src, op->dst))
				continue;
			/*
			 * Landlock's rules only add up: a read-only path under a
			 * writable one would stay writable.
			 */
			what = op->kind == NB_MNT_RO_BIND && op->src && nb_streq(op->src, op->dst)
				   ? "--ro-bind (a read-only path under a writable one)"
			       : op->kind == NB_MNT_BIND || op->kind == NB_MNT_RO_BIND
				   ? "a bind to another place"
				   : nb_mount_kind_name(op->kind);
		}
	if (what)
		return nb_fail(
		    e, NB_EXIT_FAILURE, 0,
		    "drop it, or use --isolation namespaces where user namespaces work",
		    "--isolation landlock: %s needs namespaces, which this mode does not "
		    "make",
		    what);
	return 0;
}
