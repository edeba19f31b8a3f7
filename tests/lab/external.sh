#!/usr/bin/env bash
# tests/lab/external.sh - a real ExaBGP and a real BIRD (Debian's) as the
# reference lab's NVA instead of vrs-speaker, one after the other.
#
# The lab file is labs/reference.yaml with the NVA declared `external`:
# vrs lab starts vrsd and the on-premises speaker and prints the lines a
# real daemon needs; this test writes those daemons' configurations from
# the printed socket addresses, starts them on loopback, checks
# behaviours 1 (what the NVA learns) and 3 (the prepend moves
# 192.168.1.0/24 to the gateway) and stops them by their own pid.

set -u
LAB_PORT=${LAB_PORT:-21792}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for c in exabgp bird birdc jq python3; do
    command -v $c > /dev/null || fx_die "$c not installed (make deps)"
done

D=$LAB_TMP/ext
mkdir -p "$D"
sed -e '/^speakers:/,$d' "$LAB_SRC/labs/reference.yaml" > "$D/lab.yaml"
cat >> "$D/lab.yaml" << EOF
speakers:
  - name: onprem
    config: $LAB_SRC/labs/onprem.conf
external:
  - name: nva
EOF
lab_up "$D/lab.yaml"
up=$(cat "$LAB_TMP/up.out")
grep -q '5 of 5 sessions Established' <<< "$up" && ok "up waits for its own speaker only and the gateway's sessions with ARS (5 of 5)" || bad "up waits for its own speaker only" "$up"
grep -q "nva: AS 65010 at 10.0.0.4, socket 127.0.0.4; route server ars: 127.0.2.4 and 127.0.2.5, port $LAB_PORT, AS 65515" <<< "$up" &&
    grep -q "BIRD:   protocol bgp ars0 { local 127.0.0.4 as 65010; neighbor 127.0.2.4 port $LAB_PORT as 65515; multihop;.*next hop address 10.0.0.4" <<< "$up" &&
    ok "up prints the external NVA's sockets and BIRD lines" || bad "up prints the external NVA's lines" "$up"

# nva_state: the two sessions' states as "IN_0 IN_1"
nva_state() { vrs -o json peers | jq -r '[.[] | select(.name | endswith("/nva"))] | sort_by(.name) | map(.state) | join(" ")'; }

# the routes one external NVA announces, with the ARS rules' expectations
# checked the same way for both daemons
behaviours() { # NAME PREPEND-COMMAND UNDO-COMMAND AS-PATH-AFTER-PREPEND
    eventually "$1: both sessions Established" '[ "$(nva_state)" = "Established Established" ]'
    eventually "$1: ARS learned the NVA's five routes per instance" \
        '[ "$(vrs -o json network routeserver peering list-learned-routes --routeserver ars -n nva | jq "[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.asPath == \"65010\" and .nextHop == \"10.0.0.4\")] | length")" = 10 ]'
    eventually "3 $1: vm-spoke1 192.168.1.0/24 via the NVA (10.0.0.4)" \
        '[ "$(rows vm-spoke1-nic 192.168.1.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" ]'
    eval "$2"
    eventually "3 $1 prepends 65010 65010: via the gateway (10.0.3.5), the NVA's row absent" \
        '[ "$(rows vm-spoke1-nic 192.168.1.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5" ]'
    expect "3 $1: ARS learned the prepended path $4 over each session" \
        "[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == \"192.168.1.0/24\") | .asPath] == [\"$4\", \"$4\"]" \
        routeserver peering list-learned-routes --routeserver ars -n nva
    eval "$3"
    eventually "3 $1 undoes the prepend: via the NVA again" \
        '[ "$(rows vm-spoke1-nic 192.168.1.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" ]'
}
# stop PID: TERM, then KILL after 10 s; only our own process
stop() {
    local i
    kill -TERM "$1" 2> /dev/null
    for i in $(seq 1 100); do running "$1" || break; sleep 0.1; done
    running "$1" && kill -KILL "$1" 2> /dev/null
    wait "$1" 2> /dev/null
}
gone_after() { # NAME: the NVA stopped, so its routes go
    eventually "$1 stopped: sessions down, 192.168.10.0/24 withdrawn from vm-spoke1" \
        '[ "$(nva_state)" != "Established Established" ] && [ -z "$(rows vm-spoke1-nic 192.168.10.0/24)" ]'
}

# ---- ExaBGP 4 (Debian's exabgp): nva.conf with the socket addresses
# printed by up; an API process logs what it receives and relays
# commands written to a FIFO
E=$D/exabgp
mkdir -p "$E"
mkfifo "$E/cmd"
: > "$E/events.jsonl"
{
    echo "process api { run $(command -v python3) $LAB_SRC/tests/interop/ixtool.py exa-helper $E/cmd $E/events.jsonl; encoder json; }"
    sed -e 's/^neighbor 10\.0\.2\./neighbor 127.0.2./' -e 's/local-address 10\.0\.0\.4/local-address 127.0.0.4/' \
        -e 's/^  peer-as 65515;/  peer-as 65515;\n  api { processes [ api ]; neighbor-changes; receive { parsed; update; } }/' \
        "$LAB_SRC/labs/nva.conf"
} > "$E/exabgp.conf"
env exabgp.daemon.user=root exabgp.daemon.drop=false exabgp.daemon.daemonize=false \
    exabgp.daemon.pid="$E/exabgp.pid" exabgp.api.cli=false exabgp.api.ack=false \
    exabgp.log.destination="$E/exabgp.log" exabgp.tcp.bind= exabgp.tcp.port="$LAB_PORT" \
    exabgp "$E/exabgp.conf" > "$E/stdout.log" 2>&1 &
