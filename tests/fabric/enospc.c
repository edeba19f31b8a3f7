/* SPDX-License-Identifier: ISC */
/* tests/fabric/enospc.c - LD_PRELOAD shim: a full disk for vrsd's state files, on a flag file. */

/*
 * While the file named by ENOSPC_FLAG exists, write() to a file whose
 * path holds ENOSPC_MATCH ("state.json" by default) writes half of what
 * it is given and then fails with ENOSPC (a disk that fills up in the
 * middle of a write), and fsync()/fdatasync() of such a file fail with
 * ENOSPC.  Sockets, pipes and other files are untouched.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static int
full(int fd)
{
	const char *flag = getenv("ENOSPC_FLAG");
	const char *match = getenv("ENOSPC_MATCH");
	char link[64], path[4096];
	ssize_t n;

	if (flag == NULL || access(flag, F_OK) != 0)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof(path) - 1)) <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, match != NULL ? match : "state.json") != NULL;
}

ssize_t
write(int fd, const void *buf, size_t count)
{
	static int half; /* the last write was cut short */

	if (real_write == NULL)
		real_write = (ssize_t(*)(int, const void *, size_t))dlsym(
		    RTLD_NEXT, "write");
	if (!full(fd)) {
		half = 0;
		return real_write(fd, buf, count);
	}
	if (!half && count > 1) {
		half = 1;
		return real_write(fd, buf, count / 2);
	}
	half = 0;
	errno = ENOSPC;
	return -1;
}

int
fsync(int fd)
{
	if (real_fsync == NULL)
		real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	if (real_fdatasync == NULL)
		real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real_fdatasync(fd);
}
