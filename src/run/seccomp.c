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

#include "run/seccomp.h"
#include "lib/util.h"
#include "lib/io.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "seccomp-filter.h"

#define PROG(a) ((struct sock_fprog){ .len = ARRAY_SIZE(a), .filter = (struct sock_filter *)(a) })

const char *nb_seccomp_describe(enum nb_seccomp_mode mode)
{
	static char line[200];

	if (mode == NB_SECCOMP_OFF)
		return "no seccomp filter";
	if (mode == NB_SECCOMP_NONE)
		snprintf(line, sizeof(line),
			 "--seccomp none: only the terminal's filter (TIOCSTI, TIOCLINUX), "
			 "%zu BPF instructions, inherited by the command",
			 ARRAY_SIZE(nb_seccomp_terminal_program));
	else
		snprintf(line, sizeof(line),
			 "installed the seccomp policy 'default': %zu BPF instructions, over "
			 "the terminal's filter; both inherited by the command",
			 ARRAY_SIZE(nb_seccomp_program));
	return line;
}

int nb_seccomp_install(enum nb_seccomp_mode mode, struct nb_error *e)
{
	struct sock_fprog terminal = PROG(nb_seccomp_terminal_program);
	struct sock_fprog policy = PROG(nb_seccomp_program);

	if (mode == NB_SECCOMP_OFF)
		return 0;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &terminal, 0, 0) < 0 ||
	    (mode == NB_SECCOMP_DEFAULT &&
	     prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &policy, 0, 0) < 0))
		return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs CONFIG_SECCOMP_FILTER",
			       "installing the seccomp policy");
	return 0;
}

int nb_seccomp_install_landlock(struct nb_error *e)
{
	struct sock_fprog prog = PROG(nb_seccomp_landlock_program);

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "installing the seccomp filter of --isolation landlock");
	return nb_seccomp_install_nouserns(e);
}

int nb_seccomp_install_nouserns(struct nb_error *e)
{
	struct sock_fprog prog = PROG(nb_seccomp_nouserns_program);

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "installing the seccomp filter that refuses new user namespaces");
	return 0;
}

enum nb_seccomp_mode nb_seccomp_mode_of_filters(unsigned long n)
{
	return n >= 2 ? NB_SECCOMP_DEFAULT : n == 1 ? NB_SECCOMP_NONE : NB_SECCOMP_OFF;
}

int nb_seccomp_read(const struct nb_config *cfg, struct nb_seccomp_progs *out, struct nb_error *e)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < cfg->compat.n_seccomp_fds; i++) {
		int fd = cfg->compat.seccomp_fds[i];
		struct sock_filter *buf;
		char *bytes;
		size_t len = 0;
		int r = nb_read_all_fd(fd, 1u << 20, &bytes, &len);

		if (r < 0) {
			nb_seccomp_progs_free(out);
			return nb_fail_kind(e, NB_ERR_SECCOMP_READ, NULL, NB_EXIT_FAILURE, -r, NULL,
					    "reading a seccomp program from its fd");
		}
		buf = (struct sock_filter *)(void *)bytes;
		/* Used up, as the fd is: the command does not get it. */
		close(fd);
		if (len % sizeof(struct sock_filter)) {
			free(buf);
			nb_seccomp_progs_free(out);
			return nb_fail_kind(e, NB_ERR_SECCOMP_SIZE, NULL, NB_EXIT_FAILURE, 0,
					    "a program is whole 8-byte instructions",
					    "a seccomp program of %zu bytes", len);
		}
		out->p = nb_grow(out->p, out->n, sizeof(*out->p));
		if (len / sizeof(struct sock_filter) > 0xffff) {
			free(buf);
			nb_seccomp_progs_free(out);
			return nb_fail(e, NB_EXIT_FAILURE, 0, "the kernel takes 4096 at most",
				       "a seccomp program of more than 65535 instructions");
		}
		out->p[out->n++] = (struct sock_fprog){
			.len = (unsigned short)(len / sizeof(struct sock_filter)),
			.filter = buf,
		};
	}
	return 0;
}

void nb_seccomp_progs_free(struct nb_seccomp_progs *progs)
{
	for (size_t i = 0; i < progs->n; i++)
		free(progs->p[i].filter);
	free(progs->p);
	memset(progs, 0, sizeof(*progs));
}

int nb_seccomp_install_progs(const struct nb_seccomp_progs *progs, struct nb_error *e)
{
	for (size_t i = 0; progs && i < progs->n; i++)
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &progs->p[i], 0, 0) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "installing seccomp program %zu", i + 1);
	return 0;
}
