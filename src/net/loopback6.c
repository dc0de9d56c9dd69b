// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPv6 loopback of a port published without an address.  A client of
 * "localhost" often tries ::1 first, but the helpers forward 127.0.0.1
 * only: Debian 12's pasta refuses one port on two addresses, and
 * slirp4netns forwards no IPv6.  So nestbox binds [::1]:PORT itself and
 * relays each TCP connection, and each UDP client's datagrams, to
 * 127.0.0.1:PORT, where the helper forwards them into the sandbox.
 *
 * The relay is a child of the host, outside the sandbox, with nothing but
 * its sockets: it dies with the host (PR_SET_PDEATHSIG) and is ended with
 * the helper.  A machine without IPv6 gets the IPv4 loopback only.
 */
#include "autoconf.h"

#include "net/loopback6.h"
#include "lib/cleanup.h"
#include "lib/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CONNS 64 /* TCP connections, or UDP clients, at once */
#define BUF_SIZE 16384 /* per direction of a TCP connection */

struct conn {
	int fd[2]; /* 0: the client on ::1, 1: the connection to 127.0.0.1 */
	char buf[2][BUF_SIZE];
	size_t len[2], off[2]; /* data read from fd[d], to write to fd[1 - d] */
	bool eof[2];
	bool shut[2]; /* fd[d]'s write side is shut down */
};

struct udp_client {
	int listen; /* the ::1 socket it wrote to */
	int up; /* its own socket, connected to 127.0.0.1:port */
	struct sockaddr_in6 peer;
	uint64_t used;
};

int nb_loopback6_bind(const struct nb_publish *p, struct nb_error *e)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(p->host_port),
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	bool udp = p->proto == IPPROTO_UDP;
	int one = 1;
	int fd = socket(AF_INET6, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno == EAFNOSUPPORT
			   ? -EAFNOSUPPORT
			   : nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				     "--publish %s: creating a socket on ::1", p->spec);
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || (!udp && listen(fd, 64) < 0)) {
		int err = errno;

		close(fd);
		/* No IPv6 loopback here: 127.0.0.1 serves alone. */
		if (err == EADDRNOTAVAIL || err == EAFNOSUPPORT)
			return -EAFNOSUPPORT;
		if (err == EADDRINUSE)
			return nb_fail(e, NB_EXIT_FAILURE, 0,
				       "pick another HOSTPORT, or name the address to publish on",
				       "--publish %s: port %u/%s on ::1 is already in use", p->spec,
				       p->host_port, udp ? "udp" : "tcp");
		return nb_fail(e, NB_EXIT_FAILURE, err, NULL, "--publish %s: binding ::1 port %u",
			       p->spec, p->host_port);
	}
	return fd;
}

