/* SPDX-License-Identifier: ISC */
/* speaker/api.c - ExaBGP's text API: processes, their commands, events to them. */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "bgp/exa.h"
#include "lib/log.h"
#include "lib/num.h"
#include "lib/sbuf.h"
#include "lib/xmalloc.h"
#include "speaker/spk_int.h"

/*
 * Every `process` block runs a program with pipes on its stdin and
 * stdout.  Each line it writes is a command ("announce route ...",
 * "neighbor 127.0.0.1 withdraw route ...", "announce attributes ...
 * nlri ...", "announce eor", "teardown N", "announce watchdog NAME"),
 * answered with "done" or "error" when api.ack is on.  The neighbours'
 * api blocks say which processes hear which events, in ExaBGP's text or
 * JSON shape.
 */

#define CMD_WORDS 4096

static void proc_read_cb(evutil_socket_t fd, short what, void *arg);
static void proc_event_cb(struct bufferevent *bev, short what, void *arg);

/*
 * Answers ("done"): written at once when nothing is queued before them,
 * so that the pipe's write event is not armed and disarmed for each
 * command; what the pipe does not take goes through the bufferevent.
 * The answers to the commands of one read are written together, by
 * proc_ack_flush() at the end of the read or before any other line to
 * the process, so the order of what it reads is unchanged.
 */
static void
proc_ack_flush(struct spk_proc *pr)
{
	ssize_t w = -1;
	size_t len = pr->nack;

	pr->nack = 0;
	if (pr->in == NULL || len == 0)
		return;
	if (evbuffer_get_length(bufferevent_get_output(pr->in)) == 0)
		w = write(bufferevent_getfd(pr->in), pr->ack, len);
	if (w < 0)
		w = 0;
	if ((size_t)w < len)
		bufferevent_write(pr->in, pr->ack + w, len - (size_t)w);
}

static void
proc_ack(struct spk_proc *pr, const char *text, size_t len)
{
	if (pr->nack + len > sizeof(pr->ack))
		proc_ack_flush(pr);
	if (len > sizeof(pr->ack)) { /* a long show: after what is queued */
		if (pr->in != NULL)
			bufferevent_write(pr->in, text, len);
		return;
	}
	memcpy(pr->ack + pr->nack, text, len);
	pr->nack += len;
}

static void
proc_write(struct spk_proc *pr, const char *line)
{
	if (pr->in == NULL)
		return;
	proc_ack_flush(pr);
	bufferevent_write(pr->in, line, strlen(line));
	bufferevent_write(pr->in, "\n", 1);
}

/* Stop reading the process's stdout, and close it. */
static void
proc_out_close(struct spk_proc *pr)
{
	if (pr->out == NULL)
		return;
	close(event_get_fd(pr->out));
	event_free(pr->out);
	evbuffer_free(pr->outbuf);
	pr->out = NULL;
	pr->outbuf = NULL;
}

static bool
proc_spawn(struct spk *k, struct spk_proc *pr)
{
	int in[2], out[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		log_warn("process %s: pipe", pr->p->name);
		return false;
	}
	if ((pid = fork()) < 0) {
		log_warn("process %s: fork", pr->p->name);
		return false;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		signal(SIGPIPE, SIG_DFL);
		execvp(pr->p->argv[0], pr->p->argv);
		fprintf(stderr, "vrs-speaker: process %s: %s: %s\n",
		    pr->p->name, pr->p->argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	pr->pid = pid;
	evutil_make_socket_nonblocking(in[1]);
	evutil_make_socket_nonblocking(out[0]);
	pr->in = bufferevent_socket_new(k->base, in[1], BEV_OPT_CLOSE_ON_FREE);
	/* a plain read event: one read(2) a wake-up, no FIONREAD first */
	pr->out =
	    event_new(k->base, out[0], EV_READ | EV_PERSIST, proc_read_cb, pr);
	pr->outbuf = evbuffer_new();
	bufferevent_setcb(pr->in, NULL, NULL, proc_event_cb, pr);
	event_add(pr->out, NULL);
	bufferevent_enable(pr->in, EV_WRITE);
	return true;
}

/*
 * Route changes from the text API are held while commands keep coming
 * (each answered at once), and exported together once the commands
 * pause for FLUSH_IDLE_US, or FLUSH_MAX_US after the first one held:
 * UPDATEs then carry many NLRI each, as ExaBGP's own batching does.
 */
#define FLUSH_IDLE_US 1000
#define FLUSH_MAX_US  10000

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	spk_flush(arg);
}

/* After a batch of commands: export now, or once they pause. */
static void
flush_later(struct spk *k)
{
	struct timeval now, tv = { 0, FLUSH_IDLE_US };
	long us;

	if (!k->held)
		return;
	event_base_gettimeofday_cached(k->base, &now);
	if (k->held_since.tv_sec == 0 && k->held_since.tv_usec == 0)
		k->held_since = now;
	us = (long)(now.tv_sec - k->held_since.tv_sec) * 1000000L +
	    (now.tv_usec - k->held_since.tv_usec);
	if (us >= FLUSH_MAX_US || k->flush_ev == NULL) {
		k->held_since = (struct timeval){ 0, 0 };
		spk_flush(k);
		return;
	}
	evtimer_add(k->flush_ev, &tv);
}

void
spk_api_start(struct spk *k)
{
	spk_api_start_with(k, NULL);
}

void
spk_api_start_with(struct spk *k, struct bufferevent **ins)
{
	int i;

	if (k->flush_ev == NULL)
		k->flush_ev = evtimer_new(k->base, flush_cb, k);

	k->nprocs = k->cfg->nprocs;
	k->procs = xcalloc((size_t)k->nprocs + 1, sizeof(*k->procs));
	for (i = 0; i < k->nprocs; i++) {
		k->procs[i].p = &k->cfg->procs[i];
		k->procs[i].json = k->cfg->procs[i].json;
		if (ins != NULL) {
			k->procs[i].in = ins[i];
			bufferevent_setcb(
			    ins[i], NULL, NULL, proc_event_cb, &k->procs[i]);
		} else
			proc_spawn(k, &k->procs[i]);
	}
}

void
spk_api_stop(struct spk *k)
{
	int i;

	spk_flush(k);
	if (k->flush_ev != NULL) {
		event_free(k->flush_ev);
		k->flush_ev = NULL;
	}

	for (i = 0; i < k->nprocs; i++) {
		struct spk_proc *pr = &k->procs[i];

		if (pr->in != NULL)
			bufferevent_free(pr->in);
		proc_out_close(pr);
		pr->in = NULL;
		if (pr->pid > 0) {
			kill(pr->pid, SIGTERM);
			waitpid(pr->pid, NULL, WNOHANG);
			pr->pid = 0;
		}
	}
}

static void
proc_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct spk_proc *pr = arg;

	(void)what;
	bufferevent_free(bev);
	pr->in = NULL;
	if (pr->pid > 0 && waitpid(pr->pid, NULL, WNOHANG) == pr->pid)
		pr->pid = 0;
}

