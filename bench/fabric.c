/* SPDX-License-Identifier: ISC */
/* bench/fabric.c - effective routes at Azure Route Server's maximum: recompute time, one change, memory. */

/*
 * DOC: bench-fabric
 *
 * The topology (built as one document and read with topo_from_json):
 * a hub VNet 10.0.0.0/16 holding a route server and two NVAs
 * (10.0.1.4, 10.0.1.5), and V-1 spokes 10.{1+i/256}.{i%256}.0/24, each
 * with one subnet and peered both ways with the hub (the hub allows
 * gateway transit, the spoke uses remote gateways): every subnet sees
 * the route server's routes.  N NICs are spread over the spokes.  Both
 * route-server instances program R /24s from 11.0.0.0 up, ECMP over
 * the two NVAs.  Defaults: the ARS maximum, V 500, N 4000, R 10000.
 *
 * Timed, best and median of several rounds:
 *   full     every subnet's table from scratch (tables and shared
 *            blocks dropped with fab_opts_set), then every NIC's table
 *            read once
 *   route    one programmed route changes its next hops (ECMP 2 <-> 1):
 *            both instances hand that prefix to fab_program_route, then
 *            fab_sync brings every subnet's table up to date; checked
 *            (not timed) on one NIC's table
 *   replace  the same change handed over as whole sets: both instances
 *            fab_program all R routes (the fabric compares them with
 *            the previous set), then fab_sync
 *   udr      one spoke's route table gains a route (the topology change
 *            is not timed), then fab_sync: that subnet only
 *   nexthop  every NIC's next hop into the changed prefix, nothing
 *            changed (fab_next_hop reads no rows)
 *   query    every NIC's table read, nothing changed: a query lays the
 *            subnet's rows out in one array, rewriting only its own rows
 *            when the shared ones (R*2 here) are there from the table
 *            read before; the NICs of one subnet share one layout
 * route and replace stop when the tables are current; reading them all
 * afterwards costs about what query costs (the first table read after a
 * change lays the shared rows out again).
 * Memory: process RSS after the full build, and its peak.
 */

#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fabric/fabric.h"
#include "lib/xmalloc.h"
#include "topology/topology.h"

#ifndef BENCH_BUILD
#define BENCH_BUILD "unknown"
#endif

#define ROUNDS 7

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
status_kib(const char *key)
{
	char line[256];
	long kb = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, n) == 0) {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

static void
spoke_prefix(int i, char *buf, size_t size)
{
	snprintf(buf, size, "10.%d.%d.0/24", 1 + i / 256, i % 256);
}

static json_t *
topology_doc(int nvnets, int nnics)
{
	json_t *doc = json_object(), *vnets = json_array(),
	       *nics = json_array();
	json_t *hubpeers = json_array(), *v;
	char name[32], pfx[32], ip[32], rname[32];
	int i, k, per = (nnics + nvnets - 2) / (nvnets - 1);

	for (i = 1; i < nvnets; i++) {
		snprintf(name, sizeof(name), "spoke%d", i);
		snprintf(rname, sizeof(rname), "hub-to-spoke%d", i);
		spoke_prefix(i, pfx, sizeof(pfx));
		v = json_pack("{s:s,s:{s:[s]},s:[{s:s,s:s}],s:[{s:s,s:s,s:b}]}",
		    "name", name, "addressSpace", "addressPrefixes", pfx,
		    "subnets", "name", "default", "addressPrefix", pfx,
		    "virtualNetworkPeerings", "name", "to-hub",
		    "remoteVirtualNetwork", "hub", "useRemoteGateways", 1);
		json_array_append_new(vnets, v);
		json_array_append_new(hubpeers,
		    json_pack("{s:s,s:s,s:b}", "name", rname,
		        "remoteVirtualNetwork", name, "allowGatewayTransit",
		        1));
	}
	json_array_insert_new(vnets, 0,
	    json_pack("{s:s,s:{s:[s]},s:[{s:s,s:s},{s:s,s:s}],s:o}", "name",
	        "hub", "addressSpace", "addressPrefixes", "10.0.0.0/16",
	        "subnets", "name", "RouteServerSubnet", "addressPrefix",
	        "10.0.0.0/26", "name", "nva", "addressPrefix", "10.0.1.0/24",
	        "virtualNetworkPeerings", hubpeers));
	for (k = 0; k < nnics; k++) {
		i = 1 + k / per;
		if (i >= nvnets)
			i = nvnets - 1;
		snprintf(name, sizeof(name), "nic%d", k);
		snprintf(pfx, sizeof(pfx), "spoke%d", i);
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", 1 + i / 256, i % 256,
		    4 + k % per);
		json_array_append_new(nics,
		    json_pack("{s:s,s:[{s:s,s:o}]}", "name", name,
		        "ipConfigurations", "privateIPAddress", ip, "subnet",
		        json_pack("{s:o}", "id",
		            json_sprintf("/subscriptions/x/resourceGroups/lab/"
		                         "providers/Microsoft.Network/"
		                         "virtualNetworks/%s/subnets/default",
		                pfx))));
	}
	json_object_set_new(doc, "virtualNetworks", vnets);
	json_object_set_new(doc, "networkInterfaces", nics);
	json_object_set_new(doc, "virtualHubs",
	    json_pack("[{s:s,s:[{s:{s:s}}],s:[{s:s,s:s,s:i},{s:s,s:s,s:i}]}]",
	        "name", "ars", "ipConfigurations", "subnet", "id",
	        "/subscriptions/x/resourceGroups/lab/providers/"
	        "Microsoft.Network/virtualNetworks/hub/subnets/"
	        "RouteServerSubnet",
	        "bgpConnections", "name", "nva1", "peerIp", "10.0.1.4",
	        "peerAsn", 65001, "name", "nva2", "peerIp", "10.0.1.5",
	        "peerAsn", 65002));
	json_object_set_new(doc, "routeTables",
	    json_pack("[{s:s,s:[]}]", "name", "rt-bench", "routes"));
	return doc;
}

