// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nestbox doctor: gathering the facts (/proc, /etc/subuid, the helpers, and
 * a probe that creates the namespaces a default sandbox creates, the way
 * 'nestbox run' creates them), then printing the checks that checks.c
 * makes of them.
 */
#include "autoconf.h"

#include "doctor/doctor.h"
#include "doctor/gate.h"
#include "lib/json.h"
#include "run/landlock.h"
#include "lib/cleanup.h"
#include "front/cli.h"
#include "core/idmap.h"
#include "run/lock.h"
#include "run/nest.h"
#include "core/ns.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *const status_names[] = {
	[NB_CHECK_OK] = "ok",
	[NB_CHECK_INFO] = "info",
	[NB_CHECK_WARN] = "warn",
	[NB_CHECK_FAIL] = "fail",
};

int nb_doctor_print(const struct nb_check *checks, size_t n, bool json, FILE *out)
{
	bool ok = nb_doctor_ok(checks, n);

	if (json) {
		struct nb_json j = NB_JSON(out);

		nb_json_open(&j, NULL, '{');
		nb_json_kbool(&j, "ok", ok);
		nb_json_open(&j, "checks", '[');
		for (size_t i = 0; i < n; i++) {
			nb_json_open(&j, NULL, '{');
			nb_json_kv(&j, "name", checks[i].name);
			nb_json_kv(&j, "status", status_names[checks[i].status]);
			nb_json_kv(&j, "found", checks[i].found);
			nb_json_kv(&j, "fix", *checks[i].fix ? checks[i].fix : NULL);
			nb_json_close(&j, '}');
		}
		nb_json_close(&j, ']');
		nb_json_close(&j, '}');
		fputc('\n', out);
	} else {
		for (size_t i = 0; i < n; i++) {
			/* Facts come from files and the environment: keep each to one line. */
			char found[4 * sizeof(checks[i].found) + 1];
			char fix[4 * sizeof(checks[i].fix) + 1];
			const char *st = checks[i].status == NB_CHECK_FAIL
					     ? "FAIL"
					     : status_names[checks[i].status];

			nb_escape(checks[i].found, found, sizeof(found));
			nb_escape(checks[i].fix, fix, sizeof(fix));
			fprintf(out, "%-5s %-18s %s%s%s\n", st, checks[i].name, found,
				*fix ? ": " : "", fix);
		}
		fputs(ok ? "nestbox can run a default sandbox here\n"
			 : "nestbox cannot run a default sandbox here: see the FAIL lines\n",
		      out);
	}
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}

/* Effects: gathering the facts. */

static void read_sysctl(const char *path, struct nb_sysctl *s)
{
	char buf[32], *end;
	ssize_t n = nb_read_file(path, buf, sizeof(buf));

	s->value = -1;
	s->err = n < 0 ? (int)-n : 0;
	if (n < 0)
		return;
	errno = 0;
	s->value = strtoll(buf, &end, 10);
	if (errno || end == buf)
		s->err = EINVAL;
}

/* What run would find (nb_path_find(), as netplan.c asks it). */
static void find_on_path(const char *name, char *out, size_t size)
{
	char *found = nb_path_find(getenv("PATH"), name, nb_executable);

	snprintf(out, size, "%s", found ? found : "");
	free(found);
}

static void gather_helper(struct nb_helper_facts *h, const char *env, const char *builtin,
			  const char *name)
{
	const char *p = getenv(env);
	struct stat st;

	h->env = env;
	/* The same choice as idmap.c's helper_path(). */
	h->from_env = p && *p;
	snprintf(h->path, sizeof(h->path), "%s", h->from_env ? p : builtin);
	if (stat(h->path, &st) < 0) {
		h->stat_err = errno;
	} else {
		h->owner = st.st_uid;
		h->mode = st.st_mode;
		h->fcaps = getxattr(h->path, "security.capability", NULL, 0) > 0;
	}
	find_on_path(name, h->on_path, sizeof(h->on_path));
}

