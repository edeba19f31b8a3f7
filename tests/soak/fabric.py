#!/usr/bin/env python3
# tests/soak/fabric.py - a bounded random stream of API changes against one vrsd,
# then its answers compared with a fresh vrsd built from the same state.
#
#   fabric.py [--ops N] [--seconds S] [--seed K] [--bin DIR]
#
# vrsd (from DIR, default build/bin beside this file) runs on a UNIX socket
# in a temporary folder.  Each operation is a random change through the
# ARM-shaped API: VNets, subnets, peerings and their gateway flags, route
# tables and routes, NICs, the route server's settings, what the NVAs and
# an on-premises BGP site announce, and now and then a malformed or
# refused request.  Checked after every request: vrsd still runs, the
# answer is JSON with an expected status, and a refused change leaves the
# topology as it was.  At the end a second vrsd starts from a copy of the
# state file, gets the same announcements, and must give the same
# effective routes for every NIC and the same learned and advertised
# routes for every peer: what the first computed change by change equals
# what the second computes from scratch.  Stops after N operations or S
# seconds, whichever comes first; exit 0 when every check held.

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/lab/providers/Microsoft.Network"
SPOKES = 6


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


class Vrsd:
    def __init__(self, bindir, workdir, name):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir)
        self.sock = os.path.join(self.dir, "vrsd.sock")
        self.state = os.path.join(self.dir, "state.json")
        self.conf = os.path.join(self.dir, "vrsd.yaml")
        with open(self.conf, "w") as f:
            f.write("control: %s\nstate: %s\nlog-level: warning\n" % (self.sock, self.state))
        self.bindir = bindir
        self.proc = None

    def start(self):
        self.log = open(os.path.join(self.dir, "vrsd.log"), "a")
        self.proc = subprocess.Popen([os.path.join(self.bindir, "vrsd"), "-c", self.conf],
                                     stdout=self.log, stderr=self.log)
        for _ in range(200):
            if self.proc.poll() is not None:
                raise SystemExit("vrsd exited at start: see %s/vrsd.log" % self.dir)
            try:
                self.call("GET", "/v1/topology")
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("vrsd does not answer on %s" % self.sock)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def call(self, method, path, body=None, raw=None):
        c = UnixConnection(self.sock)
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        c.request(method, path, body=data, headers=headers)
        r = c.getresponse()
        text = r.read()
        c.close()
        try:
            doc = json.loads(text)
        except ValueError:
            raise SystemExit("FAIL %s %s: answer is not JSON (%d): %r" % (method, path, r.status, text[:200]))
        return r.status, doc


def rid(kind, name, child=None, cname=None):
    s = "%s/%s/%s" % (SUB, kind, name)
    if child:
        s += "/%s/%s" % (child, cname)
    return s


