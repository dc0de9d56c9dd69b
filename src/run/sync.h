/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sync socket between the host and the sandbox's processes, and the
 * signals they pass on.  Every process of a sandbox reports a failure here,
 * so that the host prints one clean message.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct nb_error;

/* Messages on the sync socket (SOCK_SEQPACKET: one message per send). */
enum nb_msg_type {
	NB_MSG_GO = 1, /* host -> child: the maps are written */
	NB_MSG_PID, /* child -> host: the host-side pid of the sandbox's init */
	NB_MSG_ERROR, /* any sandbox process -> host: setup failed */
	NB_MSG_STATUS, /* init -> host: the command's raw wait status, just before init exits */
	NB_MSG_STARTED, /* init -> host: the command's pid and namespace inodes (status.c) */
};

struct nb_msg {
	int32_t type;
	int32_t status;
	int32_t err;
	int32_t pid;
	char text[480];
	/* An error's kind and argument (struct nb_error), for the front end's words. */
	int32_t kind;
	char arg[512];
};

struct nb_error;
/* The error an NB_MSG_ERROR message carries. */
void nb_error_from_msg(struct nb_error *e, const struct nb_msg *m);
/*
 * A failure that a process reported before its exec, if one waits on
 * @sync_fd: its -errno, with @e filled; 0 when there is none.
 */
int nb_sync_take_error(int sync_fd, struct nb_error *e);

/* Signals that the host and the init forward to the command. */
void nb_forwarded_signals(sigset_t *set);
struct signalfd_siginfo;
/* Whether a signal read from the signalfd goes on to the sandbox. */
bool nb_forward_this(const struct signalfd_siginfo *si);

/* Inside: send @e to the host over @sync_fd, then _exit with its status. */
_Noreturn void nb_sync_fail(int sync_fd, const struct nb_error *e);
/* Inside: whether the host process is gone (its end of @sync_fd hung up). */
bool nb_sync_host_gone(int sync_fd);
/* Inside: exit, as if killed, if a terminating signal came during setup. */
void nb_abort_on_pending_signal(void);
