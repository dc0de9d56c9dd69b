/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"

#include <stdio.h>

struct nb_error;

/* What an unmapped id looks like inside, unless /proc/sys/kernel/overflowuid says otherwise. */
#define NB_OVERFLOW_ID 65534

/**
 * struct nb_subid - one usable line of /etc/subuid or /etc/subgid
 * @start: first subordinate id
 * @count: how many
 * @line: line number in the file, for messages
 */
struct nb_subid {
	uint32_t start;
	uint32_t count;
	unsigned line;
};

struct nb_subids {
	struct nb_subid *r;
	size_t n;
	/* Lines that were not of the form owner:start:count. */
	unsigned garbage;
};

/* How a map reaches the kernel. */
enum nb_map_method {
	NB_MAP_WRITE, /* one line of the caller's own id: written directly */
	NB_MAP_HELPER, /* anything else: newuidmap/newgidmap */
	NB_MAP_SKIP, /* --map none: nothing is written, on purpose */
};

/**
 * struct nb_idplan - the maps a sandbox gets, and how they are applied
 */
struct nb_idplan {
	struct nb_idmap uid;
	struct nb_idmap gid;
	struct nb_subids subuid;
	struct nb_subids subgid;
	enum nb_map_method uid_method;
	enum nb_map_method gid_method;
	/* The identity the command runs as inside. */
	uint32_t inside_uid;
	uint32_t inside_gid;
	/*
	 * The sandbox's own user namespace gets the maps as planned, since the
	 * command runs there (no lock_mounts); otherwise each outside id onto
	 * itself, and the planned maps one namespace deeper.
	 */
	bool direct;
	/*
	 * --allow-setgroups: with newgidmap, setgroups stays "allow" and the
	 * command drops the caller's supplementary groups.  Otherwise nestbox
	 * writes "deny" first and the groups stay, shown as nogroup, so that a
	 * group that denies the caller a file still denies it inside.
	 */
	bool allow_setgroups;
};

/**
 * struct nb_subid_line - one line of /etc/subuid or /etc/subgid text
 * @owner: its first field, a name or a uid (not NUL-terminated)
 * @owner_len: how long
 * @start: first id, when @valid
 * @count: how many, when @valid
 * @line: its number, from 1
 * @valid: "owner:start:count" as shadow takes it: three fields, an owner,
 *         plain decimal numbers, a count, and an end below 4294967295
 * @blank: an empty line or a '#' comment
 */
struct nb_subid_line {
	const char *owner;
	size_t owner_len;
	uint32_t start;
	uint32_t count;
	unsigned line;
	bool valid;
	bool blank;
};
/*
 * The one reader of subordinate-id text: the next line of *@text into @l
 * (*@text moves on, *@lineno counts), false at the end.  Like shadow, no
 * trimming: " alice:..." or a CR makes a line unusable.
 */
bool nb_subid_next(const char **text, unsigned *lineno, struct nb_subid_line *l);
/* Whether @l belongs to the user named @user (may be NULL) or to uid @id. */
bool nb_subid_owned(const struct nb_subid_line *l, const char *user, uint32_t id);
/*
 * The valid lines of the user (by @user or by @id, as shadow accepts
 * either) into @out in file order; the other malformed lines are counted in
 * @out->garbage and ignored, as shadow ignores them.
 */
int nb_subid_parse(const char *text, const char *user, uint32_t id, struct nb_subids *out);
void nb_subids_free(struct nb_subids *s);
/* The first block of 65536 ids from 100000 that no line of either file uses (pure). */
uint32_t nb_subid_free_start(const char *subuid_text, const char *subgid_text);

/**
 * nb_idmap_validate() - check a map the way shadow's newuidmap would
 * @m: the map
 * @kind: "uid" or "gid", for messages
 * @own: the caller's own id
 * @allowed: the caller's subordinate ranges
 * @file: "/etc/subuid" or "/etc/subgid", for messages
 * @e: error
 */
int nb_idmap_validate(const struct nb_idmap *m, const char *kind, uint32_t own,
		      const struct nb_subids *allowed, const char *file, struct nb_error *e);
bool nb_idmap_contains(const struct nb_idmap *m, uint32_t inside);
bool nb_idmap_has_outside(const struct nb_idmap *m, uint32_t outside);
uint32_t nb_idmap_to_outside(const struct nb_idmap *m, uint32_t inside, bool *found);
int nb_idmap_format(const struct nb_idmap *m, char *buf, size_t size);
/*
 * The map of nestbox's own user namespace: each outside range of @m onto the
 * same numbers (pure).  @out borrows *@storage, which the caller frees.
 */
int nb_idmap_outer(const struct nb_idmap *m, struct nb_idmap *out, struct nb_id_range **storage,
		   struct nb_error *e);

/**
 * nb_idplan_build() - compute the maps for a configuration (pure)
 * @cfg: configuration
 * @host: the caller
 * @subuid_text: contents of /etc/subuid, or NULL when it is missing
 * @subgid_text: contents of /etc/subgid, or NULL when it is missing
 * @plan: filled; free with nb_idplan_free()
 * @e: error
 */
int nb_idplan_build(const struct nb_config *cfg, const struct nb_host *host,
		    const char *subuid_text, const char *subgid_text, struct nb_idplan *plan,
		    struct nb_error *e);
void nb_idplan_free(struct nb_idplan *plan);

/*
 * The command line of newuidmap or newgidmap for @m (nestbox's own map),
 * into @argv (3 + 3 * NB_MAX_MAP_LINES slots) with numbers in @nums
 * (3 * NB_MAX_MAP_LINES + 1 of them).  Return: the number of arguments.
 */
size_t nb_idmap_helper_argv(const char *name, pid_t pid, const struct nb_idmap *m, char **argv,
			    char (*nums)[12]);

/* Effects. */
/* The newuidmap (@uid) or newgidmap to run: $NESTBOX_NEWUIDMAP, or the built-in path. */
const char *nb_idmap_helper_path(bool uid);
bool nb_idmap_needs_subids(const struct nb_config *cfg, const struct nb_host *host);
int nb_idplan_load(const struct nb_config *cfg, const struct nb_host *host, struct nb_idplan *plan,
		   struct nb_error *e);
int nb_idmap_apply(const struct nb_idplan *plan, pid_t pid, struct nb_error *e);
