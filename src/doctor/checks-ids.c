// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor's checks of the ids: the caller's subordinate ranges (and whether
 * another user's overlap them), and the setuid newuidmap and newgidmap.
 * No system call, as the other checks.
 */
#include "autoconf.h"

#include "doctor/checks.h"
#include "core/idmap.h"
#include "lib/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

void nb_check_subids(struct checks *cs, const struct nb_doctor_facts *f, bool uids)
{
	const char *kind = uids ? "uid" : "gid";
	const char *file = uids ? "/etc/subuid" : "/etc/subgid";
	const char *text = uids ? f->subuid : f->subgid;
	int err = uids ? f->subuid_err : f->subgid_err;
	/* The same free block that --map auto's message names. */
	uint64_t free_start = nb_subid_free_start(f->subuid, f->subgid);
	char who[280], list[200] = "", add_cmd[320];
	struct nb_subids own = { 0 };
	struct nb_check *c;
	size_t n = 0;

	if (*f->user)
		snprintf(who, sizeof(who), "%s", f->user);
	else
		snprintf(who, sizeof(who), "uid %u", (unsigned)f->uid);
	if (*f->user)
		snprintf(add_cmd, sizeof(add_cmd),
			 "usermod --add-sub%ss %" PRIu64 "-%" PRIu64 " %s", kind, free_start,
			 free_start + SUBID_COUNT - 1, f->user);
	else
		snprintf(add_cmd, sizeof(add_cmd), "add the line '%u:%" PRIu64 ":%u' to %s",
			 (unsigned)f->uid, free_start, SUBID_COUNT, file);

	if (err && err != ENOENT) {
		c = nb_check_add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN, "reading %s: %s",
				 file, strerror(err));
		if (err == EACCES)
			nb_check_fix(c, "chmod 0644 %s", file);
		return;
	}
	nb_subid_parse(text, *f->user ? f->user : NULL, f->uid, &own);
	if (!own.n) {
		c = nb_check_add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN,
				 "%s%s has no entry for %.200s (--map auto needs one)", file,
				 text ? "" : " is missing, so it", who);
		nb_check_fix(c, "%s", add_cmd);
		nb_subids_free(&own);
		return;
	}
	for (size_t i = 0; i < own.n && n + 40 < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%" PRIu32 "-%" PRIu64,
				      i ? ", " : "", own.r[i].start,
				      (uint64_t)own.r[i].start + own.r[i].count - 1);

	/* Another user with the same ids could enter or signal our sandboxes. */
	for (size_t i = 0; i < own.n; i++) {
		const char *t = text;
		struct nb_subid_line l;
		unsigned lineno = 0;

		while (nb_subid_next(&t, &lineno, &l)) {
			const struct nb_subid *r = &own.r[i];
			uint64_t end = (uint64_t)r->start + r->count - 1;

			if (!l.valid || nb_subid_owned(&l, f->user, f->uid) ||
			    !ranges_overlap(r->start, r->count, l.start, l.count))
				continue;
			c = nb_check_add(cs, uids ? "subuid" : "subgid", NB_CHECK_WARN,
					 "%.60s's %" PRIu32 "-%" PRIu64 " overlaps %.*s's %" PRIu32
					 "-%" PRIu64 " in %s",
					 who, r->start, end,
					 (int)(l.owner_len > 60 ? 60 : l.owner_len), l.owner,
					 l.start, (uint64_t)l.start + l.count - 1, file);
			if (*f->user)
				nb_check_fix(c,
					     "give %s ids of its own: usermod --del-sub%ss %" PRIu32
					     "-%" PRIu64 " --add-sub%ss %" PRIu64 "-%" PRIu64 " %s",
					     f->user, kind, r->start, end, kind, free_start,
					     free_start + SUBID_COUNT - 1, f->user);
			else
				nb_check_fix(c, "give uid %u ids of its own in %s",
					     (unsigned)f->uid, file);
			nb_subids_free(&own);
			return;
		}
	}
	nb_check_add(cs, uids ? "subuid" : "subgid", NB_CHECK_OK, "%.60s: %s", who, list);
	nb_subids_free(&own);
}

void nb_check_helper(struct checks *cs, const struct nb_doctor_facts *f, const char *name,
		     const struct nb_helper_facts *h)
{
	char where[64] = "";
	struct nb_check *c;

	if (h->from_env)
		snprintf(where, sizeof(where), " (from %s)", h->env);
	if (h->stat_err) {
		c = nb_check_add(cs, name, NB_CHECK_WARN, "%.200s%s: %s%s%.200s", h->path, where,
				 h->stat_err == ENOENT ? "missing" : strerror(h->stat_err),
				 *h->on_path ? "; PATH has " : ", none on PATH", h->on_path);
		if (*h->on_path && h->from_env)
			nb_check_fix(c, "set %s=%.200s, or unset it", h->env, h->on_path);
		else if (*h->on_path)
			nb_check_fix(
			    c,
			    "set %s=%.200s, or install the uidmap package (apt-get install "
			    "uidmap)",
			    h->env, h->on_path);
		else if (h->from_env)
			nb_check_fix(
			    c,
			    "install the uidmap package (apt-get install uidmap) and unset %s, "
			    "or point it at a %s",
			    h->env, name);
		else
			nb_check_fix(c, "install the uidmap package: apt-get install uidmap");
		return;
	}
	if (h->owner == 0 && (h->mode & S_ISUID)) {
		nb_check_add(cs, name, NB_CHECK_OK, "%.200s%s, setuid root", h->path, where);
		return;
	}
	/* Some distributions grant file capabilities instead of setuid. */
	if (h->fcaps) {
		nb_check_add(cs, name, NB_CHECK_OK, "%.200s%s, with file capabilities", h->path,
			     where);
		return;
	}
	/* Root is unmapped here, so the kernel ignores the setuid bit. */
	if (f->nested_userns && h->owner == NB_OVERFLOW_ID && (h->mode & S_ISUID)) {
		c = nb_check_add(
		    cs, name, NB_CHECK_WARN,
		    "%.200s%s is setuid, but its owner is unmapped in this user namespace", h->path,
		    where);
		nb_check_fix(c, "for --map auto, run nestbox outside this nested user namespace");
		return;
	}
	c = nb_check_add(cs, name, NB_CHECK_WARN,
			 "%.200s%s is not setuid root (--map auto and --%s-map ranges need it)",
			 h->path, where, name[3] == 'u' ? "uid" : "gid");
	nb_check_fix(c,
		     "reinstall the uidmap package (apt-get install --reinstall uidmap), or chown "
		     "root %.200s && chmod u+s %.200s",
		     h->path, h->path);
}
