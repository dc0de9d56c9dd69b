/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

struct nb_error;
struct nb_plan;

/**
 * nb_sandbox_run() - run the planned command in a new sandbox
 *
 * Return: the exit status for nestbox (>= 0), or a negative errno with @e set.
 */
int nb_sandbox_run(const struct nb_plan *plan, struct nb_error *e);
