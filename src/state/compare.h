/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct nb_config;
struct nb_error;
struct nb_plan;

/**
 * nb_compare() - run the sandbox of @launch and print host and sandbox side by side
 * @cfg: the configuration @launch was planned from; without a command, compare
 *       runs a shell that waits until both views are read, and @cfg->name
 *       must name the sandbox
 *
 * Return: the command's exit status, or a negative errno with @e filled.
 */
int nb_compare(struct nb_config *cfg, const struct nb_plan *launch, int hold_wr, bool json,
	       FILE *out, struct nb_error *e);

/**
 * nb_compare_hold() - hold @cfg's command before it starts, until compare has looked
 *
 * Before planning: the command becomes a shell that waits on a pipe (an
 * fd kept for it) and then execs the command, so that even "true" is read
 * while it runs.  Return: the pipe's write end, or a negative errno.
 */
int nb_compare_hold(struct nb_config *cfg, struct nb_error *e);
