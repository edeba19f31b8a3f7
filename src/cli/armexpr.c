/* SPDX-License-Identifier: ISC */
/* cli/armexpr.c - ARM template expressions ("[parameters('x')]") and resource ids, offline. */

#include "cli/arm_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * DOC: template expressions
 *
 * `az group export` writes names and references as template expressions
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/
 * template-expressions): "[parameters('virtualNetworks_hub_name')]",
 * "[resourceId('Microsoft.Network/virtualNetworks/subnets',
 * parameters('v'), 'default')]", "[concat(parameters('v'), '/default')]".
 * What can be known offline is evaluated: parameters (their
 * defaultValue), variables, concat, format, resourceId, toLower,
 * toUpper, string, int, subscription() and resourceGroup() (placeholder
 * ids).  Anything else (reference(), listKeys(), ...) is runtime state:
 * the value becomes null and the caller reports it.  Evaluation is
 * bounded: ARM_EXPR_DEPTH nested calls or parameter/variable hops, and
 * expressions of at most ARM_EXPR_LEN characters.
 */

#define ARM_EXPR_DEPTH 16
#define ARM_EXPR_LEN   4096
#define ARM_EXPR_ARGS  32

struct ex {
	const struct arm_ctx *c; /* borrowed */
	const char *s;           /* next character */
	int depth;
	char *why; /* borrowed: the caller's buffer */
	size_t wlen;
};

static json_t *ex_expr(struct ex *e);

static json_t *
ex_fail(struct ex *e, const char *fmt, const char *arg)
{
	if (e->why[0] == '\0')
		snprintf(e->why, e->wlen, fmt, arg);
	return NULL;
}

static void
ex_space(struct ex *e)
{
	while (*e->s == ' ' || *e->s == '\t' || *e->s == '\n' || *e->s == '\r')
		e->s++;
}

/* 'text' with '' for a quote. */
static json_t *
ex_string(struct ex *e)
{
	char buf[ARM_EXPR_LEN];
	size_t n = 0;

	e->s++;
	for (;;) {
		if (*e->s == '\0')
			return ex_fail(e, "%s", "a string is not closed");
		if (*e->s == '\'') {
			if (e->s[1] != '\'')
				break;
			e->s++;
		}
		if (n + 1 >= sizeof(buf))
			return ex_fail(e, "%s", "a string is too long");
		buf[n++] = *e->s++;
	}
	e->s++;
	buf[n] = '\0';
	return json_string(buf);
}

static json_t *
ex_number(struct ex *e)
{
	char *end;
	long long v = strtoll(e->s, &end, 10);

	if (end == e->s)
		return ex_fail(e, "%s", "a number expected");
	e->s = end;
	return json_integer(v);
}