/* ---- commands ---- */

/* Split a command into words; brackets and parentheses stand alone. */
static int
split_words(char *line, char **w, int max)
{
	static char store[65536];
	size_t o = 0;
	int n = 0;
	char *p = line;

	while (*p != '\0' && n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		w[n++] = store + o;
		if (strchr("[]()", *p) != NULL) {
			store[o++] = *p++;
		} else {
			while (*p != '\0' && !isspace((unsigned char)*p) &&
			    strchr("[]()", *p) == NULL && o < sizeof(store) - 2)
				store[o++] = *p++;
		}
		store[o++] = '\0';
		if (o >= sizeof(store) - 64)
			break;
	}
	return n;
}

/*
 * A withdrawal names a prefix (and maybe a path id); its attributes, if
 * any, do not matter, and ExaBGP accepts one without a next hop.
 */
static struct spk_route *
parse_withdraw(struct spk_route *r, char **w, int n)
{
	int i;

	memset(r, 0, sizeof(*r));
	if (n < 1 ||
	    prefix_parse(w[0], &r->pfx, PREFIX_HOST_OK | PREFIX_MASK) != NULL)
		return NULL;
	for (i = 1; i + 1 < n; i++)
		if (strcmp(w[i], "path-information") == 0) {
			struct ipaddr a;

			r->has_path_id = true;
			if (addr_parse_af(w[i + 1], ADDR_V4, &a))
				r->path_id = ((uint32_t)a.a[0] << 24) |
				    ((uint32_t)a.a[1] << 16) |
				    ((uint32_t)a.a[2] << 8) | a.a[3];
			else
				r->path_id =
				    (uint32_t)strtoul(w[i + 1], NULL, 10);
		} else if (strcmp(w[i], "split") == 0 && i + 1 < n) {
			const char *v =
			    w[i + 1][0] == '/' ? w[i + 1] + 1 : w[i + 1];
			uint64_t x;

			/* as for a route: /0 to the family's longest */
			if (!num_parse_u64(
			        v, (uint64_t)addr_maxlen(r->pfx.af), &x))
				return NULL;
			r->split = (uint8_t)x;
		}
	return r;
}

/*
 * "announce route ..." into r (its prefixes); the route the Adj-RIB-Out
 * is to point at is returned: the one of the command before when the
 * attributes are the same (commands mostly repeat them), so that a
 * route costs only its entries; NULL on an error.
 */
static const struct spk_route *
parse_route(
    struct spk *k, char **w, int n, struct sbuf *err, struct spk_route *r)
{
	struct spk_route_ctx ctx;
	struct spk_words ws = { w, NULL, NULL, n, NULL };
	struct spk_route *keep;
	int nerr = 0;

	ctx.arena = &k->arena;
	ctx.errors = err;
	ctx.nerrors = &nerr;
	if (!spk_route_parse(&ctx, &ws, r))
		return NULL;
	if (k->api_last != NULL && spk_route_mergeable(k->api_last, r))
		return k->api_last;
	keep = arena_alloc(&k->arena, sizeof(*keep));
	*keep = *r;
	k->api_last = keep;
	return keep;
}

/* Announce (attrs for the prefixes of r) or withdraw r at the peers sel. */
static void
apply(struct spk *k, const bool *sel, bool announce, const struct spk_route *r,
    const struct spk_route *attrs)
{
	int j;

	for (j = 0; j < k->npeers; j++)
		if (sel[j]) {
			if (announce)
				spk_peer_announce_as(k->peers[j], r, attrs);
			else
				spk_peer_withdraw(k->peers[j], r);
		}
}

/* "attributes ATTRS nlri P P ..." as one route per prefix. */
static bool
each_nlri(struct spk *k, char **w, int n, const bool *sel, bool announce,
    struct sbuf *err)
{
	char *words[CMD_WORDS];
	const struct spk_route *attrs = NULL;
	struct spk_route r;
	int i, nl = -1, na;

	for (i = 0; i < n; i++)
		if (strcmp(w[i], "nlri") == 0) {
			nl = i;
			break;
		}
	if (nl < 0 || nl + 1 >= n)
		return false;
	na = nl;
	for (i = nl + 1; i < n; i++) {
		words[0] = w[i];
		memcpy(words + 1, w, sizeof(*w) * (size_t)na);
		if (announce ? (attrs = parse_route(
		                    k, words, na + 1, err, &r)) == NULL
		             : parse_withdraw(&r, words, na + 1) == NULL)
			return false;
		apply(k, sel, announce, &r, attrs);
	}
	return true;
}

