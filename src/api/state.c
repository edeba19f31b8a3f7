/* SPDX-License-Identifier: ISC */
/* api/state.c - the topology on disk: atomic snapshot, journal of changes, load at start. */

#include "api/api.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_int.h"
#include "lib/log.h"
#include "topology/topology.h"

/*
 * The document is written to PATH.tmp, flushed to disk, renamed over
 * PATH, and the directory is flushed so that the rename itself survives
 * a crash: after a crash PATH holds the old document or the new one,
 * never a torn mix.
 *
 * A large topology is not rewritten for each change: the change is
 * appended to PATH.journal, one JSON line {"gen", "method", "path",
 * "body"} (the request as the API took it), and the journal is flushed
 * before the answer.  At start the snapshot is read and the journal
 * lines newer than its "generation" are replayed on top, in order (a
 * change replayed on the state it was made on gives the same state).
 * A torn last line (a crash in the middle of the append) is ignored
 * with a warning: its change was never acknowledged.  When the journal
 * has grown as large as the snapshot, the snapshot is rewritten (as
 * above) and the journal truncated; a crash between the two leaves
 * lines that the snapshot's generation already holds, skipped at load.
 * A failed append (ENOSPC, EIO) is cut back to the last whole line, so
 * the journal never holds a line that was not acknowledged.
 */

struct journal {
	char path[512]; /* the snapshot's; "" none open */
	int fd;
	off_t size;      /* bytes of whole lines */
	off_t snap_size; /* the snapshot's size, for compaction */
	bool cut;        /* a failed append could not be cut back */
	unsigned since;  /* appends since a failed compaction */
};

static struct journal jnl = { .fd = -1 };

static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

