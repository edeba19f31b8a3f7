#!/usr/bin/env bash
# tests/lab/arm.sh - vrs lab import-arm: a deployment's ARM JSON as a lab, as a user runs it.
#
# tests/lab/arm/hubspoke.json is what `az group export` writes for a hub
# (route server, VPN gateway with BGP, an NVA), a spoke with a route
# table and a NIC per VM (one deallocated, one not deployed yet), an
# on-premises site over an IPsec connection with BGP, and resources that
# do not route; resources.json is the same as `az resource list` /
# `az network ... list -o json` print it; routes.json is what
# `routeserver peering list-learned-routes` and `vnet-gateway
# list-learned-routes` printed.  The lab they make runs over live BGP and
# the spoke NIC's effective routes are checked; then hostile inputs.
set -u
LAB_PORT=${LAB_PORT:-21800}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
A=$LAB_SRC/tests/lab/arm
L=$LAB_TMP
cd "$L" || exit 1

# 1. import: the commands, every ignored item on stderr, exit 0
vrs lab import-arm "$A/hubspoke.json" --routes "$A/routes.json" > lab.yaml 2> import.err; rc=$?
same "import-arm hubspoke.json --routes routes.json: exit 0" 0 "$rc"
grep -q '^  - routeserver create -n ars --vnet-name hub -l eastus$' lab.yaml &&
    grep -q '^  - routeserver peering create --routeserver ars -n nva1 --peer-ip 10.0.1.4 --peer-asn 65001$' lab.yaml &&
    grep -q '^  - vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --vpn-type RouteBased --asn 65510 --bgp-peering-address 10.0.3.30 --public-ip-addresses vpngw-pip$' lab.yaml &&
    grep -q '^  - vnet peering create --vnet-name spoke1 -n spoke1-to-hub --remote-vnet hub --allow-vnet-access --allow-forwarded-traffic --use-remote-gateways$' lab.yaml &&
    grep -q '^  - vnet subnet create --vnet-name spoke1 -n default --address-prefixes 10.1.0.0/24 --route-table rt-spoke1$' lab.yaml &&
    grep -q '^  - vpn-connection create -n to-onprem --vnet-gateway1 vpngw --local-gateway2 onprem --enable-bgp$' lab.yaml &&
    ok "the route server, its bgpConnection, the gateway, the peerings, the UDR's subnet, the connection: one command each" ||
    bad "the commands" "$(cat lab.yaml)"
same "every NIC, the deallocated VM's and the undeployed one's (first free address) too" \
    "nva-nic 10.0.1.4|vm1-nic 10.1.0.4|vm2-nic 10.1.0.5|vm3-nic 10.1.0.6" \
    "$(sed -n 's/^  - nic create -n \([^ ]*\) .*--private-ip-address \([0-9.]*\).*/\1 \2/p' lab.yaml | paste -sd'|')"
same "the subnet exported inline and on its own: one command" 1 "$(grep -c 'subnet create --vnet-name hub -n RouteServerSubnet' lab.yaml)"
grep -q "^$A/hubspoke.json: resources\[19\] Microsoft.Compute/virtualMachines 'vm1': ignored (not routing)$" import.err &&
    grep -q "resources\[20\] Microsoft.Storage/storageAccounts 'hubspokediag': ignored (not routing)$" import.err &&
    grep -q "resources\[4\] Microsoft.Network/virtualNetworks 'hub': properties.dhcpOptions: ignored (not modelled)$" import.err &&
    grep -q "resources\[3\] Microsoft.Network/routeTables/routes 'rt-spoke1/storage': addressPrefix Storage: ignored" import.err &&
    grep -q "'vm3-nic': no privateIPAddress (Dynamic, not deployed): 10.1.0.6 assumed" import.err &&
    grep -Eq '^vrs: import-arm: 21 resources, 19 topology commands, 2 speakers, 0 external peers; [0-9]+ items ignored' import.err &&
    ok "stderr: each ignored resource and property on its line, then the count" || bad "stderr" "$(cat import.err)"
