// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tiny seccomp filter that refuses the ioctls which push input into, or
 * copy text out of, the caller's terminal: TIOCSTI (CVE-2017-5226 class) and
 * TIOCLINUX.  Unlike setsid(), it leaves the command in the caller's session,
 * so an interactive shell keeps job control.
 *
 * The kernel compares the ioctl request as a 32-bit value, so the filter
 * reads only the low half of the argument (CVE-2019-10063).
 */
#include "autoconf.h"

#include "seccomp.h"
#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/*
 * The native architecture, and the 32-bit one that its kernel also runs,
 * whose ioctl is number 54 on each of them.
 */
#if defined(__x86_64__)
#define NB_AUDIT_ARCH AUDIT_ARCH_X86_64
#define NB_COMPAT_ARCH AUDIT_ARCH_I386
#elif defined(__i386__)
#define NB_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define NB_AUDIT_ARCH AUDIT_ARCH_AARCH64
#define NB_COMPAT_ARCH AUDIT_ARCH_ARM
#elif defined(__arm__)
#define NB_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NB_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NB_AUDIT_ARCH AUDIT_ARCH_S390X
#define NB_COMPAT_ARCH AUDIT_ARCH_S390
#elif defined(__riscv) && __riscv_xlen == 64
#define NB_AUDIT_ARCH AUDIT_ARCH_RISCV64
#else
#error "add this architecture's AUDIT_ARCH value"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG1_LOW offsetof(struct seccomp_data, args[1])
#else
#define ARG1_LOW (offsetof(struct seccomp_data, args[1]) + 4)
#endif

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

#define DENY SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)

int nb_seccomp_deny_tty_injection(struct nb_error *e)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
#ifdef NB_COMPAT_ARCH
		/* 32-bit programs run on this kernel too; their ioctl is number 54. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NB_COMPAT_ARCH, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 54, 4, 7),
#else
		/* No second ABI: three no-ops keep the jump offsets below. */
		BPF_STMT(BPF_JMP | BPF_JA, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NB_AUDIT_ARCH, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
		/* x32 programs use their own ioctl number. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40000000 | 514, 1, 0),
#else
		BPF_STMT(BPF_JMP | BPF_JA, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG1_LOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, DENY),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs CONFIG_SECCOMP_FILTER",
			       "installing the terminal-injection filter");
	return 0;
}