/* ExaBGP's watchdog commands act on every neighbour, named or not. */
static void
watchdog(struct spk *k, const char *name, bool announce)
{
	size_t r;
	int j;

	for (j = 0; j < k->npeers; j++) {
		struct spk_neighbor *n = k->peers[j]->n;

		for (r = 0; r < n->nroutes; r++) {
			if (n->routes[r]->watchdog == NULL ||
			    strcmp(n->routes[r]->watchdog, name) != 0)
				continue;
			if (announce)
				spk_peer_announce(k->peers[j], n->routes[r]);
			else
				spk_peer_withdraw(k->peers[j], n->routes[r]);
		}
	}
}

/* "ipv4 unicast", "ipv6 mpls-vpn", ... as AFI/SAFI numbers. */
bool
family_parse(const char *a, const char *s, uint16_t *afi, uint8_t *safi)
{
	static const struct {
		const char *name;
		uint8_t safi;
	} safis[] = { { "unicast", 1 }, { "multicast", 2 }, { "nlri-mpls", 4 },
		{ "labeled-unicast", 4 }, { "mcast-vpn", 5 }, { "vpls", 65 },
		{ "evpn", 70 }, { "bgp-ls", 71 }, { "bgp-ls-vpn", 72 },
		{ "mpls-vpn", 128 }, { "rtc", 132 }, { "flow", 133 },
		{ "flow-vpn", 134 } };
	size_t i;

	if (strcmp(a, "ipv4") == 0)
		*afi = BGP_AFI_IPV4;
	else if (strcmp(a, "ipv6") == 0)
		*afi = BGP_AFI_IPV6;
	else if (strcmp(a, "l2vpn") == 0)
		*afi = 25;
	else if (strcmp(a, "bgp-ls") == 0)
		*afi = 16388;
	else
		return false;
	for (i = 0; i < sizeof(safis) / sizeof(safis[0]); i++)
		if (strcmp(s, safis[i].name) == 0) {
			*safi = safis[i].safi;
			return true;
		}
	return false;
}

/*
 * ROUTE-REFRESH for AFI/SAFI (RFC 2918; subtype BoRR or EoRR, RFC 7313),
 * when p's neighbour has the capability and the family configured
 * (ExaBGP's inject_refresh).
 */
void
spk_send_refresh(
    struct spk_peer *p, uint16_t afi, uint8_t safi, uint8_t subtype)
{
	struct bgp_route_refresh rr;
	uint8_t buf[32];
	struct wbuf w;
	int i;

	if (!p->n->capa.route_refresh)
		return;
	for (i = 0; i < p->n->nfamilies; i++)
		if (p->n->families[i].afi == afi &&
		    p->n->families[i].safi == safi)
			break;
	if (i == p->n->nfamilies)
		return;
	rr.afi = afi;
	rr.safi = safi;
	rr.subtype = subtype;
	wbuf_init(&w, buf, sizeof(buf));
	if (bgp_route_refresh_encode(&w, &rr))
		(void)session_send(p->s, buf, w.len);
}

/*
 * Run an "announce ..." or "withdraw ..." command (its neighbour
 * selector already taken off) at the peers sel; from names the process
 * (NULL: the CLI).  true: "done", false: "error".
 */
bool
spk_api_command(struct spk *k, char *line, const bool *sel, const char *from)
{
	char *w[CMD_WORDS];
	struct sbuf err;
	const struct spk_route *attrs = NULL;
	struct spk_route r;
	int n = split_words(line, w, CMD_WORDS), j;
	bool ok = false, announce, nlri;
	uint16_t afi = BGP_AFI_IPV4;
	uint8_t safi = BGP_SAFI_UNICAST;

	if (n < 2)
		return false;
	announce = strcmp(w[0], "announce") == 0;
	if (!announce && strcmp(w[0], "withdraw") != 0)
		return false;
	/* "announce attribute": ExaBGP's alias, for announce only */
	nlri = strcmp(w[1], "attributes") == 0 ||
	    (announce && strcmp(w[1], "attribute") == 0);
	sbuf_init(&err);
	/* what is not a route change goes after those held, as sent */
	if (strcmp(w[1], "route") != 0 && !nlri)
		spk_flush(k);
	if (strcmp(w[1], "route") == 0 && n >= 3) {
		if (announce ? (attrs = parse_route(
		                    k, w + 2, n - 2, &err, &r)) != NULL
		             : parse_withdraw(&r, w + 2, n - 2) != NULL) {
			apply(k, sel, announce, &r, attrs);
			ok = true;
		}
	} else if (nlri) {
		ok = each_nlri(k, w + 2, n - 2, sel, announce, &err);
	} else if (strcmp(w[1], "watchdog") == 0) {
		/* without a name, the process's own (ExaBGP: the service) */
		watchdog(k, n >= 3 ? w[2] : from != NULL ? from : "", announce);
		ok = true;
	} else if (announce &&
	    (strcmp(w[1], "eor") == 0 || strcmp(w[1], "route-refresh") == 0)) {
		bool eor = w[1][0] == 'e';

		/* eor: none (IPv4 unicast) or AFI SAFI; route-refresh: both */
		if ((n != 2 || !eor) &&
		    (n != 4 || !family_parse(w[2], w[3], &afi, &safi)))
			goto out;
		for (j = 0; j < k->npeers; j++) {
			if (!sel[j] || k->peers[j]->s == NULL)
				continue;
			if (eor)
				session_send_eor(k->peers[j]->s, afi, safi);
			else
				spk_send_refresh(
				    k->peers[j], afi, safi, BGP_RR_NORMAL);
		}
		ok = true;
	}
out:
	if (!ok && err.len > 0)
		log_warnx("api: %s", err.s);
	sbuf_fini(&err);
	return ok;
}

