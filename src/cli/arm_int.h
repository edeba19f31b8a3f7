/* SPDX-License-Identifier: ISC */
/* cli/arm_int.h - what the import-arm files share: one import, its resources, expressions, ids. */

#ifndef VRS_CLI_ARM_INT_H
#define VRS_CLI_ARM_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/lab_int.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"
#include "lib/xmalloc.h"

#define ARM_SUB       "00000000-0000-0000-0000-000000000000"
#define ARM_ID_LEN    1024
#define ARM_ID_LEVELS 4
#define ARM_NAME_MAX  80    /* Azure: 1-80 characters */
#define ARM_RG        "lab" /* vrs network's resource group */

/* What a template's expressions can see: borrowed from its document. */
struct arm_ctx {
	json_t *params; /* borrowed: the template's "parameters" */
	json_t *vars;   /* borrowed: its "variables" */
	const char *rg; /* borrowed: resourceGroup().name */
};

/* A resource id split: .../resourceGroups/RG/providers/NS/T1/N1/T2/N2. */
struct arm_id {
	char rg[96];
	char type[160]; /* NS/T1/T2 */
	char names[ARM_ID_LEVELS][ARM_NAME_MAX + 8];
	int nnames;
};

/*
 * The value of template string s: an expression "[...]" evaluated, "[["
 * unescaped, anything else as it is.  A new reference, or NULL with the
 * reason in why (len bytes) when it cannot be known offline.
 */
json_t *arm_eval(
    const struct arm_ctx *c, const char *s, int depth, char *why, size_t len);
/*
 * Replace every string in *v (recursively) by its value; false at the
 * first that cannot be evaluated (why says which), *v still owned.
 */
bool arm_resolve(
    const struct arm_ctx *c, json_t **v, int depth, char *why, size_t len);
/* Split a resource id; false when it is not one. */
bool arm_id_parse(const char *id, struct arm_id *out);

#define ARM_DEPTH_MAX  64   /* JSON nesting */
#define ARM_CMDS_MAX   512  /* topology commands: the lab file's limit */
#define ARM_ROUTES_MAX 4000 /* routes per instance in --routes */
#define WHERE_LEN      160
#define ARM_FILES_MAX  16 /* input files of one import */

/* The resource types imported (spec section 5). */
enum akind {
	K_VNET,
	K_SUBNET,
	K_PEERING,
	K_RTABLE,
	K_ROUTE,
	K_NIC,
	K_HUB,
	K_HUBIPC,
	K_BGPCONN,
	K_VGW,
	K_LGW,
	K_CONN,
	K_COUNT
};

/* Each kind's ARM type and how many parent names precede its own. */
struct arm_kind {
	const char *type;
	int parents;
};

extern const struct arm_kind arm_kinds[K_COUNT];

/*
 * One resource of the input (or an inline child: a VNet's subnet), read
 * by armimport.c, turned into a command by armgen.c.  Its JSON is
 * borrowed from the import's resolved documents.
 */
struct aobj {
	enum akind kind;
	char type[96]; /* as written */
	char name[ARM_NAME_MAX + 1];
	char parent[ARM_NAME_MAX + 1]; /* "" at the top */
	json_t *res;                   /* borrowed: the resource */
	json_t *props;         /* borrowed: its properties (maybe = res) */
	const char *file;      /* borrowed */
	char where[WHERE_LEN]; /* "resources[3]" */
	char rel[WHERE_LEN];   /* "properties" (or "" when flattened) */
	bool ok;               /* imported: a command was written */
	struct prefix pfx;     /* subnets */
	struct ipaddr ip[2];   /* NICs; BGP addresses of gateways, sites */
	int nip;               /* bgpConnections: 1 */
	uint32_t asn;          /* bgpConnections, gateways, sites */
	bool bgp;              /* connections: enableBgp */
	char ref[2][ARM_NAME_MAX + 8]; /* connections: gateway1, peer */
};

/* A vrs-speaker that plays a bgpConnection or a BGP site. */
struct aspk {
	char name[49];
	struct aobj *peer;     /* borrowed: what it plays */
	struct aobj *gw;       /* borrowed: a site's gateway, else NULL */
	struct sbuf routes[2]; /* static lines: IN_0, IN_1 (site: [0]) */
	struct sbuf conf;      /* the ExaBGP file */
};

/* One import: its inputs, resources, commands and speakers. */
struct aimp {
	const char *files[ARM_FILES_MAX]; /* borrowed */
	json_t *docs[ARM_FILES_MAX];      /* owned: resolved documents */
	int nfiles;
	struct arm_ctx ctx;
	struct aobj *objs; /* owned */
	size_t nobjs, cap;
	char *cmds[ARM_CMDS_MAX]; /* owned */
	int ncmds;
	struct aspk spk[LAB_MAX];
	int nspk;
	char ext[LAB_MAX][49];
	int next;
	int nerr, nign, nres;
	bool full; /* ARM_OBJS_MAX reached, said once */
};

/* Messages to stderr: an error (counted in nerr), an ignored item (nign). */
void arm_err(struct aimp *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arm_note(struct aimp *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "file: resources[3] TYPE 'NAME': ..." (ignored) */
void arm_onote(struct aimp *a, const struct aobj *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "file: resources[3].REL.KEY: ..." (an error) */
void arm_oerr(struct aimp *a, const struct aobj *o, const char *rel,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void arm_fmt(char *buf, size_t len, const char *f, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * obj[key] of JSON type t (JSON_TRUE: a boolean), borrowed; NULL when
 * absent or null (an error if need) or of another type (an error).
 */
json_t *arm_jget(struct aimp *a, const struct aobj *o, json_t *obj,
    const char *rel, const char *key, int t, bool need);
bool arm_jbool(struct aimp *a, const struct aobj *o, json_t *obj,
    const char *rel, const char *key, bool def);
const char *arm_jstr(struct aimp *a, const struct aobj *o, json_t *obj,
    const char *rel, const char *key, bool need);
/* 1-80 letters, digits, '.', '_', '-': safe in a command and in YAML. */
bool arm_name_ok(const char *s);
/* A reference {"id": ...} to a kind (or type); its names into names. */
bool arm_jref(struct aimp *a, const struct aobj *o, json_t *obj,
    const char *rel, const char *key, int kind, const char *type,
    char names[][88], bool need);
/* A prefix (printed canonically into out) or an address. */
bool arm_jpfx(struct aimp *a, const struct aobj *o, json_t *v, const char *rel,
    const char *key, struct prefix *p, char *out);
bool arm_jaddr(struct aimp *a, const struct aobj *o, const char *s,
    const char *rel, const char *key, struct ipaddr *ip);
/* Report each key of obj that used does not list (and that sets something). */
void arm_unused(struct aimp *a, const struct aobj *o, json_t *obj,
    const char *rel, const char *const *used);
/* Append a topology command (an error past ARM_CMDS_MAX). */
void arm_cmd(struct aimp *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct aobj *arm_find(
    struct aimp *a, enum akind k, const char *parent, const char *name);

/* armgen.c: every imported resource's command, in reference order. */
void arm_gen_all(struct aimp *a);
/* armroutes.c: --routes file j; then each speaker's ExaBGP file. */
void arm_routes_load(
    struct aimp *a, const char *file, json_t *j, const char *base, int level);
void arm_speakers_finish(struct aimp *a);

#endif
