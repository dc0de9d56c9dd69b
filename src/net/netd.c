// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running the network helper.  The sandbox's processes are not dumpable,
 * so a helper cannot join their namespaces through /proc/PID/ns: the host
 * holds the network namespace (handed over by the first child) and its
 * owning user namespace, and the helper inherits both as fds.  The helper
 * runs outside the sandbox, as the host's child, in a session of its own
 * (a Ctrl-C for the command is not for it), and dies with the host
 * (PR_SET_PDEATHSIG), as pasta does not exit when the namespace empties.
 *
 * Readiness is a message, never a guess: pasta writes its pid to the pipe
 * given as --pid once the namespace is configured, and slirp4netns writes
 * to --ready-fd.  slirp4netns's ports are then added through its API.
 */
#include "autoconf.h"

#include "net/netd.h"
#include "lib/cleanup.h"
#include "lib/explain.h"
#include "lib/util.h"
#include "lib/io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long a helper may take to get ready; both take milliseconds here. */
#define READY_TIMEOUT_MS 10000
/* How long it may take to exit when asked, before SIGKILL. */
#define STOP_TIMEOUT_MS 1000

void nb_netd_init(struct nb_netd *d)
{
	memset(d, 0, sizeof(*d));
	d->pidfd = d->exit_fd = d->log_fd = d->dir_fd = -1;
}

/*
 * A port that is taken gives one line naming it, before any helper runs.
 * SO_REUSEADDR, as the helpers use, so that connections of an earlier
 * sandbox in TIME_WAIT do not count.
 */
static int check_port(const struct nb_publish *p, struct nb_error *e)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1;
	_cleanup_close_ int s = socket(
	    p->family, (p->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

	if (s < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "--publish %s: creating a socket",
			       p->spec);
	if (p->family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(p->host_port);
		inet_pton(AF_INET6, p->addr, &a->sin6_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(p->host_port);
		inet_pton(AF_INET, p->addr, &a->sin_addr);
		len = sizeof(*a);
	}
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, len) == 0)
		return 0;
	if (errno == EADDRINUSE)
		return nb_fail(e, NB_EXIT_FAILURE, 0, "pick another HOSTPORT",
			       "--publish %s: port %u/%s on %s is already in use", p->spec,
			       p->host_port, p->proto == IPPROTO_UDP ? "udp" : "tcp", p->addr);
	return nb_fail(e, NB_EXIT_FAILURE, errno,
		       errno == EADDRNOTAVAIL ? "use an address of this host" : NULL,
		       "--publish %s: binding %s port %u", p->spec, p->addr, p->host_port);
}

/* The helper's last line that says something, from its log. */
static void last_words(int log_fd, char *buf, size_t size)
{
	char text[4096];
	ssize_t n;
	off_t end = lseek(log_fd, 0, SEEK_END);
	off_t from = end > (off_t)sizeof(text) - 1 ? end - (off_t)sizeof(text) + 1 : 0;

	buf[0] = '\0';
	n = pread(log_fd, text, sizeof(text) - 1, from);
	if (n <= 0)
		return;
	text[n] = '\0';
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		/* Without /dev/log pasta says so before every message. */
		if (strstr(line, "to syslog") || !line[strspn(line, " \t")])
			continue;
		snprintf(buf, size, "%s", line);
	}
}

static int helper_failed(const struct nb_net_plan *np, struct nb_netd *d, int status,
			 struct nb_error *e)
{
	char words[300];
	const char *name = nb_net_mode_name(np->mode);
	/* The usual cause on a machine without udev's rule: name it. */
	const char *hint = access("/dev/net/tun", R_OK | W_OK) == 0
			       ? NULL
			       : "the helpers need /dev/net/tun readable and writable by you: "
				 "chmod 0666 /dev/net/tun, as udev does";

	last_words(d->log_fd, words, sizeof(words));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !words[0])
		snprintf(words, sizeof(words), "cannot run %s", np->helper);
	if (WIFSIGNALED(status))
		return nb_fail(e, NB_EXIT_FAILURE, 0, hint,
			       "--net %s: %s was killed by signal %d%s%s", name, np->helper,
			       WTERMSIG(status), words[0] ? ": " : "", words);
	return nb_fail(e, NB_EXIT_FAILURE, 0, hint, "--net %s: %s failed%s%s", name, np->helper,
		       words[0] ? ": " : "", words[0] ? words : " without a word");
}