same "ignored-item lines match the final count" "$(sed -n 's/.*; \([0-9]*\) items ignored.*/\1/p' import.err)" "$(grep -vc '^vrs: ' import.err)"
grep -q 'route 10.50.0.0/16 next-hop 10.0.1.4 as-path \[ 65001 \];' arm-nva1.conf &&
    grep -q 'route 192.168.2.0/24 next-hop 172.16.0.1 as-path \[ 65501 \];' arm-onprem.conf &&
    grep -q '^    config: arm-nva1.conf$' lab.yaml &&
    ok "--routes: the NVA's learned routes and the site's (from the gateway's) become speakers' ExaBGP files beside lab.yaml" ||
    bad "--routes speakers" "$(cat lab.yaml arm-*.conf)"

# 2. the same deployment as az resource list / az network ... list print it
vrs lab import-arm "$A/resources.json" > list.yaml 2> list.err; rc=$?
same "import-arm resources.json (ids, flattened az network output): exit 0, the template's commands (no vm3-nic)" \
    "0 $(grep '^  - ' lab.yaml | grep -v vm3-nic)" "$rc $(grep '^  - ' list.yaml)"
grep -q "^$A/resources.json: \[18\] Microsoft.Compute/virtualMachines 'vm2': ignored (not routing)$" list.err &&
    grep -q "external:" list.yaml && grep -q '  - name: nva1' list.yaml &&
    ok "no --routes: the deallocated VM ignored, its NIC kept; the BGP peers external (up does not wait)" || bad "list import" "$(cat list.yaml list.err)"

# 3. vrs lab up on the imported file; the spoke NIC's effective routes
lab_up lab.yaml
grep -q '7 of 7 sessions Established' "$LAB_TMP/up.out" && ok "vrs lab up lab.yaml: the NVA's, the site's and the gateway's sessions Established" ||
    bad "lab up" "$(cat "$LAB_TMP/up.out")"
same "vm1-nic: its VNet (VnetLocal)" "Default Active VnetLocal " "$(rows vm1-nic 10.1.0.0/16)"
same "vm1-nic: the hub (VNetPeering)" "Default Active VNetPeering " "$(rows vm1-nic 10.0.0.0/16)"
same "vm1-nic: the NVA's route through ARS (VirtualNetworkGateway 10.0.1.4)" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.1.4" "$(rows vm1-nic 10.50.0.0/16)"
same "vm1-nic: on-premises through the VPN gateway (useRemoteGateways, VirtualNetworkGateway 10.0.3.30)" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.30" "$(rows vm1-nic 192.168.2.0/24)"
same "vm1-nic: the UDR to-fw (User, VirtualAppliance 10.0.1.4)" "User Active VirtualAppliance 10.0.1.4" "$(rows vm1-nic 10.99.0.0/16)"
same "vm2-nic (deallocated VM) and vm3-nic (not deployed): the same routes as vm1-nic" \
    "$(rows vm1-nic 10.50.0.0/16)|$(rows vm1-nic 10.99.0.0/16)" "$(rows vm3-nic 10.50.0.0/16)|$(rows vm2-nic 10.99.0.0/16)"
expect "learned routes of nva1: 10.50.0.0/16 as in routes.json, from the live session" \
    '[.RouteServiceRole_IN_0[] | select(.network == "10.50.0.0/16" and .asPath == "65001" and .nextHop == "10.0.1.4")] | length == 1' \
    routeserver peering list-learned-routes --routeserver ars -n nva1
vrs lab down > /dev/null || bad "vrs lab down"

# 4. vrs lab up --arm: import and start in one step
vrs lab up --arm "$A/resources.json" > up2.out 2>&1; rc=$?
same "vrs lab up --arm resources.json: exit 0, no session to wait for" "0" "$rc"
grep -q "the imported lab is $VRS_LAB_DIR.arm/lab.yaml" up2.out && ok "up --arm says where the imported lab is" || bad "up --arm" "$(cat up2.out)"
same "up --arm: vm1-nic has the UDR row" "User Active VirtualAppliance 10.0.1.4" "$(rows vm1-nic 10.99.0.0/16)"
vrs lab down > /dev/null || bad "vrs lab down after up --arm"

