/*
 * bench/speaker-api.c - helper of bench/speaker (C11, no dependencies).
 *
 *   speaker-api now
 *       print CLOCK_MONOTONIC in ms (the clock of bgpblast's *_mono_ms)
 *   speaker-api feed GO MARK CMDS ack|noack [WINDOW]
 *       the program of an ExaBGP `process` block: wait until the file GO
 *       exists (the bench creates it once the sink's session is up), write
 *       "start_ms=T" to MARK, then copy every line of CMDS to stdout (the
 *       speaker's text API) as fast as the speaker takes them.  With `ack`
 *       (api.ack on, ExaBGP's default) it keeps at most WINDOW commands
 *       (1 to 1000, default 1) waiting for the speaker's "done" or "error":
 *       1 is lockstep, each command after the answer to the one before; a
 *       larger window writes the next commands while the answers come, in
 *       one write each time, and counts the answers as they arrive.  With
 *       `noack` it only writes, WINDOW lines a write.  Then it appends
 *       "sent_ms=T sent=S done=D errors=E window=W" to MARK and stays until
 *       stdin closes (ExaBGP restarts a program that exits), so the speaker
 *       is never left without its process.
 *   speaker-api floor M [WINDOW]
 *       the same exchange, WINDOW commands in flight, with a child that
 *       answers "done" to each line and does nothing else (blocking reads,
 *       as a speaker's event loop; the answers to one read in one write):
 *       M commands, then "floor_us=T" (microseconds a command).  No
 *       speaker can answer faster through pipes on this machine.
 *
 * Exit status: 0, or 1 on a usage or I/O error (written to stderr).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Lines from stdin, unbuffered by stdio so that nothing is read ahead. */
static char ibuf[65536];
static size_t ioff, ilen;

/* Next line of stdin into *line (NUL-terminated, without "\n"); -1 at EOF. */
static int
read_line(char **line)
{
	for (;;) {
		char *nl = memchr(ibuf + ioff, '\n', ilen - ioff);

		if (nl != NULL) {
			*nl = '\0';
			*line = ibuf + ioff;
			ioff = (size_t)(nl - ibuf) + 1;
			return 0;
		}
		if (ioff > 0) {
			memmove(ibuf, ibuf + ioff, ilen - ioff);
			ilen -= ioff;
			ioff = 0;
		}
		if (ilen == sizeof(ibuf))
			ilen = 0; /* an overlong line: dropped */
		ssize_t r = read(0, ibuf + ilen, sizeof(ibuf) - ilen);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ilen += (size_t)r;
	}
}

/* Whether a whole line is already in ibuf (no read needed). */
static int
have_line(void)
{
	return memchr(ibuf + ioff, '\n', ilen - ioff) != NULL;
}

/* Count one line from the speaker: 1 if it answered a command. */
static int
answer(const char *ln, unsigned long *done, unsigned long *errors)
{
	if (strcmp(ln, "done") == 0) {
		(*done)++;
		return 1;
	}
	if (strcmp(ln, "error") == 0) {
		(*errors)++;
		return 1;
	}
	return 0; /* an event or a show command's text: not an answer */
}

/*
 * Read the answers to what was sent: one at least, then those already
 * read; -1 if stdin closed first.
 */
static int
read_answers(unsigned long sent, unsigned long *answered, unsigned long *done,
    unsigned long *errors)
{
	char *ln;

	do {
		if (read_line(&ln) < 0)
			return -1;
		*answered += (unsigned long)answer(ln, done, errors);
	} while (*answered < sent && have_line());
	return 0;
}