static void
proc_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spk_proc *pr = arg;
	struct spk *k = spk_global;
	struct evbuffer *in = pr->outbuf;
	char buf[16384];
	ssize_t got;
	size_t len;
	char *line;
	struct sbuf out;
	enum spk_answer a;

	(void)what;
	got = read(fd, buf, sizeof(buf));
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		/* the process closed its stdout (or it failed) */
		proc_out_close(pr);
		if (pr->pid > 0 && waitpid(pr->pid, NULL, WNOHANG) == pr->pid)
			pr->pid = 0;
		return;
	}
	evbuffer_add(in, buf, (size_t)got);
	sbuf_init(&out);
	k->hold_export = true;
	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (line[0] == '\0') {
			free(line);
			continue;
		}
		sbuf_reset(&out);
		a = spk_command(k, line, pr->p, &out);
		if (out.len > 0)
			proc_ack(pr, out.s, out.len);
		if (k->env.api.ack && a == SPK_DONE)
			proc_ack(pr, "done\n", 5);
		else if (k->env.api.ack && a == SPK_ERROR)
			proc_ack(pr, "error\n", 6);
		free(line);
	}
	proc_ack_flush(pr);
	sbuf_fini(&out);
	k->hold_export = false;
	flush_later(k);
}

/* ---- events ---- */

/*
 * What ExaBGP 4.2.21 tells its processes (reactor/protocol.py, its
 * api/processes.py, response/json.py and text.py).  Its table of a
 * neighbour (configuration/neighbor/api.py flatten) has, for each
 * direction, the processes of the blocks that name a message kind (open,
 * update, notification, keepalive, refresh) or parsed, packets,
 * consolidate.  A message of a kind no block names in its direction is
 * not told.  Otherwise:
 *  - without consolidate, with packets: the processes of the packets
 *    blocks get the raw message ("neighbor A receive 2 header ... body
 *    ...");
 *  - with parsed or consolidate: the processes of the blocks that name
 *    the kind get it decoded; with consolidate, the raw message beside
 *    it ("header", "body"), except a sent one without packets too.
 */
static uint16_t
api_flags(const struct spk_peer *p, bool sent)
{
	uint16_t f = 0;
	int i;

	for (i = 0; i < p->n->napis; i++)
		f |= sent ? p->n->apis[i]->send : p->n->apis[i]->receive;
	return f;
}

bool
spk_api_hears_sent_updates(const struct spk_peer *p)
{
	uint16_t f = api_flags(p, true);

	return (f & SPK_API_UPDATE) &&
	    (f & (SPK_API_PARSED | SPK_API_PACKETS | SPK_API_CONSOLIDATE));
}

/* proc is in a block that names what in the direction */
static bool
listed(const struct spk_peer *p, const char *proc, bool sent, uint16_t what)
{
	int i, j;

	for (i = 0; i < p->n->napis; i++) {
		const struct spk_api *a = p->n->apis[i];

		if (!((sent ? a->send : a->receive) & what))
			continue;
		for (j = 0; j < a->nprocs; j++)
			if (strcmp(a->procs[j], proc) == 0)
				return true;
	}
	return false;
}

/* The api block events that name no message: which a block has. */
enum api_event { API_CHANGES, API_NEGOTIATED, API_FSM, API_SIGNAL };

static bool
api_has(const struct spk_api *a, enum api_event ev)
{
	switch (ev) {
	case API_CHANGES:
		return a->neighbor_changes;
	case API_NEGOTIATED:
		return a->negotiated;
	case API_FSM:
		return a->fsm;
	case API_SIGNAL:
		return a->signal;
	}
	return false;
}

/* proc is in a block of p's neighbour that has ev */
static bool
hears_event(const struct spk_peer *p, const char *proc, enum api_event ev)
{
	int i, j;

	for (i = 0; i < p->n->napis; i++) {
		const struct spk_api *a = p->n->apis[i];

		if (!api_has(a, ev))
			continue;
		for (j = 0; j < a->nprocs; j++)
			if (strcmp(a->procs[j], proc) == 0)
				return true;
	}
	return false;
}

/* time.time(), as ExaBGP's JSON "time" */
static double
real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* socket.gethostname(), as ExaBGP's JSON "host" */
static const char *
host_name(void)
{
	static char h[256];

	if (h[0] == '\0' && gethostname(h, sizeof(h) - 1) != 0)
		h[0] = '\0';
	if (h[0] == '\0')
		snprintf(h, sizeof(h), "localhost");
	return h;
}

static void
env_fill(struct spk_peer *p, struct spk_proc *pr, struct exa_env *e,
    char *local, char *peer)
{
	struct ipaddr a;

	a.af = p->n->peer.af;
	memcpy(a.a, p->n->peer.a, 16);
	addr_print(&a, peer, ADDR_STRLEN);
	addr_print(&p->n->local_addr, local, ADDR_STRLEN);
	memset(e, 0, sizeof(*e));
	e->local_addr = local;
	e->peer_addr = peer;
	e->local_as = p->n->local_as;
	e->peer_as = p->n->peer_as;
	e->direction = "receive";
	e->host = host_name();
	e->pid = (long)getpid();
	e->ppid = (long)getppid();
	/* ExaBGP counts per neighbour, every JSON message to any process */
	if (pr->json)
		e->counter = ++p->counter;
	e->time = real_now();
	e->tail = p->negotiated; /* JSON UPDATEs and raw messages carry it */
}

