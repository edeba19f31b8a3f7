#!/usr/bin/env bash
# tests/lab/reference.sh - the reference lab over live BGP, as a user reads it.
#
# `vrs lab up` starts labs/reference.yaml: vrsd in mode ars (both ARS
# instances and the VPN gateway as BGP speakers on loopback) and two
# vrs-speaker processes running labs/nva.conf and labs/onprem.conf.
# Each behaviour of ../shared/spec/reference-lab.md is checked on what
# the speakers received and on what vrs network prints.

set -u
LAB_PORT=${LAB_PORT:-21790}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

t0=$(date +%s.%N)
lab_up
ok "vrs lab up: converged ($(grep -o 'converged in [0-9.]* s' "$LAB_TMP/up.out"))"
grep -q '7 of 7 sessions Established' "$LAB_TMP/up.out" && ok "up shows the seven sessions (the NVA's, the site's, the gateway's with each instance, both ends) coming up" || bad "up shows the seven sessions (the NVA's, the site's, the gateway's with each instance, both ends) coming up" "$(cat "$LAB_TMP/up.out")"

# a second up changes nothing
out=$(vrs lab up 2>&1); rc=$?
if [ $rc = 1 ] && grep -q 'already running' <<< "$out"; then ok "a second vrs lab up says a lab runs"; else bad "a second vrs lab up says a lab runs" "$rc $out"; fi

# plain vrs talks to the lab's vrsd
same "vrs peers (no flags) lists the lab's sessions, the gateway's with each instance from both ends" \
    "ars/IN_0/nva Established 65010
ars/IN_0/vpngw Established 65510
ars/IN_1/nva Established 65010
ars/IN_1/vpngw Established 65510
vpngw/ars/IN_0 Established 65515
vpngw/ars/IN_1 Established 65515
vpngw/onprem Established 65501" "$(vrs -o json peers | jq -r '.[] | "\(.name) \(.state) \(.asn)"' | sort)"

# T31: timers and capabilities as the NVA sees them
ext=$(spk nva show neighbor 10.0.2.4 extensive)
grep -Eq 'AS +65010 +65515' <<< "$ext" && grep -Eq 'hold-time +180 +180' <<< "$ext" &&
    grep -Eq 'route-refresh: +[a-z]+ +enabled' <<< "$ext" && grep -Eq 'graceful-restart: +[a-z]+ +disabled' <<< "$ext" &&
    grep -Eq 'add-path: +[a-z]+ +disabled' <<< "$ext" && grep -Eq 'extended-message: +[a-z]+ +disabled' <<< "$ext" &&
    ok "T31 ARS's OPEN: AS 65515, hold 180, route refresh; no graceful restart, add-path, extended message" ||
    bad "T31 ARS's OPEN" "$ext"

# 1. the NVA learns the hub and spoke1 from both instances, not spoke2
same "1 NVA adj-rib-in: 10.0.0.0/16 and 10.1.0.0/16, as-path 65515, from each instance" \
    "10.0.2.4 10.0.0.0/16 10.0.2.4 [65515]
10.0.2.4 10.1.0.0/16 10.0.2.4 [65515]
10.0.2.5 10.0.0.0/16 10.0.2.5 [65515]
10.0.2.5 10.1.0.0/16 10.0.2.5 [65515]" "$(ribin nva | grep ' 10\.')"
same "1 no 10.2.0.0/16 (spoke2 does not use the remote gateway)" "" "$(ribin nva | grep 10.2.0.0)"
expect "1 learned routes of the NVA: five per instance, EBgp, asPath 65010" '
  (.RouteServiceRole_IN_0 | length) == 5 and (.RouteServiceRole_IN_1 | length) == 5 and
  ([.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.asPath != "65010" or .origin != "EBgp" or .sourcePeer != "10.0.0.4")] == [])' \
    routeserver peering list-learned-routes --routeserver ars -n nva
expect "the on-premises router's routes reach the gateway" \
    '[.value[] | select(.network == "192.168.2.0/24" and .asPath == "65501" and .sourcePeer == "172.16.0.1")] | length == 1' \
    vnet-gateway list-learned-routes -n vpngw