static int
feed(const char *go, const char *mark, const char *cmds, int ack,
    unsigned long win)
{
	double limit = now_ms() + 3600e3, t0;
	unsigned long done = 0, errors = 0, sent = 0, answered = 0, batch;
	static char out[1000 * 512]; /* win lines of at most 511 bytes */
	char buf[512], *ln;
	size_t olen, n;
	int eof = 0;
	FILE *in, *m;

	while (access(go, F_OK) != 0) {
		if (now_ms() > limit) {
			fprintf(stderr, "speaker-api: %s never appeared\n", go);
			return 1;
		}
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	if ((in = fopen(cmds, "r")) == NULL) {
		fprintf(stderr, "speaker-api: %s: %s\n", cmds, strerror(errno));
		return 1;
	}
	t0 = now_ms();
	if ((m = fopen(mark, "w")) == NULL) {
		fprintf(stderr, "speaker-api: %s: %s\n", mark, strerror(errno));
		return 1;
	}
	fprintf(m, "start_ms=%.1f\n", t0);
	fflush(m);
	while (!eof || (ack && answered < sent)) {
		/* up to win lines unanswered, written together */
		olen = 0;
		for (batch = 0;
		     !eof && batch < win && (!ack || sent - answered < win);) {
			if (fgets(buf, sizeof(buf), in) == NULL) {
				eof = 1;
				break;
			}
			if ((n = strlen(buf)) <= 1)
				continue;
			memcpy(out + olen, buf, n);
			olen += n;
			sent++;
			batch++;
		}
		if (olen > 0 && write_all(1, out, olen) < 0) {
			fprintf(stderr, "speaker-api: write: %s\n",
			    strerror(errno));
			break;
		}
		if (!ack || answered == sent)
			continue;
		if (read_answers(sent, &answered, &done, &errors) < 0) {
			fprintf(stderr,
			    "speaker-api: stdin closed after %lu commands\n",
			    sent);
			break;
		}
	}
	fclose(in);
	fprintf(m, "sent_ms=%.1f sent=%lu done=%lu errors=%lu window=%lu\n",
	    now_ms(), sent, done, errors, win);
	fclose(m);
	while (read_line(&ln) == 0) /* until the speaker goes away */
		;
	return 0;
}

/* The child of floor(): "done" for every line on fd in, to fd out, the
 * answers to one read in one write. */
static void
echo_done(int in, int out)
{
	static char ans[5 * 4096];
	char buf[4096];
	ssize_t r, i;
	size_t n;

	while (
	    (r = read(in, buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR)) {
		for (i = 0, n = 0; i < r; i++)
			if (buf[i] == '\n') {
				memcpy(ans + n, "done\n", 5);
				n += 5;
			}
		if (n > 0 && write_all(out, ans, n) < 0)
			return;
	}
}

static int
floor_run(unsigned long m, unsigned long win)
{
	static const char cmd[] =
	    "announce route 1.0.0.0/24 next-hop 203.0.113.1\n";
	static char out[1000 * sizeof(cmd)];
	unsigned long sent = 0, answered = 0, done = 0, errors = 0, k;
	int to[2], from[2], st;
	double t0, t1;
	pid_t pid;

	if (pipe(to) < 0 || pipe(from) < 0 || (pid = fork()) < 0) {
		fprintf(stderr, "speaker-api: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		echo_done(to[0], from[1]);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	if (dup2(from[0], 0) < 0)
		return 1;
	t0 = now_ms();
	while (answered < m) {
		for (k = 0; sent < m && sent - answered < win; k++, sent++)
			memcpy(
			    out + k * (sizeof(cmd) - 1), cmd, sizeof(cmd) - 1);
		if (k > 0 && write_all(to[1], out, k * (sizeof(cmd) - 1)) < 0)
			break;
		if (read_answers(sent, &answered, &done, &errors) < 0)
			break;
	}
	t1 = now_ms();
	close(to[1]);
	waitpid(pid, &st, 0);
	if (done != m) {
		fprintf(stderr, "speaker-api: floor: lost the child\n");
		return 1;
	}
	printf("floor_us=%.2f\n", (t1 - t0) * 1000.0 / (double)m);
	return 0;
}

int
main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "floor") == 0 &&
	    atol(argv[2]) > 0) {
		long win = argc == 4 ? atol(argv[3]) : 1;

		if (win >= 1 && win <= 1000)
			return floor_run(
			    (unsigned long)atol(argv[2]), (unsigned long)win);
	}
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("%.1f\n", now_ms());
		return 0;
	}
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "feed") == 0 &&
	    (strcmp(argv[5], "ack") == 0 || strcmp(argv[5], "noack") == 0)) {
		long win = argc == 7 ? atol(argv[6]) : 1;

		if (win >= 1 && win <= 1000)
			return feed(argv[2], argv[3], argv[4],
			    strcmp(argv[5], "ack") == 0, (unsigned long)win);
	}
	fprintf(stderr,
	    "usage: speaker-api now\n"
	    "       speaker-api feed GO MARK CMDS ack|noack [WINDOW]\n"
	    "       speaker-api floor M [WINDOW]\n");
	return 1;
}
