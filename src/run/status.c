// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The status fds: JSON objects about a running sandbox for whoever started
 * it.  The first names the command's pid, as the caller sees it, and the
 * inodes of its namespaces, so that another tool can join them; the second
 * (on the status fd only) its exit code, and only if it ran at all.
 */
#include "autoconf.h"

#include "run/status.h"
#include "core/config.h"
#include "run/sync.h"
#include "lib/util.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *name;
	int flag;
} kinds[NB_STATUS_NS] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "mnt", CLONE_NEWNS },
	{ "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS },
};

void nb_status_collect(int procfd, const char *who, uint64_t ino[NB_STATUS_NS])
{
	for (int i = 0; i < NB_STATUS_NS; i++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "%s/ns/%s", who, kinds[i].name);
		ino[i] = fstatat(procfd, path, &st, 0) == 0 ? (uint64_t)st.st_ino : 0;
	}
}

int nb_status_send(int sync_fd, pid_t pid, bool translate, const uint64_t ino[NB_STATUS_NS])
{
	struct nb_msg m = { .type = NB_MSG_STARTED, .pid = translate ? 0 : pid };
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	memcpy(m.text, ino, sizeof(uint64_t) * NB_STATUS_NS);
	if (translate) {
		struct ucred cred = { .pid = pid, .uid = getuid(), .gid = getgid() };
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(sizeof(cred));
		memcpy(CMSG_DATA(c), &cred, sizeof(cred));
	}
	return TEMP_FAILURE_RETRY(sendmsg(sync_fd, &msg, MSG_NOSIGNAL)) < 0 ? -1 : 0;
}

void nb_status_decode(const char *text, uint64_t ino[NB_STATUS_NS])
{
	memcpy(ino, text, sizeof(uint64_t) * NB_STATUS_NS);
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = TEMP_FAILURE_RETRY(write(fd, s, n));

		if (w <= 0)
			return; /* the reader went away: nothing to tell anyone */
		s += w;
		n -= (size_t)w;
	}
}

/* One object, on one line or one member a line. */
static void emit(int fd, bool pretty, const struct nb_config *cfg, const struct nb_status_start *st)
{
	char buf[1536];
	size_t n;
	const char *sep = pretty ? ",\n    " : ", ";

	n = (size_t)snprintf(buf, sizeof(buf), pretty ? "{\n    " : "{ ");
	if (cfg->proc.status_version)
		n += (size_t)snprintf(
		    buf + n, sizeof(buf) - n,
		    "\"version\": %d%s\"event\": \"started\"%s\"isolation\": \"%s\"%s"
		    "\"setup-ms\": %" PRId64 "%s",
		    cfg->proc.status_version, sep, sep, st->isolation, sep, st->setup_ms, sep);
	/* No init under Landlock: the command's parent is nestbox itself. */
	if (cfg->proc.status_version && st->init_pid > 0)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"init-pid\": %d%s",
				      (int)st->init_pid, sep);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"child-pid\": %d", (int)st->pid);
	for (int i = 0; st->ino && i < NB_STATUS_NS; i++)
		if (st->ino[i] && (kinds[i].flag & (cfg->ns.unshare_flags | CLONE_NEWNS)))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      "%s\"%s-namespace\": %" PRIu64, sep, kinds[i].name,
					      st->ino[i]);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, pretty ? "\n}\n" : " }\n");
	write_all(fd, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

void nb_status_started(const struct nb_config *cfg, const struct nb_status_start *st)
{
	if (cfg->proc.info_fd >= 0) {
		emit(cfg->proc.info_fd, true, cfg, st);
		close(cfg->proc.info_fd);
	}
	if (cfg->proc.json_status_fd >= 0)
		emit(cfg->proc.json_status_fd, false, cfg, st);
}

void nb_status_exited(const struct nb_config *cfg, const struct nb_status_end *end)
{
	char buf[512];
	int n;

	if (cfg->proc.json_status_fd < 0)
		return;
	if (!cfg->proc.status_version) {
		n = snprintf(buf, sizeof(buf), "{ \"exit-code\": %d }\n", end->exit_code);
		write_all(cfg->proc.json_status_fd, buf, (size_t)n);
		return;
	}
	n = snprintf(buf, sizeof(buf),
		     "{ \"version\": %d, \"event\": \"exited\", \"exit-code\": %d",
		     cfg->proc.status_version, end->exit_code);
	if (end->wait_status >= 0 && WIFSIGNALED(end->wait_status))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ", \"signal\": %d",
			      WTERMSIG(end->wait_status));
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, ", \"timed-out\": %s",
		      end->timed_out ? "true" : "false");
	if (end->ru)
		n += snprintf(
		    buf + n, sizeof(buf) - (size_t)n,
		    ", \"user-ms\": %ld, \"system-ms\": %ld, \"max-rss-kib\": %ld",
		    (long)(end->ru->ru_utime.tv_sec * 1000 + end->ru->ru_utime.tv_usec / 1000),
		    (long)(end->ru->ru_stime.tv_sec * 1000 + end->ru->ru_stime.tv_usec / 1000),
		    end->ru->ru_maxrss);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, " }\n");
	write_all(cfg->proc.json_status_fd, buf,
		  (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
