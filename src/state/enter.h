/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

struct nb_error;
struct nb_host;

/**
 * nb_enter() - run @argv (NULL: the user's shell) inside a running sandbox
 * @what: the sandbox's name, or the host pid of its init or command
 *
 * Return: the process's exit status (NB_EXIT_SIGNALLED | signal when it was
 * killed), or a negative errno with @e filled.
 */
int nb_enter(const struct nb_host *h, const char *what, char **argv, struct nb_error *e);