static struct ipaddr nh[2];

static void
routes_make(struct fab_route *r, int n)
{
	char buf[32];
	int k;

	addr_parse("10.0.1.4", &nh[0]);
	addr_parse("10.0.1.5", &nh[1]);
	for (k = 0; k < n; k++) {
		snprintf(buf, sizeof(buf), "11.%d.%d.0/24", k / 256, k % 256);
		memset(&r[k], 0, sizeof(r[k]));
		prefix_parse(buf, &r[k].pfx, 0);
		r[k].nexthop = nh;
		r[k].nnh = 2;
		r[k].origin = FAB_ORIGIN_ARS;
		r[k].aspath_len = 1;
	}
}

static void
program(struct fabric *f, const struct fab_route *r, size_t n)
{
	fab_program(f, "ars/IN_0", "ars", r, n);
	fab_program(f, "ars/IN_1", "ars", r, n);
}

/* Read every NIC's table; returns the rows seen. */
static size_t
read_all(struct fabric *f, int nnics)
{
	struct fab_table t;
	char name[32];
	size_t rows = 0;
	int k;

	for (k = 0; k < nnics; k++) {
		snprintf(name, sizeof(name), "nic%d", k);
		if (!fab_nic_effective_routes(f, name, &t)) {
			fprintf(stderr, "bench-fabric: no NIC %s\n", name);
			exit(1);
		}
		rows += t.nrows;
	}
	return rows;
}

/* Every NIC's next hop to dst; returns how many go to a gateway. */
static size_t
hop_all(struct fabric *f, int nnics, const struct ipaddr *dst)
{
	struct fab_next_hop hop;
	char name[32];
	size_t n = 0;
	int k;

	for (k = 0; k < nnics; k++) {
		snprintf(name, sizeof(name), "nic%d", k);
		if (!fab_next_hop(f, name, dst, &hop)) {
			fprintf(stderr, "bench-fabric: no NIC %s\n", name);
			exit(1);
		}
		n += hop.hop == FAB_HOP_GATEWAY;
	}
	return n;
}

/* The rows nic0 has for p: the change must be there. */
static void
check_rows(struct fabric *f, const struct prefix *p, size_t want)
{
	struct fab_table t;
	size_t i, n = 0;

	if (!fab_nic_effective_routes(f, "nic0", &t)) {
		fprintf(stderr, "bench-fabric: no NIC nic0\n");
		exit(1);
	}
	for (i = 0; i < t.nrows; i++)
		n += t.rows[i].nprefixes == 1 &&
		    prefix_equal(&t.rows[i].prefixes[0], p);
	if (n != want) {
		fprintf(stderr,
		    "bench-fabric: nic0 has %zu rows for the changed "
		    "route, not %zu\n",
		    n, want);
		exit(1);
	}
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *op, double *t, int n, double target_ms)
{
	qsort(t, (size_t)n, sizeof(*t), dcmp);
	printf("%-7s %10.3f %10.3f %10.1f   %s\n", op, t[0] * 1e3,
	    t[n / 2] * 1e3, target_ms,
	    target_ms <= 0                   ? ""
	        : t[n / 2] * 1e3 < target_ms ? "ok"
	                                     : "MISSED");
}

