/* SPDX-License-Identifier: ISC */
/* vrsd/main.c - vrsd: start-up, signals, configuration reload. */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "api/api.h"
#include "api/bgp4mp.h"
#include "fabric/fabric.h"
#include "gateway/live.h"
#include "lib/log.h"
#include "lib/notify.h"
#include "session/session.h"
#include "topology/topology.h"
#include "vrsd/config.h"

#ifndef VRS_VERSION
#define VRS_VERSION "0.1.0"
#endif

struct vrsd {
	struct event_base *base;
	struct bgpd *bgp;
	struct api *api;
	struct live *live;  /* owned: mode: ars */
	struct topo *topo;  /* owned: the desired state (config state:) */
	struct fabric *fab; /* owned: borrows topo */
	struct vrsd_config conf;
	const char *path;
	struct event *drain_ev;
	int drain_ticks;
	struct event *mrt_ev;  /* mrt-dump's timer */
	struct bgp4mp *mrtlog; /* mrt-updates, NULL: off */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrsd -c FILE [-d]      run the route server\n"
	    "       vrsd --check -c FILE   check the configuration and exit\n"
	    "       vrsd --version | --help\n"
	    "\n"
	    "  -c, --config FILE   YAML configuration (see README.md)\n"
	    "  -d, --debug         log every state change and message error\n"
	    "  -s, --socket PATH   control socket (overrides control:)\n"
	    "\n"
	    "With mode: ars, every route server instance and VPN gateway of "
	    "the\n"
	    "topology is a BGP speaker on its Azure address mapped to "
	    "loopback\n"
	    "(10.0.2.4 listens on 127.0.2.4), port bgp-port: (179).\n"
	    "\n"
	    "The control API is served on the UNIX socket, and also on TCP "
	    "when FILE\n"
	    "sets control-listen: 127.0.0.1:PORT or [::1]:PORT (loopback "
	    "only; off by\n"
	    "default); vrs reaches it with --socket tcp://127.0.0.1:PORT.\n"
	    "web: true serves the web view there too: http://127.0.0.1:PORT/\n"
	    "\n"
	    "Signals: SIGTERM/SIGINT send Cease 6/2 with a shutdown message "
	    "to\n"
	    "every peer and exit 0; SIGHUP re-reads FILE and changes only the\n"
	    "peers whose settings changed.\n");
}

/* The control socket's directory, if missing: ours (and gid's) only. */
static void
mkdir_parent(const char *path, int gid)
{
	char dir[256];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, gid >= 0 ? 0750 : 0700) == 0) {
		if (gid >= 0 && chown(dir, (uid_t)-1, (gid_t)gid) < 0)
			log_warn("chown %s", dir);
	} else if (errno != EEXIST)
		log_warn("mkdir %s", dir);
}

static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrsd *v = arg;
	struct timeval tv = { 0, 50000 };

	(void)fd;
	(void)what;
	/* wait up to 2 s for the NOTIFICATIONs to leave */
	if ((bgpd_drained(v->bgp) &&
	        (v->live == NULL || live_drained(v->live))) ||
	    ++v->drain_ticks > 40) {
		event_base_loopbreak(v->base);
		return;
	}
	evtimer_add(v->drain_ev, &tv);
}

static void
sigterm_cb(evutil_socket_t sig, short what, void *arg)
{
	struct vrsd *v = arg;

	(void)what;
	log_info("signal %d: shutting down", (int)sig);
	(void)notify_send("STOPPING=1");
	bgpd_shutdown(v->bgp, BGP_CEASE_SHUTDOWN, "vrsd is shutting down");
	if (v->live != NULL)
		live_shutdown(v->live, "vrsd is shutting down");
	drain_cb(-1, 0, v);
}

