#!/usr/bin/env bash
# tests/lab/limits.sh - a bad lab file starts nothing; one instance only
# (behaviour 8); the route limit (R1.9) and a reserved or wrong AS (R1.7)
# over live sessions; an active-active VPN gateway.
set -u
LAB_PORT=${LAB_PORT:-21791}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
L=$LAB_TMP

# a small hub: ARS, an NVA at 10.0.0.4 and a second one at 10.0.0.6
hub_lab() { # FILE EXTRA-COMMANDS SPEAKERS
    cat > "$1" <<E
name: limits
topology:
  - vnet create -n hub --address-prefixes 10.0.0.0/16
  - vnet subnet create --vnet-name hub -n nva --address-prefixes 10.0.0.0/24
  - vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.0.2.0/27
  - routeserver create -n ars --vnet-name hub
  - routeserver peering create --routeserver ars -n nva --peer-ip 10.0.0.4 --peer-asn 65010
$2
speakers:
$3
E
}
nva_conf() { # FILE PEERS(space separated) LOCAL-AS NROUTES
    local f=$1 p i
    : > "$f"
    for p in $2; do
        { echo "neighbor $p {"
          echo "  router-id 10.0.0.4; local-address 10.0.0.4; local-as $3; peer-as 65515;"
          echo "  static {"
          for i in $(seq 1 "$4"); do echo "    route 172.$((16 + i / 250)).$((i % 250)).0/24 next-hop 10.0.0.4;"; done
          echo "  }"
          echo "}"; } >> "$f"
    done
}

