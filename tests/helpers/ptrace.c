// SPDX-License-Identifier: GPL-2.0-or-later
/* Tries to attach to a pid with ptrace; prints what happened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	pid_t pid = argc > 1 ? (pid_t)atoi(argv[1]) : 1;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
		printf("attach %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	waitpid(pid, NULL, 0);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	printf("attach %d: attached\n", (int)pid);
	return 0;
}
