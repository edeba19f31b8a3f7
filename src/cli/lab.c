/* SPDX-License-Identifier: ISC */
/* cli/lab.c - vrs lab: a whole lab (vrsd, its topology, BGP speakers) from one file. */

#include "cli/lab.h"
#include "cli/lab_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "cli/armimport.h"
#include "cli/client.h"
#include "cli/network.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"

/*
 * DOC: a lab
 *
 * A lab file (YAML) names what `vrs lab up` starts:
 *
 *   name:     the lab's name (shown by status)
 *   port:     the BGP port of every lab speaker (179 as root, else 1179)
 *   options:  {relaxed: true}: the topology's relaxed mode
 *   topology: a list of `vrs network` commands, run in order
 *   speakers: [{name, config}]: vrs-speaker processes, each with an
 *             ExaBGP configuration file (relative to the lab file)
 *   external: [{name}]: bgpConnections that the user's own daemons play;
 *             up prints the lines they need and does not wait for them
 *   wait:     seconds to wait for the sessions to converge (60)
 *
 * Everything is checked before anything starts: the file's keys, each
 * speaker's configuration (vrs-speaker --test), and the topology (the
 * commands run against a private vrsd without BGP).  A bad file gives
 * file:line:column errors and starts nothing.  Then vrsd runs in mode
 * ars with that topology, the speakers run with --map-loopback (every
 * socket address a.b.c.d of their files becomes 127.b.c.d, the BGP
 * contents stay as written), and up waits until every session is
 * Established and the counters stop moving.
 */

#define LAB_PORT_USER 1179 /* the lab's BGP port when not root */
#define LAB_WAIT      60

static char dirbuf[PATH_MAX];
static char sockbuf[PATH_MAX + 16];
/* up --web[=PORT]: the web view's port; -1 the BGP port + 1, 0 off */
static int lab_web;

const char *
lab_dir(void)
{
	const char *e = getenv("VRS_LAB_DIR"), *x = getenv("XDG_RUNTIME_DIR");

	if (e != NULL && *e != '\0')
		snprintf(dirbuf, sizeof(dirbuf), "%s", e);
	else if (x != NULL && *x != '\0')
		snprintf(dirbuf, sizeof(dirbuf), "%s/vrs-lab", x);
	else
		snprintf(dirbuf, sizeof(dirbuf), "/tmp/vrs-lab-%u",
		    (unsigned)getuid());
	return dirbuf;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

const char *
lab_socket(void)
{
	char pids[PATH_MAX + 16];

	snprintf(sockbuf, sizeof(sockbuf), "%s/vrsd.sock", lab_dir());
	snprintf(pids, sizeof(pids), "%s/pids", lab_dir());
	return exists(sockbuf) && exists(pids) ? sockbuf : NULL;
}

/* ---- finding our programs ---- */

static void
exe_dir(char *out, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	out[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	snprintf(out, len, "%s", exe);
}

/* prog beside vrs first, then on PATH; false when neither has it. */
static bool
find_prog(const char *prog, char *out, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], *p, *save = NULL;
	const char *env = getenv("PATH");

	exe_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, prog);
	if (access(path, X_OK) == 0)
		return (size_t)snprintf(out, len, "%s", path) < len;
	snprintf(path, sizeof(path), "%s", env != NULL ? env : "");
	for (p = strtok_r(path, ":", &save); p != NULL;
	     p = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", p, prog);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

/* The reference lab: the source tree's labs/, or the installed one. */
static bool
find_reference(char *out, size_t len)
{
	static const char *const rel[] = { "/../../labs/reference.yaml",
		"/../labs/reference.yaml",
		"/../share/vrs/labs/reference.yaml" };
	char dir[PATH_MAX];
	size_t i;

	exe_dir(dir, sizeof(dir));
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char full[PATH_MAX + 64];

		snprintf(full, sizeof(full), "%.*s%s", PATH_MAX, dir, rel[i]);
		if (exists(full)) {
			/* realpath writes up to PATH_MAX bytes */
			if (len < PATH_MAX || realpath(full, out) == NULL)
				return (size_t)snprintf(out, len, "%s", full) <
				    len;
			return true;
		}
	}
	return false;
}

/* ---- the lab file ---- */

static bool lab_read(struct lab *l, yaml_parser_t *parser);

static void __attribute__((format(printf, 3, 4)))
lerr(struct lab *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%zu:%zu: ", l->path,
	    n != NULL ? n->start_mark.line + 1 : 1,
	    n != NULL ? n->start_mark.column + 1 : 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	l->nerr++;
}

static const char *
scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE
	    ? (const char *)n->data.scalar.value
	    : NULL;
}

static bool
get_int(struct lab *l, const yaml_node_t *v, const char *key, long min,
    long max, int *out)
{
	const char *s = scalar(v);
	char *end;
	long x;

	if (s == NULL) {
		lerr(l, v, "%s: expected a number", key);
		return false;
	}
	errno = 0;
	x = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || x < min || x > max) {
		lerr(l, v, "%s: expected a number from %ld to %ld, not %s", key,
		    min, max, s);
		return false;
	}
	*out = (int)x;
	return true;
}

static char *
dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d == NULL) {
		perror("vrs");
		exit(1);
	}
	memcpy(d, s, n);
	return d;
}

