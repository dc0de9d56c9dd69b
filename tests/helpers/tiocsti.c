// SPDX-License-Identifier: GPL-2.0-or-later
/* Tries to push a byte into the terminal's input; prints what happened. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

int main(void)
{
	char c = '#';

	if (ioctl(0, TIOCSTI, &c) == 0) {
		puts("TIOCSTI: injected");
		return 0;
	}
	printf("TIOCSTI: %s\n", strerror(errno));
	return 1;
}
