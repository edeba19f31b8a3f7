#!/usr/bin/env bash
# tests/api/lg.sh - the birdwatcher API subset for Alice-LG (src/api/lg.c):
# a transparent vrsd with two peers fed by vrs-speaker, then GET
# /birdwatcher/status, /protocols/bgp, /routes/protocol/ID, /routes/peer/IP,
# /routes/filtered/ID, /routes/table/master over the control socket, and
# the keys and values Alice-LG reads checked (its parsers.go): the "api"
# object, state "up", neighbor_as, routes.imported, AS paths as strings,
# communities, large and extended communities, 404 with "error" for an
# unknown protocol.
#
# Loopback only: 127.0.150.1-3, port 22650; the EXIT trap stops the
# processes this script started, by pid.
set -u
. "$(dirname "$0")/../common.sh"
BIN=$VRS_BIN

cat > "$T/vrsd.yaml" <<E
router-id: 127.0.150.1
asn: 65000
listen: ["127.0.150.1:22650"]
control: $T/vrsd.sock
log-level: warning
peers:
  - { name: rs/a, address: 127.0.150.2, asn: 4200000001 }
  - { name: b, address: 127.0.150.3, asn: 65002 }
E
vrsd_up "$T/vrsd.yaml"
spk() { local n=$1 a=$2 as=$3; shift 3; speaker_up "$n" "$a" "$as" 127.0.150.1 22650 "$@"; }
spk a 127.0.150.2 4200000001 \
    "10.1.0.0/16 next-hop 127.0.150.2 as-path [ 4200000001 65100 ] community [ 65001:100 65001:200 ] large-community [ 4200000001:1:2 ] extended-community [ target:65001:7 ] med 50" \
    "10.2.0.0/24 next-hop 127.0.150.2 as-path [ 4200000001 ]" \
    "2001:db8:1::/48 next-hop 2001:db8::2 as-path [ 4200000001 65100 ]"
spk b 127.0.150.3 65002 \
    "10.1.0.0/16 next-hop 127.0.150.3 as-path [ 65002 ]"

# The checks, in python3 over the control socket; it waits (bounded) for
# the 4 paths, then prints ok/FAIL lines.
python3 - "$T/vrsd.sock" <<'P' > "$T/out" 2>&1
import http.client, json, socket, sys, time

SOCK = sys.argv[1]

class UnixConn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.path)

def get(path):
    c = UnixConn(SOCK)
    c.request("GET", "/birdwatcher" + path)
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    try:
        return r.status, json.loads(body)
    except ValueError:
        return r.status, body

def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond and detail:
        print("     " + str(detail)[:2000])

def api_ok(name, j):
    # Alice's parseAPIStatus: api.Version a string, api.result_from_cache
    # a bool, api.cache_status.cached_at.date and ttl RFC 3339 times
    a = j.get("api", {}) if isinstance(j, dict) else {}
    cond = (isinstance(a.get("Version"), str) and
            isinstance(a.get("result_from_cache"), bool) and
            time.strptime(a["cache_status"]["cached_at"]["date"],
                          "%Y-%m-%dT%H:%M:%SZ") is not None and
            time.strptime(j["ttl"], "%Y-%m-%dT%H:%M:%SZ") is not None)
    check(name + ": the api object and ttl as Alice reads them", cond, j)

deadline = time.time() + 20
while time.time() < deadline:
    st, j = get("/protocols/bgp")
    p = j.get("protocols", {}) if isinstance(j, dict) else {}
    if (p.get("rs_a", {}).get("routes", {}).get("imported") == 3 and
            p.get("b", {}).get("routes", {}).get("imported") == 1):
        break
    time.sleep(0.2)

st, j = get("/status")
check("GET /status: 200", st == 200, (st, j))
api_ok("/status", j)
s = j.get("status", {})
check("status.router_id, version, message",
      s.get("router_id") == "127.0.150.1" and "vrsd" in s.get("version", "")
      and s.get("message") == "vrsd is up and running", s)
ok_t = True
for k in ("current_server", "last_reboot", "last_reconfig"):
    try:
        time.strptime(s[k], "%Y-%m-%d %H:%M:%S")
    except (KeyError, ValueError):
        ok_t = False
check("status times as BIRD's 2006-01-02 15:04:05", ok_t, s)
try:
    boot = time.mktime(time.strptime(s["last_reboot"], "%Y-%m-%d %H:%M:%S"))
    now = time.mktime(time.strptime(s["current_server"], "%Y-%m-%d %H:%M:%S"))
    recent = 0 <= now - boot < 120
except (KeyError, ValueError):
    recent = False
check("last_reboot is vrsd's start (under 2 minutes ago)", recent, s)

st, j = get("/protocols/bgp")
api_ok("/protocols/bgp", j)
p = j.get("protocols", {})
check("protocols: ids rs_a (rs/a: '/' made '_') and b", sorted(p) == ["b", "rs_a"], sorted(p))
a = p.get("rs_a", {})
check("rs_a: state up, neighbor_as 4200000001, neighbor_address, description rs/a",
      a.get("state") == "up" and a.get("neighbor_as") == 4200000001 and
      a.get("neighbor_address") == "127.0.150.2" and
      a.get("description") == "rs/a" and a.get("bird_protocol") == "BGP",
      a)
