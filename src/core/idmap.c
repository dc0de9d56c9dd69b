// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ID maps: parsing /etc/subuid text, building and validating maps, the
 * helpers' command lines.  Pure: the core library's (idmap-apply.c reads
 * the files and writes the maps).
 */
#include "autoconf.h"

#include "core/idmap.h"
#include "lib/cleanup.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

static void *grow(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n + 1, size);

	if (!q)
		nb_oom();
	return q;
}

static void map_push(struct nb_idmap *m, uint32_t inside, uint32_t outside, uint32_t count)
{
	m->r = grow(m->r, m->n, sizeof(*m->r));
	m->r[m->n++] = (struct nb_id_range){ inside, outside, count };
}

/* Returns 0 and the value, or -1 when the field is not a plain number. */
static int field_u32(const char *s, size_t len, uint32_t *out)
{
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return nb_parse_u32(buf, out) < 0 ? -EINVAL : 0;
}

bool nb_subid_next(const char **text, unsigned *lineno, struct nb_subid_line *l)
{
	const char *p = *text, *end, *f[3], *c;
	size_t flen[3];
	int nf = 0;

	if (!p || !*p)
		return false;
	end = strchrnul(p, '\n');
	*text = *end ? end + 1 : end;
	memset(l, 0, sizeof(*l));
	l->line = ++*lineno;
	/* Like shadow, no trimming: " alice:..." or a CR makes a line unusable. */
	if (p == end || *p == '#') {
		l->blank = true;
		return true;
	}
	f[0] = p;
	for (c = p; c <= end && nf < 3; c++)
		if (c == end || *c == ':') {
			flen[nf] = (size_t)(c - f[nf]);
			nf++;
			if (c < end && nf < 3)
				f[nf] = c + 1;
			if (c < end && nf == 3)
				nf = 4; /* a fourth field */
		}
	if (nf < 1)
		return true;
	l->owner = f[0];
	l->owner_len = flen[0];
	l->valid = nf == 3 && flen[0] && field_u32(f[1], flen[1], &l->start) == 0 &&
		   field_u32(f[2], flen[2], &l->count) == 0 && l->count &&
		   (uint64_t)l->start + l->count <= UINT32_MAX;
	return true;
}

bool nb_subid_owned(const struct nb_subid_line *l, const char *user, uint32_t id)
{
	char idbuf[16];

	snprintf(idbuf, sizeof(idbuf), "%" PRIu32, id);
	return (user && *user && strlen(user) == l->owner_len &&
		strncmp(user, l->owner, l->owner_len) == 0) ||
	       (strlen(idbuf) == l->owner_len && strncmp(idbuf, l->owner, l->owner_len) == 0);
}

/* The valid lines of @text (of every owner with @any_owner), in file order. */
static int parse_subids(const char *text, bool any_owner, const char *user, uint32_t id,
			struct nb_subids *out)
{
	struct nb_subid_line l;
	unsigned lineno = 0;

	memset(out, 0, sizeof(*out));
	while (nb_subid_next(&text, &lineno, &l)) {
		if (l.blank)
			continue;
		if (!l.valid) {
			out->garbage++;
			continue;
		}
		if (any_owner || nb_subid_owned(&l, user, id)) {
			out->r = grow(out->r, out->n, sizeof(*out->r));
			out->r[out->n++] = (struct nb_subid){ l.start, l.count, l.line };
		}
	}
	return 0;
}

int nb_subid_parse(const char *text, const char *user, uint32_t id, struct nb_subids *out)
{
	return parse_subids(text, false, user, id, out);
}

void nb_subids_free(struct nb_subids *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

static bool overlaps(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
	return (uint64_t)a < (uint64_t)b + bn && (uint64_t)b < (uint64_t)a + an;
}

static void describe_allowed(const struct nb_subids *allowed, uint32_t own, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "allowed: %" PRIu32, own);

	for (size_t i = 0; i < allowed->n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, ", %" PRIu32 "-%" PRIu32,
				      allowed->r[i].start,
				      allowed->r[i].start + allowed->r[i].count - 1);
}

/*
 * Whether [start, start+count) lies within the union of the ranges, as
 * shadow's have_range() checks it: adjacent lines together cover a span.
 */
