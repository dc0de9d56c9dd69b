// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nosys CALL[,CALL...] COMMAND [ARG...]: runs COMMAND where the named
 * system calls fail with ENOSYS, as on a kernel without them, so that a
 * test reaches nestbox's fallbacks and refusals (crun's tests/no_openat2.c
 * does the same).  These calls have one number on every architecture
 * (Linux 5.1's unified table); an architecture nosys does not know makes it
 * refuse with 77, so that no test passes without the shim.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int nr;
} calls[] = {
	{ "landlock_create_ruleset", 444 },
	{ "mount_setattr", 442 },
	{ "clone3", 435 },
	{ "openat2", 437 },
	{ "pidfd_open", 434 },
};

#if defined(__x86_64__) && !defined(__ILP32__)
#define NOSYS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NOSYS_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NOSYS_ARCH AUDIT_ARCH_I386
#endif

int main(int argc, char **argv)
{
	struct sock_filter f[64];
	unsigned n = 0;
	char list[1024], *save = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: nosys CALL[,CALL...] COMMAND [ARG...]\n");
		return 2;
	}
#ifndef NOSYS_ARCH
	fprintf(stderr, "nosys: this architecture is not one nosys knows\n");
	return 77;
#else
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NOSYS_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	snprintf(list, sizeof(list), "%s", argv[1]);
	for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		int nr = -1;

		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (strcmp(calls[i].name, c) == 0)
				nr = calls[i].nr;
		if (nr < 0 || n > 60) {
			fprintf(stderr, "nosys: unknown call %s\n", c);
			return 2;
		}
		f[n++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	{
		struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
			perror("nosys: installing the filter");
			return 2;
		}
	}
#endif
	execvp(argv[2], argv + 2);
	perror("nosys: exec");
	return 127;
}
