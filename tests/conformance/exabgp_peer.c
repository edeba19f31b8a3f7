/* SPDX-License-Identifier: ISC */
/* exabgp_peer.c - the test peer of ExaBGP's functional corpus, and main(). */

/*
 * One program, two roles, both described in
 * ../shared/conformance/exabgp/README.md ("How one case runs"):
 *
 *   exabgp_peer peer [options] -- SPEAKER ARGS...
 *	listens on 127.0.0.1:PORT and [::1]:PORT, starts the speaker in its
 *	own process group, plays the scripted BGP peer against qa/ci/X.msg and
 *	prints one line: "ok" or why the case failed.  Exit 0 on pass, 1 on
 *	failure, 3 when PORT is taken (the caller retries with another one).
 *
 *   exabgp_peer api FILE NAME RUNFILE FAILFILE PIDFILE
 *	plays api-programs/X.txt as the helper program NAME (installed as
 *	RUNFILE): write/sleep/linger lines, plus the reactive behaviour that the
 *	'#' lines of a few cases describe (exabgp_api.c);
 *
 *   exabgp_peer api-dump FILE NAME [RUNFILE]
 *	prints what the API helper understood of FILE for program NAME.
 *
 * Only used by run-exabgp-corpus; not part of vrs.
 */

#include "exabgp_corpus.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BGP_HDR    19
#define BGP_MAXMSG 65535
#define MAX_CONN   16

enum exp_kind { EXP_RAW, EXP_ANNOUNCE, EXP_WITHDRAW, EXP_SIGNAL };

struct expect {
	int conn;      /* 0 = A */
	char step[32]; /* compared as text, like upstream */
	enum exp_kind kind;
	char *data; /* owned: hex (raw), prefix, or signal name */
	bool done;
};

struct script {
	struct expect *exp; /* owned, sorted by (conn, step) */
	size_t nexp;
	bool raw_mode;
	bool opt_unknown_capa;
	bool opt_default_route;
};

struct conn {
	int fd;
	int letter;
	uint8_t *buf; /* owned */
	size_t len;
	bool open_seen;
	bool addpath4; /* IPv4 unicast NLRI carry path identifiers */
	bool closed;
	size_t nmsg;
};

static struct script scr;
static struct conn conns[MAX_CONN];
static size_t nconns;
static pid_t speaker_pid = -1;
static int speaker_status = -1;
static double speaker_exit_at;
static const char *speaker_log;
static char fail_reason[4096];
static double t_start;
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	interrupted = sig;
}

static void
trace(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[%6.2f] ", now_s() - t_start);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool
fail(const char *fmt, ...)
{
	va_list ap;

	if (fail_reason[0] != '\0')
		return false;
	va_start(ap, fmt);
	vsnprintf(fail_reason, sizeof(fail_reason), fmt, ap);
	va_end(ap);
	trace("FAIL: %s", fail_reason);
	return false;
}

static int
exp_cmp(const void *a, const void *b)
{
	const struct expect *x = a, *y = b;
	int c;

	if (x->conn != y->conn)
		return x->conn - y->conn;
	c = strcmp(x->step, y->step);
	if (c != 0)
		return c;
	return x < y ? -1 : x > y; /* qsort is not stable; keep file order */
}

static char *
hex_normalise(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++)
		if (*s != ':' && !isspace((unsigned char)*s))
			*o++ = (char)toupper((unsigned char)*s);
	*o = '\0';
	return out;
}

