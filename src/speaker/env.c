/* SPDX-License-Identifier: ISC */
/* speaker/env.c - ExaBGP's environment settings (exabgp_<section>_<option>). */

#include "speaker/env.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum opt_type {
	T_BOOL,
	T_PORT,
	T_U32,
	T_STR,
	T_LEVEL,
	T_ENCODER,
	T_IPLIST,
	T_UMASK,
	T_REAL
};

struct opt {
	const char *section, *option;
	enum opt_type type;
	size_t off;
};

#define O(sec, name, type, field)                                \
	{                                                        \
		sec, name, type, offsetof(struct spk_env, field) \
	}

static const struct opt opts[] = {
	O("tcp", "port", T_PORT, tcp.port),
	O("tcp", "bind", T_IPLIST, tcp.bind),
	O("tcp", "once", T_BOOL, tcp.once),
	O("tcp", "attempts", T_U32, tcp.attempts),
	O("tcp", "delay", T_U32, tcp.delay),
	O("tcp", "acl", T_BOOL, tcp.acl),
	O("api", "ack", T_BOOL, api.ack),
	O("api", "chunk", T_U32, api.chunk),
	O("api", "cli", T_BOOL, api.cli),
	O("api", "compact", T_BOOL, api.compact),
	O("api", "encoder", T_ENCODER, api.json),
	O("api", "pipename", T_STR, api.pipename),
	O("api", "respawn", T_BOOL, api.respawn),
	O("api", "terminate", T_BOOL, api.terminate),
	O("bgp", "openwait", T_U32, bgp.openwait),
	O("cache", "attributes", T_BOOL, cache.attributes),
	O("cache", "nexthops", T_BOOL, cache.nexthops),
	O("daemon", "daemonize", T_BOOL, daemon.daemonize),
	O("daemon", "drop", T_BOOL, daemon.drop),
	O("daemon", "pid", T_STR, daemon.pid),
	O("daemon", "umask", T_UMASK, daemon.umask),
	O("daemon", "user", T_STR, daemon.user),
	O("log", "enable", T_BOOL, log.enable),
	O("log", "level", T_LEVEL, log.level),
	O("log", "destination", T_STR, log.destination),
	O("log", "all", T_BOOL, log.all),
	O("log", "configuration", T_BOOL, log.configuration),
	O("log", "reactor", T_BOOL, log.reactor),
	O("log", "daemon", T_BOOL, log.daemon),
	O("log", "processes", T_BOOL, log.processes),
	O("log", "network", T_BOOL, log.network),
	O("log", "packets", T_BOOL, log.packets),
	O("log", "rib", T_BOOL, log.rib),
	O("log", "message", T_BOOL, log.message),
	O("log", "timers", T_BOOL, log.timers),
	O("log", "routes", T_BOOL, log.routes),
	O("log", "parser", T_BOOL, log.parser),
	O("log", "short", T_BOOL, log.short_),
	O("debug", "pdb", T_BOOL, debug.pdb),
	O("debug", "memory", T_BOOL, debug.memory),
	O("debug", "configuration", T_BOOL, debug.configuration),
	O("debug", "selfcheck", T_BOOL, debug.selfcheck),
	O("debug", "defensive", T_BOOL, debug.defensive),
	O("debug", "rotate", T_BOOL, debug.rotate),
	O("debug", "route", T_STR, debug.route),
	O("reactor", "speed", T_REAL, reactor.speed),
};

