/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

struct nb_error;

/**
 * nb_open_nofollow() - open @path as an O_PATH fd, following only root's links
 * @path: an absolute path, or one relative to the current directory
 * @what: what the path is, for messages ("bind source")
 * @e: error; a refused link is named with its target
 *
 * Return: the fd, or a negative errno with @e set.
 */
int nb_open_nofollow(const char *path, const char *what, struct nb_error *e);