/* Parse qa/ci/X.msg; false (with a reason) if a line cannot be used. */
static bool
script_load(const char *path)
{
	char *text = slurp(path), **lines, *l, *p, *kind, *data;
	size_t n, i, cap;
	struct expect *e;
	int conn;

	if (text == NULL)
		return fail("cannot read %s: %s", path, strerror(errno));
	n = split_lines(text, &lines);
	cap = n + 1;
	scr.exp = xmalloc(cap * sizeof(*scr.exp));
	for (i = 0; i < n; i++) {
		l = trim(lines[i]);
		if (*l == '\0' || strchr(l, '#') != NULL)
			continue;
		if (strncmp(l, "option:", 7) == 0) {
			if (strcmp(l, "option:open:send-unknown-capability") ==
			    0)
				scr.opt_unknown_capa = true;
			else if (strcmp(l,
			             "option:update:send-default-route") == 0)
				scr.opt_default_route = true;
			else
				return fail(
				    "%s:%zu: unsupported peer option %s", path,
				    i + 1, l);
			continue;
		}
		conn = 0;
		p = l;
		if (isupper((unsigned char)*p))
			conn = *p++ - 'A';
		kind = strchr(p, ':');
		if (kind == NULL || kind == p)
			return fail("%s:%zu: expected [C]S:KIND:DATA, got %s",
			    path, i + 1, l);
		data = strchr(kind + 1, ':');
		if (data == NULL)
			return fail("%s:%zu: expected [C]S:KIND:DATA, got %s",
			    path, i + 1, l);
		e = &scr.exp[scr.nexp];
		memset(e, 0, sizeof(*e));
		e->conn = conn;
		snprintf(e->step, sizeof(e->step), "%.*s", (int)(kind - p), p);
		*data++ = '\0';
		kind++;
		if (strcmp(kind, "raw") == 0) {
			e->kind = EXP_RAW;
			e->data = hex_normalise(data);
			scr.raw_mode = true;
		} else if (strcmp(kind, "announce") == 0) {
			e->kind = EXP_ANNOUNCE;
			e->data = xstrdup(trim(data));
		} else if (strcmp(kind, "withdraw") == 0) {
			e->kind = EXP_WITHDRAW;
			e->data = xstrdup(trim(data));
		} else if (strcmp(kind, "signal") == 0) {
			e->kind = EXP_SIGNAL;
			e->data = xstrdup(trim(data));
		} else {
			return fail(
			    "%s:%zu: unknown kind '%s'", path, i + 1, kind);
		}
		scr.nexp++;
	}
	qsort(scr.exp, scr.nexp, sizeof(*scr.exp), exp_cmp);
	free(lines);
	return true;
}

static int
signal_number(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} tab[] = {
		{ "HUP", SIGHUP },
		{ "INT", SIGINT },
		{ "QUIT", SIGQUIT },
		{ "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 },
		{ "TERM", SIGTERM },
		{ "ALRM", SIGALRM },
		{ "CONT", SIGCONT },
	};
	size_t i;

	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(name, tab[i].name) == 0)
			return tab[i].sig;
	if (isdigit((unsigned char)*name))
		return atoi(name);
	return -1;
}

/* The first not-done expectation of a connection, or NULL. */
static struct expect *
current(int letter)
{
	size_t i;

	for (i = 0; i < scr.nexp; i++)
		if (scr.exp[i].conn == letter && !scr.exp[i].done)
			return &scr.exp[i];
	return NULL;
}

/*
 * Run the signal lines of the connection's current step: "when the step is
 * reached the peer sends that signal to the speaker and moves on".
 */
static bool
step_enter(int letter)
{
	struct expect *cur;
	size_t i;
	int sig;
	bool again = true;

	while (again) {
		again = false;
		cur = current(letter);
		if (cur == NULL)
			return true;
		for (i = 0; i < scr.nexp; i++) {
			struct expect *e = &scr.exp[i];

			if (e->conn != letter || e->done ||
			    strcmp(e->step, cur->step) != 0 ||
			    e->kind != EXP_SIGNAL)
				continue;
			sig = signal_number(e->data);
			if (sig < 0)
				return fail("unknown signal %s in step %c%s",
				    e->data, 'A' + letter, e->step);
			trace("step %c%s: sending %s to speaker pid %d",
			    'A' + letter, e->step, e->data, (int)speaker_pid);
			if (speaker_pid > 0 && kill(speaker_pid, sig) != 0)
				return fail("step %c%s: cannot send %s to "
				            "speaker: %s",
				    'A' + letter, e->step, e->data,
				    strerror(errno));
			e->done = true;
			again = true;
		}
	}
	return true;
}