static json_t *
ex_param(struct ex *e, json_t *arg, bool var)
{
	const char *n = json_string_value(arg);
	json_t *p, *v;

	if (n == NULL)
		return ex_fail(e, "%s",
		    var ? "variables() takes a name"
		        : "parameters() takes a name");
	p = json_object_get(var ? e->c->vars : e->c->params, n);
	if (p == NULL)
		return ex_fail(
		    e, var ? "no variable '%s'" : "no parameter '%s'", n);
	if (!var) {
		if (!json_is_object(p) ||
		    (p = json_object_get(p, "defaultValue")) == NULL)
			return ex_fail(
			    e, "parameter '%s' has no defaultValue", n);
	}
	v = json_deep_copy(p);
	if (!arm_resolve(e->c, &v, e->depth + 1, e->why, e->wlen)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *
ex_concat(struct ex *e, json_t **a, int n)
{
	struct sbuf b;
	json_t *out;
	int i;

	if (n > 0 && json_is_array(a[0])) {
		out = json_array();
		for (i = 0; i < n; i++)
			if (json_array_extend(out, a[i]) != 0) {
				json_decref(out);
				return ex_fail(e, "%s",
				    "concat() mixes lists and strings");
			}
		return out;
	}
	sbuf_init(&b);
	for (i = 0; i < n; i++) {
		if (json_is_string(a[i]))
			sbuf_puts(&b, json_string_value(a[i]));
		else if (json_is_integer(a[i]))
			sbuf_printf(&b, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(a[i]));
		else {
			sbuf_fini(&b);
			return ex_fail(
			    e, "%s", "concat() of something not a string");
		}
	}
	out = json_string(b.s);
	sbuf_fini(&b);
	return out;
}

static json_t *
ex_format(struct ex *e, json_t **a, int n)
{
	const char *f = json_string_value(n > 0 ? a[0] : NULL), *p;
	struct sbuf b;
	json_t *out;
	char *end;
	long k;

	if (f == NULL)
		return ex_fail(e, "%s", "format() takes a format string");
	sbuf_init(&b);
	for (p = f; *p != '\0'; p++) {
		if (*p != '{' || !isdigit((unsigned char)p[1])) {
			sbuf_putc(&b, *p);
			continue;
		}
		k = strtol(p + 1, &end, 10);
		while (*end != '}' && *end != '\0')
			end++; /* {0:format} */
		/* k is at most LONG_MAX: compare without adding to it */
		if (*end != '}' || k >= (long)n - 1 ||
		    (!json_is_string(a[k + 1]) && !json_is_integer(a[k + 1]))) {
			sbuf_fini(&b);
			return ex_fail(e, "%s", "format() arguments");
		}
		if (json_is_string(a[k + 1]))
			sbuf_puts(&b, json_string_value(a[k + 1]));
		else
			sbuf_printf(&b, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(a[k + 1]));
		p = end;
	}
	out = json_string(b.s);
	sbuf_fini(&b);
	return out;
}

/* resourceId([subscriptionId], [resourceGroup], type, name1, name2...) */
static json_t *
ex_resource_id(struct ex *e, json_t **a, int n)
{
	const char *sub = ARM_SUB, *rg = e->c->rg, *type, *slash;
	char seg[128];
	struct sbuf b;
	json_t *out;
	int t, i;
	size_t k;

	for (t = 0; t < n && t < 3; t++) {
		type = json_string_value(a[t]);
		if (type == NULL)
			return ex_fail(e, "%s", "resourceId() takes strings");
		if ((slash = strchr(type, '/')) != NULL &&
		    memchr(type, '.', (size_t)(slash - type)) != NULL)
			break;
	}
	if (t == n || t == 3)
		return ex_fail(e, "%s", "resourceId() without a type");
	if (t == 2)
		sub = json_string_value(a[0]);
	if (t >= 1)
		rg = json_string_value(a[t - 1]);
	type = json_string_value(a[t]);
	slash = strchr(type, '/');
	sbuf_init(&b);
	sbuf_printf(&b, "/subscriptions/%s/resourceGroups/%s/providers/%.*s",
	    sub, rg, (int)(slash - type), type);
	for (i = t + 1; i < n; i++) {
		if (json_string_value(a[i]) == NULL || slash == NULL) {
			sbuf_fini(&b);
			return ex_fail(e, "%s",
			    "resourceId(): a name for each type segment");
		}
		type = slash + 1;
		slash = strchr(type, '/');
		k = slash ? (size_t)(slash - type) : strlen(type);
		snprintf(seg, sizeof(seg), "%.*s", (int)k, type);
		sbuf_printf(&b, "/%s/%s", seg, json_string_value(a[i]));
	}
	out = slash == NULL ? json_string(b.s) : NULL;
	sbuf_fini(&b);
	return out != NULL ? out
	                   : ex_fail(e, "%s", "resourceId(): a name missing");
}

static json_t *
ex_case(struct ex *e, json_t *v, bool up)
{
	char *s;
	json_t *out;
	size_t i;

	if (!json_is_string(v))
		return ex_fail(e, "%s", "toLower()/toUpper() take a string");
	s = xstrdup(json_string_value(v));
	for (i = 0; s[i] != '\0'; i++)
		s[i] = (char)(up ? toupper((unsigned char)s[i])
		                 : tolower((unsigned char)s[i]));
	out = json_string(s);
	free(s);
	return out;
}

static json_t *
ex_call(struct ex *e, const char *fn, json_t **a, int n)
{
	char id[160];

	if (strcasecmp(fn, "parameters") == 0 && n == 1)
		return ex_param(e, a[0], false);
	if (strcasecmp(fn, "variables") == 0 && n == 1)
		return ex_param(e, a[0], true);
	if (strcasecmp(fn, "concat") == 0)
		return ex_concat(e, a, n);
	if (strcasecmp(fn, "format") == 0)
		return ex_format(e, a, n);
	if (strcasecmp(fn, "resourceId") == 0)
		return ex_resource_id(e, a, n);
	if ((strcasecmp(fn, "toLower") == 0 ||
	        strcasecmp(fn, "toUpper") == 0) &&
	    n == 1)
		return ex_case(e, a[0], strcasecmp(fn, "toUpper") == 0);
	if (strcasecmp(fn, "string") == 0 && n == 1 && json_is_string(a[0]))
		return json_incref(a[0]);
	if (strcasecmp(fn, "string") == 0 && n == 1 && json_is_integer(a[0]))
		return json_sprintf(
		    "%" JSON_INTEGER_FORMAT, json_integer_value(a[0]));
	if (strcasecmp(fn, "int") == 0 && n == 1 && json_is_integer(a[0]))
		return json_incref(a[0]);
	if (strcasecmp(fn, "int") == 0 && n == 1 && json_is_string(a[0]))
		return json_integer(strtoll(json_string_value(a[0]), NULL, 10));
	if ((strcasecmp(fn, "true") == 0 || strcasecmp(fn, "false") == 0) &&
	    n == 0)
		return json_boolean(strcasecmp(fn, "true") == 0);
	if (strcasecmp(fn, "subscription") == 0 && n == 0)
		return json_pack("{s:s,s:s}", "subscriptionId", ARM_SUB, "id",
		    "/subscriptions/" ARM_SUB);
	if (strcasecmp(fn, "resourceGroup") == 0 && n == 0) {
		snprintf(id, sizeof(id),
		    "/subscriptions/" ARM_SUB "/resourceGroups/%s", e->c->rg);
		return json_pack("{s:s,s:s}", "name", e->c->rg, "id", id);
	}
	return ex_fail(e, "%s() is not known offline", fn);
}

/* name(args) after the name; e->s is at the '('. */
static json_t *
ex_function(struct ex *e, const char *fn)
{
	json_t *a[ARM_EXPR_ARGS], *v = NULL;
	int n = 0, i;

	if (++e->depth > ARM_EXPR_DEPTH)
		return ex_fail(e, "%s", "expression nested too deep");
	e->s++;
	ex_space(e);
	while (*e->s != ')') {
		if (n == ARM_EXPR_ARGS) {
			ex_fail(e, "%s", "too many arguments");
			goto out;
		}
		if ((a[n] = ex_expr(e)) == NULL)
			goto out;
		n++;
		ex_space(e);
		if (*e->s == ',') {
			e->s++;
			ex_space(e);
		} else if (*e->s != ')') {
			ex_fail(e, "%s", "expected ',' or ')'");
			goto out;
		}
	}
	e->s++;
	v = ex_call(e, fn, a, n);
out:
	for (i = 0; i < n; i++)
		json_decref(a[i]);
	e->depth--;
	return v;
}

/* .property and [index] after a value. */
static json_t *
ex_postfix(struct ex *e, json_t *v)
{
	char key[128];
	size_t n;
	json_t *x, *idx;

	for (;;) {
		ex_space(e);
		if (*e->s == '.') {
			e->s++;
			for (n = 0; (isalnum((unsigned char)e->s[n]) ||
			                e->s[n] == '_') &&
			     n + 1 < sizeof(key);
			     n++)
				key[n] = e->s[n];
			key[n] = '\0';
			e->s += n;
			x = json_object_get(v, key);
			if (x == NULL) {
				json_decref(v);
				return ex_fail(e, "no property %s", key);
			}
		} else if (*e->s == '[') {
			e->s++;
			if ((idx = ex_expr(e)) == NULL) {
				json_decref(v);
				return NULL;
			}
			ex_space(e);
			x = json_is_integer(idx)
			    ? json_array_get(v, (size_t)json_integer_value(idx))
			    : json_object_get(v,
			          json_string_value(idx) != NULL
			              ? json_string_value(idx)
			              : "");
			json_decref(idx);
			if (*e->s != ']' || x == NULL) {
				json_decref(v);
				return ex_fail(e, "%s", "bad [index]");
			}
			e->s++;
		} else
			return v;
		json_incref(x);
		json_decref(v);
		v = x;
	}
}

static json_t *
ex_expr(struct ex *e)
{
	char fn[64];
	size_t n = 0;
	json_t *v;

	ex_space(e);
	if (*e->s == '\'')
		v = ex_string(e);
	else if (isdigit((unsigned char)*e->s) || *e->s == '-')
		v = ex_number(e);
	else if (isalpha((unsigned char)*e->s)) {
		while ((isalnum((unsigned char)e->s[n]) || e->s[n] == '_') &&
		    n + 1 < sizeof(fn)) {
			fn[n] = e->s[n];
			n++;
		}
		fn[n] = '\0';
		e->s += n;
		ex_space(e);
		if (*e->s != '(')
			return ex_fail(e, "%s", "a function call expected");
		v = ex_function(e, fn);
	} else
		return ex_fail(e, "%s", "unexpected character");
	return v != NULL ? ex_postfix(e, v) : NULL;
}

json_t *
arm_eval(
    const struct arm_ctx *c, const char *s, int depth, char *why, size_t len)
{
	struct ex e = { c, NULL, depth, why, len };
	size_t n = strlen(s);
	char buf[ARM_EXPR_LEN + 1];
	json_t *v;

	why[0] = '\0';
	if (n < 2 || s[0] != '[' || s[n - 1] != ']' || s[1] == '[')
		return json_string(s[0] == '[' && s[1] == '[' ? s + 1 : s);
	if (n - 2 > ARM_EXPR_LEN) {
		snprintf(why, len, "an expression longer than %d characters",
		    ARM_EXPR_LEN);
		return NULL;
	}
	if (depth > ARM_EXPR_DEPTH) {
		snprintf(why, len, "parameters and variables nested too deep");
		return NULL;
	}
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = '\0';
	e.s = buf;
	if ((v = ex_expr(&e)) == NULL)
		return NULL;
	ex_space(&e);
	if (*e.s != '\0') {
		json_decref(v);
		snprintf(why, len, "unexpected text after the expression");
		return NULL;
	}
	return v;
}

bool
arm_resolve(
    const struct arm_ctx *c, json_t **v, int depth, char *why, size_t len)
{
	json_t *x;
	void *it;
	size_t i;

	if (depth > ARM_EXPR_DEPTH + 64) {
		snprintf(why, len, "nested too deep");
		return false;
	}
	if (json_is_string(*v)) {
		x = arm_eval(c, json_string_value(*v), depth, why, len);
		if (x == NULL)
			return false;
		json_decref(*v);
		*v = x;
		return true;
	}
	if (json_is_array(*v))
		for (i = 0; i < json_array_size(*v); i++) {
			x = json_incref(json_array_get(*v, i));
			if (!arm_resolve(c, &x, depth + 1, why, len)) {
				json_decref(x);
				return false;
			}
			json_array_set_new(*v, i, x);
		}
	if (json_is_object(*v))
		for (it = json_object_iter(*v); it != NULL;
		     it = json_object_iter_next(*v, it)) {
			x = json_incref(json_object_iter_value(it));
			if (!arm_resolve(c, &x, depth + 1, why, len)) {
				json_decref(x);
				return false;
			}
			json_object_iter_set_new(*v, it, x);
		}
	return true;
}

bool
arm_id_parse(const char *id, struct arm_id *out)
{
	char buf[ARM_ID_LEN], *w[2 + 2 * ARM_ID_LEVELS + 4], *save = NULL, *p;
	int n = 0, i;

	memset(out, 0, sizeof(*out));
	if (id == NULL || strlen(id) >= sizeof(buf) || id[0] != '/')
		return false;
	snprintf(buf, sizeof(buf), "%s", id);
	for (p = strtok_r(buf, "/", &save); p != NULL;
	     p = strtok_r(NULL, "/", &save)) {
		if (n == (int)(sizeof(w) / sizeof(w[0])))
			return false;
		w[n++] = p;
	}
	/* subscriptions S resourceGroups RG providers NS T1 N1 [T2 N2] */
	if (n < 8 || n % 2 != 0 || strcasecmp(w[0], "subscriptions") != 0 ||
	    strcasecmp(w[2], "resourceGroups") != 0 ||
	    strcasecmp(w[4], "providers") != 0)
		return false;
	snprintf(out->rg, sizeof(out->rg), "%s", w[3]);
	snprintf(out->type, sizeof(out->type), "%s", w[5]);
	for (i = 6; i + 1 < n; i += 2) {
		if (out->nnames == ARM_ID_LEVELS)
			return false;
		if (strlen(out->type) + strlen(w[i]) + 2 > sizeof(out->type) ||
		    strlen(w[i + 1]) >= sizeof(out->names[0]))
			return false;
		strcat(out->type, "/");
		strcat(out->type, w[i]);
		snprintf(out->names[out->nnames++], sizeof(out->names[0]), "%s",
		    w[i + 1]);
	}
	return true;
}