# 5. hostile and malformed input: precise errors, exit 1, nothing on stdout
hostile() { # NAME FILE PATTERN
    local out rc
    out=$(vrs lab import-arm "$2" 2>&1 > "$L/h.out"); rc=$?
    if [ $rc = 1 ] && [ ! -s "$L/h.out" ] && grep -q -- "$3" <<< "$out"; then ok "$1"; else bad "$1" "exit $rc: $out"; fi
}
hostile "bad JSON: file:line:column" "$A/bad-json.json" "^$A/bad-json.json:3:66: "
hostile "wrong types: the path and what was expected" "$A/wrong-types.json" "wrong-types.json: resources\[0\].properties.addressSpace: expected an object$"
hostile "wrong types: a bad prefix, a list that is not, a bad next hop type, a bad name" "$A/wrong-types.json" \
    "resources\[2\].properties.ipConfigurations: expected a list$"
out=$(vrs lab import-arm "$A/wrong-types.json" 2>&1 > /dev/null)
grep -q 'addressPrefixes\[0\]: 10.1.0.0/33: bad length' <<< "$out" && grep -q 'nextHopType: Firewall: expected' <<< "$out" &&
    grep -q 'resources\[5\].name: bad name; rm -rf : expected' <<< "$out" && grep -q 'vrs: import-arm: 9 errors; no lab written' <<< "$out" &&
    ok "wrong types: every error reported, then the count" || bad "every error" "$out"
hostile "missing ids and names" "$A/missing-ids.json" '^.*missing-ids.json: \[1\]: expected "type" and "name" strings, or an "id"$'
hostile "a reference that is not an id" "$A/missing-ids.json" 'subnet.id: not-an-id: expected the id of a Microsoft.Network/virtualNetworks/subnets$'
hostile "not a template nor a list" "$A/not-arm.json" 'expected an ARM template'
out=$(vrs lab import-arm "$A/expressions.json" 2>&1 > /dev/null)
grep -q "resources\[0\].name: \[variables('a')\]: not resolved (expression nested too deep)" <<< "$out" &&
    grep -q "parameter 'p' has no defaultValue" <<< "$out" && grep -q "reference() is not known offline" <<< "$out" &&
    ok "expressions: a variables loop, a parameter without default, reference(): reported, bounded" || bad "expressions" "$out"
python3 -c "print('[' * 10000 + ']' * 10000)" > deep.json
hostile "nesting 10,000 deep: refused at the 65th bracket" deep.json '^deep.json:1:65: nested deeper than 64$'
python3 -c "print('{\"resources\": [' + '0,' * 999999 + '0]}')" > huge.json
t0=$(date +%s%N)
hostile "a 1,000,000-element list: refused before parsing" huge.json '^huge.json:1:[0-9]*: a list of more than 100000 elements$'
[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ] && ok "... in under 5 s" || bad "huge list took too long"
head -c 300000 /dev/urandom > random.json
hostile "random bytes" random.json '^random.json:[0-9]*:[0-9]*: '
: > empty.json
hostile "an empty file" empty.json '^empty.json:'
hostile "a missing file" nope.json "nope.json: No such file"
cp "$A/hubspoke.json" h2.json
echo '# mine' > arm-nva1.conf.keep && cp arm-nva1.conf.keep "$L/arm-nva1.conf"
out=$(vrs lab import-arm h2.json --routes "$A/routes.json" 2>&1 > /dev/null); rc=$?
[ $rc = 1 ] && grep -q 'arm-nva1.conf exists and import-arm did not write it' <<< "$out" && [ "$(cat arm-nva1.conf)" = "# mine" ] &&
    ok "a speaker file import-arm did not write is not overwritten" || bad "overwrite" "$rc $out"
check_done