class Soak:
    def __init__(self, vrsd, rng):
        self.v = vrsd
        self.rng = rng
        self.checks = 0
        self.ops = 0
        self.refused = 0

    def must(self, method, path, body=None, ok=(200, 201)):
        st, doc = self.v.call(method, path, body)
        self.checks += 1
        if st not in ok:
            raise SystemExit("FAIL %s %s %s: %d %s" % (method, path, json.dumps(body), st, json.dumps(doc)))
        return doc

    def alive(self):
        if self.v.proc.poll() is not None:
            raise SystemExit("FAIL vrsd died (exit %s): see %s/vrsd.log" % (self.v.proc.returncode, self.v.dir))

    # ---- the starting lab
    def build(self):
        m = self.must
        m("PUT", rid("virtualNetworks", "hub"), {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}})
        for name, p in (("RouteServerSubnet", "10.0.1.0/26"), ("nva", "10.0.2.0/24"),
                        ("vm", "10.0.3.0/24"), ("GatewaySubnet", "10.0.255.0/27")):
            m("PUT", rid("virtualNetworks", "hub", "subnets", name), {"addressPrefix": p})
        m("PUT", rid("virtualHubs", "ars"), {"ipConfigurations": [
            {"subnet": {"id": rid("virtualNetworks", "hub", "subnets", "RouteServerSubnet")}}]})
        m("PUT", rid("virtualNetworkGateways", "vpngw"), {
            "gatewayType": "Vpn", "activeActive": True, "enableBgp": True, "bgpSettings": {"asn": 65515},
            "ipConfigurations": [{"subnet": {"id": rid("virtualNetworks", "hub", "subnets", "GatewaySubnet")}}]})
        m("PUT", rid("localNetworkGateways", "onprem"), {
            "gatewayIpAddress": "192.0.2.1", "localNetworkAddressSpace": {"addressPrefixes": ["172.16.0.1/32"]},
            "bgpSettings": {"asn": 65501, "bgpPeeringAddress": "172.16.0.1"}})
        m("PUT", rid("connections", "to-onprem"), {
            "connectionType": "IPsec", "virtualNetworkGateway1": {"id": rid("virtualNetworkGateways", "vpngw")},
            "localNetworkGateway2": {"id": rid("localNetworkGateways", "onprem")}, "enableBgp": True})
        for i in range(1, SPOKES + 1):
            m("PUT", rid("virtualNetworks", "spoke%d" % i), {"addressSpace": {"addressPrefixes": ["10.%d.0.0/16" % i]}})
            m("PUT", rid("virtualNetworks", "spoke%d" % i, "subnets", "default"), {"addressPrefix": "10.%d.0.0/24" % i})
            self.peer(i, self.rng.random() < 0.6)
            m("PUT", rid("networkInterfaces", "vm%d-nic" % i), {"ipConfigurations": [{
                "privateIPAddress": "10.%d.0.4" % i,
                "subnet": {"id": rid("virtualNetworks", "spoke%d" % i, "subnets", "default")}}]})
        for n, ip in (("nva1", "10.0.2.4"), ("nva2", "10.0.2.5")):
            m("PUT", rid("networkInterfaces", n + "-nic"), {"enableIPForwarding": True, "ipConfigurations": [{
                "privateIPAddress": ip, "subnet": {"id": rid("virtualNetworks", "hub", "subnets", "nva")}}]})
        m("PUT", rid("networkInterfaces", "vmh-nic"), {"ipConfigurations": [{
            "privateIPAddress": "10.0.3.4", "subnet": {"id": rid("virtualNetworks", "hub", "subnets", "vm")}}]})
        m("PUT", rid("virtualHubs", "ars", "bgpConnections", "nva1"), {"peerIp": "10.0.2.4", "peerAsn": 65001})
        m("PUT", rid("virtualHubs", "ars", "bgpConnections", "nva2"), {"peerIp": "10.0.2.5", "peerAsn": 65002})

    def peer(self, i, use_remote):
        self.must("PUT", rid("virtualNetworks", "hub", "virtualNetworkPeerings", "hub-to-spoke%d" % i), {
            "remoteVirtualNetwork": {"id": rid("virtualNetworks", "spoke%d" % i)},
            "allowVirtualNetworkAccess": True, "allowGatewayTransit": True})
        self.must("PUT", rid("virtualNetworks", "spoke%d" % i, "virtualNetworkPeerings", "spoke%d-to-hub" % i), {
            "remoteVirtualNetwork": {"id": rid("virtualNetworks", "hub")},
            "allowVirtualNetworkAccess": True, "useRemoteGateways": use_remote})

    # ---- random pieces
    def prefix(self):
        r = self.rng.random()
        if r < 0.5:
            return "192.168.%d.0/24" % self.rng.randrange(0, 16)
        if r < 0.7:
            return "172.%d.0.0/16" % self.rng.randrange(17, 24)
        if r < 0.8:
            return "10.%d.%d.0/24" % (self.rng.randrange(0, SPOKES + 2), self.rng.randrange(0, 4))
        if r < 0.9:
            return "0.0.0.0/0"
        return "10.0.0.0/8"

    def route(self, asn):
        r = {"network": self.prefix()}
        k = self.rng.random()
        if k < 0.3:
            r["asPath"] = " ".join([str(asn)] * self.rng.randrange(1, 4))
        elif k < 0.35:
            r["asPath"] = "%d 65515" % asn  # refused by the route server (R2.4)
        if self.rng.random() < 0.1:
            r["communities"] = ["no-advertise"]
        if self.rng.random() < 0.1:
            r["nextHop"] = "10.0.2.%d" % self.rng.randrange(4, 10)
        return r

    def routes(self, asn):
        seen, out = set(), []
        for _ in range(self.rng.randrange(0, 8)):
            r = self.route(asn)
            if r["network"] not in seen:
                seen.add(r["network"])
                out.append(r)
        return out

    def topology(self):
        return self.v.call("GET", "/v1/topology")[1]

    # ---- one operation
    def step(self):
        rng, m = self.rng, self.must
        op = rng.randrange(0, 14)
        i = rng.randrange(1, SPOKES + 1)
        if op <= 2:
            peer = rng.choice(["nva1", "nva2"])
            asn = 65001 if peer == "nva1" else 65002
            body = {"RouteServiceRole_IN_0": self.routes(asn)}
            body["RouteServiceRole_IN_1"] = body["RouteServiceRole_IN_0"] if rng.random() < 0.85 else self.routes(asn)
            m("PUT", rid("virtualHubs", "ars", "bgpConnections", peer) + "/announcedRoutes", body)
        elif op == 3:
            m("PUT", rid("localNetworkGateways", "onprem") + "/announcedRoutes", {"routes": self.routes(65501)})
        elif op == 4:
            self.peer(i, rng.random() < 0.5)
        elif op == 5:
            m("PUT", rid("virtualHubs", "ars"), {
                "allowBranchToBranchTraffic": rng.random() < 0.5,
                "hubRoutingPreference": rng.choice(["ExpressRoute", "VpnGateway", "ASPath"])})
        elif op == 6:
            m("PUT", rid("routeTables", "rt%d" % i), {"disableBgpRoutePropagation": rng.random() < 0.4})
            hop = rng.choice(["None", "Internet", "VirtualAppliance", "VnetLocal"])
            body = {"addressPrefix": self.prefix(), "nextHopType": hop, "nextHopIpAddress": None}
            if hop == "VirtualAppliance":
                body["nextHopIpAddress"] = "10.0.2.4"
            # two routes of a table with one prefix are refused (409)
            self.maybe("PUT", rid("routeTables", "rt%d" % i, "routes", "r%d" % rng.randrange(0, 3)), body)
        elif op == 7:
            rt = {"id": rid("routeTables", "rt%d" % rng.randrange(1, SPOKES + 1))} if rng.random() < 0.6 else None
            vnet, sub = ("hub", "vm") if rng.random() < 0.3 else ("spoke%d" % i, "default")
            # a missing route table is refused (404), the state unchanged
            self.maybe("PUT", rid("virtualNetworks", vnet, "subnets", sub), {"routeTable": rt})
        elif op == 8:
            n = "extra%d-nic" % rng.randrange(0, 4)
            if rng.random() < 0.5:
                self.maybe("PUT", rid("networkInterfaces", n), {"ipConfigurations": [{
                    "privateIPAddress": "10.%d.0.%d" % (i, rng.randrange(5, 9)),
                    "subnet": {"id": rid("virtualNetworks", "spoke%d" % i, "subnets", "default")}}]})
            else:
                m("DELETE", rid("networkInterfaces", n))
        elif op == 9:
            self.refused_change()
        elif op == 10:
            m("DELETE", rid("routeTables", "rt%d" % i, "routes", "r%d" % rng.randrange(0, 3)))
        elif op == 11:
            m("PUT", rid("localNetworkGateways", "onprem"), {
                "localNetworkAddressSpace": {"addressPrefixes": [rng.choice(["172.16.0.1/32", "172.18.0.0/16"])]}})
        else:
            nic = rng.choice(["vm%d-nic" % i, "vmh-nic", "nva1-nic"])
            m("POST", rid("networkInterfaces", nic) + "/effectiveRouteTable", {})
            m("GET", rid("networkInterfaces", nic) + "/explain?prefix=" + self.prefix())
        self.ops += 1

    def maybe(self, method, path, body):
        """A change that may be refused (404/409); a refusal must change nothing."""
        before = self.topology()
        st, doc = self.v.call(method, path, body)
        self.checks += 1
        if st in (400, 404, 409):
            self.refused += 1
            if self.topology() != before or "error" not in doc:
                raise SystemExit("FAIL refused %s %s changed the state or had no error: %s" % (method, path, doc))
        elif st not in (200, 201):
            raise SystemExit("FAIL %s %s: %d %s" % (method, path, st, doc))

    def refused_change(self):
        rng = self.rng
        before = self.topology()
        bad = rng.randrange(0, 6)
        if bad == 0:
            st, doc = self.v.call("PUT", rid("virtualNetworks", "hub"), raw="{not json")
        elif bad == 1:
            st, doc = self.v.call("PUT", rid("virtualNetworks", "hub", "subnets", "nva"), {"addressPrefix": "10.0.2.1/24"})
        elif bad == 2:
            st, doc = self.v.call("PUT", rid("virtualHubs", "ars", "bgpConnections", "bad"), {"peerIp": "10.0.2.9", "peerAsn": 65515})
        elif bad == 3:
            st, doc = self.v.call("PUT", rid("virtualHubs", "ars", "bgpConnections", "nva1") + "/announcedRoutes",
                                  {"routes": [{"network": "1.2.3.4/8"}]})
        elif bad == 4:
            st, doc = self.v.call("PUT", rid("virtualNetworks", "overlap"), {"addressSpace": {"addressPrefixes": ["10.0.128.0/24"]}})
            if st in (200, 201):  # a lone VNet is fine; peering it with the hub is not
                st, doc = self.v.call("PUT", rid("virtualNetworks", "hub", "virtualNetworkPeerings", "to-overlap"),
                                      {"remoteVirtualNetwork": {"id": rid("virtualNetworks", "overlap")}})
                self.must("DELETE", rid("virtualNetworks", "overlap"))
                before = self.topology() if st in (200, 201) else before
        else:
            st, doc = self.v.call("PUT", rid("routeTables", "rt1", "routes", "bad"), {"addressPrefix": "10.0.0.0/8", "nextHopType": "VNetPeering"})
        self.checks += 1
        if st in (200, 201):
            raise SystemExit("FAIL a bad request was accepted: %s" % json.dumps(doc))
        if "error" not in doc or self.topology() != before:
            raise SystemExit("FAIL a refused request changed the state or had no error: %s" % json.dumps(doc))
        self.refused += 1