static bool covered(const struct nb_subids *allowed, uint32_t start, uint32_t count)
{
	uint64_t cur = start, end = (uint64_t)start + count;

	while (cur < end) {
		bool advanced = false;

		for (size_t k = 0; k < allowed->n; k++) {
			uint64_t a = allowed->r[k].start, b = a + allowed->r[k].count;

			if (cur >= a && cur < b) {
				cur = b;
				advanced = true;
			}
		}
		if (!advanced)
			return false;
	}
	return true;
}

int nb_idmap_validate(const struct nb_idmap *m, const char *kind, uint32_t own,
		      const struct nb_subids *allowed, const char *file, struct nb_error *e)
{
	char hint[256];

	if (m->n == 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "give at least one range", "%s map is empty",
			       kind);
	if (m->n > NB_MAX_MAP_LINES)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "merge ranges: the kernel takes 340 lines",
			       "%s map has %zu ranges", kind, m->n);
	{
		size_t bytes = 0;

		/* The same text that newuidmap or nestbox writes, in one write(). */
		for (size_t i = 0; i < m->n; i++)
			bytes += (size_t)snprintf(NULL, 0, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
						  m->r[i].inside, m->r[i].outside, m->r[i].count);
		if (bytes > NB_MAX_MAP_BYTES)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "the kernel takes under 4096 bytes per map write; merge or "
				       "shorten ranges",
				       "%s map is %zu bytes as text", kind, bytes);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct nb_id_range *r = &m->r[i];

		if (r->count == 0)
			return nb_fail(e, NB_EXIT_FAILURE, 0, "the count must be at least 1",
				       "%s range %zu is empty", kind, i + 1);
		if ((uint64_t)r->inside + r->count > UINT32_MAX ||
		    (uint64_t)r->outside + r->count > UINT32_MAX)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "ids stop at 4294967294; shorten the range",
				       "%s range %" PRIu32 ":%" PRIu32 ":%" PRIu32 " overflows",
				       kind, r->inside, r->outside, r->count);
		for (size_t j = 0; j < i; j++) {
			const struct nb_id_range *o = &m->r[j];

			if (overlaps(r->inside, r->count, o->inside, o->count))
				return nb_fail(e, NB_EXIT_FAILURE, 0,
					       "each inside id may be mapped once",
					       "%s ranges %zu and %zu overlap inside", kind, j + 1,
					       i + 1);
			if (overlaps(r->outside, r->count, o->outside, o->count))
				return nb_fail(e, NB_EXIT_FAILURE, 0,
					       "each outside id may be used once",
					       "%s ranges %zu and %zu overlap outside", kind, j + 1,
					       i + 1);
		}
	}
	if (!allowed)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct nb_id_range *r = &m->r[i];
		bool ok = (r->outside == own && r->count == 1) ||
			  covered(allowed, r->outside, r->count);

		if (!ok) {
			char range[32];

			if (r->count == 1)
				snprintf(range, sizeof(range), "%" PRIu32, r->outside);
			else
				snprintf(range, sizeof(range), "%" PRIu32 "-%" PRIu32, r->outside,
					 r->outside + r->count - 1);
			describe_allowed(allowed, own, hint, sizeof(hint));
			if (!allowed->n)
				snprintf(hint + strlen(hint), sizeof(hint) - strlen(hint),
					 "; %s has no range for you", file);
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "outside %s range %s is not yours to map", kind, range);
		}
	}
	return 0;
}

bool nb_idmap_contains(const struct nb_idmap *m, uint32_t inside)
{
	bool found;

	nb_idmap_to_outside(m, inside, &found);
	return found;
}

bool nb_idmap_has_outside(const struct nb_idmap *m, uint32_t outside)
{
	for (size_t i = 0; i < m->n; i++)
		if (outside >= m->r[i].outside && outside - m->r[i].outside < m->r[i].count)
			return true;
	return false;
}

uint32_t nb_idmap_to_outside(const struct nb_idmap *m, uint32_t inside, bool *found)
{
	for (size_t i = 0; i < m->n; i++)
		if (inside >= m->r[i].inside && inside - m->r[i].inside < m->r[i].count) {
			if (found)
				*found = true;
			return m->r[i].outside + (inside - m->r[i].inside);
		}
	if (found)
		*found = false;
	return NB_OVERFLOW_ID;
}

/* The kernel's format: "inside outside count\n" per line, in one write. */
int nb_idmap_outer(const struct nb_idmap *m, struct nb_idmap *out, struct nb_id_range **storage,
		   struct nb_error *e)
{
	*storage = calloc(m->n ? m->n : 1, sizeof(**storage));
	if (!*storage)
		return nb_fail(e, NB_EXIT_FAILURE, ENOMEM, NULL, "building the outer map");
	for (size_t i = 0; i < m->n; i++)
		(*storage)[i] =
		    (struct nb_id_range){ m->r[i].outside, m->r[i].outside, m->r[i].count };
	out->r = *storage;
	out->n = m->n;
	return 0;
}

