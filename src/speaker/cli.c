/* SPDX-License-Identifier: ISC */
/* speaker/cli.c - ExaBGP's CLI channel: named pipes, speaker and client side. */

#include "speaker/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "lib/log.h"
#include "lib/sbuf.h"
#include "lib/xmalloc.h"
#include "speaker/engine.h"
#include "speaker/show.h"
#include "speaker/spk_int.h"

/*
 * ExaBGP 4.2 talks to exabgpcli over two named pipes, <name>.in (commands,
 * one per line) and <name>.out (answers), found in the first of a fixed
 * list of folders that holds both (application/bgp.py named_pipe()).
 * Every answer ends with a line "done" or "error" (reactor/api/response/
 * answer.py); exabgpcli prints the lines before it, and for "error" two
 * lines on stderr.  The speaker keeps .in open read-write, so it never
 * sees an end of file, and opens .out for each answer without blocking:
 * while no client reads, the answer waits (ExaBGP's helper retries the
 * same way), and is dropped after CLI_DROP seconds.
 */

#define CLI_NLOC      12
#define CLI_RETRY_MS  50
#define CLI_DROP      10
#define CLI_WAIT_MS   5000 /* client: for the speaker, then per answer */
#define CLI_DRAIN_MS  1500 /* client: old answers left in .out */
#define CLI_LINE_MAX  65536
#define CLI_WORDS_MAX 256

struct spk_cli {
	struct spk *k; /* borrowed */
	char in_path[PATH_MAX], out_path[PATH_MAX];
	bool made_in, made_out; /* created here: removed at stop */
	int in_fd, out_fd;
	struct event *rd, *wr, *retry;   /* owned */
	struct evbuffer *inbuf, *outbuf; /* owned */
	time_t waiting;                  /* since when output waits */
};

/* ---- where the pipes are ---- */