/* name: config: (speakers) or name: (external) items of a sequence. */
static void
read_items(struct lab *l, yaml_document_t *doc, yaml_node_t *seq,
    const char *what, struct lab_item *items, int *n, bool conf)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	yaml_node_t *e, *k, *v;
	const char *key, *name, *file;
	char dir[PATH_MAX], *slash, full[PATH_MAX * 2];
	int i;

	if (seq->type != YAML_SEQUENCE_NODE) {
		lerr(l, seq, "%s: expected a list", what);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", l->path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		e = yaml_document_get_node(doc, *it);
		if (e->type != YAML_MAPPING_NODE) {
			lerr(l, e, "%s: each item is a mapping (name:%s)", what,
			    conf ? ", config:" : "");
			continue;
		}
		name = file = NULL;
		for (pr = e->data.mapping.pairs.start;
		     pr < e->data.mapping.pairs.top; pr++) {
			k = yaml_document_get_node(doc, pr->key);
			v = yaml_document_get_node(doc, pr->value);
			key = scalar(k);
			if (key != NULL && strcmp(key, "name") == 0)
				name = scalar(v);
			else if (conf && key != NULL &&
			    strcmp(key, "config") == 0)
				file = scalar(v);
			else
				lerr(l, k,
				    "%s: unknown key %s (expected name%s)",
				    what, key != NULL ? key : "?",
				    conf ? ", config" : "");
		}
		if (name == NULL || *name == '\0' || strlen(name) > 48 ||
		    strspn(name,
		        conf ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		               "VWXYZ"
		               "0123456789-_."
		             : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		               "VWXYZ"
		               "0123456789-_./") != strlen(name)) {
			lerr(l, e,
			    "%s: name missing or not 1-48 letters, digits, "
			    "-, _%s or .",
			    what, conf ? "" : ", /");
			continue;
		}
		for (i = 0; i < *n; i++)
			if (strcmp(items[i].text, name) == 0)
				break;
		if (i < *n) {
			lerr(l, e, "%s: %s is listed twice", what, name);
			continue;
		}
		if (conf && file == NULL) {
			lerr(l, e, "speaker %s: config: is missing", name);
			continue;
		}
		if (*n == LAB_MAX) {
			lerr(l, e, "%s: at most %d", what, LAB_MAX);
			return;
		}
		items[*n].text = dup_str(name);
		items[*n].line = (int)e->start_mark.line + 1;
		items[*n].col = (int)e->start_mark.column + 1;
		if (conf) {
			if (file[0] == '/')
				snprintf(full, sizeof(full), "%s", file);
			else
				snprintf(
				    full, sizeof(full), "%s/%s", dir, file);
			items[*n].conf = realpath(full, NULL);
			if (items[*n].conf == NULL) {
				lerr(l, e, "speaker %s: config %s: %s", name,
				    full, strerror(errno));
				free(items[*n].text);
				continue;
			}
		}
		(*n)++;
	}
}

static void
lab_init(struct lab *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	l->path = path;
	l->port = geteuid() == 0 ? 179 : LAB_PORT_USER;
	l->wait = LAB_WAIT;
	snprintf(l->name, sizeof(l->name), "lab");
}

bool
lab_load(struct lab *l, const char *path)
{
	yaml_parser_t parser;
	FILE *f;
	bool ok;

	lab_init(l, path);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "vrs: %s: %s\n", path, strerror(errno));
		return false;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	ok = lab_read(l, &parser);
	fclose(f);
	return ok;
}

bool
lab_parse(struct lab *l, const char *path, const char *text, size_t len)
{
	yaml_parser_t parser;

	lab_init(l, path);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	return lab_read(l, &parser);
}

/* The document parser reads (and deletes) into l, set up by lab_init. */
static bool
lab_read(struct lab *l, yaml_parser_t *parser)
{
	yaml_document_t doc;
	yaml_node_t *root, *k, *v, *c;
	yaml_node_pair_t *pr, *op;
	yaml_node_item_t *it;
	const char *key, *env;
	char *end;
	long port;

	if (!yaml_parser_load(parser, &doc)) {
		fprintf(stderr, "%s:%zu:%zu: %s\n", l->path,
		    parser->problem_mark.line + 1,
		    parser->problem_mark.column + 1,
		    parser->problem != NULL ? parser->problem : "YAML error");
		yaml_parser_delete(parser);
		return false;
	}
	yaml_parser_delete(parser);
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		lerr(l, root,
		    "a lab file is a mapping (name:, topology:, speakers:)");
		yaml_document_delete(&doc);
		return false;
	}
	for (pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&doc, pr->key);
		v = yaml_document_get_node(&doc, pr->value);
		key = scalar(k);
		if (key == NULL) {
			lerr(l, k, "keys are names");
		} else if (strcmp(key, "name") == 0) {
			if (scalar(v) == NULL || strlen(scalar(v)) >= 64)
				lerr(l, v, "name: expected a short name");
			else
				snprintf(
				    l->name, sizeof(l->name), "%s", scalar(v));
		} else if (strcmp(key, "port") == 0) {
			(void)get_int(l, v, "port", 1, 65535, &l->port);
		} else if (strcmp(key, "wait") == 0) {
			(void)get_int(l, v, "wait", 1, 3600, &l->wait);
		} else if (strcmp(key, "options") == 0) {
			if (v->type != YAML_MAPPING_NODE) {
				lerr(l, v, "options: expected a mapping");
				continue;
			}
			for (op = v->data.mapping.pairs.start;
			     op < v->data.mapping.pairs.top; op++) {
				c = yaml_document_get_node(&doc, op->key);
				if (scalar(c) == NULL ||
				    strcmp(scalar(c), "relaxed") != 0) {
					lerr(l, c,
					    "options: unknown option (expected "
					    "relaxed)");
					continue;
				}
				c = yaml_document_get_node(&doc, op->value);
				if (scalar(c) != NULL &&
				    strcmp(scalar(c), "true") == 0)
					l->relaxed = true;
				else if (scalar(c) == NULL ||
				    strcmp(scalar(c), "false") != 0)
					lerr(l, c,
					    "relaxed: expected true or false");
			}
		} else if (strcmp(key, "topology") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				lerr(l, v,
				    "topology: expected a list of `vrs "
				    "network` commands");
				continue;
			}
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				c = yaml_document_get_node(&doc, *it);
				if (scalar(c) == NULL) {
					lerr(l, c,
					    "topology: each item is one `vrs "
					    "network` command");
					continue;
				}
				if (l->ncmds == 512) {
					lerr(l, c,
					    "topology: at most 512 "
					    "commands");
					break;
				}
				l->cmds[l->ncmds].text = dup_str(scalar(c));
				l->cmds[l->ncmds].line =
				    (int)c->start_mark.line + 1;
				l->cmds[l->ncmds].col =
				    (int)c->start_mark.column + 1;
				l->ncmds++;
			}
		} else if (strcmp(key, "speakers") == 0) {
			read_items(
			    l, &doc, v, "speakers", l->spk, &l->nspk, true);
		} else if (strcmp(key, "external") == 0) {
			read_items(
			    l, &doc, v, "external", l->ext, &l->next, false);
		} else
			lerr(l, k,
			    "unknown key %s (expected name, port, options, "
			    "topology, speakers, external, wait)",
			    key);
	}
	yaml_document_delete(&doc);
	if ((env = getenv("VRS_LAB_PORT")) != NULL) {
		errno = 0;
		port = strtol(env, &end, 10);
		if (errno != 0 || end == env || *end != '\0' || port < 1 ||
		    port > 65535) {
			fprintf(stderr,
			    "vrs: VRS_LAB_PORT=%s: not a port (1-65535)\n",
			    env);
			l->nerr++;
		} else
			l->port = (int)port;
	}
	return l->nerr == 0;
}

