/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The default seccomp policy, as data: seccomp-gen.c compiles it with
 * libseccomp when nestbox is built, and the man page lists it.  Each call is
 * refused with EPERM.  The references are podman's containers-common
 * default profile and flatpak's; the reason says what each call would give a
 * sandboxed command that the sandbox does not want it to have.
 */
#pragma once

struct nb_seccomp_rule {
	const char *syscall;
	const char *reason;
};

static const struct nb_seccomp_rule nb_seccomp_denied[] = {
	{ "io_uring_setup", "io_uring runs system calls that seccomp never sees" },
	{ "io_uring_enter", "io_uring runs system calls that seccomp never sees" },
	{ "io_uring_register", "io_uring runs system calls that seccomp never sees" },
	{ "userfaultfd", "stalls the kernel at will, the base of many exploits" },
	{ "perf_event_open", "a large attack surface, and it observes other processes" },
	{ "bpf", "loads programs into the kernel" },
	{ "kexec_load", "replaces the running kernel" },
	{ "kexec_file_load", "replaces the running kernel" },
	{ "open_by_handle_at", "opens files by handle, past every mount (the shocker exploit)" },
	{ "init_module", "loads kernel modules" },
	{ "finit_module", "loads kernel modules" },
	{ "delete_module", "unloads kernel modules" },
	{ "iopl", "raw access to I/O ports" },
	{ "ioperm", "raw access to I/O ports" },
	{ "swapon", "changes the host's swap" },
	{ "swapoff", "changes the host's swap" },
	{ "reboot", "restarts the machine" },
	{ "acct", "switches process accounting" },
	{ "syslog", "reads the kernel log, which leaks kernel addresses" },
	{ "uselib", "an obsolete loader call with a history of bugs" },
	{ "lookup_dcookie", "an obsolete profiling call" },
	{ "vm86", "obsolete, and a history of bugs" },
	{ "vm86old", "obsolete, and a history of bugs" },
	{ "nfsservctl", "obsolete" },
	{ "quotactl", "changes disk quotas" },
};

/* ioctl requests refused; the filter compares the low 32 bits only. */
static const struct nb_seccomp_rule nb_seccomp_denied_ioctls[] = {
	{ "TIOCSTI", "pushes input into the caller's terminal" },
	{ "TIOCLINUX", "copies and pastes text on the caller's virtual console" },
};