/* In the forked helper: its fds at the fixed numbers of the plan, then exec. */
static _Noreturn void helper_main(const struct nb_net_plan *np, int fds[NB_NETD_N_FDS], int log_fd,
				  pid_t host)
{
	sigset_t none;
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	/*
	 * Ignored signals survive exec: a caller that ignores SIGPIPE (Python's
	 * posix_spawn does) makes pasta refuse to start ("Couldn't install
	 * signal handlers").  The helper starts with every signal at its default,
	 * and none blocked, whatever the caller blocked: it is nestbox's, and
	 * SIGTERM must stop it.
	 */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0 || setsid() < 0 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != host)
		_exit(127);
	/* Out of the way first, so that no dup2() below overwrites a source. */
	for (int i = 0; i < NB_NETD_N_FDS; i++)
		if (fds[i] >= 0 && (fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64)) < 0)
			_exit(127);
	/* Its errors go to stderr; slirp4netns chats on stdout. */
	if (devnull < 0 || (log_fd = fcntl(log_fd, F_DUPFD_CLOEXEC, 64)) < 0 ||
	    (devnull = fcntl(devnull, F_DUPFD_CLOEXEC, 64)) < 0 || dup2(devnull, 0) < 0 ||
	    dup2(devnull, 1) < 0 || dup2(log_fd, 2) < 0)
		_exit(127);
	for (int i = 3; i < NB_NETD_N_FDS; i++)
		if (fds[i] >= 0 && dup2(fds[i], i) < 0)
			_exit(127);
	/* Nothing else of the host's, whatever forgot O_CLOEXEC. */
	close_range(NB_NETD_N_FDS, ~0U, 0);
	execv(np->helper, np->argv);
	dprintf(2, "cannot run %s: %s\n", np->helper, strerror(errno));
	_exit(127);
}

/* Waits until @fd is readable or the helper exits; reads what is there. */
static ssize_t wait_ready(struct nb_netd *d, int fd, char *buf, size_t size)
{
	int64_t deadline = nb_now_ms() + READY_TIMEOUT_MS;

	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = d->pidfd, .events = POLLIN } };
		int64_t left = deadline - nb_now_ms();
		int r;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(p, 2, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (p[0].revents)
			return TEMP_FAILURE_RETRY(read(fd, buf, size));
		if (p[1].revents)
			return 0; /* exited without a word on the pipe */
	}
}

/* slirp4netns's API: one JSON request per connection, one reply. */
static int slirp_hostfwd(struct nb_netd *d, const struct nb_publish *p, struct nb_error *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char req[256], reply[1024];
	const char *desc;
	size_t got = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", d->dir_fd,
		 NB_NETD_API_SOCKET);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "--publish %s: connecting to slirp4netns's API", p->spec);
	snprintf(req, sizeof(req),
		 "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"%s\","
		 "\"host_addr\":\"%s\",\"host_port\":%u,\"guest_port\":%u}}",
		 p->proto == IPPROTO_UDP ? "udp" : "tcp", p->addr, p->host_port, p->sandbox_port);
	if (TEMP_FAILURE_RETRY(send(s, req, strlen(req), MSG_NOSIGNAL)) < 0 ||
	    shutdown(s, SHUT_WR) < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
			       "--publish %s: talking to slirp4netns's API", p->spec);
	for (;;) {
		struct pollfd pf = { .fd = s, .events = POLLIN };
		ssize_t n;

		if (TEMP_FAILURE_RETRY(poll(&pf, 1, READY_TIMEOUT_MS)) <= 0)
			return nb_fail(e, NB_EXIT_FAILURE, ETIMEDOUT, NULL,
				       "--publish %s: waiting for slirp4netns's API", p->spec);
		n = TEMP_FAILURE_RETRY(read(s, reply + got, sizeof(reply) - 1 - got));
		if (n < 0)
			return nb_fail(e, NB_EXIT_FAILURE, errno, NULL,
				       "--publish %s: reading slirp4netns's API", p->spec);
		got += (size_t)n;
		reply[got] = '\0';
		if (n == 0 || got == sizeof(reply) - 1 || strchr(reply, '}'))
			break;
	}
	if (strstr(reply, "\"return\""))
		return 0;
	desc = strstr(reply, "\"desc\":\"");
	return nb_fail(e, NB_EXIT_FAILURE, 0, NULL, "--publish %s: slirp4netns: %.*s", p->spec,
		       desc ? (int)strcspn(desc + 8, "\"") : (int)strcspn(reply, "\n"),
		       desc ? desc + 8 : reply);
}