/* The installation root: the folder above bin/ or sbin/ of this program. */
static void
cli_root(char *root, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	root[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	snprintf(root, len, "%s", exe);
}

/* ExaBGP 4.2's folders, in its order (application/bgp.py named_pipe). */
static int
cli_locations(const char *root, char loc[CLI_NLOC][PATH_MAX])
{
	static const char *const rel[] = { "/run/exabgp/", "/run/%u/", "/run/",
		"/var/run/exabgp/", "/var/run/%u/", "/var/run/" };
	unsigned uid = (unsigned)getuid();
	char tmp[64]; /* the longest is "/var/run/4294967295/" */
	int i;

	for (i = 0; i < 6; i++) {
		snprintf(tmp, sizeof(tmp), rel[i], uid);
		snprintf(loc[i], PATH_MAX, "%s", tmp);
		snprintf(
		    loc[i + 6], PATH_MAX, "%.*s%s", PATH_MAX / 2, root, tmp);
	}
	return CLI_NLOC;
}

/* Only the folders under root (a lab's own pipes, never the system's). */
static int
cli_root_locations(const char *root, char loc[CLI_NLOC][PATH_MAX])
{
	int i, n = cli_locations(root, loc);

	for (i = 0; i < n / 2; i++)
		memcpy(loc[i], loc[i + n / 2], PATH_MAX);
	return n / 2;
}

static bool
is_fifo(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

static void
pipe_paths(const char *loc, const char *name, char *in, char *out)
{
	snprintf(
	    in, PATH_MAX, "%.*s%.*s.in", PATH_MAX / 2, loc, PATH_MAX / 4, name);
	snprintf(out, PATH_MAX, "%.*s%.*s.out", PATH_MAX / 2, loc, PATH_MAX / 4,
	    name);
}

/* The first folder with both pipes; -1 when none has them. */
static int
cli_find(char loc[CLI_NLOC][PATH_MAX], int nloc, const char *name, char *in,
    char *out)
{
	int i;

	for (i = 0; i < nloc; i++) {
		pipe_paths(loc[i], name, in, out);
		if (is_fifo(in) && is_fifo(out))
			return i;
	}
	return -1;
}

/* ---- speaker side ---- */

static void cli_read_cb(evutil_socket_t fd, short what, void *arg);
static void cli_write_cb(evutil_socket_t fd, short what, void *arg);
static void cli_flush(struct spk_cli *c);

/* Make the pipes in the first folder that takes them. */
static bool
cli_make(
    struct spk_cli *c, char loc[CLI_NLOC][PATH_MAX], int nloc, const char *name)
{
	struct stat st;
	int i;

	(void)mkdir(loc[0], 0755); /* /run/exabgp/, as Debian's package */
	for (i = 0; i < nloc; i++) {
		if (stat(loc[i], &st) != 0 || !S_ISDIR(st.st_mode) ||
		    access(loc[i], W_OK) != 0)
			continue;
		pipe_paths(loc[i], name, c->in_path, c->out_path);
		if (!is_fifo(c->in_path)) {
			if (mkfifo(c->in_path, 0600) != 0)
				continue;
			c->made_in = true;
		}
		if (!is_fifo(c->out_path)) {
			if (mkfifo(c->out_path, 0600) != 0) {
				if (c->made_in)
					unlink(c->in_path);
				c->made_in = false;
				continue;
			}
			c->made_out = true;
		}
		return true;
	}
	return false;
}

void
spk_cli_start(struct spk *k)
{
	char loc[CLI_NLOC][PATH_MAX], root[PATH_MAX];
	struct spk_cli *c;
	int nloc;

	if (!k->env.api.cli || k->cli != NULL)
		return;
	c = xcalloc(1, sizeof(*c));
	c->k = k;
	c->in_fd = c->out_fd = -1;
	if (spk_root != NULL) {
		snprintf(root, sizeof(root), "%s", spk_root);
		nloc = cli_root_locations(root, loc);
	} else {
		cli_root(root, sizeof(root));
		nloc = cli_locations(root, loc);
	}
	if (cli_find(loc, nloc, k->env.api.pipename, c->in_path, c->out_path) <
	        0 &&
	    !cli_make(c, loc, nloc, k->env.api.pipename)) {
		log_warnx("cli: could not find or make the named pipes "
		          "(%s.in and %s.out) in %s or the other folders "
		          "ExaBGP searches",
		    k->env.api.pipename, k->env.api.pipename, loc[0]);
		free(c);
		return;
	}
	c->in_fd = open(c->in_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (c->in_fd < 0) {
		log_warn("cli: %s", c->in_path);
		k->cli = c;
		spk_cli_stop(k);
		return;
	}
	c->inbuf = evbuffer_new();
	c->outbuf = evbuffer_new();
	c->rd =
	    event_new(k->base, c->in_fd, EV_READ | EV_PERSIST, cli_read_cb, c);
	c->retry = evtimer_new(k->base, cli_write_cb, c);
	event_add(c->rd, NULL);
	k->cli = c;
	log_info("cli: commands on %s, answers on %s", c->in_path, c->out_path);
}

void
spk_cli_stop(struct spk *k)
{
	struct spk_cli *c = k->cli;

	if (c == NULL)
		return;
	if (c->rd != NULL)
		event_free(c->rd);
	if (c->wr != NULL)
		event_free(c->wr);
	if (c->retry != NULL)
		event_free(c->retry);
	if (c->inbuf != NULL)
		evbuffer_free(c->inbuf);
	if (c->outbuf != NULL)
		evbuffer_free(c->outbuf);
	if (c->in_fd >= 0)
		close(c->in_fd);
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->made_in)
		unlink(c->in_path);
	if (c->made_out)
		unlink(c->out_path);
	free(c);
	k->cli = NULL;
}

/* One line from the CLI: what it prints, then "done" or "error". */
static void
cli_line(struct spk *k, const char *line, struct sbuf *out)
{
	switch (spk_command(k, line, NULL, out)) {
	case SPK_DONE:
		sbuf_puts(out, "done\n");
		break;
	case SPK_ERROR:
		sbuf_puts(out, "error\n");
		break;
	case SPK_SILENT:
		break;
	}
}

static void
cli_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spk_cli *c = arg;
	struct sbuf out;
	size_t len;
	char *line;
	int n;

	(void)what;
	while ((n = evbuffer_read(c->inbuf, fd, 4096)) > 0)
		;
	sbuf_init(&out);
	while (
	    (line = evbuffer_readln(c->inbuf, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > 0) {
			log_info("cli: command: %s", line);
			cli_line(c->k, line, &out);
		}
		free(line);
	}
	if (evbuffer_get_length(c->inbuf) > CLI_LINE_MAX)
		evbuffer_drain(c->inbuf, evbuffer_get_length(c->inbuf));
	if (out.len > 0) {
		if (evbuffer_get_length(c->outbuf) == 0)
			c->waiting = time(NULL);
		evbuffer_add(c->outbuf, out.s, out.len);
		cli_flush(c);
	}
	sbuf_fini(&out);
}

static void
cli_write_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	cli_flush(arg);
}

static void
cli_close_out(struct spk_cli *c)
{
	if (c->wr != NULL)
		event_free(c->wr);
	c->wr = NULL;
	if (c->out_fd >= 0)
		close(c->out_fd);
	c->out_fd = -1;
}

/* Write the pending answers to .out once a client reads it. */
static void
cli_flush(struct spk_cli *c)
{
	struct timeval tv = { 0, CLI_RETRY_MS * 1000 };
	int n;

	while (evbuffer_get_length(c->outbuf) > 0) {
		if (c->out_fd < 0) {
			c->out_fd = open(
			    c->out_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
			if (c->out_fd < 0) {
				if (time(NULL) - c->waiting > CLI_DROP) {
					log_warnx("cli: nobody reads %s, "
					          "answer dropped",
					    c->out_path);
					evbuffer_drain(c->outbuf,
					    evbuffer_get_length(c->outbuf));
					return;
				}
				evtimer_add(c->retry, &tv);
				return;
			}
		}
		n = evbuffer_write(c->outbuf, c->out_fd);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (c->wr == NULL)
				c->wr = event_new(c->k->base, c->out_fd,
				    EV_WRITE, cli_write_cb, c);
			event_add(c->wr, NULL);
			return;
		}
		if (n < 0) { /* the reader went away: wait for the next */
			cli_close_out(c);
			evtimer_add(c->retry, &tv);
			return;
		}
	}
	cli_close_out(c);
	c->waiting = 0;
}

/* ---- client side: vrs-speaker cli ---- */

/* exabgpcli's abbreviations (application/cli.py), applied word by word. */
struct nick {
	const char *nick, *name;
	int rule;
};

enum {
	R_FIRST_OR_IP, /* pos == 0, or after an address (never, as 4.2) */
	R_AFTER_AW,    /* previous word announce or withdraw */
	R_ANY,
	R_AFTER_ANNOUNCE,
	R_SHOW_BEFORE, /* 'show' among the previous words */
	R_FIRST,
	R_AFTER_ADJRIB,
	R_FIRST_OR_SHOW,
	R_NEVER, /* compares a list with a string in 4.2 */
	R_NOT_FIRST,
	R_AFTER_CFS, /* previous word clear, flush or show */
};

static const struct nick nicks[] = {
	{ "a", "announce", R_FIRST_OR_IP },
	{ "a", "attributes", R_AFTER_AW },
	{ "c", "configuration", R_ANY },
	{ "e", "eor", R_AFTER_ANNOUNCE },
	{ "e", "extensive", R_SHOW_BEFORE },
	{ "f", "flow", R_AFTER_AW },
	{ "f", "flush", R_FIRST_OR_IP },
	{ "h", "help", R_FIRST },
	{ "i", "in", R_AFTER_ADJRIB },
	{ "n", "neighbor", R_FIRST_OR_SHOW },
	{ "r", "route", R_NEVER },
	{ "rr", "route-refresh", R_NEVER },
	{ "s", "show", R_FIRST },
	{ "t", "teardown", R_FIRST_OR_IP },
	{ "s", "summary", R_NOT_FIRST },
	{ "v", "vps", R_AFTER_AW },
	{ "o", "operation", R_AFTER_ANNOUNCE },
	{ "o", "out", R_AFTER_ADJRIB },
	{ "a", "adj-rib", R_AFTER_CFS },
	{ "w", "withdraw", R_FIRST_OR_IP },
	{ "w", "watchdog", R_AFTER_AW },
	{ "neighbour", "neighbor", R_ANY },
	{ "neigbour", "neighbor", R_ANY },
	{ "neigbor", "neighbor", R_ANY },
};

static bool
nick_rule(int rule, int pos, char **done, int ndone)
{
	const char *prev = done[ndone - 1];
	int i;

	switch (rule) {
	case R_FIRST_OR_IP:
	case R_FIRST:
		return pos == 0;
	case R_AFTER_AW:
		return strcmp(prev, "announce") == 0 ||
		    strcmp(prev, "withdraw") == 0;
	case R_ANY:
		return true;
	case R_AFTER_ANNOUNCE:
		return strcmp(prev, "announce") == 0;
	case R_SHOW_BEFORE:
		for (i = 0; i < ndone; i++)
			if (strcmp(done[i], "show") == 0)
				return true;
		return false;
	case R_AFTER_ADJRIB:
		return strcmp(prev, "adj-rib") == 0;
	case R_FIRST_OR_SHOW:
		return pos == 0 || strcmp(prev, "show") == 0;
	case R_NOT_FIRST:
		return pos != 0;
	case R_AFTER_CFS:
		return strcmp(prev, "clear") == 0 ||
		    strcmp(prev, "flush") == 0 || strcmp(prev, "show") == 0;
	default:
		return false;
	}
}

/* The command exabgpcli would send for the words typed. */
static void
cli_expand(int argc, char **argv, struct sbuf *out)
{
	char *done[CLI_WORDS_MAX + 1];
	size_t k, n;
	int i, nd = 1;

	done[0] = "";
	for (i = 0; i < argc && nd < CLI_WORDS_MAX; i++) {
		const char *t = argv[i], *use = t;

		for (k = 0; k < sizeof(nicks) / sizeof(*nicks); k++) {
			n = strlen(t);
			if ((strcmp(t, nicks[k].nick) == 0 ||
			        strncmp(nicks[k].name, t, n) == 0) &&
			    nick_rule(nicks[k].rule, i, done, nd)) {
				use = nicks[k].name;
				break;
			}
		}
		done[nd++] = (char *)(uintptr_t)use;
		sbuf_printf(out, "%s%s", i ? " " : "", use);
	}
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read and drop what an earlier command left in .out (exabgpcli does). */
static void
cli_drain(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	int64_t end = now_ms() + CLI_DRAIN_MS;
	char buf[4096];
	ssize_t n;

	while (now_ms() < end && poll(&pfd, 1, 0) > 0 &&
	    (n = read(fd, buf, sizeof(buf))) > 0)
		if (n >= 5 &&
		    (memcmp(buf + n - 5, "done\n", 5) == 0 ||
		        (n >= 6 && memcmp(buf + n - 6, "error\n", 6) == 0)))
			break;
}

/* Open .in for writing, waiting (bounded) for a speaker to read it. */
static int
cli_open_writer(const char *path)
{
	int64_t end = now_ms() + CLI_WAIT_MS;
	int fd;

	for (;;) {
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 || errno != ENXIO || now_ms() >= end)
			break;
		usleep(100 * 1000);
	}
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Print the answer's lines up to "done" / "error"; the exit status. */
static int
cli_answer(int fd, bool ack)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char buf[4096], line[CLI_LINE_MAX];
	size_t ll = 0;
	ssize_t n, i;
	int64_t last = now_ms();

	for (;;) {
		if (poll(&pfd, 1, 10) <= 0) {
			if (!ack && now_ms() - last >= 500)
				return 0;
			if (now_ms() - last < CLI_WAIT_MS)
				continue;
			fputs("\nwarning: no end of command message received\n"
			      "warning: normal if exabgp.api.ack is set to "
			      "false otherwise some data may get stuck on the "
			      "pipe\n"
			      "warning: otherwise it may cause exabgp reactor "
			      "to block\n",
			    stderr);
			return 1;
		}
		if ((n = read(fd, buf, sizeof(buf))) <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				fprintf(stderr,
				    "vrs-speaker: cli: could not read answer "
				    "from the speaker: %s\n",
				    strerror(errno));
				return 1;
			}
			continue;
		}
		last = now_ms();
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			if (strcmp(line, "done") == 0)
				return 0;
			if (strcmp(line, "shutdown") == 0) {
				fputs("ExaBGP is shutting down, command "
				      "aborted\n",
				    stderr);
				return 1;
			}
			if (strcmp(line, "error") == 0) {
				fputs("ExaBGP returns an error (see ExaBGP's "
				      "logs for more information)\n"
				      "use help for a list of available "
				      "commands\n",
				    stderr);
				return 1;
			}
			printf("%s\n", line);
			fflush(stdout);
		}
	}
}