r = a.get("routes", {})
check("rs_a: routes imported 3, filtered 0, exported 1 (b's 10.1/16), preferred 2",
      r == {"imported": 3, "filtered": 0, "exported": 1, "preferred": 2}, r)
b = p.get("b", {})
check("b: state up, neighbor_as 65002, imported 1, exported 2, preferred 1",
      b.get("state") == "up" and b.get("neighbor_as") == 65002 and
      b.get("routes") == {"imported": 1, "filtered": 0, "exported": 2,
                          "preferred": 1}, b)
try:
    time.strptime(a.get("state_changed", ""), "%Y-%m-%d %H:%M:%S")
    t_ok = True
except ValueError:
    t_ok = False
check("state_changed as 2006-01-02 15:04:05", t_ok, a.get("state_changed"))

st, j = get("/routes/protocol/rs_a")
check("GET /routes/protocol/rs_a: 200", st == 200, (st, j))
api_ok("/routes/protocol/rs_a", j)
routes = sorted(j.get("routes", []), key=lambda x: x["network"])
check("rs_a: 3 routes", [x["network"] for x in routes] ==
      ["10.1.0.0/16", "10.2.0.0/24", "2001:db8:1::/48"], routes)
r1 = routes[0] if routes else {}
bg = r1.get("bgp", {})
check("10.1.0.0/16: as_path [\"4200000001\", \"65100\"] (strings, as birdwatcher)",
      bg.get("as_path") == ["4200000001", "65100"], bg)
check("10.1.0.0/16: communities [[65001,100],[65001,200]]",
      bg.get("communities") == [[65001, 100], [65001, 200]], bg)
check("10.1.0.0/16: large_communities [[4200000001,1,2]]",
      bg.get("large_communities") == [[4200000001, 1, 2]], bg)
check("10.1.0.0/16: ext_communities [[\"rt\",\"65001\",\"7\"]]",
      bg.get("ext_communities") == [["rt", "65001", "7"]], bg)
check("10.1.0.0/16: med \"50\", origin IGP, next_hop",
      bg.get("med") == "50" and bg.get("origin") == "IGP" and
      bg.get("next_hop") == "127.0.150.2", bg)
check("10.1.0.0/16: gateway, from_protocol rs_a, learnt_from, metric; not primary (b's path is shorter)",
      r1.get("gateway") == "127.0.150.2" and r1.get("from_protocol") == "rs_a"
      and r1.get("learnt_from") == "127.0.150.2" and
      isinstance(r1.get("metric"), int) and r1.get("primary") is False, r1)
v6 = routes[2] if len(routes) > 2 else {}
check("2001:db8:1::/48: next hop 2001:db8::2",
      v6.get("gateway") == "2001:db8::2", v6)
r2 = routes[1] if len(routes) > 1 else {}
check("10.2.0.0/24: primary (the only path), no communities",
      r2.get("primary") is True and r2.get("bgp", {}).get("communities") == [], r2)

st, j = get("/routes/protocol/b")
rb = j.get("routes", [])
check("b: 1 route, as_path [\"65002\"]",
      len(rb) == 1 and rb[0]["bgp"]["as_path"] == ["65002"], j)

st, j = get("/routes/peer/127.0.150.3")
check("GET /routes/peer/127.0.150.3: b's route",
      st == 200 and [x["network"] for x in j.get("routes", [])] == ["10.1.0.0/16"], j)

st, j = get("/routes/filtered/rs_a")
check("GET /routes/filtered/rs_a: an empty list with api", st == 200 and
      j.get("routes") == [] and "api" in j, j)
st, j = get("/routes/noexport/rs_a")
check("GET /routes/noexport/rs_a: an empty list", st == 200 and j.get("routes") == [], j)

st, j = get("/routes/table/master")
check("GET /routes/table/master: all 4 paths", st == 200 and len(j.get("routes", [])) == 4, j)
st, j = get("/routes/table/master4")
check("GET /routes/table/master4: the 3 IPv4 paths", len(j.get("routes", [])) == 3, j)

st, j = get("/routes/protocol/nosuch")
check("unknown protocol: 404 {\"error\": \"no protocol named nosuch\"}, no api",
      st == 404 and isinstance(j, dict) and
      j.get("error") == "no protocol named nosuch" and "api" not in j, (st, j))
st, j = get("/routes/peer/not-an-ip")
check("routes/peer/not-an-ip: 400 with error", st == 400 and "error" in j, (st, j))
st, j = get("/routes/table/other")
check("unknown table: 404", st == 404, (st, j))
P
cat "$T/out"
passes=$((passes + $(grep -c '^ok ' "$T/out")))
fails=$((fails + $(grep -c '^FAIL' "$T/out")))
grep -q '^ok \|^FAIL' "$T/out" || bad "the python checks ran" "$(cat "$T/out")"
kill -0 "${T_PIDS[0]}" 2>/dev/null && ok "vrsd still runs" || bad "vrsd still runs" "$(cat "$T/vrsd.log")"

check_done