static bool
all_done(void)
{
	size_t i;

	for (i = 0; i < scr.nexp; i++)
		if (!scr.exp[i].done)
			return false;
	return true;
}

static void
describe_remaining(int letter, char *out, size_t outlen)
{
	struct expect *cur = current(letter);
	size_t i, n = 0;

	out[0] = '\0';
	if (cur == NULL)
		return;
	for (i = 0; i < scr.nexp; i++)
		if (scr.exp[i].conn == letter && !scr.exp[i].done &&
		    strcmp(scr.exp[i].step, cur->step) == 0)
			n++;
	snprintf(out, outlen, "step %c%s still expects %zu message(s), e.g. %s",
	    'A' + letter, cur->step, n, cur->data);
}

/*
 * Match one item against the connection's current step; on a match mark it
 * done and move on to the next step when the step is complete.
 */
static bool
step_match(
    struct conn *c, enum exp_kind kind, const char *data, const char *what)
{
	struct expect *cur = current(c->letter);
	char rest[1024];
	size_t i;

	if (cur == NULL)
		return fail("connection %c: unexpected %s after its last step: "
		            "%s",
		    'A' + c->letter, what, data);
	for (i = 0; i < scr.nexp; i++) {
		struct expect *e = &scr.exp[i];

		if (e->conn != c->letter || e->done ||
		    strcmp(e->step, cur->step) != 0 || e->kind != kind ||
		    strcmp(e->data, data) != 0)
			continue;
		e->done = true;
		trace("connection %c step %s: matched %s", 'A' + c->letter,
		    e->step, data);
		return step_enter(c->letter);
	}
	describe_remaining(c->letter, rest, sizeof(rest));
	return fail("connection %c: unexpected %s %s (%s)", 'A' + c->letter,
	    what, data, rest);
}

static bool
send_keepalive(struct conn *c)
{
	uint8_t ka[BGP_HDR];

	memset(ka, 0xff, 16);
	ka[16] = 0;
	ka[17] = BGP_HDR;
	ka[18] = 4;
	if (!write_all(c->fd, ka, sizeof(ka)))
		trace("connection %c: cannot send KEEPALIVE: %s",
		    'A' + c->letter, strerror(errno));
	return true;
}

/* Does this OPEN offer ADD-PATH send+receive for IPv4 unicast? */
static bool
open_addpath4(const uint8_t *m, size_t len)
{
	size_t off = 29, end, plen, cend;
	uint8_t ptype;

	if (len < 29)
		return false;
	end = 29 + m[28];
	if (end > len)
		return false;
	while (off + 2 <= end) {
		ptype = m[off];
		plen = m[off + 1];
		off += 2;
		if (off + plen > end)
			return false;
		cend = off + plen;
		if (ptype == 2) {
			size_t co = off;

			while (co + 2 <= cend) {
				uint8_t code = m[co], clen = m[co + 1];
				size_t k;

				if (co + 2 + clen > cend)
					break;
				for (k = co + 2;
				     code == 69 && k + 4 <= co + 2 + clen;
				     k += 4)
					if (m[k] == 0 && m[k + 1] == 1 &&
					    m[k + 2] == 1 && m[k + 3] == 3)
						return true;
				co += 2 + (size_t)clen;
			}
		}
		off = cend;
	}
	return false;
}

