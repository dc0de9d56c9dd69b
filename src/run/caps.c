// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capabilities of the command, through libcap.  A new user namespace hands
 * its first process a full set, including a full bounding set, so everything
 * here runs inside the final user namespace, just before exec.
 */
#include "autoconf.h"

#include "run/caps.h"
#include "core/config.h"
#include "lib/util.h"

#include <errno.h>
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

uint64_t nb_caps_keep(const struct nb_config *cfg)
{
	uint64_t keep = cfg->sec.cap_drop_all ? 0 : ~cfg->sec.cap_drop;

	return keep | cfg->sec.cap_add;
}

bool nb_caps_touched(const struct nb_config *cfg)
{
	return cfg->sec.cap_drop_all || cfg->sec.cap_drop || cfg->sec.cap_add;
}

/* Needs CAP_SETPCAP, so it comes before any change of uid. */
int nb_caps_drop_bounding(uint64_t keep, struct nb_error *e)
{
	int last = cap_max_bits();

	for (int c = 0; c < last && c < 64; c++) {
		if (keep & (1ULL << c))
			continue;
		if (cap_drop_bound((cap_value_t)c) < 0 && errno != EINVAL)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "dropping %s from the bounding set", cap_to_name(c));
	}
	return 0;
}

int nb_caps_set_identity(uint32_t uid, uint32_t gid, bool drop_groups, bool keep_caps,
			 struct nb_error *e)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (drop_groups && setgroups(0, NULL) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "dropping supplementary groups");
	/*
	 * With explicit maps the caller need not be 0 inside, so compare with
	 * the ids it has rather than with 0; skip what is already right.
	 */
	if (getresgid(&rg, &eg, &sg) < 0 || rg != gid || eg != gid || sg != gid) {
		if (setresgid(gid, gid, gid) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, "is the gid mapped?",
				       "setting gid %u", gid);
	}
	if (getresuid(&ru, &eu, &su) < 0 || ru != uid || eu != uid || su != uid) {
		if (keep_caps && uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting keepcaps");
		if (setresuid(uid, uid, uid) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, "is the uid mapped?",
				       "setting uid %u", uid);
	}
	return 0;
}

/*
 * Sets permitted, effective and inheritable to @keep, and raises the
 * explicitly added capabilities into the ambient set so that they survive
 * exec by a non-root uid.
 */
int nb_caps_apply(const struct nb_config *cfg, uint64_t keep, struct nb_error *e)
{
	return nb_caps_set(keep, cfg->sec.cap_add & keep, e);
}

int nb_caps_set(uint64_t keep, uint64_t ambient, struct nb_error *e)
{
	int last = cap_max_bits();
	cap_t caps = cap_init();
	int r = 0;

	if (!caps)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "allocating capabilities");
	for (int c = 0; c < last && c < 64; c++) {
		cap_value_t v = c;

		if (!(keep & (1ULL << c)))
			continue;
		if (cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0 ||
		    cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0 ||
		    cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET) < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "building capability sets");
			goto out;
		}
	}
	if (cap_set_proc(caps) < 0) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "setting capabilities");
		goto out;
	}
	if (cap_reset_ambient() < 0 && errno != EINVAL) {
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "clearing ambient capabilities");
		goto out;
	}
	for (int c = 0; c < last && c < 64; c++)
		if ((ambient & (1ULL << c)) && cap_set_ambient((cap_value_t)c, CAP_SET) < 0) {
			r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				    "raising %s into the ambient set", cap_to_name(c));
			goto out;
		}
out:
	cap_free(caps);
	return r;
}

/* Permitted, effective and inheritable become @keep; the rest of the sets stay. */
int nb_caps_keep_only(uint64_t keep, struct nb_error *e)
{
	cap_t caps = cap_init();
	int last = cap_max_bits();
	int r = 0;

	if (!caps)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "allocating capabilities");
	for (int c = 0; c < last && c < 64; c++) {
		cap_value_t v = c;

		if ((keep & (1ULL << c)) &&
		    (cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0 ||
		     cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0))
			r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "building capability sets");
	}
	if (r == 0 && cap_set_proc(caps) < 0)
		r = nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "dropping init's capabilities");
	cap_free(caps);
	return r;
}