/* A JSON string of ExaBGP's down reason: [] {} made (), " escaped. */
static void
json_reason(struct sbuf *out, const char *r)
{
	char buf[512];
	size_t i, n = 0;

	for (i = 0; r[i] != '\0' && n < sizeof(buf) - 1; i++) {
		char ch = r[i];

		buf[n++] = ch == '[' || ch == '{' ? '('
		    : ch == ']' || ch == '}'      ? ')'
		                                  : ch;
	}
	buf[n] = '\0';
	sbuf_json_str(out, buf);
}

/*
 * A neighbour change: "connected", "up", "down" (with ExaBGP's reason:
 * "peer reset, message [...] error[...]"), to the processes of a block
 * with neighbor-changes.
 */
void
spk_api_event_state(struct spk_peer *p, const char *state, const char *reason)
{
	char local[ADDR_STRLEN], peer[ADDR_STRLEN];
	struct exa_env e;
	struct sbuf out;
	int i;

	sbuf_init(&out);
	for (i = 0; i < p->k->nprocs; i++) {
		struct spk_proc *pr = &p->k->procs[i];

		if (!hears_event(p, pr->p->name, API_CHANGES))
			continue;
		env_fill(p, pr, &e, local, peer);
		sbuf_reset(&out);
		if (pr->json) {
			exa_json_head(&out, &e, "state");
			sbuf_printf(&out, ", \"state\": \"%s\"", state);
			if (reason != NULL) {
				sbuf_puts(&out, ", \"reason\": ");
				json_reason(&out, reason);
			}
			sbuf_puts(&out, " } }");
		} else if (reason != NULL)
			sbuf_printf(
			    &out, "neighbor %s %s - %s\n", peer, state, reason);
		else
			sbuf_printf(&out, "neighbor %s %s\n", peer, state);
		proc_write(pr, out.s);
	}
	sbuf_fini(&out);
}

/*
 * ExaBGP's FSM.change() with `fsm;` (JSON only): "IDLE", "ACTIVE",
 * "CONNECT", "OPENSENT", "OPENCONFIRM", "ESTABLISHED".
 */
/*
 * A JSON event of p's neighbour that names no message (negotiated, fsm,
 * signal): to the JSON processes of the blocks with ev, the envelope of
 * type, then body (", \"state\": ..."), closed.  Text gets nothing.
 */
static void
tell_json_event(
    struct spk_peer *p, enum api_event ev, const char *type, const char *body)
{
	char local[ADDR_STRLEN], peer[ADDR_STRLEN];
	struct exa_env e;
	struct sbuf out;
	int i;

	sbuf_init(&out);
	for (i = 0; i < p->k->nprocs; i++) {
		struct spk_proc *pr = &p->k->procs[i];

		if (!pr->json || !hears_event(p, pr->p->name, ev))
			continue;
		env_fill(p, pr, &e, local, peer);
		sbuf_reset(&out);
		exa_json_head(&out, &e, type);
		sbuf_printf(&out, "%s } }", body);
		proc_write(pr, out.s);
	}
	sbuf_fini(&out);
}

void
spk_api_event_fsm(struct spk_peer *p, const char *state)
{
	char body[64];

	snprintf(body, sizeof(body), ", \"state\": \"%s\"", state);
	tell_json_event(p, API_FSM, "fsm", body);
}

/*
 * A signal, to the processes of the blocks with `signal;`, once a
 * neighbour as ExaBGP's loop tells it (JSON; text gets nothing).
 */