/* Step (b) 1-3: echo the OPEN, KEEPALIVE, then the option messages. */
static bool
handle_open(struct conn *c, const uint8_t *m, size_t len)
{
	static const uint8_t dflt[] = { 0x00, 0x31, 0x02, 0x00, 0x00, 0x00,
		0x15, 0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00, 0x40, 0x03,
		0x04, 0x7f, 0x00, 0x00, 0x01, 0x40, 0x05, 0x04, 0x00, 0x00,
		0x00, 0x64, 0x20, 0x00, 0x00, 0x00, 0x00 };
	static const char extra[] = "loremipsum";
	uint8_t out[BGP_MAXMSG + 64], upd[16 + sizeof(dflt)];
	size_t olen = len, add;

	if (m[18] != 1)
		return fail("connection %c: first message has type %u, not "
		            "OPEN",
		    'A' + c->letter, m[18]);
	if (len < 29)
		return fail("connection %c: OPEN too short (%zu bytes)",
		    'A' + c->letter, len);
	memcpy(out, m, len);
	out[27]++; /* last byte of the BGP identifier, modulo 256 */
	if (scr.opt_unknown_capa) {
		/* Capability 66, value "loremipsum", as one more parameter. */
		if (out[28] == 255 && len >= 32 && out[29] == 255) {
			/* RFC 9072 extended optional parameters */
			add = 3 + 2 + 10;
			out[olen++] = 2;
			out[olen++] = 0;
			out[olen++] = 12;
			uint16_t el =
			    (uint16_t)((out[30] << 8 | out[31]) + add);
			out[30] = (uint8_t)(el >> 8);
			out[31] = (uint8_t)el;
		} else {
			add = 2 + 2 + 10;
			out[olen++] = 2;
			out[olen++] = 12;
			out[28] = (uint8_t)(out[28] + add);
		}
		out[olen++] = 66;
		out[olen++] = 10;
		memcpy(out + olen, extra, 10);
		olen += 10;
		out[16] = (uint8_t)(olen >> 8);
		out[17] = (uint8_t)olen;
	}
	c->addpath4 = open_addpath4(m, len);
	c->open_seen = true;
	trace("connection %c: OPEN received (%zu bytes), echoing it",
	    'A' + c->letter, len);
	if (!write_all(c->fd, out, olen))
		return fail("connection %c: cannot send OPEN: %s",
		    'A' + c->letter, strerror(errno));
	send_keepalive(c);
	if (scr.opt_default_route) {
		memset(upd, 0xff, 16);
		memcpy(upd + 16, dflt, sizeof(dflt));
		trace("connection %c: sending the default route",
		    'A' + c->letter);
		if (!write_all(c->fd, upd, sizeof(upd)))
			return fail("connection %c: cannot send UPDATE: %s",
			    'A' + c->letter, strerror(errno));
	}
	return step_enter(c->letter);
}

/* Check the IPv4 prefixes of a list (withdrawn routes or NLRI). */
static bool
check_prefixes(struct conn *c, const uint8_t *p, size_t len, enum exp_kind kind,
    size_t *count)
{
	char pfx[64], what[16];
	uint8_t a[4];
	size_t off = 0, nb;

	snprintf(what, sizeof(what), "%s",
	    kind == EXP_ANNOUNCE ? "announce" : "withdraw");
	while (off < len) {
		if (c->addpath4)
			off += 4;
		if (off >= len)
			return fail("connection %c: truncated prefix list",
			    'A' + c->letter);
		if (p[off] > 32)
			return fail("connection %c: IPv4 prefix length %u",
			    'A' + c->letter, p[off]);
		nb = (p[off] + 7u) / 8u;
		if (off + 1 + nb > len)
			return fail(
			    "connection %c: truncated prefix", 'A' + c->letter);
		memset(a, 0, sizeof(a));
		memcpy(a, p + off + 1, nb);
		snprintf(pfx, sizeof(pfx), "%u.%u.%u.%u/%u", a[0], a[1], a[2],
		    a[3], p[off]);
		off += 1 + nb;
		(*count)++;
		if (!step_match(c, kind, pfx, what))
			return false;
	}
	return true;
}