/* syslog level names ExaBGP accepts */
static const char *const levels[] = { "EMERG", "ALERT", "CRIT", "CRITICAL",
	"ERR", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG" };

void
spk_env_init(struct spk_env *e)
{
	memset(e, 0, sizeof(*e));
	e->tcp.port = 179;
	e->api.ack = true;
	e->api.chunk = 1;
	e->api.cli = true;
	e->api.json = true;
	strcpy(e->api.pipename, "exabgp");
	e->api.respawn = true;
	e->bgp.openwait = 60;
	e->cache.attributes = e->cache.nexthops = true;
	e->daemon.drop = true;
	e->daemon.umask = 0137;
	strcpy(e->daemon.user, "nobody");
	e->log.enable = true;
	strcpy(e->log.level, "INFO");
	strcpy(e->log.destination, "stdout");
	e->log.configuration = e->log.reactor = e->log.daemon = true;
	e->log.processes = e->log.network = true;
	e->reactor.speed = 1.0;
}

/* The value of NAME in envp, or NULL. */
static const char *
env_get(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

/* ExaBGP's unquote(): surrounding blanks, then quotes, removed. */
static void
unquote(const char *v, char *out, size_t size)
{
	size_t len;

	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	while (len > 0 && (*v == '\'' || *v == '"')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\'' || v[len - 1] == '"'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, v, len);
	out[len] = '\0';
}

static bool
parse_u64(const char *s, int base, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return false;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || x > max)
		return false;
	*v = x;
	return true;
}

/* Set one option from its text; NULL or the accepted values. */
static const char *
opt_set(struct spk_env *e, const struct opt *o, const char *raw)
{
	char *field = (char *)e + o->off;
	char v[SPK_ENV_STR], *tok, *save;
	struct ipaddr *bind;
	uint64_t x;
	size_t i;
	double d;

	unquote(raw, v, sizeof(v));
	switch (o->type) {
	case T_BOOL:
		if (strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 ||
		    strcasecmp(v, "on") == 0 || strcasecmp(v, "enable") == 0 ||
		    strcasecmp(v, "true") == 0)
			*(bool *)field = true;
		else if (v[0] == '\0' || strcmp(v, "0") == 0 ||
		    strcasecmp(v, "no") == 0 || strcasecmp(v, "off") == 0 ||
		    strcasecmp(v, "disable") == 0 ||
		    strcasecmp(v, "false") == 0)
			*(bool *)field = false;
		else
			return "true, yes, on, enable, 1 or false, no, off, "
			       "disable, 0";
		return NULL;
	case T_PORT:
		if (!parse_u64(v, 10, 65535, &x) || x == 0)
			return "1-65535";
		*(uint16_t *)field = (uint16_t)x;
		return NULL;
	case T_U32:
		if (!parse_u64(v, 10, 0xffffffffu, &x))
			return "0-4294967295";
		*(uint32_t *)field = (uint32_t)x;
		return NULL;
	case T_UMASK:
		if (!parse_u64(
		        v[0] == '0' && (v[1] == 'o' || v[1] == 'O') ? v + 2 : v,
		        8, 0777, &x))
			return "an octal mode, 0-0777";
		*(uint32_t *)field = (uint32_t)x;
		return NULL;
	case T_REAL:
		errno = 0;
		d = strtod(v, &tok);
		if (v[0] == '\0' || *tok != '\0' || errno != 0 || d <= 0)
			return "a positive number";
		*(double *)field = d;
		return NULL;
	case T_STR:
		memcpy(field, v, strlen(v) + 1);
		return NULL;
	case T_ENCODER:
		if (strcasecmp(v, "json") != 0 && strcasecmp(v, "text") != 0)
			return "text or json";
		*(bool *)field = strcasecmp(v, "json") == 0;
		return NULL;
	case T_LEVEL:
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (strcasecmp(v, levels[i]) == 0)
				break;
		if (i == sizeof(levels) / sizeof(levels[0]))
			return "EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO "
			       "or DEBUG";
		strcpy(e->log.level, levels[i]);
		return NULL;
	case T_IPLIST:
		bind = e->tcp.bind;
		e->tcp.nbind = 0;
		for (tok = strtok_r(v, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save)) {
			if (e->tcp.nbind == SPK_ENV_BIND_MAX)
				return "at most 16 addresses";
			if (!addr_parse(tok, &bind[e->tcp.nbind]))
				return "IP addresses separated by spaces";
			e->tcp.nbind++;
		}
		return NULL;
	}
	return "a valid value";
}

bool
spk_env_load(struct spk_env *e, char *const *envp, struct sbuf *errors)
{
	char dotted[64], under[64];
	const char *v, *why;
	bool attempts = false, ok = true;
	struct spk_env keep;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(dotted, sizeof(dotted), "exabgp.%s.%s",
		    opts[i].section, opts[i].option);
		snprintf(under, sizeof(under), "exabgp_%s_%s", opts[i].section,
		    opts[i].option);
		if ((v = env_get(envp, dotted)) == NULL &&
		    (v = env_get(envp, under)) == NULL)
			continue;
		keep = *e;
		if ((why = opt_set(e, &opts[i], v)) != NULL) {
			*e = keep;
			sbuf_printf(errors, "%s: invalid value '%s' (%s)\n",
			    dotted, v, why);
			ok = false;
		} else if (opts[i].type == T_U32 &&
		    strcmp(opts[i].option, "attempts") == 0)
			attempts = true;
	}
	/* ExaBGP 4.2.21 has only `once`; 4.2.25 adds attempts (once = 1) */
	if (e->tcp.once && !attempts)
		e->tcp.attempts = 1;
	return ok;
}
