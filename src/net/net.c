// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Networking inside the sandbox: bringing up lo in the new network
 * namespace, with one ioctl instead of ip(8).
 */
#include "autoconf.h"

#include "net/net.h"
#include "lib/cleanup.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * nb_net_loopback_up() - bring up lo, and optionally return an fd of the
 * network namespace it belongs to in @nsfd.
 *
 * A new network namespace starts with lo down.  Bringing it up with one
 * ioctl avoids running ip(8); the kernel adds 127.0.0.1/8 and ::1 itself.
 */
int nb_net_loopback_up(int *nsfd, struct nb_error *e)
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
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "bringing up lo");
	}
	/* The socket names its namespace: no /proc lookup, which may be another pid ns's. */
	if (nsfd) {
		*nsfd = ioctl(s, SIOCGSKNS);
		if (*nsfd < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 4.9",
				       "getting the network namespace of a socket");
		if (fcntl(*nsfd, F_SETFD, FD_CLOEXEC) < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "marking an fd close-on-exec");
	}
	return 0;
}

/*
 * nb_net_open_low_ports() - let the command bind ports below 1024
 *
 * The command runs in a user namespace nested inside the one that owns the
 * network namespace, so its CAP_NET_BIND_SERVICE does not count there.  The
 * namespace is the sandbox's own, reachable only through what is
 * published, so its privileged ports guard nothing: podman's rootless
 * networks do the same.  Run in the new network namespace, before init.
 */
int nb_net_open_low_ports(struct nb_error *e)
{
	_cleanup_close_ int fd =
	    open("/proc/sys/net/ipv4/ip_unprivileged_port_start", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || TEMP_FAILURE_RETRY(write(fd, "0\n", 2)) != 2)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "opening the ports below 1024 to the command");
	return 0;
}
