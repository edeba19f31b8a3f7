/* SPDX-License-Identifier: ISC */
/* lib/log.h - one line per event, to stderr or syslog. */

#ifndef VRS_LIB_LOG_H
#define VRS_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *progname, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_msg_lvl(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/*
 * Bytes a peer supplied (a shutdown message, a hostname) as text safe
 * for one log line and for JSON: printable ASCII and well-formed UTF-8
 * kept, '"' and '\\' escaped, anything else as \xNN; at most max input
 * bytes, then "...".  out (size outlen) is always terminated; returns out.
 */
char *log_escape(
    const uint8_t *p, size_t n, size_t max, char *out, size_t outlen);
/* True when p[0..n) is well-formed UTF-8 (RFC 3629). */
bool utf8_valid(const uint8_t *p, size_t n);
/* Impossible states and unrecoverable system errors: log and exit(1). */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