static void remove_api_dir(struct nb_netd *d)
{
	if (d->dir[0]) {
		if (d->dir_fd >= 0)
			(void)unlinkat(d->dir_fd, NB_NETD_API_SOCKET, 0);
		(void)rmdir(d->dir);
		d->dir[0] = '\0';
	}
	nb_closep(&d->dir_fd);
}

static int make_api_dir(const struct nb_host *host, struct nb_netd *d, struct nb_error *e)
{
	const char *tmp = getenv("TMPDIR");
	const char *base = host->runtime_dir && host->runtime_dir[0] == '/' ? host->runtime_dir
			   : tmp && tmp[0] == '/'			    ? tmp
									    : "/tmp";

	snprintf(d->dir, sizeof(d->dir), "%s/nestbox-net.XXXXXX", base);
	if (!mkdtemp(d->dir)) {
		int err = errno;

		d->dir[0] = '\0';
		return nb_fail(e, NB_EXIT_FAILURE, err, NULL,
			       "creating a directory for slirp4netns's API in %s", base);
	}
	d->dir_fd = open(d->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->dir_fd < 0)
		return nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "opening %s", d->dir);
	return 0;
}

int nb_netd_start(const struct nb_net_plan *np, const struct nb_host *host, int netns,
		  struct nb_netd *d, struct nb_error *e)
{
	bool slirp = np->mode == NB_NET_SLIRP4NETNS;
	_cleanup_close_ int userns = -1;
	int ready[2] = { -1, -1 }, ex[2] = { -1, -1 };
	int fds[NB_NETD_N_FDS];
	int64_t t0 = nb_now_ms();
	char buf[32], cmd[2048];
	pid_t host_pid = getpid(), pid;
	ssize_t n;
	int r = -1, status = 0;

	struct nb_publish six[16];
	int six_fd[16];
	size_t n_six = 0;