static bool
handle_update_prefixes(struct conn *c, const uint8_t *m, size_t len)
{
	size_t wlen, alen, count = 0;

	if (len < 23)
		return fail("connection %c: UPDATE too short", 'A' + c->letter);
	wlen = (size_t)m[19] << 8 | m[20];
	if (21 + wlen + 2 > len)
		return fail(
		    "connection %c: bad withdrawn length", 'A' + c->letter);
	alen = (size_t)m[21 + wlen] << 8 | m[22 + wlen];
	if (23 + wlen + alen > len)
		return fail(
		    "connection %c: bad attribute length", 'A' + c->letter);
	if (!check_prefixes(c, m + 21, wlen, EXP_WITHDRAW, &count))
		return false;
	if (!check_prefixes(c, m + 23 + wlen + alen, len - 23 - wlen - alen,
	        EXP_ANNOUNCE, &count))
		return false;
	if (count == 0)
		trace("connection %c: UPDATE without classic IPv4 prefixes, "
		      "skipped",
		    'A' + c->letter);
	return true;
}

static bool
handle_message(struct conn *c, const uint8_t *m, size_t len)
{
	char *hex;
	size_t i;
	bool ok;

	c->nmsg++;
	if (!c->open_seen)
		return handle_open(c, m, len);
	if (len == BGP_HDR)
		return true; /* KEEPALIVE: never compared */
	hex = xmalloc(2 * len + 1);
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02X", m[i]);
	trace(
	    "connection %c: received type %u: %s", 'A' + c->letter, m[18], hex);
	send_keepalive(c);
	if (scr.raw_mode)
		ok = step_match(c, EXP_RAW, hex, "message");
	else if (m[18] == 2)
		ok = handle_update_prefixes(c, m, len);
	else
		ok = true; /* announce/withdraw mode checks UPDATEs only */
	free(hex);
	return ok;
}

/* Read what is available and handle every complete message. */
static bool
conn_read(struct conn *c)
{
	ssize_t n;
	size_t mlen;

	n = read(c->fd, c->buf + c->len, BGP_MAXMSG + 1 - c->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		trace("connection %c: closed by the speaker (%s)",
		    'A' + c->letter, n == 0 ? "end of file" : strerror(errno));
		c->closed = true;
		close(c->fd);
		c->fd = -1;
		return true;
	}
	c->len += (size_t)n;
	while (c->len >= BGP_HDR) {
		mlen = (size_t)c->buf[16] << 8 | c->buf[17];
		if (mlen < BGP_HDR)
			return fail("connection %c: message length %zu",
			    'A' + c->letter, mlen);
		if (c->len < mlen)
			break;
		if (!handle_message(c, c->buf, mlen))
			return false;
		if (all_done())
			return true;
		memmove(c->buf, c->buf + mlen, c->len - mlen);
		c->len -= mlen;
	}
	return true;
}

static int
listen_on(int family, int port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = in6addr_loopback;
		sl = sizeof(*sin6);
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 8) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static pid_t
speaker_start(char **argv, const char *dir, const char *log, int port)
{
	char portstr[16];
	pid_t pid;
	int fd;

	pid = fork();
	if (pid != 0)
		return pid;
	setsid(); /* own session and process group: killed as a group */
	if (chdir(dir) != 0) {
		perror(dir);
		_exit(126);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	snprintf(portstr, sizeof(portstr), "%d", port);
	setenv("exabgp_tcp_port", portstr, 1);
	setenv("exabgp_tcp_bind", "", 1);
	setenv("exabgp_tcp_once", "true", 1);
	setenv("exabgp_api_cli", "false", 1);
	setenv("exabgp_debug_rotate", "true", 1);
	setenv("exabgp_debug_configuration", "true", 1);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "exabgp_peer: cannot run %s: %s\n", argv[0],
	    strerror(errno));
	_exit(127);
}