static int upstream(int type, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void conn_close(struct conn **c)
{
	close((*c)->fd[0]);
	close((*c)->fd[1]);
	free(*c);
	*c = NULL;
}

/* One step of a TCP connection after poll(): false once it is over. */
static bool conn_step(struct conn *c, const struct pollfd p[2])
{
	for (int d = 0; d < 2; d++) {
		int to = 1 - d;

		if (c->len[d] == 0 && !c->eof[d] && (p[d].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = read(c->fd[d], c->buf[d], BUF_SIZE);

			/* A reset ends this side like an end of file: what the other sent still goes. */
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				c->eof[d] = true;
			if (n > 0) {
				c->len[d] = (size_t)n;
				c->off[d] = 0;
			}
		}
		if (c->len[d] > 0 && (p[to].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = send(c->fd[to], c->buf[d] + c->off[d], c->len[d], MSG_NOSIGNAL);

			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return false;
			if (n > 0) {
				c->off[d] += (size_t)n;
				c->len[d] -= (size_t)n;
			}
		}
		/* All of one side's data passed on: pass its end on too. */
		if (c->eof[d] && c->len[d] == 0 && !c->shut[to]) {
			(void)shutdown(c->fd[to], SHUT_WR);
			c->shut[to] = true;
		}
	}
	return !(c->shut[0] && c->shut[1]);
}

static void udp_forward(int listen_fd, uint16_t port, struct udp_client *cl, uint64_t *clock)
{
	char buf[65536];
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(peer);
	ssize_t n =
	    recvfrom(listen_fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&peer, &len);
	struct udp_client *slot = NULL, *oldest = &cl[0];

	if (n < 0)
		return;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (cl[i].up >= 0 && cl[i].listen == listen_fd &&
		    memcmp(&cl[i].peer, &peer, sizeof(peer)) == 0) {
			slot = &cl[i];
			break;
		}
		if (cl[i].up < 0 || cl[i].used < oldest->used)
			oldest = &cl[i];
	}
	if (!slot) {
		/* A new client: its own upstream socket, the least recent one's if all are taken. */
		slot = oldest;
		if (slot->up >= 0)
			close(slot->up);
		slot->up = upstream(SOCK_DGRAM, port);
		slot->listen = listen_fd;
		slot->peer = peer;
		if (slot->up < 0)
			return;
	}
	slot->used = ++*clock;
	(void)send(slot->up, buf, (size_t)n, MSG_DONTWAIT);
}

static _Noreturn void relay_main(const struct nb_publish *ports, const int *fds, size_t n,
				 pid_t host)
{
	struct conn *conns[MAX_CONNS] = { 0 };
	struct udp_client cl[MAX_CONNS];
	struct pollfd p[MAX_CONNS * 2 + MAX_CONNS + 16];
	uint64_t clock = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != host)
		_exit(1);
	/* Not the terminal's: a Ctrl-C for the command is not for the relay. */
	(void)setsid();
	for (int i = 0; i < MAX_CONNS; i++)
		cl[i] = (struct udp_client){ .listen = -1, .up = -1 };
	for (;;) {
		size_t np = 0;

		for (size_t i = 0; i < n; i++)
			p[np++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = conns[i];

			if (!c) {
				p[np++] = (struct pollfd){ .fd = -1 };
				p[np++] = (struct pollfd){ .fd = -1 };
				continue;
			}
			for (int d = 0; d < 2; d++) {
				short ev = 0;

				if (c->len[d] == 0 && !c->eof[d])
					ev |= POLLIN;
				if (c->len[1 - d] > 0)
					ev |= POLLOUT;
				/* poll() reports a hangup even unasked: a side with nothing to do waits. */
				p[np++] = (struct pollfd){ .fd = ev ? c->fd[d] : -1, .events = ev };
			}
		}
		for (int i = 0; i < MAX_CONNS; i++)
			p[np++] = (struct pollfd){ .fd = cl[i].up, .events = POLLIN };
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		for (size_t i = 0; i < n; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			if (ports[i].proto == IPPROTO_UDP) {
				udp_forward(fds[i], ports[i].host_port, cl, &clock);
				continue;
			}
			int client = accept4(fds[i], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			int slot = -1;

			if (client < 0)
				continue;
			for (int k = 0; k < MAX_CONNS && slot < 0; k++)
				if (!conns[k])
					slot = k;
			int up = slot < 0 ? -1 : upstream(SOCK_STREAM, ports[i].host_port);

			if (up < 0) {
				close(client);
				continue;
			}
			conns[slot] = calloc(1, sizeof(struct conn));
			if (!conns[slot]) {
				close(client);
				close(up);
				continue;
			}
			conns[slot]->fd[0] = client;
			conns[slot]->fd[1] = up;
		}
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i] && !conn_step(conns[i], &p[n + 2 * (size_t)i]))
				conn_close(&conns[i]);
		for (int i = 0; i < MAX_CONNS; i++) {
			struct pollfd *q = &p[n + 2 * MAX_CONNS + (size_t)i];
			char buf[65536];
			ssize_t got;

			if (cl[i].up < 0 || !(q->revents & POLLIN))
				continue;
			got = recv(cl[i].up, buf, sizeof(buf), MSG_DONTWAIT);
			if (got >= 0)
				(void)sendto(cl[i].listen, buf, (size_t)got, MSG_DONTWAIT,
					     (struct sockaddr *)&cl[i].peer, sizeof(cl[i].peer));
		}
	}
}

int nb_loopback6_start(const struct nb_publish *ports, const int *fds, size_t n,
		       struct nb_loopback6 *r, struct nb_error *e)
{
	pid_t host = getpid();
	pid_t pid;

	r->pid = 0;
	if (n == 0)
		return 0;
	pid = fork();
	if (pid < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting the ::1 relay");
	if (pid == 0) {
		/* Nothing of the host's but the sockets it relays, on 3 and up. */
		int keep[MAX_CONNS];

		if (n > 16)
			_exit(1);
		for (size_t i = 0; i < n; i++) {
			keep[i] = fcntl(fds[i], F_DUPFD, 100 + (int)i);
			if (keep[i] < 0)
				_exit(1);
		}
		for (size_t i = 0; i < n; i++)
			if (dup2(keep[i], 3 + (int)i) < 0)
				_exit(1);
		if (close_range(3 + (unsigned)n, ~0U, 0) < 0)
			_exit(1);
		/* Nor the caller's terminal or pipes. */
		{
			int null = open("/dev/null", O_RDWR | O_CLOEXEC);

			if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
				_exit(1);
		}
		for (size_t i = 0; i < n; i++)
			keep[i] = 3 + (int)i;
		relay_main(ports, keep, n, host);
	}
	r->pid = pid;
	return 0;
}

void nb_loopback6_stop(struct nb_loopback6 *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		(void)TEMP_FAILURE_RETRY(waitpid(r->pid, NULL, 0));
		r->pid = 0;
	}
}
