/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What keeps a user namespace from being made here, and its fix (gate.c). */
#pragma once

struct nb_error;

struct nb_gate {
	/* "seccomp", "apparmor", "max_user_namespaces", "unprivileged_userns_clone", ... */
	const char *name;
	char why[256];
	char fix[256];
};

/* Names the gate behind @err, from clone(CLONE_NEWUSER) or the first step in the namespace. */
void nb_gate_explain(int err, struct nb_gate *g);
/* Fills @e with the gate behind @err while doing @what: kind NB_ERR_GATE, its name in arg. */
int nb_gate_fail(struct nb_error *e, int err, const char *what);
