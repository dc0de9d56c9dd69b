/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nestbox doctor: what this machine offers a sandbox, and how to fix what is
 * missing.  The facts are gathered once (effects); turning them into checks
 * is pure, so that unit tests can feed it any machine they like.
 */
#pragma once

#include "core/config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit status of 'nestbox doctor' when a default sandbox cannot run here. */
#define NB_DOCTOR_CANNOT_RUN 1
#define NB_DOCTOR_MAX_CHECKS 32
/* One slot per entry of nb_namespaces[] (ns.h), in the same order. */
#define NB_DOCTOR_MAX_NS 8

enum nb_check_status {
	NB_CHECK_OK,
	NB_CHECK_INFO, /* nothing nestbox needs today depends on it */
	NB_CHECK_WARN, /* an option other than the default sandbox will not work */
	NB_CHECK_FAIL, /* a default sandbox cannot run */
};

/**
 * struct nb_check - one line of the report
 * @name: what was checked
 * @status: the verdict
 * @found: what was found, one line
 * @fix: the command or package that fixes it, or "" when there is nothing to do
 */
struct nb_check {
	char name[24];
	enum nb_check_status status;
	char found[256];
	char fix[448];
};

/* A number read from /proc/sys: @err is 0, or the errno (ENOENT: absent). */
struct nb_sysctl {
	int err;
	long long value;
};

/**
 * struct nb_helper_facts - newuidmap or newgidmap
 * @env: the variable that overrides the path ("NESTBOX_NEWUIDMAP")
 * @path: the helper nestbox would run: $@env if set, else the built-in one
 * @from_env: whether @path came from @env
 * @stat_err: 0, or the errno of stat(@path)
 * @owner: its owner
 * @mode: its mode
 * @fcaps: it has a security.capability xattr
 * @on_path: the first one on $PATH, or ""
 */
struct nb_helper_facts {
	const char *env;
	char path[PATH_MAX];
	bool from_env;
	int stat_err;
	uid_t owner;
	mode_t mode;
	bool fcaps;
	char on_path[PATH_MAX];
};

enum nb_cgroup_kind { NB_CGROUP_NONE, NB_CGROUP_V1, NB_CGROUP_HYBRID, NB_CGROUP_V2 };

/* The step of the namespace probe that failed, mirroring 'nestbox run'. */
enum nb_probe_step {
	NB_PROBE_PASSED,
	NB_PROBE_START, /* doctor could not start the probe at all */
	NB_PROBE_CREATE, /* clone(CLONE_NEWUSER) */
	NB_PROBE_MAP, /* setgroups, gid_map, uid_map written by the parent */
	NB_PROBE_NEST, /* the default namespaces inside the user namespace */
	NB_PROBE_LOCK, /* the nested user and mount namespaces that lock the mounts */
};

/**
 * struct nb_doctor_facts - everything doctor looks at, gathered once
 *
 * Strings are "" and numbers -1 when unknown.  The subid texts are owned by
 * the facts (nb_doctor_facts_free()).
 */
struct nb_doctor_facts {
	char kernel[65];
	struct nb_sysctl max_ns[NB_DOCTOR_MAX_NS];
	struct nb_sysctl userns_clone;
	struct nb_sysctl apparmor_restrict;
	struct nb_sysctl legacy_tiocsti;
	/* The user namespace nestbox runs in is not the initial one. */
	bool nested_userns;
	/* /proc/self/ns/user exists (CONFIG_USER_NS). */
	bool have_userns;

	/* The caller's login name, or "" when passwd has none. */
	char user[256];
	uid_t uid;
	gid_t gid;
	char *subuid;
	int subuid_err;
	char *subgid;
	int subgid_err;
	struct nb_helper_facts newuidmap;
	struct nb_helper_facts newgidmap;

	int filesystems_err;
	bool have_overlay;
	/* The Seccomp field of /proc/self/status, or -1 when there is none. */
	int seccomp_mode;
	/* docker's or podman's marker file is there (nb_gate_in_container()). */
	bool in_container;
	char seccomp_actions[256];

	int tun_err;
	mode_t tun_mode;
	bool tun_usable;
	char pasta[PATH_MAX];
	char slirp4netns[PATH_MAX];

	enum nb_cgroup_kind cgroup;
	char cgroup_path[PATH_MAX];
	int cgroup_access_err;

	char exe[PATH_MAX];
	/* The strongest Landlock ABI of the kernel, 0 for none (--isolation landlock). */
	int landlock_abi;
	enum nb_probe_step probe_step;
	int probe_err;
	char probe_msg[480];
};

/**
 * nb_doctor_evaluate() - turn facts into checks (pure)
 * @f: the facts
 * @checks: room for the checks
 * @max: how many fit; NB_DOCTOR_MAX_CHECKS is always enough
 *
 * Return: the number of checks filled in.
 */
size_t nb_doctor_evaluate(const struct nb_doctor_facts *f, struct nb_check *checks, size_t max);
/* Whether a default sandbox can run: no check failed. */
bool nb_doctor_ok(const struct nb_check *checks, size_t n);
/* The aligned table, or one JSON object; returns 0 or a negative errno. */
int nb_doctor_print(const struct nb_check *checks, size_t n, bool json, FILE *out);

/* Effects. */
void nb_doctor_gather(const struct nb_host *host, struct nb_doctor_facts *f);
void nb_doctor_facts_free(struct nb_doctor_facts *f);

/**
 * nb_doctor() - check this machine and print the report
 * @host: the caller; @host->user may be NULL
 * @json: print JSON instead of the table
 * @out: where to print
 *
 * Return: the exit status: 0 when a default sandbox can run,
 * NB_DOCTOR_CANNOT_RUN when it cannot, NB_EXIT_FAILURE when the report
 * could not be written.
 */
int nb_doctor(const struct nb_host *host, bool json, FILE *out);