/* The topology as vrsd's state file, for the API benchmark. */
static void
state_write(const char *path, const struct topo *t)
{
	json_t *j = topo_to_json(t);

	if (json_dump_file(j, path, JSON_COMPACT) != 0) {
		fprintf(stderr, "bench-fabric: cannot write %s\n", path);
		exit(1);
	}
	json_decref(j);
}

/* ---- --api: through vrsd's HTTP API on its UNIX socket ---- */

struct hc {
	int fd;
	char buf[1 << 16];
};

static int
hc_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* One request on the kept-alive connection; the status, -1 on error. */
static int
hc_call(struct hc *c, const char *method, const char *path, const char *body)
{
	size_t blen = body != NULL ? strlen(body) : 0, got = 0, want = 0;
	char head[1024], *end, *cl;
	ssize_t n;
	int status;

	snprintf(head, sizeof(head),
	    "%s %s HTTP/1.1\r\nHost: vrsd\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\n\r\n",
	    method, path, blen);
	if (write(c->fd, head, strlen(head)) < 0 ||
	    (blen > 0 && write(c->fd, body, blen) != (ssize_t)blen))
		return -1;
	for (;;) { /* the head */
		if (got == sizeof(c->buf) - 1)
			return -1;
		if ((n = read(c->fd, c->buf + got, sizeof(c->buf) - 1 - got)) <=
		    0)
			return -1;
		got += (size_t)n;
		c->buf[got] = '\0';
		if ((end = strstr(c->buf, "\r\n\r\n")) != NULL)
			break;
	}
	status = atoi(c->buf + 9);
	if ((cl = strcasestr(c->buf, "\r\nContent-Length:")) != NULL &&
	    cl < end)
		want = strtoul(cl + 17, NULL, 10);
	want += (size_t)(end + 4 - c->buf);
	while (got < want) { /* the body, dropped */
		size_t keep = (size_t)(end + 4 - c->buf);

		if (got >= sizeof(c->buf) - 1) {
			want -= got - keep;
			got = keep;
		}
		if ((n = read(c->fd, c->buf + got, sizeof(c->buf) - 1 - got)) <=
		    0)
			return -1;
		got += (size_t)n;
	}
	return status;
}

#define ARM     "/subscriptions/x/resourceGroups/lab/providers/Microsoft.Network/"
#define API_OPS 7

static void
api_report(const char *op, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), dcmp);
	printf("%-16s %10.3f %10.3f %10.3f\n", op, t[n / 2] * 1e3,
	    t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] * 1e3,
	    t[n - 1] * 1e3);
}

static pid_t api_vrsd; /* the vrsd we started, stopped on an error */

static void
must(struct hc *c, const char *m, const char *path, const char *body, int want)
{
	int st = hc_call(c, m, path, body);

	if (st != want && !(want == 200 && st == 201)) {
		fprintf(stderr, "bench-fabric: %s %s: HTTP %d (expected %d)\n",
		    m, path, st, want);
		if (api_vrsd > 0)
			kill(api_vrsd, SIGKILL);
		exit(1);
	}
}

