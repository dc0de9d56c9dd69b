/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The number of elements of an array; a pointer does not compile. */
#define NB_MUST_BE_ARRAY(a) \
	(sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]))]) - 1)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + NB_MUST_BE_ARRAY(a))

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit statuses, following env(1) and timeout(1). */
enum {
	NB_EXIT_TIMEOUT = 124,
	NB_EXIT_FAILURE = 125,
	NB_EXIT_CANNOT_EXEC = 126,
	NB_EXIT_NOT_FOUND = 127,
	/* Or'ed with a signal number: the command died of it; main() dies of it too. */
	NB_EXIT_SIGNALLED = 0x100,
};

/**
 * struct nb_error - an error on its way up to main()
 * @status: the exit status main() should use (NB_EXIT_*)
 * @err: the errno that caused it, or 0
 * @msg: "<what failed>: <why> (<hint>)", without the "nestbox: " prefix
 */
/* The longest text that an error is made from, before it is shortened to fit. */
#define NB_ERROR_MAX 8192

/*
 * What failed, for a front end that words it in its own vocabulary
 * (nestbox-bwrap in bubblewrap's, as bubblewrap's
 * bind_mount_result_to_string() does); NB_ERR_PLAIN for the rest, whose
 * message stands as it is.
 */
enum nb_error_kind {
	NB_ERR_PLAIN,
	NB_ERR_NO_SOURCE, /* a bind source does not exist: @arg */
	NB_ERR_SYMLINK_EXISTS, /* @arg: the destination, then ": is <target>" or nothing */
	NB_ERR_CHDIR, /* @arg: the directory */
	NB_ERR_LOCK_OPEN, /* @arg: the lock file */
	NB_ERR_LOCK, /* @arg: the lock file */
	NB_ERR_SECCOMP_READ,
	NB_ERR_SECCOMP_SIZE,
	NB_ERR_CHMOD_FIND, /* @arg: the path */
	NB_ERR_CHMOD, /* @arg: "MODE PATH" */
	NB_ERR_USERNS2,
	NB_ERR_EXEC, /* the command could not be exec'd: @arg is its name */
	/* No sandbox of this kind can be made here: @arg names the gate that refused. */
	NB_ERR_GATE,
};

struct nb_error {
	int status;
	int err;
	enum nb_error_kind kind;
	char arg[512];
	char msg[480];
};

/* Marks @e, already filled by nb_fail(), as a failure of @kind about @arg. */
int nb_error_kind(struct nb_error *e, enum nb_error_kind kind, const char *arg);
/* nb_fail() in nestbox's words, with the kind and argument that other front ends word. */
#define nb_fail_kind(e, kind, arg, ...) \
	(nb_fail((e), __VA_ARGS__), nb_error_kind((e), (kind), (arg)))

/**
 * nb_fail() - fill @e and return -errno (or -EINVAL when @err is 0)
 * @e: the error to fill; may be NULL
 * @status: exit status for main()
 * @err: errno value; when non-zero its text follows the formatted message
 * @hint: what the user can do about it, or NULL
 * @fmt: what failed
 */
int nb_fail(struct nb_error *e, int status, int err, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The negative errno that @e carries (-EINVAL when it has none), for passing a failure up. */
static inline int nb_err(const struct nb_error *e)
{
	return e->err ? -e->err : -EINVAL;
}

/**
 * nb_error_wrap() - prefix @e's message with context, "<context>: <message>"
 *
 * As an error travels up, each level says what it was doing, so that a
 * failure reads "--bind #2 /data: resolving destination ...".
 * Return: -errno of @e, or -EINVAL.
 */
int nb_error_wrap(struct nb_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Out of memory: one line on stderr and exit 125.  The one exit outside
 * main(), since there is no memory left to carry an error up.
 */
_Noreturn void nb_oom(void);

int nb_parse_u32(const char *s, uint32_t *out);
int nb_parse_u64(const char *s, uint64_t *out);
int nb_parse_size(const char *s, uint64_t *out);
bool nb_streq(const char *a, const char *b);
bool nb_is_abs_clean_path(const char *p);
/* Copies @s to @out with control bytes and DEL written as \n, \t or \xHH. */
void nb_escape(const char *s, char *out, size_t size);

/* The value of the line "KEY:\tvalue" in /proc/PID/status text @status. */
bool nb_status_field(const char *status, const char *key, char *out, size_t size);
/* Length of the valid UTF-8 sequence at @p (1-4), or 0 if it is not one. */
size_t nb_utf8_len(const unsigned char *p);

/* The PATH of a caller that has none, as execvp() and env(1) use. */
#define NB_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
/**
 * nb_path_find() - the one PATH search for what nestbox runs or names itself
 * @path: a PATH value; NULL means NB_DEFAULT_PATH
 * @name: a file name (one with a '/' is no search: itself, if @usable)
 * @usable: whether a candidate will do (executable, say); NULL: any
 *
 * Only absolute directories count: an empty or relative entry would mean
 * something else in every directory nestbox starts from.  The command's own
 * search, inside the sandbox, is execvp()'s (exec.c), not this.
 * Return: the first candidate, malloc()ed, or NULL.
 */
char *nb_path_find(const char *path, const char *name, bool (*usable)(const char *file));
