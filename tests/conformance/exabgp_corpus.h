/* SPDX-License-Identifier: ISC */
/* exabgp_corpus.h - helpers shared by the corpus test peer and API helper. */

#ifndef EXABGP_CORPUS_H
#define EXABGP_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
double now_s(void);
char *trim(char *);
char *slurp(const char *);
size_t split_lines(char *, char ***);
bool write_all(int, const void *, size_t);
void append_line(const char *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

int peer_main(int, char **);
int api_main(int, char **);
int api_dump_main(int, char **);

#endif
