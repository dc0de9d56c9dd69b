// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tries to push a byte into the terminal's input; prints what happened.
 * With the argument "high", the request has bit 32 set as well: the kernel
 * takes the command as an unsigned int and drops it, a filter may not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

int main(int argc, char **argv)
{
	unsigned long req = TIOCSTI;
	char c = '#';

	if (argc > 1 && strcmp(argv[1], "high") == 0)
		req |= 1UL << 32;
	if (ioctl(0, req, &c) == 0) {
		puts("TIOCSTI: injected");
		return 0;
	}
	printf("TIOCSTI: %s\n", strerror(errno));
	return 1;
}