# 1. a bad lab file: file:line:column, nothing started
printf 'name: bad\ncolour: blue\ntopology:\n  - vnet create -n hub\n' > "$L/bad1.yaml"
out=$(vrs lab up "$L/bad1.yaml" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "^$L/bad1.yaml:2:1: unknown key colour" <<< "$out" && [ ! -e "$VRS_LAB_DIR/pids" ]; then
    ok "an unknown key: file:line:col, nothing started"; else bad "an unknown key: file:line:col, nothing started" "$out"; fi
hub_lab "$L/bad2.yaml" "  - routeserver peering create --routeserver ars -n bad --peer-ip 10.0.0.9 --peer-asn 65517" "  - name: nva
    config: $LAB_SRC/labs/nva.conf"
out=$(vrs lab up "$L/bad2.yaml" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "^$L/bad2.yaml:8:5: vrs network routeserver peering create .*65517" <<< "$out" &&
    [ ! -e "$VRS_LAB_DIR/pids" ] && [ -z "$(ss -Hltn "sport = :$LAB_PORT")" ]; then
    ok "R1.7 a reserved peer ASN (65517) in the topology: refused at its line, nothing listening"; else bad "R1.7 a reserved peer ASN in the topology" "$out"; fi
printf 'neighbor 10.0.2.4 {\n  local-as 65010\n' > "$L/broken.conf"
hub_lab "$L/bad3.yaml" "" "  - name: nva
    config: broken.conf"
out=$(vrs lab up "$L/bad3.yaml" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "broken.conf:[0-9]*:[0-9]*:" <<< "$out" && grep -q "^$L/bad3.yaml:[0-9]*:[0-9]*: speaker nva" <<< "$out" && [ ! -e "$VRS_LAB_DIR/pids" ]; then
    ok "a speaker configuration with errors: its file:line:col, nothing started"; else bad "a speaker configuration with errors" "$out"; fi
out=$(vrs lab check "$L/bad2.yaml" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "^$L/bad2.yaml:8:5: vrs network routeserver peering create .*65517" <<< "$out" && [ ! -e "$VRS_LAB_DIR/pids" ]; then
    ok "vrs lab check FILE: the same error at its line, nothing started"; else bad "vrs lab check a bad file" "$rc $out"; fi
out=$(vrs lab check "$LAB_SRC/labs/reference.yaml" 2>&1); rc=$?
if [ $rc = 0 ] && grep -q "reference.yaml: ok (19 topology commands, 2 speakers, 0 external peers)" <<< "$out" && [ ! -e "$VRS_LAB_DIR/pids" ] && [ -z "$(ss -Hltn "sport = :$LAB_PORT")" ]; then
    ok "vrs lab check: the reference lab is ok, nothing running after"; else bad "vrs lab check the reference lab" "$rc $out"; fi

# 2. behaviour 8: the NVA peers with IN_0 only
nva_conf "$L/one.conf" "10.0.2.4" 65010 3
hub_lab "$L/one.yaml" "" "  - name: nva
    config: one.conf
external:
  - name: ars/IN_1/nva"
lab_up "$L/one.yaml"
eventually "8 the NVA peers with IN_0 only: routeserver show warns" \
    'vrs network routeserver show -n ars -o none 2>&1 | grep -q "^WARNING: peer nva announces to ars/IN_0 only"'
expect "8 learned routes: entries under IN_0 only" \
    '(.RouteServiceRole_IN_0 | length) == 3 and (.RouteServiceRole_IN_1 | length) == 0' \
    routeserver peering list-learned-routes --routeserver ars -n nva
vrs lab down > /dev/null

# 3. R1.9: 1,001 routes from one peer (strict mode: 1,000) tear the session down
nva_conf "$L/big.conf" "10.0.2.4" 65010 1001
hub_lab "$L/big.yaml" "" "  - name: nva
    config: big.conf
external:
  - name: nva"
vrs lab up "$L/big.yaml" > "$L/up.out" 2>&1 # does not converge: the session keeps being torn down
eventually "R1.9 over the limit: Cease 6/1 sent" 'grep -q "route limit 1000 reached.*Cease 6/1" "$VRS_LAB_DIR/vrsd.log"'
eventually "R1.9 the NVA received Cease 6/1 (Maximum Number of Prefixes Reached)" \
    'grep -qi "notification.*6.*1\|maximum number of prefixes" "$VRS_LAB_DIR/nva.log"'
expect "R1.9 the peer learns nothing" '(.RouteServiceRole_IN_0 | length) == 0' \
    routeserver peering list-learned-routes --routeserver ars -n nva
vrs lab down > /dev/null

# 4. a peer that opens with another AS than its bgpConnection: 2/2 Bad Peer AS
nva_conf "$L/wrongas.conf" "10.0.2.4" 65517 1
hub_lab "$L/wrongas.yaml" "" "  - name: nva
    config: wrongas.conf
external:
  - name: nva"
vrs lab up "$L/wrongas.yaml" > "$L/up.out" 2>&1
eventually "R1.7 an NVA opening with reserved AS 65517 (configured 65010): NOTIFICATION 2/2" \
    'grep -q "sent NOTIFICATION 2/2" "$VRS_LAB_DIR/vrsd.log"'
same "R1.7 ... and the session is not Established" "" "$(vrs -o json peers | jq -r '.[] | select(.state == "Established") | .name')"
vrs lab down > /dev/null

# 5. an active-active VPN gateway of AS 65515 (what Azure wants beside ARS):
# one session per gateway address with each instance (iBGP) and with
# on-premises, each with its own name
cat > "$L/aa.yaml" <<E
name: active-active
topology:
  - vnet create -n hub --address-prefixes 10.0.0.0/16
  - vnet subnet create --vnet-name hub -n nva --address-prefixes 10.0.0.0/24
  - vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.0.2.0/27
  - vnet subnet create --vnet-name hub -n GatewaySubnet --address-prefixes 10.0.3.0/27
  - routeserver create -n ars --vnet-name hub
  - vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --asn 65515 --bgp-peering-address 10.0.3.4,10.0.3.5 --public-ip-addresses pip1 pip2
  - local-gateway create -n onprem --gateway-ip-address 192.0.2.1 --local-address-prefixes 172.16.0.1/32 --asn 65501 --bgp-peering-address 172.16.0.1
  - vpn-connection create -n to-onprem --vnet-gateway1 vpngw --local-gateway2 onprem --enable-bgp
  - routeserver peering create --routeserver ars -n nva --peer-ip 10.0.0.4 --peer-asn 65010
  - routeserver update -n ars --allow-b2b-traffic true
speakers:
  - name: nva
    config: nva.conf
  - name: onprem
    config: onprem.conf
E
nva_conf "$L/nva.conf" "10.0.2.4 10.0.2.5" 65010 2
: > "$L/onprem.conf"
for gw in 10.0.3.4 10.0.3.5; do
    printf 'neighbor %s {\n  router-id 172.16.0.1; local-address 172.16.0.1; local-as 65501; peer-as 65515;\n  static { route 192.168.1.0/24 next-hop 172.16.0.1; }\n}\n' "$gw" >> "$L/onprem.conf"
done
lab_up "$L/aa.yaml"
same "active-active: 12 sessions, each Established, each with its own name" "12 12 12" \
    "$(vrs -o json peers | jq -r '"\(length) \([.[].name] | unique | length) \([.[] | select(.state == "Established")] | length)"')"
same "... ars/IN_0 sees one session per gateway address" "ars/IN_0/vpngw-0 10.0.3.4 65515
ars/IN_0/vpngw-1 10.0.3.5 65515" \
    "$(vrs -o json peers | jq -r '.[] | select(.name | startswith("ars/IN_0/vpngw")) | "\(.name) \(.address) \(.asn)"' | sort)"
eventually "... on-premises hears the NVA's routes from both addresses as 65515 65010 (iBGP inside Azure)" \
    '[ "$(ribin onprem | grep -c " 172\.16\.[0-9]*\.0/24 .* \[65515 65010\]")" = 4 ]'
eventually "... the NVA hears 192.168.1.0/24 from both instances as 65515 65501 with 65517:65517" \
    '[ "$(ribin nva | grep -c " 192\.168\.1\.0/24 .* \[65515 65501\] 65517:65517")" = 2 ]'
same "... list-bgp-peer-status: on-premises and both instances at each address, Connected" \
    "6 Connected" "$(vrs network vnet-gateway list-bgp-peer-status -n vpngw -o json | jq -r '"\(.value | length) \([.value[].state] | unique | join(","))"')"
f0=$(vrs -o json peers | jq '.[] | select(.name == "vpngw-0/ars/IN_0") | .flaps')
vrs peer reset vpngw-1/ars/IN_0 > /dev/null
eventually "... a reset of vpngw-1/ars/IN_0 flaps that session only and it comes back" \
    '[ "$(vrs -o json peers | jq -r ".[] | select(.name == \"vpngw-1/ars/IN_0\") | \"\(.flaps) \(.state)\"")" = "1 Established" ] && [ "$(vrs -o json peers | jq ".[] | select(.name == \"vpngw-0/ars/IN_0\") | .flaps")" = "$f0" ]'
vrs lab down > /dev/null
check_done