	d->info.mode = np->mode;
	d->info.ports = np->ports;
	d->info.n_ports = np->n_ports;
	for (size_t i = 0; i < np->n_ports; i++)
		if (check_port(&np->ports[i], e) < 0)
			return nb_err(e);
	/* A port given without an address is ::1's too: bound now, relayed once ready. */
	for (size_t i = 0; i < np->n_ports; i++) {
		int fd;

		if (!np->ports[i].both_loopbacks || n_six == ARRAY_SIZE(six))
			continue;
		fd = nb_loopback6_bind(&np->ports[i], e);
		if (fd == -EAFNOSUPPORT)
			continue;
		if (fd < 0)
			goto out;
		six[n_six] = np->ports[i];
		six_fd[n_six++] = fd;
	}
	/* The network namespace's owner: nestbox's own user namespace. */
	userns = ioctl(netns, NS_GET_USERNS);
	if (userns < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, "the kernel needs Linux 4.9",
			"finding the owner of the network namespace");
		goto out;
	}
	d->log_fd = (int)syscall(SYS_memfd_create, "nestbox-net", MFD_CLOEXEC);
	if (d->log_fd < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the helper's log");
		goto out;
	}
	if (pipe2(ready, O_CLOEXEC) < 0 || (slirp && pipe2(ex, O_CLOEXEC) < 0)) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "creating the helper's pipes");
		goto out;
	}
	if (slirp && np->n_ports && make_api_dir(host, d, e) < 0)
		goto out;
	for (int i = 0; i < NB_NETD_N_FDS; i++)
		fds[i] = -1;
	fds[NB_NETD_FD_USERNS] = userns;
	fds[NB_NETD_FD_NETNS] = netns;
	fds[NB_NETD_FD_READY] = ready[1];
	fds[NB_NETD_FD_EXIT] = ex[0];
	fds[NB_NETD_FD_APIDIR] = d->dir_fd;
	pid = fork();
	if (pid < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "starting %s", np->helper);
		goto out;
	}
	if (pid == 0)
		helper_main(np, fds, d->log_fd, host_pid);
	d->info.helper_pid = pid;
	nb_closep(&ready[1]);
	nb_closep(&ex[0]);
	d->exit_fd = steal_fd(&ex[1]);
	/* Our unreaped child: its pid cannot have been reused. */
	d->pidfd = nb_child_pidfd(pid, np->helper, e);
	if (d->pidfd < 0) {
		d->info.helper_pid = 0; /* reaped */
		goto out;
	}
	n = wait_ready(d, ready[0], buf, sizeof(buf));
	if (n < 0) {
		nb_fail(e, NB_EXIT_FAILURE, errno, NULL, "--net %s: waiting for %s",
			nb_net_mode_name(np->mode), np->helper);
		goto out;
	}
	if (n == 0) {
		kill(pid, SIGKILL);
		(void)TEMP_FAILURE_RETRY(waitpid(pid, &status, 0));
		d->info.helper_pid = 0;
		helper_failed(np, d, status, e);
		goto out;
	}
	for (size_t i = 0; slirp && i < np->n_ports; i++)
		if (slirp_hostfwd(d, &np->ports[i], e) < 0)
			goto out;
	/*
	 * The API socket adds port forwards on the host for whoever connects
	 * to it, and a sandbox may see the directory it is in (a shared /tmp,
	 * TMPDIR=/var/tmp under --root ro).  The forwards are made and the
	 * command has not started: unlinked, no path reaches the socket again.
	 */
	remove_api_dir(d);
	if (nb_loopback6_start(six, six_fd, n_six, &d->relay, e) < 0)
		goto out;
	for (size_t i = 0; i < n_six; i++)
		nb_narrate(1, "host",
			   "relaying [::1]:%u/%s to 127.0.0.1 (pid %d), as %s forwards only that",
			   six[i].host_port, six[i].proto == IPPROTO_UDP ? "udp" : "tcp",
			   (int)d->relay.pid, np->helper);
	nb_net_plan_cmdline(np, cmd, sizeof(cmd));
	nb_narrate(1, "host", "%s is pid %d, ready after %lld ms: %s", nb_net_mode_name(np->mode),
		   (int)pid, (long long)(nb_now_ms() - t0), cmd);
	for (size_t i = 0; i < np->n_ports; i++)
		nb_narrate(1, "host", "published %s port %u/%s on the sandbox's port %u",
			   np->ports[i].addr, np->ports[i].host_port,
			   np->ports[i].proto == IPPROTO_UDP ? "udp" : "tcp",
			   np->ports[i].sandbox_port);
	r = 0;
out:
	while (n_six)
		close(six_fd[--n_six]);
	nb_closep(&ready[0]);
	nb_closep(&ready[1]);
	nb_closep(&ex[0]);
	nb_closep(&ex[1]);
	if (r < 0)
		nb_netd_stop(d);
	return r;
}

void nb_netd_stop(struct nb_netd *d)
{
	pid_t pid = d->info.helper_pid;

	nb_loopback6_stop(&d->relay);
	if (pid > 0) {
		struct pollfd p = { .fd = d->pidfd, .events = POLLIN };

		/* slirp4netns ends when its exit fd closes; pasta needs a signal. */
		if (d->exit_fd >= 0)
			nb_closep(&d->exit_fd);
		else
			kill(pid, SIGTERM);
		if (d->pidfd < 0 || TEMP_FAILURE_RETRY(poll(&p, 1, STOP_TIMEOUT_MS)) <= 0)
			kill(pid, SIGKILL);
		(void)TEMP_FAILURE_RETRY(waitpid(pid, NULL, 0));
		nb_narrate(1, "host", "stopped %s (pid %d)", nb_net_mode_name(d->info.mode),
			   (int)pid);
		d->info.helper_pid = 0;
	}
	remove_api_dir(d);
	nb_closep(&d->exit_fd);
	nb_closep(&d->pidfd);
	nb_closep(&d->log_fd);
	nb_closep(&d->dir_fd);
}
