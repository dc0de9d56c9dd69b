// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ID maps: parsing /etc/subuid, building and validating maps (pure), then
 * applying them (effects).  A one-line map of the caller's own id is written
 * by nestbox itself; anything else goes through shadow's setuid newuidmap and
 * newgidmap, after nestbox has checked it the same way they will, so that the
 * user gets a precise message instead of the helper's terse one.
 */
#include "autoconf.h"

#include "idmap.h"
#include "gate.h"
#include "explain.h"
#include "cleanup.h"
#include "util.h"

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

/**
 * nb_subid_parse() - collect the caller's ranges from /etc/subuid text
 * @text: the file's contents
 * @user: the caller's name (may be NULL)
 * @id: the caller's numeric id, which shadow also accepts as owner
 * @out: the ranges, in file order
 *
 * Lines are "owner:start:count".  Blank lines and '#' comments are skipped;
 * malformed lines, and ranges that would run past 4294967294, are counted
 * as garbage and ignored, as shadow ignores them.
 */
int nb_subid_parse(const char *text, const char *user, uint32_t id, struct nb_subids *out)
{
	char idbuf[16];
	unsigned lineno = 0;

	memset(out, 0, sizeof(*out));
	snprintf(idbuf, sizeof(idbuf), "%" PRIu32, id);
	while (text && *text) {
		const char *end = strchrnul(text, '\n');
		const char *f[3], *c;
		size_t flen[3];
		uint32_t start, count;
		int nf = 0;

		lineno++;
		/* Like shadow, no trimming: " alice:..." or a CR makes a line unusable. */
		if (text == end || *text == '#')
			goto next;
		f[0] = text;
		for (c = text; c <= end && nf < 3; c++)
			if (c == end || *c == ':') {
				flen[nf] = (size_t)(c - f[nf]);
				nf++;
				if (c < end && nf < 3)
					f[nf] = c + 1;
				if (c < end && nf == 3)
					nf = 4; /* a fourth field */
			}
		if (nf != 3 || flen[0] == 0 || field_u32(f[1], flen[1], &start) < 0 ||
		    field_u32(f[2], flen[2], &count) < 0 || count == 0 ||
		    (uint64_t)start + count > UINT32_MAX) {
			out->garbage++;
			goto next;
		}
		if ((user && strlen(user) == flen[0] && strncmp(user, f[0], flen[0]) == 0) ||
		    (strlen(idbuf) == flen[0] && strncmp(idbuf, f[0], flen[0]) == 0)) {
			out->r = grow(out->r, out->n, sizeof(*out->r));
			out->r[out->n++] = (struct nb_subid){ start, count, lineno };
		}
	next:
		text = *end ? end + 1 : end;
	}
	return 0;
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

/* Whether [start, start + count) meets a range of any owner in @text. */
static bool taken(const char *text, uint64_t start, uint64_t count)
{
	for (const char *l = text; l && *l; l = strchrnul(l, '\n'), l += !!*l) {
		unsigned long long s0, n0;
		const char *colon = strchr(l, ':');

		if (l[strspn(l, " \t")] == '#' || !colon || colon > strchrnul(l, '\n') ||
		    sscanf(colon + 1, "%llu:%llu", &s0, &n0) != 2)
			continue;
		if (start < s0 + n0 && s0 < start + count)
			return true;
	}
	return false;
}

uint32_t nb_subid_free_start(const char *subuid_text, const char *subgid_text)
{
	/* Blocks of 65536 from 100000, as useradd hands them out. */
	for (uint64_t start = 100000; start + 65536 <= UINT32_MAX; start += 65536)
		if (!taken(subuid_text, start, 65536) && !taken(subgid_text, start, 65536))
			return (uint32_t)start;
	return 0;
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
	plan->direct = !cfg->lock_mounts;
	plan->allow_setgroups = cfg->allow_setgroups;
	nb_subid_parse(subuid_text, host->user, host->uid, &plan->subuid);
	nb_subid_parse(subgid_text, host->user, host->uid, &plan->subgid);

	free_start = cfg->map_mode == NB_MAP_AUTO ? nb_subid_free_start(subuid_text, subgid_text)
						  : 0;
	r = build_one(cfg->map_mode, &cfg->uid_map, host->uid, &plan->subuid, "uid", "/etc/subuid",
		      host->user, free_start, &plan->uid, e);
	if (r < 0)
		return r;
	r = build_one(cfg->map_mode, &cfg->gid_map, host->gid, &plan->subgid, "gid", "/etc/subgid",
		      host->user, free_start, &plan->gid, e);
	if (r < 0)
		return r;
	if (cfg->map_mode == NB_MAP_NONE) {
		/* Nothing is written: every id inside is the kernel's overflow id. */
		plan->uid_method = plan->gid_method = NB_MAP_SKIP;
		plan->inside_uid = plan->inside_gid = NB_OVERFLOW_ID;
		if (cfg->uid >= 0 || cfg->gid >= 0)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "drop --uid and --gid, or the --map none",
				       "--map none maps no id, so --%s cannot pick one",
				       cfg->uid >= 0 ? "uid" : "gid");
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
	r = pick_inside(&plan->uid, cfg->uid, host->uid, "--uid", &plan->inside_uid, e);
	if (r < 0)
		return r;
	return pick_inside(&plan->gid, cfg->gid, host->gid, "--gid", &plan->inside_gid, e);
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
	return cfg->map_mode == NB_MAP_AUTO || cfg->map_mode == NB_MAP_EXPLICIT;
}

static char *slurp(const char *path, struct nb_error *e, int *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	*err = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *p;

			if (cap > (16u << 20)) {
				*err = EFBIG;
				return NULL;
			}
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap + 1);
			if (!p)
				nb_oom();
			buf = p;
		}
		n = TEMP_FAILURE_RETRY(read(fd, buf + len, cap - len));
		if (n < 0) {
			*err = errno;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return steal_pointer(&buf);
}

