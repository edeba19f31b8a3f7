/* SPDX-License-Identifier: ISC */
/* api/state.c - the topology document on disk: atomic save, load at start. */

#include "api/api.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "topology/topology.h"

/*
 * The document is written to PATH.tmp, flushed to disk, renamed over
 * PATH, and the directory is flushed so that the rename itself survives
 * a crash: after a crash PATH holds the old document or the new one,
 * never a torn mix.
 */

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

int
api_state_save(const char *path, const struct topo *t)
{
	char tmp[512];
	json_t *doc = topo_to_json(t);
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int fd, rc;

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
	return fsync_dir(path);
}

bool
api_state_load(const char *path, struct topo **out, char *err, size_t len)
{
	struct topo_err terr;
	json_error_t jerr;
	json_t *doc;

	if (access(path, F_OK) < 0 && errno == ENOENT) {
		*out = topo_new();
		return true;
	}
	if ((doc = json_load_file(path, 0, &jerr)) == NULL) {
		snprintf(err, len, "%s:%d:%d: %s", path, jerr.line, jerr.column,
		    jerr.text);
		return false;
	}
	if (!topo_from_json(doc, out, &terr)) {
		snprintf(err, len, "%s: %s (%s)", path, terr.msg, terr.code);
		json_decref(doc);
		return false;
	}
	json_decref(doc);
	return true;
}