void
spk_api_event_signal(struct spk *k, int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = { { SIGHUP, "SIGHUP" }, { SIGUSR1, "SIGUSR1" },
		{ SIGUSR2, "SIGUSR2" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" } };
	const char *name = "UNKNOWN";
	char body[64];
	size_t n;
	int pi;

	for (n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		if (names[n].sig == sig)
			name = names[n].name;
	snprintf(body, sizeof(body), ", \"code\": \"%d\", \"name\": \"%s\"",
	    sig, name);
	for (pi = 0; pi < k->npeers; pi++)
		tell_json_event(k->peers[pi], API_SIGNAL, "signal", body);
}

/* sent: ExaBGP keys its own OPEN's capabilities by name */
static void
open_json(struct sbuf *out, const struct bgp_open *o, bool sent)
{
	sbuf_printf(out,
	    "\"open\": { \"version\": %u, \"asn\": %u, \"hold_time\": %u, "
	    "\"router_id\": \"%u.%u.%u.%u\", \"capabilities\": { ",
	    o->version, o->my_as, o->hold_time, o->bgp_id >> 24,
	    (o->bgp_id >> 16) & 255, (o->bgp_id >> 8) & 255, o->bgp_id & 255);
	exa_caps_json(out, &o->caps, sent);
	sbuf_puts(out, " } }");
}

static void
open_text(struct sbuf *out, const char *peer, const char *dir,
    const struct bgp_open *o)
{
	sbuf_printf(out,
	    "neighbor %s %s open version %u asn %u hold_time %u router_id "
	    "%u.%u.%u.%u capabilities [",
	    peer, dir, o->version, o->my_as, o->hold_time, o->bgp_id >> 24,
	    (o->bgp_id >> 16) & 255, (o->bgp_id >> 8) & 255, o->bgp_id & 255);
	exa_caps_text(out, &o->caps);
	sbuf_puts(out, "]");
}

/* The data ExaBGP keeps of a NOTIFICATION, as its hexstring(): 0x... */
static void
notify_hex(struct sbuf *out, const uint8_t *m, size_t len)
{
	struct sbuf d;

	sbuf_init(&d);
	exa_notify_data(&d, m[19], m[20], rbuf_make(m + 21, len - 21));
	sbuf_puts(out, "0x");
	sbuf_hex(out, (const uint8_t *)d.s, d.len);
	sbuf_fini(&d);
}

/*
 * text.py _header_body(): " header 0xHEX body 0xHEX" (ExaBGP's
 * hexstring()), the body when not empty
 */
static void
raw_text(struct sbuf *out, const uint8_t *m, size_t len)
{
	if (m == NULL)
		return;
	sbuf_puts(out, " header 0x");
	sbuf_hex(out, m, BGP_HDR_LEN);
	if (len > BGP_HDR_LEN) {
		sbuf_puts(out, " body 0x");
		sbuf_hex(out, m + BGP_HDR_LEN, len - BGP_HDR_LEN);
	}
}

/* ExaBGP's Message.string(): the JSON type of a raw message */
static const char *const long_names[] = { "unknown", "open", "update",
	"notification", "keepalive", "route refresh" };

/* the raw message (packets), as json.py and text.py packets() */
static void
tell_packet(struct sbuf *out, const struct exa_env *e, const char *peer,
    const uint8_t *m, size_t len, bool json)
{
	if (!json) {
		sbuf_printf(
		    out, "neighbor %s %s %u", peer, e->direction, m[18]);
		raw_text(out, m, len);
		sbuf_puts(out, "\n");
		return;
	}
	exa_json_head(out, e, long_names[m[18]]);
	sbuf_printf(out,
	    ", \"direction\": \"%s\", \"message\": { \"category\": %u, "
	    "\"header\": \"0x",
	    e->direction, m[18]);
	sbuf_hex(out, m, BGP_HDR_LEN);
	sbuf_puts(out, "\", \"body\": \"0x");
	sbuf_hex(out, m + BGP_HDR_LEN, len - BGP_HDR_LEN);
	sbuf_puts(out, "\" } ");
	if (e->tail != NULL)
		sbuf_puts(out, e->tail);
	sbuf_puts(out, " } }");
}

/*
 * An UPDATE in text: "neighbor A DIR update start", a line a route
 * ("... announced PFX ATTRS", "... withdrawn PFX", "... route eor
 * 1/1 (ipv4 unicast)"), the raw message when consolidated, "... end".
 */
static void
tell_update_text(struct sbuf *out, struct sbuf *text, const struct exa_env *e,
    const char *peer, const struct bgp_update *u, const struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx)
{
	const char *dir = e->direction;
	char *line, *save = NULL;

	sbuf_reset(text);
	exa_text_update(text, u, pa, ctx);
	sbuf_printf(out, "neighbor %s %s update start\n", peer, dir);
	for (line = strtok_r(text->s, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "1 ", 2) == 0)
			sbuf_printf(out, "neighbor %s %s update announced %s\n",
			    peer, dir, line + 2);
		else if (strncmp(line, "2 ", 2) == 0)
			sbuf_printf(out, "neighbor %s %s update withdrawn %s\n",
			    peer, dir, line + 2);
		else if (strncmp(line, "None ", 5) == 0)
			sbuf_printf(out, "neighbor %s %s update route %s\n",
			    peer, dir, line + 5);
		else
			sbuf_printf(
			    out, "neighbor %s %s update %s\n", peer, dir, line);
	}
	if (e->raw != NULL) {
		raw_text(out, e->raw, e->raw_len);
		sbuf_puts(out, "\n");
	}
	sbuf_printf(out, "neighbor %s %s update end\n", peer, dir);
}

/* An OPEN, NOTIFICATION, KEEPALIVE or ROUTE-REFRESH, decoded. */
static void
tell_other(struct sbuf *out, const struct exa_env *e, const char *peer,
    const uint8_t *m, size_t len, const struct bgp_open *o, bool json)
{
	const char *dir = e->direction;

	switch (m[18]) {
	case BGP_MSG_OPEN:
		if (json) {
			sbuf_puts(out, ", ");
			open_json(out, o, strcmp(dir, "send") == 0);
		} else
			open_text(out, peer, dir, o);
		break;
	case BGP_MSG_NOTIFICATION:
		if (json) {
			sbuf_printf(out,
			    ", \"notification\": { \"code\": %u, "
			    "\"subcode\": %u, \"data\": \"",
			    m[19], m[20]);
			notify_hex(out, m, len);
			sbuf_puts(out, "\" } ");
		} else {
			sbuf_printf(out,
			    "neighbor %s %s notification code %u subcode %u "
			    "data ",
			    peer, dir, m[19], m[20]);
			notify_hex(out, m, len);
		}
		break;
	case BGP_MSG_KEEPALIVE:
		if (json)
			sbuf_puts(out, " ");
		else
			sbuf_printf(out, "neighbor %s %s keepalive", peer, dir);
		break;
	case BGP_MSG_ROUTE_REFRESH: {
		uint16_t afi = (uint16_t)(m[19] << 8 | m[20]);
		const char *sub = m[21] == 0 ? "query"
		    : m[21] == 1             ? "begin"
		    : m[21] == 2             ? "end"
		                             : "invalid";

		if (json)
			sbuf_printf(out,
			    ", \"route-refresh\": { \"afi\": \"%s\", "
			    "\"safi\": \"%s\", \"subtype\": \"%s\" }",
			    exa_afi_name(afi), exa_safi_name(m[22]), sub);
		else
			sbuf_printf(out,
			    "neighbor %s %s route-refresh afi %s safi %s %s",
			    peer, dir, exa_afi_name(afi), exa_safi_name(m[22]),
			    sub);
		break;
	}
	}
	if (json)
		sbuf_puts(out, " } }");
	else {
		raw_text(out, e->raw, e->raw_len);
		sbuf_puts(out, "\n");
	}
}

/* a family as ExaBGP's negotiated lists it: "ipv4 unicast" */
static void
family_list(struct sbuf *out, const struct bgp_afsafi *f, int n,
    const struct bgp_caps *with, uint8_t bits, const char *sep)
{
	const char *s = "";
	int i;

	for (i = 0; i < n; i++) {
		if (with != NULL && !bgp_caps_has_af(with, f[i].afi, f[i].safi))
			continue;
		if (bits != 0 && !(f[i].val & bits))
			continue;
		sbuf_printf(out, "%s\"%s %s\"", s, exa_afi_name(f[i].afi),
		    exa_safi_name(f[i].safi));
		s = sep;
	}
}

/*
 * ExaBGP's Negotiated (bgp/message/open/capability/negotiated.py) as
 * json.py _negotiated() writes it.  ADD-PATH send lists the families:
 * 4.2.21 fails there (it joins tuples) and writes nothing.
 */
static char *
negotiated_json(const struct bgp_open *snt, const struct bgp_open *rcv)
{
	const struct bgp_caps *sc = &snt->caps, *rc = &rcv->caps;
	struct bgp_afsafi tx[BGP_CAP_AF_MAX], rx[BGP_CAP_AF_MAX];
	const char *refresh = "absent";
	struct sbuf out;
	int i, ntx = 0, nrx = 0;

	if (sc->enhanced_rr && rc->enhanced_rr)
		refresh = "enhanced";
	else if (sc->rr && rc->rr)
		refresh = "normal";
	/* RFC 7911 5: we send where we said TX and it said RX */
	for (i = 0; i < rc->nmp; i++) {
		uint8_t ours =
		    bgp_caps_addpath(sc, rc->mp[i].afi, rc->mp[i].safi);
		uint8_t its =
		    bgp_caps_addpath(rc, rc->mp[i].afi, rc->mp[i].safi);

		if (!bgp_caps_has_af(sc, rc->mp[i].afi, rc->mp[i].safi))
			continue;
		if ((ours & BGP_ADDPATH_TX) && (its & BGP_ADDPATH_RX))
			tx[ntx++] = rc->mp[i];
		if ((ours & BGP_ADDPATH_RX) && (its & BGP_ADDPATH_TX))
			rx[nrx++] = rc->mp[i];
	}
	sbuf_init(&out);
	sbuf_printf(&out,
	    ", \"negotiated\": { \"message_size\": %u, \"hold_time\": %u, "
	    "\"asn4\": %s, \"multisession\": false, \"operational\": false, "
	    "\"refresh\": \"%s\", \"families\": [ ",
	    sc->ext_msg && rc->ext_msg ? 65535u : 4096u,
	    snt->hold_time < rcv->hold_time ? snt->hold_time : rcv->hold_time,
	    sc->as4 && rc->as4 ? "true" : "false", refresh);
	family_list(&out, rc->mp, rc->nmp, sc, 0, " ,");
	sbuf_puts(&out, " ], \"nexthop\": [  ], \"add_path\": { \"send\": [ ");
	family_list(&out, tx, ntx, NULL, 0, ", ");
	sbuf_puts(&out, " ], \"receive\": [ ");
	family_list(&out, rx, nrx, NULL, 0, ", ");
	sbuf_puts(&out, " ] } } ");
	return out.s;
}

void
spk_api_forget_opens(struct spk_peer *p)
{
	free(p->open_sent);
	free(p->open_rcvd);
	free(p->negotiated);
	p->open_sent = p->open_rcvd = NULL;
	p->open_sent_len = p->open_rcvd_len = 0;
	p->negotiated = NULL;
}

static bool
neighbor_negotiated(const struct spk_peer *p)
{
	int i;

	for (i = 0; i < p->n->napis; i++)
		if (p->n->apis[i]->negotiated)
			return true;
	return false;
}

/*
 * ExaBGP's validate_open(): once both OPENs are known, the processes of
 * the blocks with `negotiated` are told what was negotiated (JSON; text
 * gets nothing), and every JSON UPDATE and raw message after carries it.
 */
void
spk_api_open(struct spk_peer *p, bool sent, const uint8_t *m, size_t len)
{
	uint8_t **keep = sent ? &p->open_sent : &p->open_rcvd;
	size_t *klen = sent ? &p->open_sent_len : &p->open_rcvd_len;
	struct bgp_open so, ro;
	struct bgp_err err;

	if (!neighbor_negotiated(p))
		return;
	free(*keep);
	*keep = xmalloc(len);
	memcpy(*keep, m, len);
	*klen = len;
	free(p->negotiated);
	p->negotiated = NULL;
	memset(&err, 0, sizeof(err));
	if (p->open_sent == NULL || p->open_rcvd == NULL ||
	    !bgp_open_decode(rbuf_make(p->open_sent + BGP_HDR_LEN,
	                         p->open_sent_len - BGP_HDR_LEN),
	        &so, &err) ||
	    !bgp_open_decode(rbuf_make(p->open_rcvd + BGP_HDR_LEN,
	                         p->open_rcvd_len - BGP_HDR_LEN),
	        &ro, &err))
		return;
	p->negotiated = negotiated_json(&so, &ro);
	tell_json_event(p, API_NEGOTIATED, "negotiated", p->negotiated);
}

/*
 * A message the session received (sent false) or sent, whole, to the
 * processes that hear it (the rules above).  A sent UPDATE is decoded
 * as the peer will read it: with the path identifiers this side sends.
 */
void
spk_api_event_message(
    struct spk_peer *p, bool sent, const uint8_t *m, size_t len)
{
	static const uint16_t kinds[] = { 0, SPK_API_OPEN, SPK_API_UPDATE,
		SPK_API_NOTIFICATION, SPK_API_KEEPALIVE, SPK_API_REFRESH };
	static const char *names[] = { NULL, "open", "update", "notification",
		"keepalive", "refresh" };
	static struct bgp_pattrs pa; /* large: keep it off the stack */
	char local[ADDR_STRLEN], peer[ADDR_STRLEN];
	struct bgp_ctx ctx;
	struct bgp_update u;
	struct bgp_open o;
	struct bgp_err err;
	struct exa_env e;
	struct sbuf out, text;
	uint16_t f = api_flags(p, sent);
	bool packets, raw;
	uint8_t type;
	int i;

	if (len < BGP_HDR_LEN || (type = m[18]) >= 6 || kinds[type] == 0 ||
	    !(f & kinds[type]))
		return;
	if ((type == BGP_MSG_NOTIFICATION && len < BGP_NOTIFY_MIN_LEN) ||
	    (type == BGP_MSG_ROUTE_REFRESH && len < BGP_HDR_LEN + 4))
		return;
	packets = (f & SPK_API_PACKETS) && !(f & SPK_API_CONSOLIDATE);
	raw = (f & SPK_API_CONSOLIDATE) && (!sent || (f & SPK_API_PACKETS));
	sbuf_init(&out);
	sbuf_init(&text);
	for (i = 0; packets && i < p->k->nprocs; i++) {
		struct spk_proc *pr = &p->k->procs[i];

		if (!listed(p, pr->p->name, sent, SPK_API_PACKETS))
			continue;
		env_fill(p, pr, &e, local, peer);
		e.direction = sent ? "send" : "receive";
		sbuf_reset(&out);
		tell_packet(&out, &e, peer, m, len, pr->json);
		proc_write(pr, out.s);
	}
	if (!(f & (SPK_API_PARSED | SPK_API_CONSOLIDATE)))
		goto done;
	memset(&err, 0, sizeof(err));
	if (type == BGP_MSG_OPEN &&
	    !bgp_open_decode(
	        rbuf_make(m + BGP_HDR_LEN, len - BGP_HDR_LEN), &o, &err))
		goto done;
	ctx = *session_ctx(p->s);
	if (sent) {
		memcpy(ctx.addpath_rx, ctx.addpath_tx, sizeof(ctx.addpath_rx));
		ctx.peer_as = 0; /* the path starts with this side's AS */
	}
	if (type == BGP_MSG_UPDATE &&
	    (!bgp_update_split(
	         rbuf_make(m + BGP_HDR_LEN, len - BGP_HDR_LEN), &u, &err) ||
	        !bgp_update_decode(&u, &ctx, &pa, &err)))
		goto done;
	for (i = 0; i < p->k->nprocs; i++) {
		struct spk_proc *pr = &p->k->procs[i];

		if (!listed(p, pr->p->name, sent, kinds[type]))
			continue;
		env_fill(p, pr, &e, local, peer);
		e.direction = sent ? "send" : "receive";
		if (raw) {
			e.raw = m;
			e.raw_len = len;
		}
		sbuf_reset(&out);
		if (type == BGP_MSG_UPDATE && pr->json)
			exa_json_update(&out, &e, &u, &pa, &ctx);
		else if (type == BGP_MSG_UPDATE)
			tell_update_text(&out, &text, &e, peer, &u, &pa, &ctx);
		else {
			if (pr->json) {
				exa_json_head(&out, &e, names[type]);
				sbuf_printf(&out, ", \"direction\": \"%s\"",
				    e.direction);
			}
			tell_other(&out, &e, peer, m, len, &o, pr->json);
		}
		proc_write(pr, out.s);
	}
done:
	sbuf_fini(&out);
	sbuf_fini(&text);
}

/*
 * vrs-speaker is stopping: as ExaBGP's shutdown, each neighbour that is
 * connected is told down ("stop, message [shutting down]"), every one
 * its FSM's IDLE (ExaBGP's Peer.stop(), connected or not), then every
 * process "shutdown" (json: a notification without a neighbour; text:
 * "shutdown PID PPID"), written out before the processes are stopped.
 */
void
spk_api_shutdown(struct spk *k)
{
	struct evbuffer *ob;
	struct sbuf out;
	bool told = false;
	int i;

	for (i = 0; i < k->npeers; i++) {
		if (k->peers[i]->tcp_up) {
			spk_api_event_state(k->peers[i], "down",
			    "stop, message [shutting down]");
			k->peers[i]->tcp_up = false;
		}
		spk_api_event_fsm(k->peers[i], "IDLE");
	}
	sbuf_init(&out);
	for (i = 0; i < k->nprocs; i++) {
		struct spk_proc *pr = &k->procs[i];

		if (pr->in == NULL)
			continue;
		sbuf_reset(&out);
		if (pr->json) {
			sbuf_printf(&out,
			    "{ \"exabgp\": \"4.0.1\", \"time\": %.7f, "
			    "\"host\" : ",
			    real_now());
			sbuf_json_str(&out, host_name());
			sbuf_printf(&out,
			    ", \"pid\" : %ld, \"ppid\" : %ld, \"type\": "
			    "\"notification\", \"notification\": \"shutdown\" "
			    "}",
			    (long)getpid(), (long)getppid());
		} else
			sbuf_printf(&out, "shutdown %ld %ld\n", (long)getpid(),
			    (long)getppid());
		proc_write(pr, out.s);
		/*
		 * out now, the pipe is closed next: the bufferevent keeps its
		 * output's start frozen (only it drains it), so thaw it here
		 */
		ob = bufferevent_get_output(pr->in);
		evbuffer_unfreeze(ob, 1);
		while (evbuffer_get_length(ob) > 0 &&
		    evbuffer_write(ob, bufferevent_getfd(pr->in)) > 0)
			;
		told = true;
	}
	sbuf_fini(&out);
	/* and read, before SIGTERM: ExaBGP waits 0.1 s too (terminate()) */
	if (told)
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
}
