/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What keeps a user namespace from being made here, and its fix (gate.c). */
#pragma once

#include <stdbool.h>

struct nb_error;

struct nb_gate {
	/* "seccomp", "apparmor", "max_user_namespaces", "unprivileged_userns_clone", ... */
	const char *name;
	char why[256];
	char fix[256];
};

/* What decides the gate: the sysctls (-1 where there is none) and this process's confinement. */
struct nb_gate_facts {
	long max_user_namespaces;
	long unprivileged_userns_clone;
	long apparmor_restrict;
	int seccomp_mode;
	bool in_container;
};

/*
 * The one table of gates: which one is behind @err from
 * clone(CLONE_NEWUSER) or the first step in the namespace, why, and the
 * short fix.  No system call: doctor describes its facts, the run reads
 * them (nb_gate_explain()).
 */
void nb_gate_classify(int err, const struct nb_gate_facts *f, struct nb_gate *g);
/* Whether this process runs in a container (docker's or podman's marker file). */
bool nb_gate_in_container(void);
/* Names the gate behind @err, from clone(CLONE_NEWUSER) or the first step in the namespace. */
void nb_gate_explain(int err, struct nb_gate *g);
/* Fills @e with the gate behind @err while doing @what: kind NB_ERR_GATE, its name in arg. */
int nb_gate_fail(struct nb_error *e, int err, const char *what);