exa=$!
# received: "peer prefix next-hop [as-path] communities" per announced prefix
exa_rib() {
    python3 - "$E/events.jsonl" << 'EOF'
import json, sys
rib = {}
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("type") != "update":
        continue
    peer = m["neighbor"]["address"]["peer"]
    u = m["neighbor"].get("message", {}).get("update")
    if u is None:   # End-of-RIB and other non-route updates
        continue
    a = u.get("attribute", {})
    for fam in u.get("withdraw", {}).values():
        for n in fam:
            rib.pop((peer, n["nlri"]), None)
    for fam in u.get("announce", {}).values():
        for nh, ns in fam.items():
            for n in ns:
                comm = " ".join("%d:%d" % tuple(c) for c in a.get("community", []))
                rib[(peer, n["nlri"])] = "%s %s %s [%s] %s" % (peer, n["nlri"], nh,
                    " ".join(str(x) for x in a.get("as-path", [])), comm)
for k in sorted(rib):
    print(rib[k].rstrip())
EOF
}
eventually "1 ExaBGP: adj-rib-in 10.0.0.0/16 and 10.1.0.0/16, as-path [65515], from each instance" \
    '[ "$(exa_rib)" = "127.0.2.4 10.0.0.0/16 10.0.2.4 [65515]
127.0.2.4 10.1.0.0/16 10.0.2.4 [65515]
127.0.2.5 10.0.0.0/16 10.0.2.5 [65515]
127.0.2.5 10.1.0.0/16 10.0.2.5 [65515]" ]'
behaviours ExaBGP \
    'echo "announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2] as-path [65010 65010]" > "$E/cmd"' \
    'echo "announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2]" > "$E/cmd"' \
    65010-65010
running "$exa" || bad "ExaBGP still running" "$(tail -5 "$E/exabgp.log")"
stop "$exa"
gone_after ExaBGP

# ---- BIRD 2 (Debian's bird2): the same routes as static routes, with
# the lines up printed; the prepend by reconfiguration
B=$D/bird
mkdir -p "$B"
bird_conf() { # PREPEND-STATEMENTS
    {
        echo "router id 10.0.0.4;"
        echo "log \"$B/bird.log\" all;"
        echo "protocol device { scan time 60; }"
        echo "protocol static nva4 {"
        echo "  ipv4;"
        echo "  route 192.168.10.0/24 blackhole;"
        echo "  route 192.168.1.0/24 blackhole { bgp_community.add((65010,2)); $1 };"
        echo "  route 10.1.0.0/16 blackhole;"
        echo "  route 10.10.0.0/16 blackhole;"
        echo "  route 0.0.0.0/0 blackhole;"
        echo "}"
        grep -o 'protocol bgp ars[01] {.*}; }$' <<< "$up" |
            sed 's/multihop;/multihop; connect delay time 1; connect retry time 2;/'
    } > "$B/bird.conf"
}
bird_conf ""
bird -p -c "$B/bird.conf" || bad "BIRD accepts the lines up printed" "$(cat "$B/bird.conf")"
bird -f -c "$B/bird.conf" -s "$B/bird.ctl" -P "$B/bird.pid" > "$B/stdout.log" 2>&1 &
bpid=$!
# birdc show route: "protocol prefix next-hop [as-path]"
bird_rib() {
    birdc -s "$B/bird.ctl" show route all | awk '
        /^[0-9]/ { pfx = $1 }
        / \[ars[01] / { match($0, /\[ars[01] /); proto = substr($0, RSTART + 1, 4) }
        /BGP.as_path:/ { $1 = ""; sub(/^ /, ""); path = $0 }
        /BGP.next_hop:/ { print proto, pfx, $2, "[" path "]"; proto = "" }' |
        grep '^ars' | sort
}
eventually "1 BIRD: 10.0.0.0/16 and 10.1.0.0/16, as-path 65515, from each instance" \
    '[ "$(bird_rib)" = "ars0 10.0.0.0/16 10.0.2.4 [65515]
ars0 10.1.0.0/16 10.0.2.4 [65515]
ars1 10.0.0.0/16 10.0.2.5 [65515]
ars1 10.1.0.0/16 10.0.2.5 [65515]" ]'
behaviours BIRD \
    'bird_conf "bgp_path.prepend(65010); bgp_path.prepend(65010);"; birdc -s "$B/bird.ctl" configure > /dev/null' \
    'bird_conf ""; birdc -s "$B/bird.ctl" configure > /dev/null' \
    65010-65010-65010
running "$bpid" || bad "BIRD still running" "$(tail -5 "$B/bird.log")"
stop "$bpid"
gone_after BIRD

# the lab's own speaker was never disturbed
same "the on-premises session stayed up throughout" "Established 0" \
    "$(vrs -o json peers | jq -r '.[] | select(.name == "vpngw/onprem") | "\(.state) \(.flaps)"')"
check_done