int nb_idmap_format(const struct nb_idmap *m, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n; i++) {
		int w = snprintf(buf + n, size - n, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
				 m->r[i].inside, m->r[i].outside, m->r[i].count);

		if (w < 0 || (size_t)w >= size - n)
			return -E2BIG;
		n += (size_t)w;
	}
	return (int)n;
}

/* Whether [start, start + count) meets one of @all's ranges. */
static bool taken(const struct nb_subids *all, uint64_t start, uint64_t count)
{
	for (size_t i = 0; i < all->n; i++)
		if (start < (uint64_t)all->r[i].start + all->r[i].count &&
		    all->r[i].start < start + count)
			return true;
	return false;
}

uint32_t nb_subid_free_start(const char *subuid_text, const char *subgid_text)
{
	struct nb_subids uids, gids;
	uint32_t found = 0;

	/* Every owner's valid lines, read once; the lines shadow ignores hold nothing. */
	parse_subids(subuid_text, true, NULL, 0, &uids);
	parse_subids(subgid_text, true, NULL, 0, &gids);
	/* Blocks of 65536 from 100000, as useradd hands them out. */
	for (uint64_t start = 100000; !found && start + 65536 <= UINT32_MAX; start += 65536)
		if (!taken(&uids, start, 65536) && !taken(&gids, start, 65536))
			found = (uint32_t)start;
	nb_subids_free(&uids);
	nb_subids_free(&gids);
	return found;
}

static int build_one(enum nb_map_mode mode, const struct nb_idmap *explicit_map, uint32_t own,
		     const struct nb_subids *subs, const char *kind, const char *file,
		     const char *user, uint32_t free_start, struct nb_idmap *out,
		     struct nb_error *e)
{
	uint64_t next = 1;

	switch (mode) {
	case NB_MAP_NONE:
		return 0;
	case NB_MAP_ROOT:
		map_push(out, 0, own, 1);
		return 0;
	case NB_MAP_USER:
		map_push(out, own, own, 1);
		return 0;
	case NB_MAP_EXPLICIT:
		if (explicit_map->n == 0) {
			map_push(out, 0, own, 1);
			return 0;
		}
		for (size_t i = 0; i < explicit_map->n; i++)
			map_push(out, explicit_map->r[i].inside, explicit_map->r[i].outside,
				 explicit_map->r[i].count);
		return 0;
	case NB_MAP_AUTO:
		if (!subs->n) {
			char hint[200];

			/* A range that nobody's line in /etc/subuid or /etc/subgid has. */
			snprintf(hint, sizeof(hint),
				 "ask an administrator to run 'usermod --add-subuids %" PRIu32
				 "-%" PRIu32 " --add-subgids %" PRIu32 "-%" PRIu32
				 " %s', or use --map root",
				 free_start, free_start + 65535, free_start, free_start + 65535,
				 user ? user : "USER");
			return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
				       "--map auto: %s has no entry for %s", file,
				       user ? user : "you");
		}
		map_push(out, 0, own, 1);
		for (size_t i = 0; i < subs->n; i++) {
			if (next + subs->r[i].count > UINT32_MAX)
				break;
			map_push(out, (uint32_t)next, subs->r[i].start, subs->r[i].count);
			next += subs->r[i].count;
		}
		return 0;
	}
	return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "unknown map mode");
}

static enum nb_map_method method_for(const struct nb_idmap *m, uint32_t own, uint32_t caller)
{
	/* A privileged caller may write any map; newuidmap adds nothing. */
	if (caller == 0)
		return NB_MAP_WRITE;
	if (m->n == 1 && m->r[0].outside == own && m->r[0].count == 1)
		return NB_MAP_WRITE;
	return NB_MAP_HELPER;
}

static uint32_t default_inside(const struct nb_idmap *m, uint32_t own)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->r[i].outside == own && m->r[i].count == 1)
			return m->r[i].inside;
	return nb_idmap_contains(m, 0) ? 0 : m->r[0].inside;
}