/* mrt-dump's file name for view at t: %v, then strftime(3). */
static bool
mrt_name(const char *pat, const char *view, time_t t, char *out, size_t len)
{
	char fmt[512];
	size_t o = 0;
	struct tm tm;

	for (; *pat != '\0' && o + 3 < sizeof(fmt); pat++) {
		if (pat[0] == '%' && pat[1] == 'v') {
			for (const char *v = view;
			     *v != '\0' && o + 3 < sizeof(fmt); v++) {
				if (*v == '%')
					fmt[o++] = '%';
				fmt[o++] = *v == '/' ? '-' : *v;
			}
			pat++;
		} else
			fmt[o++] = *pat;
	}
	fmt[o] = '\0';
	return localtime_r(&t, &tm) != NULL && strftime(out, len, fmt, &tm) > 0;
}

/* mrt-dump: each view into its file, written whole and renamed. */
static void
mrt_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrsd *v = arg;
	struct timeval tv = { (time_t)v->conf.mrt_interval, 0 };
	char file[600], tmp[620], why[1200];
	struct evbuffer *out;
	time_t now = time(NULL);
	size_t len;
	FILE *f;
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < v->conf.nmrt_views; i++) {
		if (!mrt_name(v->conf.mrt_file, v->conf.mrt_views[i], now, file,
		        sizeof(file))) {
			log_warnx(
			    "mrt-dump %s: bad file name", v->conf.mrt_file);
			continue;
		}
		out = evbuffer_new();
		if (!api_mrt_dump(
		        v->api, v->conf.mrt_views[i], out, why, sizeof(why))) {
			log_warnx("mrt-dump: %s", why);
			evbuffer_free(out);
			continue;
		}
		len = evbuffer_get_length(out);
		snprintf(tmp, sizeof(tmp), "%s.tmp", file);
		if ((f = fopen(tmp, "wb")) == NULL ||
		    fwrite(evbuffer_pullup(out, -1), 1, len, f) != len ||
		    fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 ||
		    rename(tmp, file) != 0) {
			log_warn("mrt-dump %s", file);
			(void)unlink(tmp);
		} else
			log_info("mrt-dump %s: %s, %zu bytes",
			    v->conf.mrt_views[i], file, len);
		evbuffer_free(out);
	}
	evtimer_add(v->mrt_ev, &tv);
}

/* The live sessions changed the store: program the fabric, then export. */
static void
program_cb(void *arg)
{
	struct vrsd *v = arg;

	api_resync(v->api);
}

static void
reload(struct vrsd *v)
{
	struct vrsd_config nc;
	struct session *s, *next;
	struct sbuf errs;
	int i, j;
	bool found;

	sbuf_init(&errs);
	if (!vrsd_config_load(v->path, &nc, &errs)) {
		fprintf(stderr, "%s", errs.s);
		log_warnx("reload: configuration has errors; nothing changed");
		sbuf_fini(&errs);
		return;
	}
	sbuf_fini(&errs);
	if (nc.bgp.asn != v->conf.bgp.asn ||
	    nc.bgp.router_id != v->conf.bgp.router_id)
		log_warnx("reload: asn and router-id changes need a restart");
	if (nc.control_tcp != v->conf.control_tcp ||
	    (nc.control_tcp &&
	        (addr_cmp(&nc.control_listen.addr,
	             &v->conf.control_listen.addr) != 0 ||
	            nc.control_listen.port != v->conf.control_listen.port)))
		log_warnx("reload: control-listen changes need a restart");
	/* v->conf keeps describing the listener that runs */
	nc.control_tcp = v->conf.control_tcp;
	nc.control_listen = v->conf.control_listen;
	/* web: on the listener that runs, if there is one */
	api_set_web(v->api, nc.control_tcp && nc.web);
	/* gone or changed */
	for (s = bgpd_peer_next(v->bgp, NULL); s != NULL; s = next) {
		next = bgpd_peer_next(v->bgp, s);
		found = false;
		for (j = 0; j < nc.npeers; j++)
			if (strcmp(nc.peers[j].name, session_conf(s)->name) ==
			    0) {
				found = true;
				if (vrsd_peer_changed(
				        session_conf(s), &nc.peers[j])) {
					log_info("reload: peer %s changed",
					    nc.peers[j].name);
					bgpd_peer_del(v->bgp, s,
					    BGP_CEASE_CONFCHANGE,
					    "configuration changed");
					bgpd_peer_add(v->bgp, &nc.peers[j]);
				}
				break;
			}
		if (!found) {
			log_info(
			    "reload: peer %s removed", session_conf(s)->name);
			bgpd_peer_del(v->bgp, s, BGP_CEASE_DECONFIG,
			    "peer removed from the configuration");
		}
	}
	/* new */
	for (i = 0; i < nc.npeers; i++)
		if (bgpd_peer_find(v->bgp, nc.peers[i].name) == NULL) {
			log_info("reload: peer %s added", nc.peers[i].name);
			if (bgpd_peer_add(v->bgp, &nc.peers[i]) == NULL)
				log_warnx("reload: peer %s: address in use",
				    nc.peers[i].name);
		}
	log_set_level(nc.log_level);
	vrsd_config_free(&v->conf);
	v->conf = nc;
	log_info("configuration reloaded");
}

