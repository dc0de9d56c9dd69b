// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Facts about the caller, gathered once by each program's main() and passed
 * to the parsers and the planner, which make no system calls themselves.
 */
#include "autoconf.h"

#include "front/host.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A closed 0, 1 or 2 would be taken by the next open(), and a sync socket
 * or a mount source could end up as the command's stdout.  Fill the gaps
 * with /dev/null, as a careful daemon does.
 */
void nb_host_ensure_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", O_RDWR);

			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* The planner's one fact about the host tree. */
static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool real_path(const char *path, char *out, size_t size)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf) || strlen(buf) >= size)
		return false;
	memcpy(out, buf, strlen(buf) + 1);
	return true;
}

/*
 * Whether a mount covers part of /proc: Docker, podman and Kubernetes mask
 * /proc/kcore, /proc/sys and others, and then the kernel refuses a fresh
 * proc to a user namespace ("too revealing", fs/namespace.c).  A mount id
 * of its own on one of the paths those runtimes mask tells, in a few
 * statx() calls instead of a parse of the mount table on every start.
 */
static bool proc_masked(void)
{
	static const char *const masked[] = { "kcore",	       "keys", "timer_list", "sched_debug",
					      "sysrq-trigger", "sys",  "bus",	     "fs",
					      "irq",	       "acpi", "scsi" };
	struct statx proc, st;

	if (statx(AT_FDCWD, "/proc", AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &proc) < 0 ||
	    !(proc.stx_mask & STATX_MNT_ID))
		return false;
	for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		char path[32];

		snprintf(path, sizeof(path), "/proc/%s", masked[i]);
		if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &st) == 0 &&
		    (st.stx_mask & STATX_MNT_ID) && st.stx_mnt_id != proc.stx_mnt_id)
			return true;
	}
	return false;
}

void nb_host_gather(struct nb_host *h, char *cwd, size_t size)
{
	const char *shell = getenv("SHELL");

	*h = (struct nb_host){
		.uid = getuid(),
		.gid = getgid(),
		.home = getenv("HOME"),
		.cwd = getcwd(cwd, size),
		.shell = shell && *shell ? shell : "/bin/sh",
		.runtime_dir = getenv("XDG_RUNTIME_DIR"),
		.is_dir = is_dir,
		.fd_open = fd_open,
		.exists = exists,
		.executable = nb_executable,
		.makeflags = getenv("MAKEFLAGS"),
		.path = getenv("PATH"),
		.gnupg_home = getenv("GNUPGHOME"),
		.real_path = real_path,
		.proc_masked = proc_masked,
	};
}