# 3. shortest AS path wins; after the NVA prepends, the gateway's route
same "3 vm-spoke1: 192.168.1.0/24 via the NVA, one row, as a gateway route" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" "$(rows vm-spoke1-nic 192.168.1.0/24)"
spk nva announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2] as-path [65010 65010] > /dev/null
eventually "3 after the prepend (vrs lab speaker nva announce ...): via 10.0.3.5, the NVA's row absent" \
    '[ "$(rows vm-spoke1-nic 192.168.1.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5" ]'
expect "3 ARS learned the prepended path from the session" \
    '[.RouteServiceRole_IN_0[] | select(.network == "192.168.1.0/24") | .asPath] == ["65010-65010"]' \
    routeserver peering list-learned-routes --routeserver ars -n nva
spk nva announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2] > /dev/null
eventually "3 the prepend undone: via the NVA again" \
    '[ "$(rows vm-spoke1-nic 192.168.1.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" ]'

# 4. gateway routes reach the hub and spoke1 only
for p in 192.168.2.0/24 192.168.3.0/24 192.168.4.0/24; do
    same "4 vm-hub and vm-spoke1: $p via the gateway, vm-spoke2: none" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5|VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5|" \
        "$(rows vm-hub-nic $p)|$(rows vm-spoke1-nic $p)|$(rows vm-spoke2-nic $p)"
done
expect "4 vm-spoke2 knows its VNet, the hub peering and the system routes only" \
    '[.value[] | .source] | unique == ["Default"]' nic show-effective-route-table -n vm-spoke2-nic

# 5. system routes beat BGP
same "5 vm-hub: 10.1.0.0/16 by the peering, the NVA's BGP route not programmed" \
    "Default Active VNetPeering " "$(rows vm-hub-nic 10.1.0.0/16)"

# 6. the NVA's default route overrides the Internet route
for nic in vm-hub-nic vm-spoke1-nic nva-nic; do
    same "6 $nic: 0.0.0.0/0 via the NVA, no Internet row" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" "$(rows $nic 0.0.0.0/0)"
done
expect "6 explain-route on nva-nic warns of the loop (R2.12)" \
    'any(.reasons[]; .rule == "R2.12")' nic explain-route -n nva-nic --prefix 0.0.0.0/0

# 2 and 7 with branch-to-branch off
same "7 b2b off: on-premises hears no NVA route" "" "$(ribin onprem | grep -E '192.168.10.0|10.10.0.0')"
same "2 b2b off: the NVA hears no on-premises route" "" "$(ribin nva | grep 192.168.2.0)"

# 7. branch-to-branch on, the NVA's default route withdrawn
spk nva withdraw route 0.0.0.0/0 next-hop 10.0.0.4 > /dev/null
net routeserver update -n ars --allow-b2b-traffic true -o none
eventually "2 b2b on: the NVA receives 192.168.2-4.0/24 from both instances as 65515 65510 65501 with 65517:65517" \
    '[ "$(ribin nva | grep -E " 192\.168\.[234]\.0/24 " | wc -l)" = 6 ] && [ -z "$(ribin nva | grep -E " 192\.168\.[234]\.0/24 " | grep -v "\[65515 65510 65501\] 65517:65517")" ]'
same "2 the next hop is each instance's own address" \
    "10.0.2.4 192.168.2.0/24 10.0.2.4
