// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prints the ids and effective capabilities it runs with, one line:
 * "uid=R euid=E capeff=HEX".  Installed setuid root by libtest.sh, so that a
 * test can see whether the set-user-id bit gave it anything.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[256], cap[64] = "?";
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %63s", cap) == 1)
			break;
	if (f)
		fclose(f);
	printf("uid=%u euid=%u capeff=%s\n", (unsigned int)getuid(), (unsigned int)geteuid(), cap);
	return 0;
}
