/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one description of a sandbox.  cli.c fills it from argv, profiles
 * expand into it, and every later stage only reads it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;

#define NB_DEFAULT_HOSTNAME "nestbox"
/* The kernel accepts at most 340 lines in uid_map/gid_map since 4.15. */
#define NB_MAX_MAP_LINES 340
/* One map is one write() of less than a page (kernel/user_namespace.c). */
#define NB_MAX_MAP_BYTES 4095

enum nb_map_mode {
	NB_MAP_ROOT, /* inside 0 -> caller, one id */
	NB_MAP_USER, /* caller's own id inside -> caller, one id */
	NB_MAP_AUTO, /* 0 -> caller, 1..N -> subordinate ranges */
	NB_MAP_EXPLICIT, /* --uid-map / --gid-map */
	NB_MAP_NONE, /* no map at all: every id inside is the overflow id */
};

struct nb_id_range {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct nb_idmap {
	struct nb_id_range *r;
	size_t n;
};

enum nb_root_mode {
	NB_ROOT_HOST, /* the host tree as it is, plus a fresh /proc */
	NB_ROOT_RO, /* the host tree read-only, with a private /tmp */
	NB_ROOT_EMPTY, /* a tmpfs that only the mount operations fill */
};

enum nb_mount_kind {
	NB_MNT_BIND,
	NB_MNT_RO_BIND,
	NB_MNT_TMPFS,
	NB_MNT_PROC,
	NB_MNT_DEV,
	NB_MNT_DIR,
	NB_MNT_SYMLINK,
	NB_MNT_OVERLAY,
	NB_MNT_TMP_OVERLAY,
	NB_MNT_FILE, /* a new file at dst holding the data read from fd */
	NB_MNT_BIND_DATA, /* that data bound on dst */
	NB_MNT_RO_BIND_DATA,
	NB_MNT_CHMOD, /* mode of an existing dst */
	NB_MNT_REMOUNT_RO, /* the mounts at and under dst become read-only */
	NB_MNT_MQUEUE,
	NB_MNT_TEXT, /* a private file whose content is @src (resolv.conf) */
};

/**
 * struct nb_mount_op - one mount operation, applied in command-line order
 * @src: bind source, symlink target, or the colon-separated overlay lowers
 * @dst: absolute destination inside the sandbox
 * @upper: overlay upper directory
 * @work: overlay work directory
 * @size: tmpfs size in bytes (0: the default)
 * @mode: tmpfs root mode (0: 0755)
 * @command_owned: the tmpfs root belongs to the command's ids, not root's
 * @implicit: added by a profile, a root mode or the planner, not by the user
 * @why: for an implicit operation, the reason, shown by --dry-run
 */
struct nb_mount_op {
	enum nb_mount_kind kind;
	char *src;
	char *dst;
	char *upper;
	char *work;
	uint64_t size;
	unsigned mode;
	bool command_owned;
	/* --bind-try, --ro-bind-try: skipped when the source does not exist. */
	bool optional;
	/* @mode was given (--perms): also for --dir, --file and the data binds. */
	bool mode_set;
	/* The source is the inherited fd @fd, not the path @src (--bind-fd, --file). */
	bool has_fd;
	int fd;
	bool implicit;
	/* --remount-ro of nestbox-bwrap: the mount at @dst only, not those under it. */
	bool nonrecursive;
	/* The source is the sandbox's own namespace file /proc/self/ns/NAME (nestbox-bwrap). */
	bool own_ns;
	const char *why;
};

enum nb_seccomp_mode {
	NB_SECCOMP_DEFAULT, /* the policy in seccomp-policy.h */
	NB_SECCOMP_NONE, /* --seccomp none: only the terminal's rules (TIOCSTI, TIOCLINUX) */
	NB_SECCOMP_OFF, /* no filter at all: bubblewrap's default */
};

/* --isolation: how the sandbox is made. */
enum nb_isolation {
	NB_ISO_NAMESPACES, /* user and nested namespaces: the default */
	NB_ISO_LANDLOCK, /* no namespace: Landlock, seccomp and no_new_privs (landlock.c) */
	NB_ISO_AUTO, /* namespaces where they can be made, else landlock (the build profile) */
};

enum nb_env_kind { NB_ENV_SET, NB_ENV_UNSET };

struct nb_env_op {
	enum nb_env_kind kind;
	char *key;
	char *entry; /* "KEY=VALUE", for NB_ENV_SET */
};

struct nb_rlimit_op {
	int resource;
	uint64_t soft;
	uint64_t hard;
};

/* --net: how the sandbox reaches the network (netplan.c, netd.c). */
enum nb_net_mode {
	NB_NET_NONE, /* a new network namespace with loopback only */
	NB_NET_HOST, /* the host's network namespace (--share net) */
	NB_NET_PASTA, /* a new one, connected by pasta (passt) */
	NB_NET_SLIRP4NETNS, /* a new one, connected by slirp4netns */
	NB_NET_AUTO, /* pasta if installed, else slirp4netns */
};

/**
 * struct nb_publish - one -p, --publish
 * @addr: the host address, numeric (default 127.0.0.1)
 * @family: AF_INET or AF_INET6
 * @both_loopbacks: no address was given: ::1 too, by nestbox's relay
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 * @spec: the argument as given, for messages
 */
struct nb_publish {
	char addr[48];
	int family;
	bool both_loopbacks;
	int proto;
	uint16_t host_port;
	uint16_t sandbox_port;
	char spec[128];
};

/* The namespaces: which are new, the network, the names inside. */
struct nb_config_ns {
	/* CLONE_NEW* flags of the namespaces nested inside the user ns. */
	int unshare_flags;
	/* Namespaces the user asked to share, to tell profiles apart. */
	int shared_flags;
	/* Set only through nb_config_set_net(), which keeps CLONE_NEWNET in step. */
	enum nb_net_mode net_mode;
	/* --net-allow-host-loopback: the host's 127.0.0.1 is reachable inside. */
	bool net_host_loopback;
	struct nb_publish *publish;
	size_t n_publish;
	char *hostname;
	char *domainname;
	bool as_pid1;
	/* Leave the hostname as it is in a new UTS namespace (unless @hostname). */
	bool keep_hostname;
	/*
	 * A new PID namespace was asked for, but /proc is masked here: the
	 * sandbox keeps the caller's, and says so once it exists.
	 */
	bool pid_kept_for_proc;
};

/* The identity: the maps and the ids inside. */
struct nb_config_ids {
	/* --allow-setgroups: see struct nb_idplan. */
	bool allow_setgroups;
	bool show_map;
	enum nb_map_mode map_mode;
	/* The user chose the map: a profile leaves it alone. */
	bool map_chosen;
	struct nb_idmap uid_map;
	struct nb_idmap gid_map;
	/* Identity inside; -1 means "the default for the map mode". */
	int64_t uid;
	int64_t gid;
};

/* The filesystem view: the root, the mounts, the directory. */
struct nb_config_fs {
	enum nb_root_mode root_mode;
	/* The user chose --root: a profile leaves it alone. */
	bool root_chosen;
	struct nb_mount_op *mounts;
	size_t n_mounts;
	char *chdir;
	uint64_t tmpfs_size;
	bool hide_home;
};

/* What the command may do: capabilities, seccomp, nested user namespaces, the isolation. */
struct nb_config_sec {
	/*
	 * Run the command in a nested user and mount namespace, where every
	 * mount is locked (lock.c).  Without it the command shares the
	 * sandbox's user namespace: only dropped capabilities protect the mounts.
	 */
	bool lock_mounts;
	uint64_t cap_drop;
	uint64_t cap_add;
	bool cap_drop_all;
	bool no_new_privs;
	enum nb_seccomp_mode seccomp;
	/* The command cannot create user namespaces. */
	bool disable_userns;
	enum nb_isolation isolation;
	/* The user chose --isolation: a profile leaves it alone. */
	bool isolation_chosen;
};

/* The command's process: argv, environment, fds, limits, the engines' hooks. */
struct nb_config_proc {
	/* The command starts a session of its own (setsid), away from the terminal. */
	bool new_session;
	/* The sandbox ends when nestbox's parent does. */
	bool die_with_parent;
	struct nb_env_op *env;
	size_t n_env;
	bool clearenv;
	/* --keep-fd: inherited fds passed on to the command. */
	int *keep_fds;
	size_t n_keep_fds;
	/* Status fds (-1: none): JSON about the sandbox; a read before exec. */
	int info_fd;
	int json_status_fd;
	int block_fd;
	/* --sync-fd: held open by nestbox while the sandbox runs, closed at its end. */
	int sync_fd;
	/* 0: bubblewrap's status objects; 1: nestbox's, with "version" and more (status.c). */
	int status_version;
	/* Paths inside the sandbox that init holds a lock on while it runs. */
	char **lock_files;
	size_t n_lock_files;
	struct nb_rlimit_op *rlimits;
	size_t n_rlimits;
	unsigned timeout;
	/* The command; NULL means the user's shell. */
	char **argv;
	/* compare: the command as given, while @argv is the wrapper that holds it. */
	char **held_argv;
	/* What the command is told its name is (argv[0]), or NULL. */
	char *argv0;
};

/* What only nestbox-bwrap asks for, in bubblewrap's terms. */
struct nb_config_compat {
	/* --root empty as a writable tmpfs of tmpfs's own size (nestbox-bwrap). */
	bool root_writable;
	/*
	 * Without --chdir, fall back to $HOME and then / when the caller's
	 * directory is not there, instead of refusing; and set $PWD.
	 */
	bool chdir_fallback;
	/* The session's variables stay, whatever the root (see nb_config_hides_session()). */
	bool keep_session;
	/* No record for ps and enter (nestbox-bwrap, as bubblewrap keeps none). */
	bool no_record;
	/* Mount points, directories and links may be made on any filesystem in view. */
	bool create_anywhere;
	/* Refuse to start the command where it could create one. */
	bool assert_userns_disabled;
	/* Namespaces to join instead of creating (inherited fds, -1: none). */
	int join_userns_fd;
	int join_pidns_fd;
	/* A user namespace the command moves into once the sandbox is set up. */
	int switch_userns_fd;
	/* Inherited fds holding compiled BPF programs, installed in order before exec. */
	int *seccomp_fds;
	size_t n_seccomp_fds;
	int userns_block_fd;
};

/**
 * struct nb_config - what one sandbox is to be, from either command line
 *
 * The builders below (nb_config_*) are the one way both front ends fill it,
 * so both get the same checks.
 */
struct nb_config {
	struct nb_config_ns ns;
	struct nb_config_ids ids;
	struct nb_config_fs fs;
	struct nb_config_sec sec;
	struct nb_config_proc proc;
	struct nb_config_compat compat;
	int verbose;
	const char *profile;
	/* --name: the sandbox's name for ps and enter; NULL: a generated one. */
	char *name;
	/* --dry-run: print the plan, create nothing. */
	bool dry_run;
};

/**
 * struct nb_host - facts about the caller, gathered once by main()
 *
 * Passing them in keeps the option parser and the planners free of syscalls.
 */
struct nb_host {
	uid_t uid;
	gid_t gid;
	const char *user;
	const char *home;
	const char *cwd;
	const char *shell;
	/* $XDG_RUNTIME_DIR, or NULL. */
	const char *runtime_dir;
	/* Whether a host path is a directory; NULL means "assume it is". */
	bool (*is_dir)(const char *path);
	/* Whether a host path exists (following links); NULL means "assume it does". */
	bool (*exists)(const char *path);
	/* Whether a host file may be executed (nb_executable()); NULL means "assume it may". */
	bool (*executable)(const char *path);
	/* Whether fd is open in nestbox; NULL means "assume it is". */
	bool (*fd_open)(int fd);
	/* $PATH, whose directories stay visible where a profile hides them, or NULL. */
	const char *path;
	/* $MAKEFLAGS, for GNU make's jobserver, or NULL. */
	const char *makeflags;
	/* Where @path really is, links resolved, into @out; NULL means "where it says". */
	bool (*real_path)(const char *path, char *out, size_t size);
	/*
	 * Whether part of /proc is covered by other mounts (a container's
	 * masks), so that the kernel refuses a fresh proc in a new user
	 * namespace; asked only when it matters.  NULL means "not masked".
	 */
	bool (*proc_masked)(void);
	/* $GNUPGHOME, where gpg-agent keeps its sockets without a runtime directory, or NULL. */
	const char *gnupg_home;
};

/*
 * Whether the host session (its runtime directory and the variables that
 * point at its services) is hidden: whenever the host tree is not the root,
 * unless the front end keeps it.
 */
static inline bool nb_config_hides_session(const struct nb_config *c)
{
	return !c->compat.keep_session && c->fs.root_mode != NB_ROOT_HOST;
}

/* One engine's hook fd (--json-status-fd and the rest): its option and fd, -1 when unset. */
struct nb_hook_fd {
	const char *option;
	int fd;
};
#define NB_N_HOOK_FDS 4
/* The hook fds of @c, in --help's order, into @out. */
void nb_config_hook_fds(const struct nb_config *c, struct nb_hook_fd out[NB_N_HOOK_FDS]);

void nb_config_init(struct nb_config *c);
void nb_config_free(struct nb_config *c);

/* Builders (config.c).  Out of memory ends nestbox with 125 (nb_oom()). */
/* The longest path an option takes: PATH_MAX, less room for what nestbox adds. */
#define NB_PATH_LIMIT 4000

/*
 * The checked builders, which both command lines use, as minijail's
 * minijail_bind() checks for its callers: an empty or overlong destination,
 * an empty or overlong bind source or link target, an environment variable
 * name that is empty or holds '='.  Each front end adds its option's name
 * (nb_error_wrap()) and its own rules on top.
 * Return: the new operation, to fill in further, or NULL with @e filled.
 */
struct nb_mount_op *nb_config_mount(struct nb_config *c, enum nb_mount_kind kind, const char *src,
				    const char *dst, struct nb_error *e);
/* Return: 0, or -1 with @e filled. */
int nb_config_env(struct nb_config *c, enum nb_env_kind kind, const char *key, const char *value,
		  struct nb_error *e);
/* Unchecked, for what nestbox adds itself (profiles, the planner). */
struct nb_mount_op *nb_config_add_mount(struct nb_config *c, enum nb_mount_kind kind,
					const char *src, const char *dst);
void nb_config_add_fd(int **fds, size_t *n, int fd);
/* @value only for NB_ENV_SET; the caller has checked @key. */
void nb_config_add_env(struct nb_config *c, enum nb_env_kind kind, const char *key,
		       const char *value);
/* --clearenv: start from nothing, dropping the variables set so far. */
void nb_config_clear_env(struct nb_config *c);
/* A capability by name ("net_raw", "NET_RAW", "cap_net_raw"), or -1 (pure). */
int nb_cap_from_name(const char *name);
void nb_config_add_str(char ***v, size_t *n, const char *s);
/* The one switch of the network mode: --net and --share net both use it. */
void nb_config_set_net(struct nb_config *c, enum nb_net_mode mode);
/* --hostname (@domain false) or --domainname: refuses what no resolver takes. */
int nb_config_set_uts_name(struct nb_config *c, bool domain, const char *name, struct nb_error *e);
char *nb_xstrdup(const char *s);
const char *nb_mount_kind_name(enum nb_mount_kind k);
/* "namespaces", "landlock" or "auto". */
const char *nb_isolation_name(enum nb_isolation i);
/* @p with room for one more of @n elements of @size. */
void *nb_grow(void *p, size_t n, size_t size);