int
spk_cli_main(int argc, char **argv)
{
	extern char **environ;
	char loc[CLI_NLOC][PATH_MAX], root[PATH_MAX], in[PATH_MAX],
	    out[PATH_MAX];
	struct spk_env env;
	struct sbuf cmd, errs, typed;
	int i, nloc, rfd, wfd, rc;

	argc--;
	argv++;
	root[0] = '\0';
	bool own = false;
	if (argc >= 2 && strcmp(argv[0], "--root") == 0) {
		snprintf(root, sizeof(root), "%s", argv[1]);
		own = true;
		argc -= 2;
		argv += 2;
	} else
		cli_root(root, sizeof(root));
	if (argc < 1 || strcmp(argv[0], "--help") == 0) {
		printf("usage: vrs-speaker cli [--root ROOT] COMMAND...\n"
		       "  send COMMAND to the running speaker over its named "
		       "pipes; `help` lists them\n");
		return argc < 1 ? 1 : 0;
	}
	spk_env_init(&env);
	sbuf_init(&errs);
	if (!spk_env_load(&env, environ, &errs))
		fputs(errs.s, stderr);
	sbuf_fini(&errs);
	nloc = own ? cli_root_locations(root, loc) : cli_locations(root, loc);
	if (cli_find(loc, nloc, env.api.pipename, in, out) < 0) {
		printf("could not find ExaBGP's named pipes (%s.in and %s.out) "
		       "for the cli\n"
		       "we scanned the following folders (the number is your "
		       "PID):\n",
		    env.api.pipename, env.api.pipename);
		for (i = 0; i < nloc; i++)
			printf(" - %s\n", loc[i]);
		return 1;
	}
	if ((rfd = open(out, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
		fprintf(
		    stderr, "vrs-speaker: cli: %s: %s\n", out, strerror(errno));
		return 1;
	}
	cli_drain(rfd);
	sbuf_init(&cmd);
	sbuf_init(&typed);
	cli_expand(argc, argv, &cmd);
	for (i = 0; i < argc; i++)
		sbuf_printf(&typed, "%s%s", i ? " " : "", argv[i]);
	if (strcmp(cmd.s, typed.s) != 0)
		printf("command: %s\n", cmd.s);
	if ((wfd = cli_open_writer(in)) < 0) {
		fprintf(stderr,
		    "vrs-speaker: cli: no speaker is reading %s (is "
		    "vrs-speaker running, with exabgp.api.cli true?)\n",
		    in);
		rc = 1;
		goto out;
	}
	sbuf_putc(&cmd, '\n');
	if (write(wfd, cmd.s, cmd.len) != (ssize_t)cmd.len) {
		fprintf(stderr,
		    "vrs-speaker: cli: could not send command: %s\n",
		    strerror(errno));
		close(wfd);
		rc = 1;
		goto out;
	}
	close(wfd);
	rc = strcmp(typed.s, "reset") == 0 ? 0 : cli_answer(rfd, env.api.ack);
out:
	close(rfd);
	sbuf_fini(&cmd);
	sbuf_fini(&typed);
	return rc;
}