def views(v, topo):
    """Everything to compare: every NIC's effective routes, every peer's learned/advertised routes."""
    out = {}
    for nic in topo.get("networkInterfaces", []):
        st, doc = v.call("POST", rid("networkInterfaces", nic["name"]) + "/effectiveRouteTable", {})
        out["nic " + nic["name"]] = sorted(json.dumps(r, sort_keys=True) for r in doc.get("value", []))
    for hub in topo.get("virtualHubs", []):
        for c in hub.get("bgpConnections", []):
            for what in ("learnedRoutes", "advertisedRoutes"):
                st, doc = v.call("POST", rid("virtualHubs", hub["name"], "bgpConnections", c["name"]) + "/" + what, {})
                out["%s %s %s" % (hub["name"], c["name"], what)] = json.dumps(doc, sort_keys=True)
    for g in topo.get("virtualNetworkGateways", []):
        st, doc = v.call("POST", rid("virtualNetworkGateways", g["name"]) + "/getLearnedRoutes", {})
        out["gw " + g["name"]] = sorted(json.dumps(r, sort_keys=True) for r in doc.get("value", []))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ops", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--bin", default=os.environ.get("VRS_BIN", os.path.join(here, "..", "..", "build", "bin")))
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="vrs-soak.")
    one = Vrsd(a.bin, work, "one")
    two = Vrsd(a.bin, work, "two")
    ok = False
    try:
        one.start()
        s = Soak(one, rng)
        s.build()
        t0 = time.monotonic()
        while s.ops < a.ops and time.monotonic() - t0 < a.seconds:
            s.step()
            s.alive()
        topo = s.topology()
        # the second vrsd: the first's state, the same announcements
        shutil.copy(one.state, two.state)
        two.start()
        for hub in topo.get("virtualHubs", []):
            for c in hub.get("bgpConnections", []):
                p = rid("virtualHubs", hub["name"], "bgpConnections", c["name"]) + "/announcedRoutes"
                ann = one.call("GET", p)[1]
                body = {k: ann[k] for k in ("RouteServiceRole_IN_0", "RouteServiceRole_IN_1")}
                Soak(two, rng).must("PUT", p, body)
        for l in topo.get("localNetworkGateways", []):
            p = rid("localNetworkGateways", l["name"]) + "/announcedRoutes"
            ann = one.call("GET", p)[1]
            if ann.get("routes"):
                Soak(two, rng).must("PUT", p, {"routes": ann["routes"]})
        v1, v2 = views(one, topo), views(two, two.call("GET", "/v1/topology")[1])
        diff = [k for k in sorted(set(v1) | set(v2)) if v1.get(k) != v2.get(k)]
        for k in diff[:5]:
            print("DIFF %s\n  changed step by step: %s\n  from scratch:        %s" % (k, v1.get(k), v2.get(k)))
        print("soak: seed %d, %d operations (%d refused as they should be), %d checks, %d views compared: %s"
              % (seed, s.ops, s.refused, s.checks, len(v1), "same" if not diff else "%d differ" % len(diff)))
        ok = not diff
    finally:
        one.stop()
        two.stop()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("soak: kept %s" % work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