void
api_parent_dir(const char *path, char *dir, size_t len)
{
	char *slash;

	snprintf(dir, len, "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, len, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

static int
fsync_dir(const char *path)
{
	char dir[512];
	int fd, rc = 0;

	api_parent_dir(path, dir, sizeof(dir));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static void
journal_name(const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s.journal", path);
}

/* Empty the journal (the snapshot holds it all); 0 or -errno. */
static int
journal_truncate(const char *path)
{
	char jp[600];
	int fd, rc = 0;

	if (jnl.fd >= 0 && strcmp(jnl.path, path) == 0) {
		if (ftruncate(jnl.fd, 0) < 0 || fsync(jnl.fd) < 0)
			return -errno;
		jnl.size = 0;
		jnl.cut = false;
		return 0;
	}
	journal_name(path, jp, sizeof(jp));
	if ((fd = open(jp, O_WRONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (ftruncate(fd, 0) < 0 || fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int
api_state_save(const char *path, const struct topo *t)
{
	char tmp[512];
	json_t *doc = topo_to_json(t);
	char *s;
	int fd, rc;

	json_object_set_new(
	    doc, "generation", json_integer((json_int_t)t->gen));
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (s == NULL)
		return -ENOMEM;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		free(s);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(s);
		return -errno;
	}
	rc = write_all(fd, s, strlen(s));
	if (rc == 0)
		rc = write_all(fd, "\n", 1);
	if (strcmp(jnl.path, path) == 0)
		jnl.snap_size = (off_t)strlen(s) + 1;
	free(s);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	if ((rc = fsync_dir(path)) < 0)
		return rc;
	/* the snapshot holds every journaled change: a failure here only
	   leaves lines that the generation skips */
	if ((rc = journal_truncate(path)) < 0)
		log_warnx(
		    "state %s.journal: %s (kept; the snapshot's generation "
		    "skips it)",
		    path, strerror(-rc));
	return 0;
}

static int
journal_open(const char *path)
{
	char jp[600];
	struct stat st;
	bool fresh;

	if (jnl.fd >= 0 && strcmp(jnl.path, path) == 0)
		return 0;
	if (jnl.fd >= 0)
		close(jnl.fd);
	jnl.fd = -1;
	journal_name(path, jp, sizeof(jp));
	fresh = access(jp, F_OK) < 0;
	if ((jnl.fd = open(
	         jp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		return -errno;
	if (fstat(jnl.fd, &st) < 0 || (fresh && fsync_dir(path) < 0)) {
		close(jnl.fd);
		jnl.fd = -1;
		return -errno;
	}
	snprintf(jnl.path, sizeof(jnl.path), "%s", path);
	jnl.size = st.st_size;
	jnl.cut = false;
	if (stat(path, &st) == 0)
		jnl.snap_size = st.st_size;
	return 0;
}

int
api_state_append(const char *path, uint64_t gen, const char *method,
    const char *rpath, json_t *body)
{
	json_t *line = json_pack("{s:I,s:s,s:s,s:O?}", "gen", (json_int_t)gen,
	    "method", method, "path", rpath, "body", body);
	char *s = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;
	size_t n;
	int rc;

	json_decref(line);
	if (s == NULL)
		return -ENOMEM;
	if ((rc = journal_open(path)) < 0) {
		free(s);
		return rc;
	}
	/* a line cut short before: cut it back first */
	if (jnl.cut && (ftruncate(jnl.fd, jnl.size) < 0 || fsync(jnl.fd) < 0)) {
		free(s);
		return -errno;
	}
	jnl.cut = false;
	n = strlen(s);
	s[n] = '\n'; /* json_dumps' NUL: the line's end */
	rc = write_all(jnl.fd, s, n + 1);
	free(s);
	if (rc == 0 && fsync(jnl.fd) < 0)
		rc = -errno;
	if (rc < 0) {
		if (ftruncate(jnl.fd, jnl.size) < 0 || fsync(jnl.fd) < 0)
			jnl.cut = true;
		return rc;
	}
	jnl.size += (off_t)n + 1;
	return 0;
}

bool
api_state_journal_full(const char *path)
{
	static long min = -1;
	const char *e;

	if (min < 0) /* VRSD_STATE_COMPACT_MIN: for the tests */
		min = (e = getenv("VRSD_STATE_COMPACT_MIN")) != NULL
		    ? strtol(e, NULL, 10)
		    : 1 << 20;
	if (jnl.fd < 0 || strcmp(jnl.path, path) != 0)
		return false;
	if (jnl.since > 0 && --jnl.since > 0)
		return false; /* a failed compaction: try again later */
	return jnl.size >= (jnl.snap_size > min ? jnl.snap_size : min);
}

void
api_state_compacted(const char *path, int rc)
{
	if (rc < 0) {
		log_warnx("state %s: compaction: %s (the journal keeps every "
		          "change)",
		    path, strerror(-rc));
		jnl.since = 100;
	}
}

bool
api_state_journaled(const char *path)
{
	return jnl.fd >= 0 && strcmp(jnl.path, path) == 0 && jnl.size > 0;
}

static bool
journal_cut(const char *jp, off_t at)
{
	int fd = open(jp, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ftruncate(fd, at) == 0 && fsync(fd) == 0;
	close(fd);
	return ok;
}

/*
 * Replay path.journal on t (loaded from a snapshot of generation base);
 * false with a message when a whole line cannot be applied.
 */
static bool
journal_replay(
    const char *path, struct topo *t, uint64_t base, char *err, size_t len)
{
	char jp[600], *buf = NULL, *line, *nl;
	struct topo_err terr;
	json_error_t jerr;
	json_int_t gen;
	json_t *j, *body;
	const char *method, *rpath;
	size_t cap = 0, got = 0, n, lineno = 0;
	FILE *f;
	bool ok = true;

	journal_name(path, jp, sizeof(jp));
	if ((f = fopen(jp, "r")) == NULL)
		return true;
	for (;;) { /* the whole file */
		if (got + 65536 > cap) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
			if (buf == NULL) {
				fclose(f);
				snprintf(err, len, "%s: out of memory", jp);
				return false;
			}
		}
		if ((n = fread(buf + got, 1, cap - got, f)) == 0)
			break;
		got += n;
	}
	fclose(f);
	if (buf == NULL)
		return true;
	buf[got] = '\0';
	for (line = buf; ok && line < buf + got; line = nl + 1) {
		lineno++;
		nl = strchr(line, '\n');
		j = nl != NULL ? json_loadb(line, (size_t)(nl - line), 0, &jerr)
		               : NULL;
		if (nl == NULL || (j == NULL && nl + 1 >= buf + got)) {
			log_warnx(
			    "state %s:%zu: a torn last line (a crash while "
			    "it was written, never acknowledged): ignored",
			    jp, lineno);
			/* cut it off, so that the next line starts clean */
			if (!journal_cut(jp, (off_t)(line - buf))) {
				snprintf(err, len,
				    "%s: cannot cut the torn last line: %s", jp,
				    strerror(errno));
				ok = false;
			}
			break;
		}
		if (j == NULL ||
		    json_unpack(j, "{s:I,s:s,s:s,s?o}", "gen", &gen, "method",
		        &method, "path", &rpath, "body", &body) != 0) {
			snprintf(err, len, "%s:%zu:%d: %s", jp, lineno,
			    j == NULL ? jerr.column : 1,
			    j == NULL ? jerr.text
			              : "expected {\"gen\", \"method\", "
			                "\"path\", \"body\"}");
			json_decref(j);
			ok = false;
			break;
		}
		if ((uint64_t)gen > base) {
			if (json_is_null(body))
				body = NULL;
			if (!api_replay(t, method, rpath, body, &terr)) {
				snprintf(err, len, "%s:%zu: %s %s: %s (%s)", jp,
				    lineno, method, rpath, terr.msg, terr.code);
				ok = false;
			} else
				t->gen = (uint64_t)gen;
		}
		json_decref(j);
	}
	free(buf);
	return ok;
}

bool
api_state_load(const char *path, struct topo **out, char *err, size_t len)
{
	struct topo_err terr;
	json_error_t jerr;
	json_t *doc;

	json_int_t gen = 0;

	if (access(path, F_OK) < 0 && errno == ENOENT)
		*out = topo_new();
	else {
		if ((doc = json_load_file(path, 0, &jerr)) == NULL) {
			snprintf(err, len, "%s:%d:%d: %s", path, jerr.line,
			    jerr.column, jerr.text);
			return false;
		}
		if (json_is_integer(json_object_get(doc, "generation")))
			gen = json_integer_value(
			    json_object_get(doc, "generation"));
		if (!topo_from_json(doc, out, &terr)) {
			snprintf(
			    err, len, "%s: %s (%s)", path, terr.msg, terr.code);
			json_decref(doc);
			return false;
		}
		json_decref(doc);
	}
	(*out)->gen = (uint64_t)(gen > 0 ? gen : 0);
	if (!journal_replay(path, *out, (*out)->gen, err, len)) {
		topo_free(*out);
		*out = NULL;
		return false;
	}
	return true;
}
