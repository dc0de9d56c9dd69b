// SPDX-License-Identifier: GPL-2.0-or-later
/* Stands in for newuidmap/newgidmap that refuse: prints a message, fails. */
#include <stdio.h>

int main(int argc, char **argv)
{
	fprintf(stderr, "%s: fake helper refuses pid %s\n", argv[0], argc > 1 ? argv[1] : "?");
	return 1;
}
