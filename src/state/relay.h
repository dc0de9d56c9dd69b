/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The terminal of an entered process: a pty of nestbox's own, or pipes,
 * never the caller's terminal (relay.c).
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

struct nb_error;

struct nb_relay {
	bool interactive;
	/* The pty (interactive): nestbox's end and the process's. */
	int master;
	int slave;
	/* Which of fds 1 and 2 the process gets as the pty. */
	bool to_pty[3];
	/* Where the pty's output goes: the caller's terminal. */
	int out;
	struct termios saved;
	bool have_saved;
	bool raw;
	/* Not interactive: a pipe in place of each of fds 1 and 2 that is a terminal. */
	int pipe_rd[3];
	int pipe_wr[3];
};

void nb_relay_init(struct nb_relay *r);
/* Before the fork, outside the sandbox's namespaces: the pty or the pipes. */
int nb_relay_prepare(struct nb_relay *r, struct nb_error *e);
/* In the process, before exec: its session, controlling terminal and fds 0-2. */
int nb_relay_child(struct nb_relay *r, struct nb_error *e);
/* In nestbox, after the fork: drops the process's ends, puts the caller's terminal raw. */
void nb_relay_parent(struct nb_relay *r);
/*
 * Copies between the caller and the process, forwards signals from @sfd and
 * the window size, until @pid (pidfd @pidfd) ends.  Return: its exit status
 * as nestbox passes it on.
 */
int nb_relay_wait(struct nb_relay *r, pid_t pid, int pidfd, int sfd);
/* Restores the caller's terminal and closes the pty: what the sandbox kept is dead. */
void nb_relay_end(struct nb_relay *r);
