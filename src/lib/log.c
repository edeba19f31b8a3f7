/* SPDX-License-Identifier: ISC */
/* lib/log.c - one line per event, to stderr with the program's name. */

#include "lib/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *log_prog = "vrs";
static enum log_level log_level = LOG_LVL_INFO;

void
log_init(const char *progname, enum log_level level)
{
	log_prog = progname;
	log_level = level;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

/* The length of the well-formed UTF-8 sequence at p (RFC 3629), or 0. */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

bool
utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, u;

	while (i < n) {
		u = p[i] < 0x80 ? 1 : utf8_len(p + i, n - i);
		if (u == 0)
			return false;
		i += u;
	}
	return true;
}

char *
log_escape(const uint8_t *p, size_t n, size_t max, char *out, size_t outlen)
{
	size_t i = 0, o = 0, u, need, end = n < max ? n : max;
	char tmp[8];

	if (outlen == 0)
		return out;
	while (i < end) {
		u = p[i] >= 0x80 ? utf8_len(p + i, end - i) : 0;
		if (u > 0) {
			memcpy(tmp, p + i, u);
			need = u;
		} else if (p[i] == '"' || p[i] == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)p[i];
			need = 2;
			u = 1;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			tmp[0] = (char)p[i];
			need = u = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", p[i]);
			need = 4;
			u = 1;
		}
		if (o + need + 4 > outlen) /* room for "..." and NUL */
			break;
		memcpy(out + o, tmp, need);
		o += need;
		i += u;
	}
	if (i < n && o + 4 <= outlen) { /* cut: by max or by outlen */
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/*
 * Under systemd, with stderr connected to the journal ($JOURNAL_STREAM
 * names its device and inode), each line starts with its priority as
 * sd-daemon(3) says, "<4>" for a warning, and journald files it so.
 */
static const char *
log_prefix(enum log_level lvl)
{
	static const char *const pri[] = { "<3>", "<4>", "<6>", "<7>" };
	static int journal = -1;
	unsigned long long dev, ino;
	const char *e;
	struct stat st;

	if (journal < 0) {
		e = getenv("JOURNAL_STREAM");
		journal = e != NULL &&
		    sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
		    fstat(2, &st) == 0 &&
		    (unsigned long long)st.st_dev == dev &&
		    (unsigned long long)st.st_ino == ino;
	}
	return journal ? pri[lvl] : "";
}

void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	if (lvl > log_level)
		return;
	fprintf(stderr, "%s%s: ", log_prefix(lvl), log_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_msg_lvl(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	char buf[512];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (LOG_LVL_WARN <= log_level)
		fprintf(stderr, "%s%s: %s: %s\n", log_prefix(LOG_LVL_WARN),
		    log_prog, buf, strerror(saved));
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	char buf[512];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s%s: fatal: %s: %s\n", log_prefix(LOG_LVL_ERR),
	    log_prog, buf, strerror(saved));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s: fatal: ", log_prefix(LOG_LVL_ERR), log_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