static void gather_proc(struct nb_doctor_facts *f)
{
	char buf[8192], *p;
	unsigned a, b, c;

	ssize_t r = nb_read_file("/proc/filesystems", buf, sizeof(buf));

	f->filesystems_err = r < 0 ? (int)-r : 0;
	f->have_overlay = r >= 0 && strstr(buf, "\toverlay\n");

	f->seccomp_mode = -1;
	f->in_container = nb_gate_in_container();
	if (nb_read_file("/proc/self/status", buf, sizeof(buf)) >= 0 &&
	    (p = strstr(buf, "\nSeccomp:")))
		f->seccomp_mode = atoi(p + strlen("\nSeccomp:"));
	if (nb_read_file("/proc/sys/kernel/seccomp/actions_avail", f->seccomp_actions,
			 sizeof(f->seccomp_actions)) < 0)
		f->seccomp_actions[0] = '\0';

	/* The initial user namespace maps all of 0..2^32-2 onto itself. */
	f->nested_userns =
	    nb_read_file("/proc/self/uid_map", buf, sizeof(buf)) >= 0 &&
	    !(sscanf(buf, "%u %u %u", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295u);
	f->have_userns = access("/proc/self/ns/user", F_OK) == 0;
}

static bool is_cgroup2(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

static void gather_cgroup(struct nb_doctor_facts *f)
{
	const char *mnt = "/sys/fs/cgroup";
	char buf[8192], dir[PATH_MAX + 64], *p;
	struct statfs s;

	if (is_cgroup2("/sys/fs/cgroup")) {
		f->cgroup = NB_CGROUP_V2;
	} else if (is_cgroup2("/sys/fs/cgroup/unified")) {
		f->cgroup = NB_CGROUP_HYBRID;
		mnt = "/sys/fs/cgroup/unified";
	} else {
		f->cgroup = statfs("/sys/fs/cgroup", &s) == 0 ? NB_CGROUP_V1 : NB_CGROUP_NONE;
		return;
	}
	if (nb_read_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return;
	/* The v2 line is "0::/path". */
	p = !strncmp(buf, "0::", 3) ? buf + 3 : strstr(buf, "\n0::");
	if (!p)
		return;
	if (p != buf + 3)
		p += 4;
	p[strcspn(p, "\n")] = '\0';
	snprintf(f->cgroup_path, sizeof(f->cgroup_path), "%.4000s", p);
	if (!strcmp(p, "/"))
		*p = '\0';
	/* Delegated means we may move processes and enable controllers there. */
	snprintf(dir, sizeof(dir), "%s%.4000s/cgroup.procs", mnt, p);
	f->cgroup_access_err = access(dir, W_OK) == 0 ? 0 : errno;
	snprintf(dir, sizeof(dir), "%s%.4000s/cgroup.subtree_control", mnt, p);
	if (!f->cgroup_access_err && access(dir, W_OK) < 0)
		f->cgroup_access_err = errno;
}

struct probe_result {
	int step;
	int err;
	char msg[480];
};

/* In the new user namespace: the rest of what a default sandbox creates. */
static _Noreturn void probe_child(int sock, const struct nb_config *cfg)
{
	struct probe_result res = { .step = NB_PROBE_PASSED };
	struct nb_error e = { 0 };
	char go;

	/* EOF means the parent could not write the maps. */
	if (TEMP_FAILURE_RETRY(recv(sock, &go, 1, 0)) != 1)
		_exit(1);
	if (nb_ns_nest(cfg->ns.unshare_flags, &e) < 0) {
		res = (struct probe_result){ .step = NB_PROBE_NEST, .err = e.err };
		snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
	} else if (unshare(nb_lock_flags(cfg)) < 0) {
		res = (struct probe_result){ .step = NB_PROBE_LOCK, .err = errno };
	}
	if (TEMP_FAILURE_RETRY(send(sock, &res, sizeof(res), MSG_NOSIGNAL)) < 0)
		_exit(1);
	_exit(0);
}

/*
 * The namespaces are created with the calls 'nestbox run' makes: clone()
 * with CLONE_NEWUSER, the maps written from outside by nb_idmap_apply(),
 * then nb_ns_nest() and the locking user namespace inside.  A probe with a
 * plain unshare() would miss the map write, which is what Ubuntu's AppArmor
 * restriction breaks.
 */
static void probe(const struct nb_host *host, struct nb_doctor_facts *f)
{
	struct probe_result res = { .step = NB_PROBE_START };
	_cleanup_close_ int sock = -1;
	struct nb_idplan plan = { 0 };
	struct nb_error e = { 0 };
	struct nb_config cfg;
	int sv[2], status;
	pid_t pid;

	nb_config_init(&cfg);
	if (nb_idplan_build(&cfg, host, NULL, NULL, &plan, &e) < 0)
		goto out_msg;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		nb_fail(&e, NB_EXIT_FAILURE, errno, NULL, "socketpair");
		goto out_msg;
	}
	sock = sv[0];
	pid = nb_clone_fork(CLONE_NEWUSER, SIGCHLD);
	if (pid < 0) {
		res.step = NB_PROBE_CREATE;
		res.err = errno;
		close(sv[1]);
		goto out;
	}
	if (pid == 0) {
		close(sv[0]);
		probe_child(sv[1], &cfg);
	}
	close(sv[1]);
	if (nb_idmap_apply(&plan, pid, &e) < 0) {
		res.step = NB_PROBE_MAP;
		res.err = e.err;
		snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
	} else if (TEMP_FAILURE_RETRY(send(sock, "g", 1, MSG_NOSIGNAL)) != 1 ||
		   TEMP_FAILURE_RETRY(recv(sock, &res, sizeof(res), 0)) != sizeof(res)) {
		res = (struct probe_result){ .step = NB_PROBE_START };
		snprintf(res.msg, sizeof(res.msg), "the probe's child died");
	}
	nb_closep(&sock);
	sock = -1;
	if (TEMP_FAILURE_RETRY(waitpid(pid, &status, 0)) < 0 && res.step == NB_PROBE_PASSED)
		res = (struct probe_result){ .step = NB_PROBE_START, .msg = "waitpid failed" };
	goto out;
out_msg:
	snprintf(res.msg, sizeof(res.msg), "%s", e.msg);
out:
	f->probe_step = (enum nb_probe_step)res.step;
	f->probe_err = res.err;
	f->landlock_abi = nb_landlock_abi();
	snprintf(f->probe_msg, sizeof(f->probe_msg), "%s", res.msg);
	nb_idplan_free(&plan);
	nb_config_free(&cfg);
}

void nb_doctor_gather(const struct nb_host *host, struct nb_doctor_facts *f)
{
	struct utsname u;
	struct stat st;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (uname(&u) == 0)
		snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	for (size_t i = 0; i < nb_n_namespaces && i < NB_DOCTOR_MAX_NS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces",
			 nb_namespaces[i].name);
		read_sysctl(path, &f->max_ns[i]);
	}
	read_sysctl("/proc/sys/kernel/unprivileged_userns_clone", &f->userns_clone);
	read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
		    &f->apparmor_restrict);
	read_sysctl("/proc/sys/dev/tty/legacy_tiocsti", &f->legacy_tiocsti);
	gather_proc(f);

	f->uid = host->uid;
	f->gid = host->gid;
	if (host->user) {
		snprintf(f->user, sizeof(f->user), "%s", host->user);
	} else {
		struct passwd *pw = getpwuid(host->uid);

		if (pw)
			snprintf(f->user, sizeof(f->user), "%s", pw->pw_name);
	}
	f->subuid = nb_read_text("/etc/subuid", &f->subuid_err);
	f->subgid = nb_read_text("/etc/subgid", &f->subgid_err);
	gather_helper(&f->newuidmap, "NESTBOX_NEWUIDMAP", NB_NEWUIDMAP, "newuidmap");
	gather_helper(&f->newgidmap, "NESTBOX_NEWGIDMAP", NB_NEWGIDMAP, "newgidmap");

	if (stat("/dev/net/tun", &st) < 0) {
		f->tun_err = errno;
	} else {
		f->tun_mode = st.st_mode;
		f->tun_usable = access("/dev/net/tun", R_OK | W_OK) == 0;
	}
	find_on_path("pasta", f->pasta, sizeof(f->pasta));
	find_on_path("slirp4netns", f->slirp4netns, sizeof(f->slirp4netns));
	gather_cgroup(f);

	n = readlink("/proc/self/exe", f->exe, sizeof(f->exe) - 1);
	f->exe[n > 0 ? n : 0] = '\0';
	probe(host, f);
}

void nb_doctor_facts_free(struct nb_doctor_facts *f)
{
	free(f->subuid);
	free(f->subgid);
	f->subuid = f->subgid = NULL;
}

int nb_doctor(const struct nb_host *host, bool json, FILE *out)
{
	struct nb_check checks[NB_DOCTOR_MAX_CHECKS];
	struct nb_doctor_facts f;
	size_t n;

	nb_doctor_gather(host, &f);
	n = nb_doctor_evaluate(&f, checks, NB_DOCTOR_MAX_CHECKS);
	nb_doctor_facts_free(&f);
	if (nb_doctor_print(checks, n, json, out) < 0)
		return NB_EXIT_FAILURE;
	return nb_doctor_ok(checks, n) ? 0 : NB_DOCTOR_CANNOT_RUN;
}