static void
speaker_reap(void)
{
	int st;

	if (speaker_pid <= 0 || speaker_status >= 0)
		return;
	if (waitpid(speaker_pid, &st, WNOHANG) == speaker_pid) {
		speaker_status = st;
		speaker_exit_at = now_s();
		trace("speaker exited (%s %d)",
		    WIFEXITED(st) ? "status" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
}

/* Stop the speaker's process group: SIGTERM, then SIGKILL after 5 s. */
static void
speaker_stop(void)
{
	double until;

	if (speaker_pid <= 0)
		return;
	speaker_reap();
	if (speaker_status < 0) {
		kill(-speaker_pid, SIGTERM);
		until = now_s() + 5;
		while (speaker_status < 0 && now_s() < until) {
			usleep(50000);
			speaker_reap();
		}
		if (speaker_status < 0) {
			trace("speaker ignores SIGTERM, sending SIGKILL");
			kill(-speaker_pid, SIGKILL);
			waitpid(speaker_pid, &speaker_status, 0);
		}
	}
	/* Anything left in its process group (helpers it started). */
	kill(-speaker_pid, SIGKILL);
}

/* Stop the API helpers that recorded their pid, if they still run. */
static void
helpers_stop(const char *pidfile)
{
	char self[PATH_MAX], exe[PATH_MAX], path[64], *text, **lines;
	ssize_t n;
	size_t i, nl;
	int pid;

	if (pidfile == NULL || (text = slurp(pidfile)) == NULL)
		return;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	nl = split_lines(text, &lines);
	for (i = 0; i < nl; i++) {
		pid = atoi(lines[i]);
		if (pid <= 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n <= 0)
			continue;
		exe[n] = '\0';
		if (strcmp(exe, self) == 0) {
			trace("stopping API helper pid %d", pid);
			kill(pid, SIGTERM);
		}
	}
	free(lines);
	free(text);
}

/* Last non-empty line of the speaker's log, for a failure message. */
static void
log_tail(char *out, size_t outlen)
{
	char *text = speaker_log ? slurp(speaker_log) : NULL, **lines, *l;
	size_t n;

	out[0] = '\0';
	if (text == NULL)
		return;
	n = split_lines(text, &lines);
	while (n > 0) {
		l = trim(lines[--n]);
		if (*l != '\0') {
			snprintf(out, outlen, "%.300s", l);
			break;
		}
	}
	free(lines);
	free(text);
}

static void
explain_incomplete(const char *why)
{
	char rest[1024], tail[400];
	size_t i;
	int letter = -1;

	for (i = 0; i < scr.nexp; i++)
		if (!scr.exp[i].done) {
			letter = scr.exp[i].conn;
			break;
		}
	describe_remaining(letter, rest, sizeof(rest));
	if (letter >= 0 && (size_t)letter >= nconns)
		snprintf(rest + strlen(rest), sizeof(rest) - strlen(rest),
		    "; connection %c was never opened (%zu accepted)",
		    'A' + letter, nconns);
	log_tail(tail, sizeof(tail));
	fail("%s: %s%s%s", why, rest, tail[0] ? "; speaker log: " : "", tail);
}

int
peer_main(int argc, char **argv)
{
	const char *msg = NULL, *dir = ".", *pids = NULL;
	struct pollfd pfd[2 + MAX_CONN];
	int port = 0, lfd[2], nl = 0, i, n, timeout = 60;
	size_t k;
	double deadline;
	char why[128];

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--msg") == 0)
			msg = argv[++i];
		else if (strcmp(argv[i], "--dir") == 0)
			dir = argv[++i];
		else if (strcmp(argv[i], "--log") == 0)
			speaker_log = argv[++i];
		else if (strcmp(argv[i], "--pids") == 0)
			pids = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout = atoi(argv[++i]);
	}
	if (msg == NULL || port <= 0 || i >= argc) {
		fprintf(stderr,
		    "usage: exabgp_peer peer --port P --msg FILE "
		    "[--dir D] [--log F] [--pids F] [--timeout S] "
		    "-- SPEAKER ARGS...\n");
		return 2;
	}
	t_start = now_s();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (!script_load(msg)) {
		printf("%s\n", fail_reason);
		return 1;
	}
	lfd[nl] = listen_on(AF_INET, port);
	if (lfd[nl] < 0) {
		printf("cannot listen on 127.0.0.1:%d: %s\n", port,
		    strerror(errno));
		return errno == EADDRINUSE ? 3 : 1;
	}
	nl++;
	lfd[nl] = listen_on(AF_INET6, port);
	if (lfd[nl] >= 0)
		nl++;
	else if (errno == EADDRINUSE) {
		printf(
		    "cannot listen on [::1]:%d: %s\n", port, strerror(errno));
		return 3;
	} else
		trace(
		    "no IPv6 listener on [::1]:%d: %s", port, strerror(errno));
	trace("listening on port %d, %zu expectation(s), %s mode", port,
	    scr.nexp, scr.raw_mode ? "raw" : "announce/withdraw");
	speaker_pid = speaker_start(argv + i, dir, speaker_log, port);
	if (speaker_pid < 0) {
		printf("cannot start the speaker: %s\n", strerror(errno));
		return 1;
	}
	trace("speaker started, pid %d", (int)speaker_pid);
	deadline = t_start + timeout;
	while (fail_reason[0] == '\0' && !all_done()) {
		speaker_reap();
		if (interrupted) {
			fail("interrupted by signal %d", (int)interrupted);
			break;
		}
		if (now_s() >= deadline) {
			snprintf(
			    why, sizeof(why), "timeout after %d s", timeout);
			explain_incomplete(why);
			break;
		}
		if (speaker_status >= 0 && now_s() > speaker_exit_at + 1) {
			snprintf(why, sizeof(why), "speaker exited (%s %d)",
			    WIFEXITED(speaker_status) ? "status" : "signal",
			    WIFEXITED(speaker_status)
			        ? WEXITSTATUS(speaker_status)
			        : WTERMSIG(speaker_status));
			explain_incomplete(why);
			break;
		}
		n = 0;
		for (i = 0; i < nl; i++)
			pfd[n++] =
			    (struct pollfd){ .fd = lfd[i], .events = POLLIN };
		for (k = 0; k < nconns; k++)
			pfd[n++] = (struct pollfd){ .fd = conns[k].fd,
				.events = POLLIN };
		if (poll(pfd, (nfds_t)n, 100) <= 0)
			continue;
		for (i = 0; i < nl; i++) {
			int fd;
			struct conn *c;

			if (!(pfd[i].revents & POLLIN))
				continue;
			fd = accept4(lfd[i], NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			if (nconns == MAX_CONN) {
				close(fd);
				continue;
			}
			c = &conns[nconns];
			memset(c, 0, sizeof(*c));
			c->fd = fd;
			c->letter = (int)nconns++;
			c->buf = xmalloc(BGP_MAXMSG + 1);
			trace("connection %c accepted on %s", 'A' + c->letter,
			    i == 0 ? "127.0.0.1" : "::1");
		}
		for (k = 0; k < nconns && fail_reason[0] == '\0'; k++)
			if (conns[k].fd >= 0 &&
			    (pfd[nl + (int)k].revents &
			        (POLLIN | POLLHUP | POLLERR)))
				conn_read(&conns[k]);
		for (k = 0; k < nconns && fail_reason[0] == '\0'; k++)
			if (conns[k].closed && current(conns[k].letter)) {
				char rest[1024];

				describe_remaining(
				    conns[k].letter, rest, sizeof(rest));
				conns[k].closed = false; /* report once */
				fail("connection %c closed by the speaker: %s",
				    'A' + conns[k].letter, rest);
			}
	}
	trace("%s", fail_reason[0] ? "case failed" : "case passed");
	speaker_stop();
	helpers_stop(pids);
	if (fail_reason[0] != '\0') {
		printf("%s\n", fail_reason);
		return 1;
	}
	printf("ok\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "peer") == 0)
		return peer_main(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "api") == 0)
		return api_main(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "api-dump") == 0)
		return api_dump_main(argc - 2, argv + 2);
	fprintf(stderr, "usage: exabgp_peer peer|api|api-dump ...\n");
	return 2;
}