static void
sighup_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	(void)notify_send("RELOADING=1");
	reload(arg);
	(void)notify_send("READY=1");
}

/* Before the API exists: free what main made so far; exit status 1. */
static int
start_failed(struct vrsd *v)
{
	bgp4mp_close(v->mrtlog);
	bgpd_free(v->bgp);
	fab_free(v->fab);
	topo_free(v->topo);
	event_base_free(v->base);
	vrsd_config_free(&v->conf);
	return 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct event *ev_term, *ev_int, *ev_hup;
	struct vrsd v;
	struct sbuf errs;
	const char *sock = NULL;
	bool check = false, debug = false;
	char buf[ADDR_STRLEN], why[512];
	int ch, i, rc;

	memset(&v, 0, sizeof(v));
	log_init("vrsd", LOG_LVL_INFO);
	while (
	    (ch = getopt_long(argc, argv, "c:nds:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			v.path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'd':
			debug = true;
			break;
		case 's':
			sock = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vrsd %s\n", VRS_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (v.path == NULL || optind != argc) {
		usage(stderr);
		return 1;
	}
	sbuf_init(&errs);
	if (!vrsd_config_load(v.path, &v.conf, &errs)) {
		fprintf(stderr, "%s", errs.s);
		sbuf_fini(&errs);
		return 1;
	}
	sbuf_fini(&errs);
	if (check) {
		printf(
		    "%s: configuration OK (%d peers)\n", v.path, v.conf.npeers);
		vrsd_config_free(&v.conf);
		return 0;
	}
	if (sock != NULL)
		snprintf(v.conf.control, sizeof(v.conf.control), "%s", sock);
	log_set_level(debug ? LOG_LVL_DEBUG : v.conf.log_level);
	if (v.conf.state[0] == '\0')
		v.topo = topo_new();
	else if (!api_state_load(v.conf.state, &v.topo, why, sizeof(why))) {
		log_warnx("state %s", why);
		vrsd_config_free(&v.conf);
		return 1;
	}
	v.fab = fab_new(v.topo);
	signal(SIGPIPE, SIG_IGN);
	v.base = event_base_new();
	v.bgp = bgpd_new(v.base, &v.conf.bgp, &rs_ops, &v);
	if (v.conf.mrt_updates[0] != '\0') {
		v.mrtlog = bgp4mp_open(v.base, v.conf.mrt_updates,
		    v.conf.mrt_rotate, why, sizeof(why));
		if (v.mrtlog == NULL) {
			log_warnx("mrt-updates: %s", why);
			return start_failed(&v);
		}
		bgpd_set_tap(v.bgp, bgp4mp_tap, v.mrtlog);
	}
	for (i = 0; i < v.conf.nlisten; i++) {
		rc = bgpd_listen(
		    v.bgp, &v.conf.listen[i].addr, v.conf.listen[i].port);
		if (rc < 0) {
			log_warnx("listen %s port %u: %s",
			    addr_print(
			        &v.conf.listen[i].addr, buf, sizeof(buf)),
			    v.conf.listen[i].port, strerror(-rc));
			return start_failed(&v);
		}
	}
	for (i = 0; i < v.conf.npeers; i++)
		bgpd_peer_add(v.bgp, &v.conf.peers[i]);
	mkdir_parent(v.conf.control, v.conf.control_gid);
	v.api = api_new(v.base, v.bgp, v.topo, v.fab, v.conf.control,
	    v.conf.control_gid, v.conf.state);
	if (v.api == NULL)
		return 1;
	if (v.conf.control_tcp) {
		api_set_token(v.api, v.conf.http_token);
		api_set_web(v.api, v.conf.web);
		rc = api_listen_tcp(v.api, &v.conf.control_listen.addr,
		    v.conf.control_listen.port);
		if (rc < 0) {
			log_warnx("control-listen %s port %u: %s",
			    addr_print(
			        &v.conf.control_listen.addr, buf, sizeof(buf)),
			    v.conf.control_listen.port, strerror(-rc));
			api_free(v.api);
			return 1;
		}
	}
	if (v.conf.ars) {
		struct live_conf lc = { v.conf.bgp_port, program_cb, &v,
			v.conf.instance, v.mrtlog ? bgp4mp_tap : NULL,
			v.mrtlog };

		v.live = live_new(v.base, &lc, v.topo, api_ars(v.api));
		api_set_live(v.api, v.live);
		live_sync(v.live);
	}
	ev_term = evsignal_new(v.base, SIGTERM, sigterm_cb, &v);
	ev_int = evsignal_new(v.base, SIGINT, sigterm_cb, &v);
	ev_hup = evsignal_new(v.base, SIGHUP, sighup_cb, &v);
	v.drain_ev = evtimer_new(v.base, drain_cb, &v);
	evsignal_add(ev_term, NULL);
	evsignal_add(ev_int, NULL);
	evsignal_add(ev_hup, NULL);
	if (v.conf.control_tcp)
		log_info("control API also on TCP %s port %u",
		    addr_print(&v.conf.control_listen.addr, buf, sizeof(buf)),
		    v.conf.control_listen.port);
	log_info("vrsd %s: AS%u, %d peers, %d listeners, control %s, "
	         "%zu VNets%s%s",
	    VRS_VERSION, v.conf.bgp.asn, v.conf.npeers, v.conf.nlisten,
	    v.conf.control, v.topo->nvnets,
	    v.conf.state[0] != '\0' ? ", state " : "", v.conf.state);
	if (v.conf.mrt_file[0] != '\0') {
		struct timeval tv = { (time_t)v.conf.mrt_interval, 0 };

		v.mrt_ev = evtimer_new(v.base, mrt_cb, &v);
		evtimer_add(v.mrt_ev, &tv);
	}
	/* listeners and the control socket are up: systemd's Type=notify */
	snprintf(why, sizeof(why), "READY=1\nSTATUS=AS%u, %d peers, control %s",
	    v.conf.bgp.asn, v.conf.npeers, v.conf.control);
	if (!notify_send(why))
		log_warn("NOTIFY_SOCKET %s", getenv("NOTIFY_SOCKET"));
	event_base_dispatch(v.base);
	if (v.mrt_ev != NULL)
		event_free(v.mrt_ev);
	api_set_live(v.api, NULL);
	live_free(v.live);
	api_free(v.api);
	bgpd_free(v.bgp);
	bgp4mp_close(v.mrtlog);
	fab_free(v.fab);
	topo_free(v.topo);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	event_free(v.drain_ev);
	event_base_free(v.base);
	vrsd_config_free(&v.conf);
	log_info("stopped");
	return 0;
}
