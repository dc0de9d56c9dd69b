/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "core/config.h"
#include "lib/util.h"

#include <sys/types.h>

/* The relay of [::1]:PORT to 127.0.0.1:PORT for ports published without an address. */
struct nb_loopback6 {
	pid_t pid;
};

/*
 * nb_loopback6_bind() - bind [::1] on @p's host port, before anything starts
 * Return: the socket; -EAFNOSUPPORT where this machine has no IPv6 loopback
 * (127.0.0.1 then serves alone); another -errno, with @e filled, for a port
 * in use or another failure.
 */
int nb_loopback6_bind(const struct nb_publish *p, struct nb_error *e);

/* Starts the relay of @n sockets from nb_loopback6_bind(), for @ports in the same order. */
int nb_loopback6_start(const struct nb_publish *ports, const int *fds, size_t n,
		       struct nb_loopback6 *r, struct nb_error *e);
void nb_loopback6_stop(struct nb_loopback6 *r);