int nb_idplan_load(const struct nb_config *cfg, const struct nb_host *host, struct nb_idplan *plan,
		   struct nb_error *e)
{
	_cleanup_free_ char *subuid = NULL;
	_cleanup_free_ char *subgid = NULL;

	if (nb_idmap_needs_subids(cfg, host)) {
		int err;

		subuid = slurp("/etc/subuid", e, &err);
		if (!subuid && err != ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "reading /etc/subuid");
		subgid = slurp("/etc/subgid", e, &err);
		if (!subgid && err != ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "reading /etc/subgid");
	}
	return nb_idplan_build(cfg, host, subuid, subgid, plan, e);
}

static int check_helper(const char *path, struct nb_error *e)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno,
			       "install the 'uidmap' package, which provides newuidmap and "
			       "newgidmap",
			       "%s", path);
	if (st.st_uid == 0 && (st.st_mode & S_ISUID))
		return 0;
	/* Some distributions grant file capabilities instead of setuid. */
	if (getxattr(path, "security.capability", NULL, 0) > 0)
		return 0;
	return nb_fail(e, NB_EXIT_FAILURE, 0,
		       "reinstall the 'uidmap' package, or make it setuid root",
		       "%s is not setuid root", path);
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

/* A newuidmap or newgidmap on its way: its pid and the pipe of its output. */
struct helper_run {
	pid_t child;
	int rd;
	const char *name;
};

static int start_helper(const char *path, pid_t pid, const struct nb_idmap *m, struct helper_run *h,
			struct nb_error *e)
{
	char *argv[3 + 3 * NB_MAX_MAP_LINES];
	/* Static for its size; posix_spawn() has exec'd before it returns. */
	static char nums[3 * NB_MAX_MAP_LINES + 1][12];
	char *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	_cleanup_close_ int wr = -1;
	int p[2], r;

	h->child = -1;
	h->rd = -1;
	h->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	r = check_helper(path, e);
	if (r < 0)
		return r;
	nb_idmap_helper_argv(h->name, pid, m, argv, nums);
	if (pipe2(p, O_CLOEXEC) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a pipe for %s", h->name);
	h->rd = p[0];
	wr = p[1];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, wr, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, wr, STDERR_FILENO);
	if (nb_narrating(1)) {
		char line[512];
		size_t used = 0;

		for (size_t i = 0; argv[i] && used < sizeof(line); i++)
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s",
						 i ? " " : "", i ? argv[i] : path);
		nb_narrate(1, "host", "running %s", line);
	}
	r = posix_spawn(&h->child, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		nb_closep(&h->rd);
		h->rd = -1;
		h->child = -1;
		return nb_fail(e, NB_EXIT_FAILURE, r, NULL, "starting %s", path);
	}
	return 0;
}

/* Reads what the helper said, reaps it, and turns a failure into @e. */
static int finish_helper(struct helper_run *h, struct nb_error *e)
{
	char out[400];
	size_t got = 0;
	int status;

	if (h->child < 0)
		return 0;
	for (;;) {
		ssize_t n = TEMP_FAILURE_RETRY(read(h->rd, out + got, sizeof(out) - 1 - got));

		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(out) - 1)
			break;
	}
	nb_closep(&h->rd);
	h->rd = -1;
	out[got] = '\0';
	while (got && (out[got - 1] == '\n' || out[got - 1] == ' '))
		out[--got] = '\0';
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if (TEMP_FAILURE_RETRY(waitpid(h->child, &status, 0)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "waiting for %s", h->name);
	h->child = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return nb_fail(e, NB_EXIT_FAILURE, 0,
			       "check /etc/subuid and /etc/subgid, or use --map root",
			       "%s failed: %s", h->name, got ? out : "no message");
	return 0;
}

static int run_helper(const char *path, pid_t pid, const struct nb_idmap *m, struct nb_error *e)
{
	struct helper_run h;

	if (start_helper(path, pid, m, &h, e) < 0)
		return nb_err(e);
	return finish_helper(&h, e);
}

/*
 * newgidmap and newuidmap write different files of the same process: they
 * run side by side, which saves one setuid exec on the way to the command.
 */
static int run_both_helpers(pid_t pid, const struct nb_idmap *uid, const struct nb_idmap *gid,
			    struct nb_error *e)
{
	struct helper_run g, u;
	struct nb_error ue = { 0 };
	int r;