10.0.2.5 192.168.2.0/24 10.0.2.5" "$(ribin nva | grep ' 192.168.2.0/24 ' | cut -d' ' -f1-3)"
expect "2 list-advertised-routes: the same routes, keyed RouteServiceRole_IN_0/1" '
  [.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.2.0/24") | "\(.asPath) \(.nextHop)"] | sort
    == ["65515-65510-65501 10.0.2.4", "65515-65510-65501 10.0.2.5"]' \
    routeserver peering list-advertised-routes --routeserver ars -n nva
adv=$(vrs network routeserver peering list-advertised-routes --routeserver ars -n nva -o json |
    jq -r '.RouteServiceRole_IN_0[] | "\(.network) \(.asPath | gsub("-"; " "))"' | sort)
got=$(ribin nva | awk '$1 == "10.0.2.4" { gsub(/[][]/, "", $4); p = $4; for (i = 5; i <= NF && $i ~ /^[0-9]+\]?$/; i++) { x = $i; gsub(/[][]/, "", x); p = p " " x }; print $2, p }' | sort)
same "the wire equals list-advertised-routes (IN_0: prefixes and AS paths)" "$adv" "$got"
expect "7 b2b on: the gateway learns the NVA's routes from both instances as 65515-65010" '
  [.value[] | select(.network == "192.168.10.0/24") | "\(.asPath) \(.sourcePeer)"] | sort
    == ["65515-65010 10.0.2.4", "65515-65010 10.0.2.5"]' \
    vnet-gateway list-learned-routes -n vpngw
eventually "7 on-premises receives them with AS path 65510 65515 65010" \
    '[ "$(ribin onprem | grep -E " (192\.168\.10\.0/24|10\.10\.0\.0/16) " | cut -d" " -f2,4-)" = "10.10.0.0/16 [65510 65515 65010]
192.168.10.0/24 [65510 65515 65010]" ]'
same "7 never 0.0.0.0/0 on-premises" "" "$(ribin onprem | grep ' 0.0.0.0/0 ')"
# the gateway's session with IN_1 carries what IN_1 knows of on-premises:
# reset it, and IN_1 alone withdraws those routes from the NVA, then
# sends them again once the session is back
field() { vrs -o json peers | jq -r --arg n "$1" '.[] | select(.name == $n) | .'"$2"; }
u0=$(field ars/IN_0/nva updatesOut) u1=$(field ars/IN_1/nva updatesOut) f1=$(field ars/IN_1/vpngw flaps)
gwst() { vrs network vnet-gateway list-bgp-peer-status -n vpngw -o json | jq -r '.value[] | select(.neighbor == "10.0.2.5") | .state'; }
same "list-bgp-peer-status: the gateway's session with IN_1 is Connected" Connected "$(gwst)"
vrs peer reset ars/IN_1/vpngw > /dev/null
# the gateway reconnects after its 1 s connect-retry: ample time to look
same "... Connecting while it is down" Connecting "$(gwst)"
eventually "the gateway's session with IN_1 reset (Cease 6/4) and Established again" \
    '[ "$(field ars/IN_1/vpngw flaps)" -gt "$f1" ] && [ "$(field ars/IN_1/vpngw state)" = Established ] && [ "$(field vpngw/ars/IN_1 state)" = Established ]'
eventually "... IN_1 sent the NVA the withdrawal and the routes again; IN_0 sent nothing" \
    '[ "$(field ars/IN_1/nva updatesOut)" -ge $((u1 + 2)) ] && [ "$(field ars/IN_0/nva updatesOut)" = "$u0" ] && [ "$(ribin nva | grep -c "^10.0.2.5 192.168.[234].0/24 ")" = 3 ]'
same "... and Connected again" Connected "$(gwst)"

net routeserver update -n ars --allow-b2b-traffic false -o none
eventually "7 b2b off again: the NVA's routes are withdrawn on-premises" \
    '[ -z "$(ribin onprem | grep -E "192\.168\.10\.0|10\.10\.0\.0")" ]'
eventually "2 b2b off again: on-premises routes are withdrawn from the NVA" \
    '[ -z "$(ribin nva | grep 192.168.2.0)" ]'

# 8. both instances matter: different routes per instance
spk nva neighbor 10.0.2.5 withdraw route 10.10.0.0/16 next-hop 10.0.0.4 > /dev/null
eventually "8 routeserver show warns when the NVA announces different routes to each instance" \
    'vrs network routeserver show -n ars -o none 2>&1 | grep -q "^WARNING: peer nva announces different routes to ars/IN_0 and IN_1"'

# T30: a new hub-spoke peering sends ROUTE-REFRESH to every NVA; nva.conf
# has no route-refresh capability, so ARS resets its sessions (R1.8)
flaps() { vrs -o json peers | jq '[.[] | select(.name | endswith("/nva")) | .flaps] | add'; }
before=$(flaps)
net vnet create -n spoke3 --address-prefixes 10.3.0.0/16 -o none
net vnet peering create --vnet-name hub -n hub-to-spoke3 --remote-vnet spoke3 --allow-vnet-access --allow-gateway-transit -o none
net vnet peering create --vnet-name spoke3 -n spoke3-to-hub --remote-vnet hub --allow-vnet-access --use-remote-gateways -o none
eventually "T30 a new hub-spoke peering: the NVA without route refresh is reset on both instances" '[ "$(flaps)" -ge $((before + 2)) ]'
eventually "T30 ... comes back and hears spoke3's 10.3.0.0/16 from both instances" '[ "$(ribin nva | grep -c " 10.3.0.0/16 ")" = 2 ]'

# R2.4 and R2.5 over the session; T17: communities kept (b2b on, so
# on-premises is the other receiver)
net routeserver update -n ars --allow-b2b-traffic true -o none
spk nva announce route 192.168.50.0/24 next-hop 10.0.0.4 as-path [65010 65515] > /dev/null
spk nva announce route 192.168.51.0/24 next-hop 10.0.0.4 community [no-advertise] > /dev/null
eventually "R2.5 NO_ADVERTISE: 192.168.51.0/24 programmed on vm-spoke1 via the NVA" \
    '[ "$(rows vm-spoke1-nic 192.168.51.0/24)" = "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" ]'
expect "R2.4 a path holding 65515 is Rejected with its reason, on both instances" '
  [.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.50.0/24") | .status + " " + (.reason | test("R2.4") | tostring)]
    == ["Rejected true", "Rejected true"]' routeserver peering list-announced-routes --routeserver ars -n nva
same "R2.4 ... and is neither learned nor programmed" "|" \
    "$(vrs -o json network routeserver peering list-learned-routes --routeserver ars -n nva | jq -r '.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.50.0/24") | .network')|$(rows vm-spoke1-nic 192.168.50.0/24)"
eventually "T17 on-premises hears 192.168.1.0/24 with the NVA's community 65010:2" \
    '[ "$(ribin onprem | grep " 192.168.1.0/24 " | cut -d" " -f4-)" = "[65510 65515 65010] 65010:2" ]'
same "R2.5 ... advertised to nobody: not on-premises, not learned by the gateway" "" \
    "$(ribin onprem | grep -E ' 192\.168\.5[01]\.0/24 ')$(vrs -o json network vnet-gateway list-learned-routes -n vpngw | jq -r '.value[] | select(.network | test("^192\\.168\\.5[01]\\.")) | .network')"
spk nva withdraw route 192.168.50.0/24 next-hop 10.0.0.4 > /dev/null
spk nva withdraw route 192.168.51.0/24 next-hop 10.0.0.4 > /dev/null
net routeserver update -n ars --allow-b2b-traffic false -o none

# the API's announcedRoutes cannot overwrite a live session's routes
out=$(vrs network routeserver peering announce --routeserver ars -n nva --prefixes 192.168.99.0/24 2>&1); rc=$?
if [ $rc = 1 ] && grep -q 'Established BGP session' <<< "$out"; then ok "announce through the API is refused while the session is up"; else bad "announce through the API is refused while the session is up" "$rc $out"; fi

# a path longer than the store holds (64 ASNs) is not cut short: it is
# taken as withdrawn, and the log says so
long=$(printf '65010 %.0s' $(seq 1 70))
spk nva announce route 192.168.77.0/24 next-hop 10.0.0.4 as-path "[ $long]" > /dev/null
eventually "a 70-ASN path: taken as withdrawn, with a warning" \
    'grep -q "(nva): a route with more than 64 ASNs or 32 communities: taken as withdrawn\|nva: a route with more than 64 ASNs" "$VRS_LAB_DIR/vrsd.log"'
same "... and not learned" "" "$(vrs -o json network routeserver peering list-learned-routes --routeserver ars -n nva | jq -r '.RouteServiceRole_IN_0[] | select(.network == "192.168.77.0/24") | .network')"
spk nva withdraw route 192.168.77.0/24 next-hop 10.0.0.4 > /dev/null

# GET /metrics: Prometheus text, GoBGP's bgp_* names, and what it says
# agrees with vrs peers and the effective routes
if met=$(python3 "$LAB_SRC/tests/lab/metrics.py" "$VRS_LAB_DIR/vrsd.sock" 2>&1); then
    ok "/metrics is well-formed Prometheus text ($(wc -l <<< "$met") samples)"
    m() { awk -v k="$1" 'index($0, k) == 1 { print $NF }' <<< "$met"; }
    same "... bgp_routes_received of ars/IN_0/nva: the 5 routes vrs peers counts" \
        "$(vrs -o json peers | jq '.[] | select(.name == "ars/IN_0/nva") | .prefixesReceived')" \
        "$(m 'bgp_routes_received{peer="10.0.0.4",name="ars/IN_0/nva",route_family="ipv4-unicast"}')"
    same "... bgp_received_update_total and vrs_peer_up of ars/IN_1/nva" \
        "$(vrs -o json peers | jq '.[] | select(.name == "ars/IN_1/nva") | .updatesIn') 1" \
        "$(m 'bgp_received_update_total{peer="10.0.0.4",name="ars/IN_1/nva"}') $(m 'vrs_peer_up{peer="10.0.0.4",name="ars/IN_1/nva"}')"
    same "... vrs_nic_effective_routes of vm-spoke1-nic: its Active VirtualNetworkGateway rows" \
        "$(vrs -o json network nic show-effective-route-table -n vm-spoke1-nic | jq '[.value[] | select(.source == "VirtualNetworkGateway" and .state == "Active")] | length')" \
        "$(m 'vrs_nic_effective_routes{nic="vm-spoke1-nic",source="VirtualNetworkGateway",state="Active"}')"
    same "... vrs_programmed_routes: each instance and the gateway's sites" "ars/IN_0 ars/IN_1 vpngw/sites" \
        "$(grep -o '^vrs_programmed_routes{source="[^"]*"' <<< "$met" | cut -d'"' -f2 | sort | tr '\n' ' ' | sed 's/ $//')"
else
    bad "/metrics is well-formed Prometheus text" "$met"
fi

# the birdwatcher API (Alice-LG) over the live sessions
bw() { python3 "$LAB_SRC/tests/lab/metrics.py" "$VRS_LAB_DIR/vrsd.sock" "/birdwatcher/$1"; }
same "birdwatcher protocols/bgp: ars_IN_0_nva up, 10.0.0.4 AS 65010, its routes imported" \
    "up 10.0.0.4 65010 $(vrs -o json peers | jq '.[] | select(.name == "ars/IN_0/nva") | .prefixesReceived')" \
    "$(bw protocols/bgp | jq -r '.protocols.ars_IN_0_nva | "\(.state) \(.neighbor_address) \(.neighbor_as) \(.routes.imported)"')"
same "birdwatcher routes/protocol/ars_IN_0_nva: 192.168.1.0/24 with as_path [65010] and 65010:2" '["65010"] [[65010,2]]' \
    "$(bw routes/protocol/ars_IN_0_nva | jq -c -r '.routes[] | select(.network == "192.168.1.0/24") | "\(.bgp.as_path) \(.bgp.communities)"' | tr -d ' ' | sed 's/\]\[/] [/')"

# vrs rib dump: an instance's Adj-RIBs-In as MRT, which bgpdump reads as
# list-learned-routes shows them
if command -v bgpdump > /dev/null && vrs rib dump --view ars/IN_0 "$LAB_TMP/in0.mrt"; then
    same "rib dump --view ars/IN_0: bgpdump lists the NVA's routes as list-learned-routes does" \
        "$(vrs -o json network routeserver peering list-learned-routes --routeserver ars -n nva | jq -r '.RouteServiceRole_IN_0[] | "\(.network) \(.asPath | gsub("-"; " "))"' | sort)" \
        "$(bgpdump -m "$LAB_TMP/in0.mrt" 2> /dev/null | awk -F'|' '$4 == "10.0.0.4" { print $6, $7 }' | sort)"
    same "... and the gateway's, from 10.0.3.5 with 65517:65517" "192.168.2.0/24 65510 65501 65517:65517" \
        "$(bgpdump -m "$LAB_TMP/in0.mrt" 2> /dev/null | awk -F'|' '$4 == "10.0.3.5" && $6 == "192.168.2.0/24" { print $6, $7, $12 }')"
else
    bad "vrs rib dump --view ars/IN_0" "no bgpdump, or the dump failed"
fi

# down: nothing left running or listening
pids=$(awk '/^pid/ { print $2 }' "$VRS_LAB_DIR/pids")
vrs lab down > /dev/null || bad "vrs lab down"
left=""
for p in $pids; do running "$p" && left="$left $p"; done
same "vrs lab down: no process left" "" "$left"
same "vrs lab down: no listener left on the lab's port" "" "$(ss -Hltn "sport = :$LAB_PORT" 2>/dev/null)"
same "vrs lab down: the lab's folder is gone" "no" "$([ -e "$VRS_LAB_DIR" ] && echo yes || echo no)"
out=$(vrs lab status); rc=$?
[ $rc = 3 ] && ok "vrs lab status: no lab" || bad "vrs lab status: no lab" "$rc $out"
check_done
