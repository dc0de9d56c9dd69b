// SPDX-License-Identifier: GPL-2.0-or-later
#include "autoconf.h"

#include "net.h"
#include "cleanup.h"
#include "util.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/*
 * A new network namespace starts with lo down.  Bringing it up with one
 * ioctl avoids running ip(8); the kernel adds 127.0.0.1/8 and ::1 itself.
 */
int nb_net_loopback_up(struct nb_error *e)
{
	_cleanup_close_ int s = -1;
	struct ifreq ifr;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating a socket for lo");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "reading the flags of lo");
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bringing up lo");
	return 0;
}