static int pick_inside(const struct nb_idmap *m, int64_t wanted, uint32_t own, const char *opt,
		       uint32_t *out, struct nb_error *e)
{
	if (wanted < 0) {
		*out = default_inside(m, own);
		return 0;
	}
	if (!nb_idmap_contains(m, (uint32_t)wanted))
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "pick an id from the map ('nestbox idmap' shows it)",
			       "%s %" PRId64 " is not mapped inside the sandbox", opt, wanted);
	*out = (uint32_t)wanted;
	return 0;
}

int nb_idplan_build(const struct nb_config *cfg, const struct nb_host *host,
		    const char *subuid_text, const char *subgid_text, struct nb_idplan *plan,
		    struct nb_error *e)
{
	uint32_t free_start;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->direct = !cfg->sec.lock_mounts;
	plan->allow_setgroups = cfg->ids.allow_setgroups;
	nb_subid_parse(subuid_text, host->user, host->uid, &plan->subuid);
	nb_subid_parse(subgid_text, host->user, host->uid, &plan->subgid);

	free_start =
	    cfg->ids.map_mode == NB_MAP_AUTO ? nb_subid_free_start(subuid_text, subgid_text) : 0;
	r = build_one(cfg->ids.map_mode, &cfg->ids.uid_map, host->uid, &plan->subuid, "uid",
		      "/etc/subuid", host->user, free_start, &plan->uid, e);
	if (r < 0)
		return r;
	r = build_one(cfg->ids.map_mode, &cfg->ids.gid_map, host->gid, &plan->subgid, "gid",
		      "/etc/subgid", host->user, free_start, &plan->gid, e);
	if (r < 0)
		return r;
	if (cfg->ids.map_mode == NB_MAP_NONE) {
		/* Nothing is written: every id inside is the kernel's overflow id. */
		plan->uid_method = plan->gid_method = NB_MAP_SKIP;
		plan->inside_uid = plan->inside_gid = NB_OVERFLOW_ID;
		if (cfg->ids.uid >= 0 || cfg->ids.gid >= 0)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "drop --uid and --gid, or the --map none",
				       "--map none maps no id, so --%s cannot pick one",
				       cfg->ids.uid >= 0 ? "uid" : "gid");
		return 0;
	}
	plan->uid_method = method_for(&plan->uid, host->uid, host->uid);
	plan->gid_method = method_for(&plan->gid, host->gid, host->uid);

	r = nb_idmap_validate(&plan->uid, "uid", host->uid,
			      plan->uid_method == NB_MAP_HELPER ? &plan->subuid : NULL,
			      "/etc/subuid", e);
	if (r < 0)
		return r;
	r = nb_idmap_validate(&plan->gid, "gid", host->gid,
			      plan->gid_method == NB_MAP_HELPER ? &plan->subgid : NULL,
			      "/etc/subgid", e);
	if (r < 0)
		return r;
	r = pick_inside(&plan->uid, cfg->ids.uid, host->uid, "--uid", &plan->inside_uid, e);
	if (r < 0)
		return r;
	return pick_inside(&plan->gid, cfg->ids.gid, host->gid, "--gid", &plan->inside_gid, e);
}

void nb_idplan_free(struct nb_idplan *plan)
{
	free(plan->uid.r);
	free(plan->gid.r);
	nb_subids_free(&plan->subuid);
	nb_subids_free(&plan->subgid);
	memset(plan, 0, sizeof(*plan));
}

/* Effects from here on. */

bool nb_idmap_needs_subids(const struct nb_config *cfg, const struct nb_host *host)
{
	return cfg->ids.map_mode == NB_MAP_AUTO || cfg->ids.map_mode == NB_MAP_EXPLICIT;
}

size_t nb_idmap_helper_argv(const char *name, pid_t pid, const struct nb_idmap *m, char **argv,
			    char (*nums)[12])
{
	size_t k = 0, a = 0;

	argv[a++] = (char *)name;
	snprintf(nums[k], sizeof(nums[k]), "%d", (int)pid);
	argv[a++] = nums[k++];
	for (size_t i = 0; i < m->n; i++) {
		snprintf(nums[k], sizeof(nums[k]), "%" PRIu32, m->r[i].inside);
		argv[a++] = nums[k++];
		snprintf(nums[k], sizeof(nums[k]), "%" PRIu32, m->r[i].outside);
		argv[a++] = nums[k++];
		snprintf(nums[k], sizeof(nums[k]), "%" PRIu32, m->r[i].count);
		argv[a++] = nums[k++];
	}
	argv[a] = NULL;
	return a;
}