void
lab_free(struct lab *l)
{
	int i;

	for (i = 0; i < l->ncmds; i++)
		free(l->cmds[i].text);
	for (i = 0; i < l->nspk; i++) {
		free(l->spk[i].text);
		free(l->spk[i].conf);
	}
	for (i = 0; i < l->next; i++)
		free(l->ext[i].text);
}

/* ---- processes ---- */

int
lab_split(const char *s, char **argv, int max, char *buf, size_t len)
{
	size_t o = 0;
	int argc = 0;
	char q;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = buf + o;
		q = 0;
		while (*s != '\0' && (q != 0 || (*s != ' ' && *s != '\t'))) {
			if (o + 2 >= len)
				return -1;
			if (q == 0 && (*s == '\'' || *s == '"'))
				q = *s++;
			else if (q != 0 && *s == q) {
				q = 0;
				s++;
			} else if (*s == '\\' && q != '\'' && s[1] != '\0') {
				buf[o++] = s[1];
				s += 2;
			} else
				buf[o++] = *s++;
		}
		if (q != 0)
			return -1;
		buf[o++] = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/* Start argv[0] in its own session, output to log; the pid or -1. */
static pid_t
spawn(char *const *argv, char *const *env, const char *log)
{
	pid_t pid = fork();
	int fd, i;

	if (pid != 0)
		return pid;
	(void)setsid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	for (i = 0; env != NULL && env[i] != NULL; i++)
		putenv(env[i]);
	execv(argv[0], argv);
	fprintf(stderr, "vrs lab: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Run a command to completion, its stdout and stderr into out. */
static int
run_capture(char *const *argv, struct sbuf *out)
{
	char buf[4096];
	int fd[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		sbuf_printf(out, "%s", buf);
	}
	close(fd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* One `vrs network` command against sock; its error text into err. */
static int
network_cmd(const char *sock, const char *cmd, struct sbuf *err)
{
	char *argv[130], buf[8192], rd[4096];
	int argc, fd[2], st, off = 0;
	ssize_t n;
	pid_t pid;

	argv[0] = "network";
	argc = lab_split(cmd, argv + 1, 127, buf, sizeof(buf));
	if (argc < 0) {
		sbuf_printf(err, "unbalanced quotes or too long");
		return 1;
	}
	if (argc > 0 && strcmp(argv[1], "network") == 0)
		off = 1; /* "network vnet create ..." is fine too */
	if (argc - off < 1) {
		sbuf_printf(err, "empty command");
		return 1;
	}
	if (pipe(fd) < 0)
		return 1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		fd[1] = open("/dev/null", O_WRONLY);
		dup2(fd[1], 1);
		_exit(cli_network(sock, "none", argc + 1 - off, argv + off));
	}
	close(fd[1]);
	while ((n = read(fd[0], rd, sizeof(rd) - 1)) > 0) {
		rd[n] = '\0';
		sbuf_printf(err, "%s", rd);
	}
	close(fd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* vrsd answers on sock; false if pid died or 10 s passed. */
static bool
wait_api(const char *sock, pid_t pid)
{
	char err[256];
	json_t *j = NULL;
	int i;

	for (i = 0; i < 200; i++) {
		if (cli_request(sock, "GET", "/v1/peers", NULL, &j, err,
		        sizeof(err)) == 200) {
			json_decref(j);
			return true;
		}
		json_decref(j);
		j = NULL;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		nap(50);
	}
	return false;
}

/* Is pid one of this lab's processes (its command line names dir)? */
static bool
ours(pid_t pid, const char *dir)
{
	char path[64], buf[4096];
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return strstr(buf, dir) != NULL;
}

/* pid has exited: no such process, or a zombie its new parent has not
 * reaped yet (its descriptors, so its sockets, are closed). */
static bool
gone(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	(void)waitpid(pid, NULL, WNOHANG);
	if (kill(pid, 0) < 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* pid (comm) STATE ... */
	return p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* SIGTERM, then SIGKILL after 5 s: only our own processes. */
static void
stop_pid(pid_t pid, const char *dir)
{
	int i;

	if (pid <= 0 || !ours(pid, dir))
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 500; i++) {
		if (gone(pid))
			return;
		nap(10);
	}
	if (ours(pid, dir))
		kill(pid, SIGKILL);
	for (i = 0; i < 200 && !gone(pid); i++)
		nap(10);
}

struct procs {
	char name[LAB_MAX + 1][64]; /* [0] is vrsd */
	pid_t pid[LAB_MAX + 1];
	int n;
	char file[PATH_MAX];
	int port;
	char lname[64];
};

static bool
procs_load(struct procs *p)
{
	char path[PATH_MAX + 16], line[PATH_MAX + 80];
	FILE *f;
	int pid;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s/pids", lab_dir());
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL && p->n <= LAB_MAX) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "file ", 5) == 0)
			snprintf(p->file, sizeof(p->file), "%.*s",
			    (int)sizeof(p->file) - 1, line + 5);
		else if (strncmp(line, "port ", 5) == 0)
			p->port = atoi(line + 5);
		else if (strncmp(line, "name ", 5) == 0)
			snprintf(p->lname, sizeof(p->lname), "%.*s",
			    (int)sizeof(p->lname) - 1, line + 5);
		else if (sscanf(line, "pid %d %63s", &pid, p->name[p->n]) == 2)
			p->pid[p->n++] = pid;
	}
	fclose(f);
	return p->n > 0;
}

static bool
procs_save(const struct procs *p)
{
	char path[PATH_MAX + 16], tmp[PATH_MAX + 24];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/pids", lab_dir());
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return false;
	fprintf(f, "name %s\nfile %s\nport %d\n", p->lname, p->file, p->port);
	for (i = 0; i < p->n; i++)
		fprintf(f, "pid %d %s\n", (int)p->pid[i], p->name[i]);
	if (fclose(f) != 0)
		return false;
	return rename(tmp, path) == 0;
}

static bool
alive(pid_t pid, const char *dir)
{
	return !gone(pid) && ours(pid, dir);
}

/* Remove the lab folder's files (ours only) and the folder. */
static void
dir_clean(const char *dir, const struct procs *p)
{
	static const char *const files[] = { "pids", "vrsd.yaml", "state.json",
		"state.json.tmp", "state.json.journal", "vrsd.log",
		"vrsd.sock" };
	char path[PATH_MAX * 2];
	size_t i;
	int k;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	for (k = 1; p != NULL && k < p->n; k++) {
		snprintf(path, sizeof(path), "%s/%s.log", dir, p->name[k]);
		unlink(path);
		for (i = 0; i < 2; i++) {
			snprintf(path, sizeof(path), "%s/run/%s%s.in", dir,
			    i ? "exabgp/" : "", p->name[k]);
			unlink(path);
			snprintf(path, sizeof(path), "%s/run/%s%s.out", dir,
			    i ? "exabgp/" : "", p->name[k]);
			unlink(path);
		}
	}
	snprintf(path, sizeof(path), "%s/run/exabgp", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/run", dir);
	rmdir(path);
	rmdir(dir);
}

static void
stop_all(const struct procs *p, const char *dir)
{
	bool mine[LAB_MAX + 1], left;
	int i, t;

	/* the speakers together first, so that vrsd sees their Ceases;
	 * SIGTERM, then SIGKILL after 5 s: only our own processes */
	for (i = 1; i < p->n; i++)
		if ((mine[i] = p->pid[i] > 0 && ours(p->pid[i], dir)))
			kill(p->pid[i], SIGTERM);
	for (t = 0; t < 700; t++) {
		left = false;
		for (i = 1; i < p->n; i++)
			if (mine[i] && !gone(p->pid[i]))
				left = true;
		if (!left)
			break;
		if (t == 500)
			for (i = 1; i < p->n; i++)
				if (mine[i] && ours(p->pid[i], dir))
					kill(p->pid[i], SIGKILL);
		nap(10);
	}
	stop_pid(p->pid[0], dir);
}

/* ---- waiting and the summary ---- */

struct snap {
	int total, up;
	long long sig;
	char down[512];
};

static bool
is_ext(const struct lab *l, const char *name)
{
	const char *last = strrchr(name, '/');
	int i;

	/* a bgpConnection (both instances) or one session (ars/IN_1/nva) */
	last = last != NULL ? last + 1 : name;
	for (i = 0; l != NULL && i < l->next; i++)
		if (strcmp(l->ext[i].text, last) == 0 ||
		    strcmp(l->ext[i].text, name) == 0)
			return true;
	return false;
}

static bool
snapshot(const char *sock, const struct lab *l, struct snap *s)
{
	json_t *arr = NULL, *p;
	char err[256];
	const char *st, *name;
	size_t i, off = 0;

	memset(s, 0, sizeof(*s));
	if (cli_request(sock, "GET", "/v1/peers", NULL, &arr, err,
	        sizeof(err)) != 200) {
		json_decref(arr);
		return false;
	}
	json_array_foreach(arr, i, p)
	{
		name = json_string_value(json_object_get(p, "name"));
		st = json_string_value(json_object_get(p, "state"));
		if (name == NULL || st == NULL || is_ext(l, name))
			continue;
		s->total++;
		if (strcmp(st, "Established") == 0)
			s->up++;
		else if (off + strlen(name) + 16 < sizeof(s->down))
			off += (size_t)snprintf(s->down + off,
			    sizeof(s->down) - off, "%s%s (%s)", off ? ", " : "",
			    name, st);
		s->sig = s->sig * 31 + (strcmp(st, "Established") == 0) +
		    json_integer_value(json_object_get(p, "prefixesReceived")) *
		        7 +
		    json_integer_value(json_object_get(p, "prefixesSent")) *
		        13 +
		    json_integer_value(json_object_get(p, "updatesIn")) * 17 +
		    json_integer_value(json_object_get(p, "updatesOut")) * 19;
	}
	json_decref(arr);
	return true;
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* The NICs with their address, subnet and number of effective routes. */
static void
print_nics(const char *sock)
{
	json_t *doc = NULL, *nics, *n, *ipc, *rt = NULL;
	char err[256], path[1024], *sub;
	const char *rg, *id;
	size_t i;

	if (cli_request(sock, "GET", "/v1/topology", NULL, &doc, err,
	        sizeof(err)) != 200) {
		json_decref(doc);
		return;
	}
	rg = jstr(doc, "resourceGroup");
	nics = json_object_get(doc, "networkInterfaces");
	printf("\nNICs (vrs network nic show-effective-route-table -n NAME):\n"
	       "  %-18s %-16s %-28s %s\n",
	    "Name", "Address", "Subnet", "Effective routes");
	json_array_foreach(nics, i, n)
	{
		ipc = json_array_get(json_object_get(n, "ipConfigurations"), 0);
		id = jstr(json_object_get(ipc, "subnet"), "id");
		sub = strstr(id, "/virtualNetworks/");
		snprintf(path, sizeof(path),
		    "/subscriptions/00000000-0000-0000-0000-000000000000/"
		    "resourceGroups/%s/providers/Microsoft.Network/"
		    "networkInterfaces/%s/effectiveRouteTable",
		    rg, jstr(n, "name"));
		rt = NULL;
		(void)cli_request(
		    sock, "POST", path, "{}", &rt, err, sizeof(err));
		printf("  %-18s %-16s %-28s %zu\n", jstr(n, "name"),
		    jstr(ipc, "privateIPAddress"),
		    sub != NULL ? sub + strlen("/virtualNetworks/") : id,
		    json_array_size(json_object_get(rt, "value")));
		json_decref(rt);
	}
	json_decref(doc);
}

/* The lines a user's own daemon needs to play bgpConnection name. */
static void
print_external(const char *sock, const struct lab *l, int port)
{
	json_t *doc = NULL, *hubs, *h, *conns, *c, *hub = NULL;
	char err[256], path[1024], me[ADDR_STRLEN], rs[2][ADDR_STRLEN];
	struct ipaddr a, m;
	const char *ip;
	size_t i, k;
	int e, inst;

	if (l->next == 0 ||
	    cli_request(sock, "GET", "/v1/topology", NULL, &doc, err,
	        sizeof(err)) != 200) {
		json_decref(doc);
		return;
	}
	printf("\nExternal peers (run them yourself; vrs lab does not wait "
	       "for them):\n");
	hubs = json_object_get(doc, "virtualHubs");
	for (e = 0; e < l->next; e++) {
		json_array_foreach(hubs, i, h)
		{
			conns = json_object_get(h, "bgpConnections");
			json_array_foreach(conns, k, c)
			{
				if (strcmp(jstr(c, "name"), l->ext[e].text) !=
				    0)
					continue;
				snprintf(path, sizeof(path),
				    "/subscriptions/0/resourceGroups/%s/"
				    "providers/Microsoft.Network/"
				    "virtualHubs/%s",
				    jstr(doc, "resourceGroup"),
				    jstr(h, "name"));
				hub = NULL;
				(void)cli_request(sock, "GET", path, NULL, &hub,
				    err, sizeof(err));
				for (inst = 0; inst < 2; inst++) {
					ip = json_string_value(json_array_get(
					    json_object_get(
					        hub, "virtualRouterIps"),
					    (size_t)inst));
					rs[inst][0] = '\0';
					if (ip != NULL && addr_parse(ip, &a) &&
					    addr_loopback_map(&a, &m))
						addr_print(
						    &m, rs[inst], ADDR_STRLEN);
				}
				json_decref(hub);
				me[0] = '\0';
				if (addr_parse(jstr(c, "peerIp"), &a) &&
				    addr_loopback_map(&a, &m))
					addr_print(&m, me, sizeof(me));
				printf("  %s: AS %" JSON_INTEGER_FORMAT
				       " at %s, socket %s; route server %s: "
				       "%s and %s, port %d, AS 65515\n",
				    l->ext[e].text,
				    json_integer_value(
				        json_object_get(c, "peerAsn")),
				    jstr(c, "peerIp"), me, jstr(h, "name"),
				    rs[0], rs[1], port);
				for (inst = 0; inst < 2; inst++)
					printf(
					    "    BIRD:   protocol bgp ars%d { "
					    "local %s as %" JSON_INTEGER_FORMAT
					    "; neighbor %s port %d as 65515; "
					    "multihop; ipv4 { import all; "
					    "export where source = RTS_STATIC; "
					    "next hop address %s; }; }\n",
					    inst, me,
					    json_integer_value(
					        json_object_get(c, "peerAsn")),
					    rs[inst], port, jstr(c, "peerIp"));
				for (inst = 0; inst < 2; inst++)
					printf(
					    "    FRR:    neighbor %s remote-as "
					    "65515 / neighbor %s port %d / "
					    "neighbor %s update-source %s / "
					    "neighbor %s ebgp-multihop "
					    "(and a route-map out: set ip "
					    "next-hop %s)\n",
					    rs[inst], rs[inst], port, rs[inst],
					    me, rs[inst], jstr(c, "peerIp"));
				printf("    ExaBGP: neighbor %s and %s { "
				       "local-address %s; ... } with "
				       "`env exabgp_tcp_port=%d exabgp FILE`; "
				       "routes keep next-hop %s\n",
				    rs[0], rs[1], me, port, jstr(c, "peerIp"));
				printf("    vrs-speaker: your file unchanged: "
				       "`env exabgp_tcp_port=%d vrs-speaker "
				       "--map-loopback FILE`\n",
				    port);
			}
		}
	}
	json_decref(doc);
}

/*
 * The web view's address, from the vrsd.yaml lab_up wrote (web: true
 * and its control-listen), so that status shows it too.
 */
static void
print_web(void)
{
	char path[PATH_MAX + 16], line[256], addr[256] = "";
	bool web = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vrsd.yaml", lab_dir());
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "web: true") == 0)
			web = true;
		else if (strncmp(line, "control-listen: ", 16) == 0)
			snprintf(addr, sizeof(addr), "%s", line + 16);
	}
	fclose(f);
	if (web && addr[0] != '\0')
		printf("\nWeb view: http://%s/\n", addr);
}

/* Take --web or --web=PORT out of up's arguments; the new argc, -1 bad. */
static int
web_opt(int argc, char **argv)
{
	char *end;
	long port;
	int i, j;

	for (i = j = 2; i < argc; i++) {
		if (strcmp(argv[i], "--web") == 0)
			lab_web = -1;
		else if (strncmp(argv[i], "--web=", 6) == 0) {
			errno = 0;
			port = strtol(argv[i] + 6, &end, 10);
			if (errno != 0 || end == argv[i] + 6 || *end != '\0' ||
			    port < 1 || port > 65535) {
				fprintf(stderr,
				    "vrs: %s: not a port (1-65535)\n", argv[i]);
				return -1;
			}
			lab_web = (int)port;
		} else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

static void
summary(const char *sock, const struct procs *p, const struct lab *l)
{
	int i;

	printf("\nSessions (vrs peers):\n");
	fflush(stdout);
	{
		json_t *arr = NULL, *e;
		char err[256];
		size_t k;

		if (cli_request(sock, "GET", "/v1/peers", NULL, &arr, err,
		        sizeof(err)) == 200) {
			printf("  %-22s %-12s %-7s %-12s %9s %9s\n", "Name",
			    "Address", "AS", "State", "Received", "Sent");
			json_array_foreach(arr, k, e)
			    printf("  %-22s %-12s %-7" JSON_INTEGER_FORMAT
			           " %-12s %9" JSON_INTEGER_FORMAT
			           " %9" JSON_INTEGER_FORMAT "\n",
			        jstr(e, "name"), jstr(e, "address"),
			        json_integer_value(json_object_get(e, "asn")),
			        jstr(e, "state"),
			        json_integer_value(
			            json_object_get(e, "prefixesReceived")),
			        json_integer_value(
			            json_object_get(e, "prefixesSent")));
		}
		json_decref(arr);
	}
	print_nics(sock);
	if (l != NULL)
		print_external(sock, l, p->port);
	print_web();
	printf("\nProcesses (vrs lab down stops them):\n");
	for (i = 0; i < p->n; i++)
		printf("  %-10s pid %-8d %s\n", p->name[i], (int)p->pid[i],
		    alive(p->pid[i], lab_dir()) ? "running" : "NOT RUNNING");
	printf("\nNext: vrs network routeserver peering list-advertised-routes "
	       "--routeserver ars -n nva\n"
	       "      vrs lab speaker %s show adj-rib in extensive\n",
	    p->n > 1 ? p->name[1] : "NAME");
}

/* ---- the verbs ---- */

/* vrs lab check: lab_up stops once everything is checked. */
static bool lab_check_only;

static int
lab_up(const char *file)
{
	char ref[PATH_MAX], vrsd[PATH_MAX], spk[PATH_MAX],
	    tdir[] = "/tmp/vrs-lab-check.XXXXXX";
	char path[PATH_MAX * 2], tsock[PATH_MAX], conf[PATH_MAX * 2],
	    port_env[48], pipe_env[96], dirw[PATH_MAX];
	char *argv[10], *env[3];
	const char *dir = lab_dir();
	struct lab l;
	struct procs p;
	struct sbuf out;
	struct snap s, last;
	double t0 = now_s(), stable = 0, seen = 0;
	pid_t pid;
	FILE *f;
	int i, rc, shown_up = -1, shown_total = -1;

	if (file == NULL) {
		if (!find_reference(ref, sizeof(ref))) {
			fprintf(stderr,
			    "vrs: the reference lab (labs/reference.yaml) is "
			    "not beside vrs nor installed; give a lab file\n");
			return 1;
		}
		file = ref;
	}
	if (!lab_check_only && procs_load(&p) && alive(p.pid[0], dir)) {
		fprintf(stderr,
		    "vrs: a lab is already running (%s, from %s, vrsd pid "
		    "%d); nothing changed.\n"
		    "     `vrs lab status` shows it, `vrs lab down` stops "
		    "it.\n",
		    p.lname, p.file, (int)p.pid[0]);
		return 1;
	}
	if (!find_prog("vrsd", vrsd, sizeof(vrsd)) ||
	    !find_prog("vrs-speaker", spk, sizeof(spk))) {
		fprintf(stderr,
		    "vrs: vrsd and vrs-speaker are neither beside "
		    "vrs nor on PATH\n");
		return 1;
	}
	if (!lab_load(&l, file)) {
		fprintf(
		    stderr, "vrs: %s has errors; nothing was started\n", file);
		lab_free(&l);
		return 1;
	}
	/* 1. every speaker's configuration */
	for (i = 0; i < l.nspk; i++) {
		argv[0] = spk;
		argv[1] = "--test";
		argv[2] = l.spk[i].conf;
		argv[3] = NULL;
		sbuf_init(&out);
		rc = run_capture(argv, &out);
		if (rc != 0) {
			fprintf(stderr,
			    "%s%s:%d:%d: speaker %s: %s has errors\n", out.s,
			    file, l.spk[i].line, l.spk[i].col, l.spk[i].text,
			    l.spk[i].conf);
			l.nerr++;
		}
		sbuf_fini(&out);
	}
	if (l.nerr > 0) {
		fprintf(stderr, "vrs: nothing was started\n");
		lab_free(&l);
		return 1;
	}
	/* 2. the topology, against a private vrsd without BGP */
	if (mkdtemp(tdir) == NULL) {
		perror("vrs: mkdtemp");
		return 1;
	}
	snprintf(tsock, sizeof(tsock), "%s/vrsd.sock", tdir);
	snprintf(path, sizeof(path), "%s/state.json", tdir);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	fprintf(f, "{\"options\": {\"relaxed\": %s}}\n",
	    l.relaxed ? "true" : "false");
	fclose(f);
	snprintf(conf, sizeof(conf), "%s/vrsd.yaml", tdir);
	if ((f = fopen(conf, "w")) == NULL) {
		perror(conf);
		return 1;
	}
	fprintf(f, "control: %s\nstate: %s\nlog-level: warning\n", tsock, path);
	fclose(f);
	argv[0] = vrsd;
	argv[1] = "-c";
	argv[2] = conf;
	argv[3] = NULL;
	snprintf(path, sizeof(path), "%s/vrsd.log", tdir);
	pid = spawn(argv, NULL, path);
	if (pid < 0 || !wait_api(tsock, pid)) {
		fprintf(stderr, "vrs: vrsd did not start (see %s)\n", path);
		return 1;
	}
	for (i = 0; i < l.ncmds; i++) {
		sbuf_init(&out);
		rc = network_cmd(tsock, l.cmds[i].text, &out);
		if (rc != 0) {
			if (out.len > 0 && out.s[out.len - 1] == '\n')
				out.s[--out.len] = '\0';
			fprintf(stderr, "%s:%d:%d: vrs network %s: %s\n", file,
			    l.cmds[i].line, l.cmds[i].col, l.cmds[i].text,
			    strncmp(out.s, "vrs: ", 5) == 0 ? out.s + 5
			                                    : out.s);
			l.nerr++;
			sbuf_fini(&out);
			break;
		}
		sbuf_fini(&out);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (l.nerr > 0) {
		fprintf(stderr, "vrs: nothing was started\n");
		snprintf(path, sizeof(path), "rm -rf '%s'", tdir);
		(void)system(path);
		lab_free(&l);
		return 1;
	}
	if (lab_check_only) { /* vrs lab check: all checked, nothing runs */
		snprintf(path, sizeof(path), "rm -rf '%s'", tdir);
		(void)system(path);
		printf("%s: ok (%d topology commands, %d speakers, %d "
		       "external peers)\n",
		    file, l.ncmds, l.nspk, l.next);
		lab_free(&l);
		return 0;
	}
	/* 3. the lab: vrsd in mode ars, then the speakers */
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "vrs: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/run", dir);
	(void)mkdir(path, 0700);
	snprintf(path, sizeof(path),
	    "mv '%s/state.json' '%s/state.json' && "
	    "rm -rf '%s'",
	    tdir, dir, tdir);
	if (system(path) != 0) {
		fprintf(
		    stderr, "vrs: could not move the topology to %s\n", dir);
		return 1;
	}
	snprintf(conf, sizeof(conf), "%s/vrsd.yaml", dir);
	if ((f = fopen(conf, "w")) == NULL) {
		perror(conf);
		return 1;
	}
	fprintf(f,
	    "# written by vrs lab up from %s\nmode: ars\nbgp-port: %d\n"
	    "control: %s/vrsd.sock\nstate: %s/state.json\nlog-level: info\n",
	    file, l.port, dir, dir);
	if (lab_web != 0 && (lab_web > 0 || l.port < 65535))
		fprintf(f, "control-listen: 127.0.0.1:%d\nweb: true\n",
		    lab_web > 0 ? lab_web : l.port + 1);
	fclose(f);
	memset(&p, 0, sizeof(p));
	snprintf(p.lname, sizeof(p.lname), "%s", l.name);
	if (realpath(file, p.file) == NULL)
		snprintf(p.file, sizeof(p.file), "%s", file);
	p.port = l.port;
	printf("lab %s: starting vrsd (BGP port %d, folder %s)\n", l.name,
	    l.port, dir);
	snprintf(path, sizeof(path), "%s/vrsd.log", dir);
	snprintf(tsock, sizeof(tsock), "%s/vrsd.sock", dir);
	pid = spawn(argv, NULL, path);
	snprintf(p.name[0], sizeof(p.name[0]), "vrsd");
	p.pid[p.n++] = pid;
	(void)procs_save(&p);
	if (pid < 0 || !wait_api(tsock, pid)) {
		fprintf(stderr, "vrs: vrsd did not start; its log %s says:\n",
		    path);
		snprintf(
		    conf, sizeof(conf), "tail -5 '%.*s' >&2", PATH_MAX, path);
		(void)system(conf);
		stop_all(&p, dir);
		dir_clean(dir, &p);
		lab_free(&l);
		return 1;
	}
	snprintf(dirw, sizeof(dirw), "%s", dir);
	snprintf(port_env, sizeof(port_env), "exabgp_tcp_port=%d", l.port);
	for (i = 0; i < l.nspk; i++) {
		snprintf(pipe_env, sizeof(pipe_env), "exabgp_api_pipename=%s",
		    l.spk[i].text);
		env[0] = port_env;
		env[1] = pipe_env;
		env[2] = NULL;
		argv[0] = spk;
		argv[1] = "--map-loopback";
		argv[2] = "--root";
		argv[3] = dirw;
		argv[4] = l.spk[i].conf;
		argv[5] = NULL;
		snprintf(path, sizeof(path), "%s/%s.log", dir, l.spk[i].text);
		printf("lab %s: starting speaker %s (%s)\n", l.name,
		    l.spk[i].text, l.spk[i].conf);
		pid = spawn(argv, env, path);
		snprintf(p.name[p.n], sizeof(p.name[0]), "%s", l.spk[i].text);
		p.pid[p.n++] = pid;
	}
	(void)procs_save(&p);
	/* 4. wait: every session Established, the counters still */
	memset(&last, 0, sizeof(last));
	for (;;) {
		if (!snapshot(tsock, &l, &s)) {
			fprintf(stderr, "vrs: vrsd stopped answering\n");
			break;
		}
		if (s.up != shown_up || s.total != shown_total) {
			printf("lab %s: %d of %d sessions Established%s%s\n",
			    l.name, s.up, s.total,
			    s.up < s.total ? "; waiting for " : "",
			    s.up < s.total ? s.down : "");
			shown_up = s.up;
			shown_total = s.total;
		}
		for (i = 1; i < p.n; i++)
			if (p.pid[i] > 0 &&
			    waitpid(p.pid[i], NULL, WNOHANG) == p.pid[i]) {
				fprintf(stderr,
				    "vrs: speaker %s stopped; its log "
				    "(%s/%s.log) ends with:\n",
				    p.name[i], dir, p.name[i]);
				snprintf(path, sizeof(path),
				    "tail -5 '%s/%s.log' >&2", dir, p.name[i]);
				(void)system(path);
				p.pid[i] = -p.pid[i];
			}
		if (s.up == s.total && s.sig == last.sig) {
			if (stable == 0)
				stable = now_s();
			else if (now_s() - stable >= 1.0)
				break;
		} else {
			stable = 0;
			seen = now_s(); /* the state converged to, first seen */
		}
		last = s;
		if (now_s() - t0 > l.wait) {
			fprintf(stderr,
			    "vrs: after %d s, %d of %d sessions are "
			    "Established (%s); the lab keeps running: see "
			    "`vrs lab status` and the logs in %s\n",
			    l.wait, s.up, s.total, s.down, dir);
			summary(tsock, &p, &l);
			lab_free(&l);
			return 2;
		}
		nap(25);
	}
	printf("lab %s: converged in %.2f s (every session Established, "
	       "routes still for 1 s)\n",
	    l.name, seen - t0);
	summary(tsock, &p, &l);
	lab_free(&l);
	return 0;
}

static int
lab_down(void)
{
	const char *dir = lab_dir();
	struct procs p;
	int i, left = 0;

	if (!procs_load(&p)) {
		printf("no lab is running (%s has none)\n", dir);
		return 0;
	}
	stop_all(&p, dir);
	for (i = 0; i < p.n; i++)
		if (p.pid[i] > 0 && alive(p.pid[i], dir)) {
			fprintf(stderr, "vrs: %s (pid %d) did not stop\n",
			    p.name[i], (int)p.pid[i]);
			left++;
		}
	if (left > 0)
		return 1;
	dir_clean(dir, &p);
	printf("lab %s stopped (%d processes)\n", p.lname, p.n);
	return 0;
}

static int
lab_status(void)
{
	const char *dir = lab_dir(), *sock;
	struct procs p;

	if (!procs_load(&p)) {
		printf("no lab is running (`vrs lab up` starts the reference "
		       "lab)\n");
		return 3;
	}
	sock = lab_socket();
	printf("lab %s from %s, BGP port %d, folder %s\n", p.lname, p.file,
	    p.port, dir);
	if (sock == NULL || !alive(p.pid[0], dir)) {
		printf("vrsd is not running: `vrs lab down` cleans up\n");
		return 1;
	}
	summary(sock, &p, NULL);
	return 0;
}

static int
lab_speaker(int argc, char **argv)
{
	const char *dir = lab_dir();
	char spk[PATH_MAX], env[96], *args[260], dirw[PATH_MAX];
	struct procs p;
	int i, k;

	if (argc < 3) {
		fprintf(stderr, "usage: vrs lab speaker NAME COMMAND...\n");
		return 1;
	}
	if (!procs_load(&p)) {
		fprintf(stderr, "vrs: no lab is running\n");
		return 1;
	}
	for (k = 1; k < p.n && strcmp(p.name[k], argv[1]) != 0; k++)
		;
	if (k == p.n) {
		fprintf(stderr,
		    "vrs: the lab has no speaker %s (speakers:", argv[1]);
		for (k = 1; k < p.n; k++)
			fprintf(stderr, " %s", p.name[k]);
		fprintf(stderr, ")\n");
		return 1;
	}
	if (!find_prog("vrs-speaker", spk, sizeof(spk))) {
		fprintf(stderr,
		    "vrs: vrs-speaker is neither beside vrs nor "
		    "on PATH\n");
		return 1;
	}
	snprintf(env, sizeof(env), "exabgp_api_pipename=%s", argv[1]);
	putenv(env);
	args[0] = spk;
	args[1] = "cli";
	args[2] = "--root";
	snprintf(dirw, sizeof(dirw), "%s", dir);
	args[3] = dirw;
	for (i = 2; i < argc && i < 250; i++)
		args[i + 2] = argv[i];
	args[i + 2] = NULL;
	fflush(stdout);
	execv(spk, args);
	fprintf(stderr, "vrs: %s: %s\n", spk, strerror(errno));
	return 1;
}

static void
lab_usage(FILE *f)
{
	fprintf(f,
	    "usage: vrs lab up [FILE]    start a lab (the reference lab "
	    "without FILE)\n"
	    "       vrs lab up --web[=PORT] ...\n"
	    "                            and the web view on "
	    "http://127.0.0.1:PORT/\n"
	    "                            (PORT: the BGP port + 1)\n"
	    "       vrs lab check [FILE] check a lab file as up does (keys, "
	    "speakers'\n"
	    "                            configurations, the topology), "
	    "start nothing\n"
	    "       vrs lab status       what runs: sessions, NICs, "
	    "processes\n"
	    "       vrs lab down         stop what up started, remove its "
	    "folder\n"
	    "       vrs lab speaker NAME COMMAND...\n"
	    "                            a vrs-speaker cli command on a lab "
	    "speaker\n"
	    "       vrs lab dir          print the lab's folder\n"
	    "       vrs lab import-arm TEMPLATE.json... [--routes R.json]... "
	    "[-d DIR] > lab.yaml\n"
	    "                            a lab file from az group export "
	    "or az resource list\n"
	    "       vrs lab up --arm TEMPLATE.json... [--routes R.json]...\n"
	    "                            import, then start it (from "
	    "LABDIR.arm/lab.yaml)\n"
	    "\n"
	    "The lab lives in $VRS_LAB_DIR (else $XDG_RUNTIME_DIR/vrs-lab, "
	    "else\n"
	    "/tmp/vrs-lab-UID); while it runs, vrs talks to its vrsd unless "
	    "--socket\n"
	    "or VRS_SOCKET says otherwise.  BGP runs on loopback: Azure "
	    "address\n"
	    "a.b.c.d is socket 127.b.c.d, port 179 as root, else 1179 (port: "
	    "in\n"
	    "the lab file, or VRS_LAB_PORT).  See README.md, \"vrs lab\".\n");
}

int
cli_lab(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		lab_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[1], "up") == 0 && (argc = web_opt(argc, argv)) < 0)
		return 1;
	if (strcmp(argv[1], "import-arm") == 0)
		return lab_arm_import(argc - 1, argv + 1);
	if (strcmp(argv[1], "up") == 0 && argc >= 4 &&
	    strcmp(argv[2], "--arm") == 0) {
		char arm[PATH_MAX + 16];
		int rc = lab_arm_prepare(argc - 2, argv + 2, arm, sizeof(arm));

		return rc != 0 ? rc : lab_up(arm);
	}
	if (strcmp(argv[1], "up") == 0 && argc <= 3)
		return lab_up(argc == 3 ? argv[2] : NULL);
	if (strcmp(argv[1], "check") == 0 && argc <= 3) {
		lab_check_only = true;
		return lab_up(argc == 3 ? argv[2] : NULL);
	}
	if (strcmp(argv[1], "down") == 0 && argc == 2)
		return lab_down();
	if (strcmp(argv[1], "status") == 0 && argc == 2)
		return lab_status();
	if (strcmp(argv[1], "speaker") == 0)
		return lab_speaker(argc - 1, argv + 1);
	if (strcmp(argv[1], "dir") == 0 && argc == 2) {
		printf("%s\n", lab_dir());
		return 0;
	}
	lab_usage(stderr);
	return 1;
}
