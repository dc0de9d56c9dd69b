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
int nb_compare(struct nb_config *cfg, const struct nb_plan *launch, bool json, FILE *out,
	       struct nb_error *e);
