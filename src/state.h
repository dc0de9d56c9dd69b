/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The records of running sandboxes that 'nestbox ps' and 'nestbox enter'
 * read: one file per sandbox in a directory only the user can write.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nb_error;
struct nb_host;

#define NB_NAME_MAX 63

/**
 * struct nb_record - what the host of a sandbox writes down about it
 * @init_start: init's start time in clock ticks after boot (/proc/PID/stat
 *              field 22), which tells a live init from a reused pid
 * @started: wall-clock start, seconds since the epoch
 * @map: the map mode ("root", "user", "auto", "explicit", "none")
 * @net: the network mode
 */
struct nb_record {
	char name[NB_NAME_MAX + 1];
	pid_t host_pid;
	pid_t init_pid;
	uint64_t init_start;
	int64_t started;
	bool own_pid_ns;
	bool as_pid1;
	char seccomp[16];
	char map[16];
	char net[16];
	/* The network helper's host pid (0: none), and the published ports. */
	pid_t net_helper_pid;
	char ports[256];
};

/* Pure. */
/* Whether @name can name a sandbox: [A-Za-z0-9][A-Za-z0-9_.-]*, not all digits. */
int nb_state_check_name(const char *name, struct nb_error *e);
/* A default name from the command's base name and the host pid, e.g. "make-4242". */
void nb_state_default_name(const char *argv0, pid_t pid, char *out, size_t size);
int nb_record_format(const struct nb_record *r, char *buf, size_t size);
int nb_record_parse(const char *text, struct nb_record *r);
/* Field 22 (starttime) and field 4 (ppid) of a /proc/PID/stat line. */
int nb_parse_proc_stat(const char *line, uint64_t *start, pid_t *ppid);

/* Effects. */
/* Start time and parent of @pid, from /proc/PID/stat. */
int nb_proc_stat(pid_t pid, uint64_t *start, pid_t *ppid);
/**
 * nb_state_dir_open() - open (and with @create, make) the user's state directory
 * @path: receives the directory's path, for messages
 *
 * It is $XDG_RUNTIME_DIR/nestbox, or without that ~/.nestbox, made when
 * needed and removed when empty:
 * never a predictable name in a shared directory.  It must be the user's
 * alone (owner, mode 0700).
 * Return: an O_PATH-free directory fd, or a negative errno.
 */
int nb_state_dir_open(const struct nb_host *h, bool create, char *path, size_t size,
		      struct nb_error *e);

/* A name claimed by a running host: the record file, locked while the host lives. */
struct nb_claim {
	int dirfd;
	int fd;
	char name[NB_NAME_MAX + 1];
};

int nb_state_claim(struct nb_claim *cl, int dirfd, const struct nb_record *r, struct nb_error *e);
int nb_state_publish(struct nb_claim *cl, const struct nb_record *r);
/*
 * Removes the record.  The directory stays for the next sandbox: making
 * and removing it on every start cost a disk block each time (on ext4 with
 * discard, a synchronous discard), about a tenth of a start.
 */
void nb_state_release(struct nb_claim *cl);

/**
 * struct nb_live - a record whose sandbox is running, checked against the kernel
 * @init_fd: pidfd of init, opened and then checked against the record
 * @cmd: host pid of the command (init's first child; init itself with --as-pid-1)
 * @cmd_fd: pidfd of the command, or -1 while it is not known
 */
struct nb_live {
	struct nb_record rec;
	int init_fd;
	pid_t cmd;
	int cmd_fd;
};

/* Every live sandbox of the user; stale records are removed on the way. */
int nb_state_list(int dirfd, struct nb_live **out, size_t *n, struct nb_error *e);
void nb_state_list_free(struct nb_live *l, size_t n);
/* The live sandbox named @what, or whose init or command has host pid @what. */
int nb_state_find(int dirfd, const char *what, struct nb_live *out, struct nb_error *e);