	if (start_helper(nb_idmap_helper_path(false), pid, gid, &g, e) < 0)
		return nb_err(e);
	if (start_helper(nb_idmap_helper_path(true), pid, uid, &u, &ue) < 0) {
		(void)finish_helper(&g, e);
		*e = ue;
		return nb_err(e);
	}
	r = finish_helper(&g, e);
	if (finish_helper(&u, &ue) < 0 && r == 0) {
		*e = ue;
		r = nb_err(e);
	}
	return r;
}

static int write_map(int procfd, pid_t pid, const char *file, const struct nb_idmap *m,
		     struct nb_error *e)
{
	char path[64];
	char buf[4096];
	int len = nb_idmap_format(m, buf, sizeof(buf));
	int r;

	if (len < 0)
		return nb_fail(e, NB_EXIT_FAILURE, E2BIG, "use fewer ranges", "formatting %s",
			       file);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = nb_write_file_at(procfd, file, buf, (size_t)len);
	if (r == 0)
		nb_narrate_map("host", path, buf);
	if (r == -EPERM || r == -EACCES)
		return nb_gate_fail(e, -r, file);
	if (r < 0)
		return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "writing %s", path);
	return 0;
}

/*
 * The environment may point at other helpers: nestbox is not setuid, so this
 * grants nothing that running the helper by hand would not.
 */
const char *nb_idmap_helper_path(bool uid)
{
	const char *p = getenv(uid ? "NESTBOX_NEWUIDMAP" : "NESTBOX_NEWGIDMAP");

	return p && *p ? p : uid ? NB_NEWUIDMAP : NB_NEWGIDMAP;
}

/**
 * nb_idmap_apply() - give the child at @pid its maps
 *
 * Order: setgroups, gid_map, uid_map.  A directly written gid map needs
 * setgroups "deny" first.  Before newgidmap nestbox writes "deny" too,
 * unless --allow-setgroups: setgroups() would let the sandbox drop a
 * supplementary group that denies the caller a file (CVE-2014-8989's
 * class), and shadow's helper leaves "allow".
 */
int nb_idmap_apply(const struct nb_idplan *plan, pid_t pid, struct nb_error *e)
{
	_cleanup_free_ struct nb_id_range *ur = NULL;
	_cleanup_free_ struct nb_id_range *gr = NULL;
	_cleanup_close_ int procfd = -1;
	struct nb_idmap uid, gid;
	int r;

	/*
	 * nestbox's own user namespace maps each outside id onto the same
	 * number; the command's, nested inside, then gets the planned map
	 * (lock.c), so that its /proc/self/uid_map reads as the plan says.
	 */
	if (plan->direct) {
		uid = plan->uid;
		gid = plan->gid;
	} else {
		r = nb_idmap_outer(&plan->uid, &uid, &ur, e);
		if (r < 0 || (r = nb_idmap_outer(&plan->gid, &gid, &gr, e)) < 0)
			return r;
	}
	if (plan->gid_method == NB_MAP_SKIP) {
		nb_narrate(1, "host",
			   "--map none: writing no setgroups, gid_map or uid_map; only a process "
			   "outside could, so every id inside stays unmapped and shows as the "
			   "overflow id (/proc/sys/kernel/overflowuid)");
		return 0;
	}
	/*
	 * One directory fd for the child's /proc entries, opened while it is
	 * our unreaped child, so that every write goes to that very process.
	 */
	{
		char dir[32];

		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
		procfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (procfd < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", dir);
	}
	if (plan->gid_method == NB_MAP_WRITE || !plan->allow_setgroups) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		r = nb_write_file_at(procfd, "setgroups", "deny", 4);
		if (r < 0 && r != -ENOENT)
			return nb_fail(e, NB_EXIT_FAILURE, -r, NULL, "writing %s", path);
		if (plan->gid_method == NB_MAP_WRITE)
			nb_narrate(1, "host",
				   "%s <- \"deny\": an unprivileged writer of gid_map must first "
				   "take setgroups() away, or a process could drop a group that "
				   "denies it access",
				   path);
		else
			nb_narrate(1, "host",
				   "%s <- \"deny\": newgidmap would leave setgroups() allowed, and "
				   "a process could drop a group that denies it access; your "
				   "supplementary groups stay, shown as nogroup (--allow-setgroups "
				   "drops them instead)",
				   path);
	}
	if (plan->gid_method == NB_MAP_HELPER && plan->uid_method == NB_MAP_HELPER)
		return run_both_helpers(pid, &uid, &gid, e);
	if (plan->gid_method == NB_MAP_WRITE) {
		r = write_map(procfd, pid, "gid_map", &gid, e);
	} else {
		r = run_helper(nb_idmap_helper_path(false), pid, &gid, e);
	}
	if (r < 0)
		return r;
	if (plan->uid_method == NB_MAP_WRITE)
		return write_map(procfd, pid, "uid_map", &uid, e);
	return run_helper(nb_idmap_helper_path(true), pid, &uid, e);
}
