// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Installs the default seccomp policy: a program that seccomp-gen compiled
 * from seccomp-policy.h when nestbox was built, so starting a sandbox costs
 * one prctl() and no libseccomp.  The policy refuses what a sandboxed
 * command has no business doing (io_uring, module loading, kexec, bpf, ...)
 * and the ioctls that push input into, or copy text out of, the caller's
 * terminal: TIOCSTI (CVE-2017-5226 class) and TIOCLINUX.  Unlike setsid(),
 * that leaves the command in the caller's session, so an interactive shell
 * keeps job control.
 */
#include "autoconf.h"

#include "seccomp.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "seccomp-filter.h"

const char *nb_seccomp_describe(enum nb_seccomp_mode mode)
{
	static char line[160];

	if (mode == NB_SECCOMP_NONE)
		return "no seccomp filter (--seccomp none)";
	snprintf(line, sizeof(line),
		 "installed the seccomp policy 'default': %zu BPF instructions, "
		 "inherited by the command",
		 sizeof(nb_seccomp_program) / sizeof(nb_seccomp_program[0]));
	return line;
}

int nb_seccomp_install(enum nb_seccomp_mode mode, struct nb_error *e)
{
	struct sock_fprog prog = {
		.len = sizeof(nb_seccomp_program) / sizeof(nb_seccomp_program[0]),
		.filter = (struct sock_filter *)nb_seccomp_program,
	};

	if (mode == NB_SECCOMP_NONE)
		return 0;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs CONFIG_SECCOMP_FILTER",
			       "installing the seccomp policy");
	return 0;
}