static int
api_main(int argc, char **argv, const char *self)
{
	int nvnets = 500, nnics = 4000, nroutes = 10000, n = 200, i, k, opt;
	static const char *const names[API_OPS] = { "PUT route",
		"PUT peering flag", "PUT NIC", "DELETE route", "DELETE NIC",
		"effective routes", "  (unchanged)" };
	char dir[] = "/tmp/bench-fabric.XXXXXX", *tmpl = NULL, path[600],
	     sock[600], bin[600], body[512], *d;
	double *t[API_OPS], t0;
	struct topo_err err;
	struct topo *topo;
	struct hc c;
	json_t *doc, *hub;
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'd')
			tmpl = optarg;
		else {
			fprintf(stderr,
			    "usage: bench-fabric --api [-n CHANGES] [-d DIR] "
			    "[VNETS [NICS [ROUTES]]]\n");
			return 1;
		}
	}
	if (optind < argc)
		nvnets = atoi(argv[optind]);
	if (optind + 1 < argc)
		nnics = atoi(argv[optind + 1]);
	if (optind + 2 < argc)
		nroutes = atoi(argv[optind + 2]);
	if (n < 1 || nvnets < 3 || nnics < 1 || nroutes < 6 || nroutes > 60000)
		return fprintf(stderr, "bench-fabric: bad sizes\n"), 1;
	if (tmpl != NULL) {
		snprintf(path, sizeof(path), "%s/bench-fabric.XXXXXX", tmpl);
		d = mkdtemp(path);
	} else
		d = mkdtemp(dir);
	if (d == NULL)
		return perror("mkdtemp"), 1;
	d = strdup(d);
	/* the state: the topology, relaxed, 6 NVAs, a route table */
	doc = topology_doc(nvnets, nnics);
	json_object_set_new(doc, "options", json_pack("{s:b}", "relaxed", 1));
	hub = json_array_get(json_object_get(doc, "virtualHubs"), 0);
	json_object_set_new(hub, "bgpConnections", json_array());
	for (k = 0; k < 6; k++) {
		char nm[16], ip[16];

		snprintf(nm, sizeof(nm), "nva%d", k + 1);
		snprintf(ip, sizeof(ip), "10.0.1.%d", k + 4);
		json_array_append_new(json_object_get(hub, "bgpConnections"),
		    json_pack("{s:s,s:s,s:i}", "name", nm, "peerIp", ip,
		        "peerAsn", 65001 + k));
	}
	if (!topo_from_json(doc, &topo, &err))
		return fprintf(stderr, "bench-fabric: %s\n", err.msg), 1;
	json_decref(doc);
	/* spoke1's subnet uses rt-bench */
	{
		struct topo_subnet sn =
		    *topo_subnet_lookup(topo, "spoke1", "default");

		sn.route_table = "rt-bench";
		if (!topo_subnet_put(topo, &sn, &err))
			return fprintf(stderr, "bench-fabric: %s\n", err.msg),
			       1;
	}
	snprintf(path, sizeof(path), "%s/state.json", d);
	state_write(path, topo);
	topo_free(topo);
	snprintf(sock, sizeof(sock), "%s/vrsd.sock", d);
	snprintf(bin, sizeof(bin), "%s/vrsd.yaml", d);
	if ((f = fopen(bin, "w")) == NULL)
		return perror(bin), 1;
	fprintf(f, "control: %s\nstate: %s\nlog-level: warning\n", sock, path);
	fclose(f);
	snprintf(path, sizeof(path), "%s", self);
	if (strrchr(path, '/') != NULL)
		*strrchr(path, '/') = '\0';
	else
		snprintf(path, sizeof(path), ".");
	if ((size_t)snprintf(body, sizeof(body), "%s/vrsd", path) >=
	    sizeof(body))
		return fprintf(stderr, "bench-fabric: %s: too long\n", path), 1;
	if ((pid = fork()) == 0) {
		execl(body, "vrsd", "-c", bin, (char *)NULL);
		perror(body);
		_exit(127);
	}
	api_vrsd = pid;
	for (i = 0; i < 600 && (c.fd = hc_open(sock)) < 0; i++)
		usleep(50000);
	if (c.fd < 0) {
		kill(pid, SIGKILL);
		return fprintf(stderr, "bench-fabric: vrsd does not answer\n"),
		       1;
	}
	/* the routes: three pairs of NVAs, each pair the same third */
	for (k = 0; k < 6; k++) {
		int per = nroutes / 3, first = (k / 2) * per;
		json_t *a = json_array();
		char *s, net[32];

		for (i = 0; i < per; i++) {
			snprintf(net, sizeof(net), "11.%d.%d.0/24",
			    (first + i) / 256, (first + i) % 256);
			json_array_append_new(
			    a, json_pack("{s:s}", "network", net));
		}
		s = json_dumps(json_pack("{s:o}", "routes", a), JSON_COMPACT);
		snprintf(path, sizeof(path),
		    "/subscriptions/x/resourceGroups/lab/providers/"
		    "Microsoft.Network/virtualHubs/ars/bgpConnections/nva%d/"
		    "announcedRoutes",
		    k + 1);
		must(&c, "PUT", path, s, 200);
		free(s);
	}
	printf("bench-fabric --api: vrsd over its UNIX socket, state in %s "
	       "(fsync before each answer); %d VNets, %d NICs, %d routes x 2 "
	       "ARS instances; %d changes of each kind\n",
	    d, nvnets, nnics, (nroutes / 3) * 3, n);
	printf("  build: %s\n", BENCH_BUILD);
	for (k = 0; k < API_OPS; k++)
		t[k] = xcalloc((size_t)n, sizeof(double));
	for (i = 0; i < n; i++) {
		int sp = 2 + i % (nvnets - 2);

		snprintf(path, sizeof(path),
		    ARM "routeTables/rt-bench/routes/r%d", i);
		snprintf(body, sizeof(body),
		    "{\"addressPrefix\": \"192.0.%d.%d/32\", \"nextHopType\": "
		    "\"None\"}",
		    2 + i / 256, i % 256);
		t0 = now();
		must(&c, "PUT", path, body, 200);
		t[0][i] = now() - t0;
		snprintf(path, sizeof(path),
		    ARM "virtualNetworks/spoke%d/virtualNetworkPeerings/to-hub",
		    sp);
		snprintf(body, sizeof(body), "{\"allowForwardedTraffic\": %s}",
		    i % 2 ? "false" : "true");
		t0 = now();
		must(&c, "PUT", path, body, 200);
		t[1][i] = now() - t0;
		snprintf(path, sizeof(path), ARM "networkInterfaces/bnic%d", i);
		snprintf(body, sizeof(body),
		    "{\"ipConfigurations\": [{\"privateIPAddress\": "
		    "\"10.%d.%d.250\", \"subnet\": {\"id\": \"" ARM
		    "virtualNetworks/spoke%d/subnets/default\"}}]}",
		    1 + sp / 256, sp % 256, sp);
		t0 = now();
		must(&c, "PUT", path, body, 200);
		t[2][i] = now() - t0;
		snprintf(path, sizeof(path),
		    ARM "networkInterfaces/nic%d/effectiveRouteTable",
		    (i * 7) % nnics);
		t0 = now();
		must(&c, "POST", path, NULL, 200);
		t[5][i] = now() - t0;
		t0 = now();
		must(&c, "POST", path, NULL, 200);
		t[6][i] = now() - t0;
		snprintf(path, sizeof(path),
		    ARM "routeTables/rt-bench/routes/r%d", i);
		t0 = now();
		must(&c, "DELETE", path, NULL, 200);
		t[3][i] = now() - t0;
		snprintf(path, sizeof(path), ARM "networkInterfaces/bnic%d", i);
		t0 = now();
		must(&c, "DELETE", path, NULL, 200);
		t[4][i] = now() - t0;
	}
	printf("%-16s %10s %10s %10s   (target: change <= 5 ms, query <= "
	       "12 ms)\n",
	    "op", "median ms", "p99 ms", "max ms");
	for (k = 0; k < API_OPS; k++)
		api_report(names[k], t[k], n);
	close(c.fd);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(path, sizeof(path), "rm -rf '%s'", d);
	if (system(path) != 0)
		fprintf(stderr, "bench-fabric: cannot remove %s\n", d);
	free(d);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--api") == 0)
		return api_main(argc - 1, argv + 1, argv[0]);
	int nvnets = argc > 1 ? atoi(argv[1]) : 500;
	int nnics = argc > 2 ? atoi(argv[2]) : 4000;
	int nroutes = argc > 3 ? atoi(argv[3]) : 10000;
	double tfull[ROUNDS], troute[ROUNDS], trepl[ROUNDS], tudr[ROUNDS];
	double thop[ROUNDS], tq[ROUNDS], t0;
	struct ipaddr dst;
	struct fab_opts opts = { 0 };
	struct fab_stats st;
	struct topo_route udr;
	struct topo_err err;
	struct fab_route *r;
	struct fabric *f;
	struct topo *t;
	json_t *doc;
	size_t rows = 0;
	long rss;
	int i, rounds = ROUNDS;

	if (nvnets < 2 || nnics < 1 || nroutes < 1 || nroutes > 65536) {
		fprintf(stderr,
		    "usage: bench-fabric [VNETS>=2 [NICS [ROUTES "
		    "<= 65536]]]\n");
		return 1;
	}
	t0 = now();
	doc = topology_doc(nvnets, nnics);
	if (!topo_from_json(doc, &t, &err)) {
		fprintf(stderr, "bench-fabric: topology: %s (%s)\n", err.msg,
		    err.code);
		return 1;
	}
	json_decref(doc);
	if (getenv("BENCH_FABRIC_STATE") != NULL) /* for bench/fabric-api */
		state_write(getenv("BENCH_FABRIC_STATE"), t);
	printf("bench-fabric: %d VNets (%zu subnets, %zu peerings), %d NICs, "
	       "%d routes x 2 ARS instances, ECMP 2; topology read in "
	       "%.0f ms\n",
	    nvnets, t->nsubnets, t->npeerings, nnics, nroutes,
	    (now() - t0) * 1e3);
	printf("  build: %s\n", BENCH_BUILD);
	f = fab_new(t);
	r = xcalloc((size_t)nroutes, sizeof(*r));
	routes_make(r, nroutes);
	program(f, r, (size_t)nroutes);

	for (i = 0; i < rounds; i++) {
		fab_opts_set(f, &opts); /* drops every cached table */
		t0 = now();
		fab_sync(f);
		rows = read_all(f, nnics);
		tfull[i] = now() - t0;
		if (i == 0 && tfull[0] > 2.0) {
			rounds = 1; /* slow: one round of each */
			printf("  (a full recompute takes %.1f s: one round "
			       "each)\n",
			    tfull[0]);
			fflush(stdout);
		}
	}
	rss = status_kib("VmRSS:");
	for (i = 0; i < rounds; i++) {
		t0 = now();
		read_all(f, nnics);
		tq[i] = now() - t0;
	}
	for (i = 0; i < rounds; i++) {
		r[nroutes / 2].nnh = i % 2 ? 2 : 1; /* one route's ECMP set */
		t0 = now();
		fab_program_route(f, "ars/IN_0", "ars", &r[nroutes / 2], 1);
		fab_program_route(f, "ars/IN_1", "ars", &r[nroutes / 2], 1);
		fab_sync(f);
		troute[i] = now() - t0;
		check_rows(f, &r[nroutes / 2].pfx, r[nroutes / 2].nnh);
	}
	for (i = 0; i < rounds; i++) {
		r[nroutes / 2].nnh = i % 2 ? 1 : 2;
		t0 = now();
		program(f, r, (size_t)nroutes);
		fab_sync(f);
		trepl[i] = now() - t0;
		check_rows(f, &r[nroutes / 2].pfx, r[nroutes / 2].nnh);
	}
	dst = (struct ipaddr){ .af = ADDR_V4 };
	memcpy(dst.a, r[nroutes / 2].pfx.a, 4);
	dst.a[3] = 9;
	for (i = 0; i < rounds; i++) {
		t0 = now();
		if (hop_all(f, nnics, &dst) != (size_t)nnics) {
			fprintf(stderr,
			    "bench-fabric: a NIC does not reach "
			    "the changed route\n");
			return 1;
		}
		thop[i] = now() - t0;
	}
	/* one spoke subnet gets the route table (not timed) */
	{
		struct topo_subnet sn = t->subnets[2];

		sn.route_table = "rt-bench";
		if (!topo_subnet_put(t, &sn, &err)) {
			fprintf(stderr, "bench-fabric: %s\n", err.msg);
			return 1;
		}
		read_all(f, nnics);
	}
	memset(&udr, 0, sizeof(udr));
	udr.hop = TOPO_HOP_NONE;
	for (i = 0; i < rounds; i++) {
		char name[16], pfx[32];

		snprintf(name, sizeof(name), "r%d", i);
		snprintf(pfx, sizeof(pfx), "192.0.2.%d/32", i);
		udr.name = name;
		prefix_parse(pfx, &udr.prefix, 0);
		/* the topology's copy-validate-swap is not timed */
		if (!topo_route_put(t, "rt-bench", &udr, &err)) {
			fprintf(stderr, "bench-fabric: %s\n", err.msg);
			return 1;
		}
		t0 = now();
		fab_sync(f);
		tudr[i] = now() - t0;
	}
	fab_stats(f, &st);
	printf("  %zu effective-route rows over all NICs; %zu subnet tables; "
	       "%" PRIu64 " recomputes, %" PRIu64 " cache hits; %zu shared "
	       "block(s) of %zu rows\n",
	    rows, st.subnets, st.recomputes, st.cache_hits, st.blocks,
	    st.block_rows);
	printf(
	    "%-7s %10s %10s %10s\n", "op", "best ms", "median ms", "target ms");
	report("full", tfull, rounds, 1000);
	report("route", troute, rounds, 10);
	report("replace", trepl, rounds, 0);
	report("udr", tudr, rounds, 0);
	report("nexthop", thop, rounds, 0);
	report("query", tq, rounds, 0);
	printf("memory: RSS %.1f MB after the full build, peak %.1f MB "
	       "(target < 200 MB): %s\n",
	    rss / 1024.0, status_kib("VmHWM:") / 1024.0,
	    status_kib("VmHWM:") < 200 * 1024 ? "ok" : "MISSED");
	fab_free(f);
	topo_free(t);
	free(r);
	return 0;
}
