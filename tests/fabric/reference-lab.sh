#!/usr/bin/env bash
# tests/fabric/reference-lab.sh - the reference lab's behaviours in the model, through vrs.
#
# ../shared/spec/reference-lab.md: the hub-and-spoke lab with an NVA
# (AS 65010) peering with both ARS instances and a VPN gateway (AS 65510,
# relaxed mode) with BGP to an on-premises router (AS 65501).  What the
# NVA and on-premises announce is given to the model directly (live
# sessions are the lab's business); behaviours 2 to 8 are checked on the
# route server's, the gateway's and the NICs' tables.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# relaxed mode: the write-up's VPN gateway (65510, one BGP address) beside ARS
printf '{"options": {"relaxed": true}}\n' > "$FX_STATE"
fx_start

SUB=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/lab/providers/Microsoft.Network
net vnet create -n hub --address-prefixes 10.0.0.0/16 -o none
net vnet subnet create --vnet-name hub -n nva --address-prefixes 10.0.0.0/24 -o none
net vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.0.2.0/27 -o none 2> /dev/null
net vnet subnet create --vnet-name hub -n GatewaySubnet --address-prefixes 10.0.3.0/27 -o none
net vnet create -n spoke1 --address-prefixes 10.1.0.0/16 --subnet-name default --subnet-prefixes 10.1.0.0/24 -o none
net vnet create -n spoke2 --address-prefixes 10.2.0.0/16 --subnet-name default --subnet-prefixes 10.2.0.0/24 -o none
net routeserver create -n ars --hosted-subnet "$SUB/virtualNetworks/hub/subnets/RouteServerSubnet" -o none
out=$(vrs network vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --asn 65510 --bgp-peering-address 10.0.3.5 --public-ip-addresses pip1 -o none 2>&1) ||
    fx_die "vnet-gateway create: $out"
if grep -q '^WARNING: .*not active-active' <<< "$out"; then ok "the write-up's gateway is accepted with a warning (relaxed)"; else bad "the write-up's gateway is accepted with a warning (relaxed)" "$out"; fi
net vnet peering create --vnet-name hub -n hub-to-spoke1 --remote-vnet spoke1 --allow-vnet-access --allow-gateway-transit -o none
net vnet peering create --vnet-name spoke1 -n spoke1-to-hub --remote-vnet hub --allow-vnet-access --use-remote-gateways -o none
net vnet peering create --vnet-name hub -n hub-to-spoke2 --remote-vnet spoke2 --allow-vnet-access -o none
net vnet peering create --vnet-name spoke2 -n spoke2-to-hub --remote-vnet hub --allow-vnet-access -o none
net nic create -n nva-nic --vnet-name hub --subnet nva --private-ip-address 10.0.0.4 --ip-forwarding -o none
net nic create -n vm-hub-nic --vnet-name hub --subnet nva --private-ip-address 10.0.0.5 -o none
net nic create -n vm-spoke1-nic --vnet-name spoke1 --subnet default --private-ip-address 10.1.0.4 -o none
net nic create -n vm-spoke2-nic --vnet-name spoke2 --subnet default --private-ip-address 10.2.0.4 -o none
net routeserver peering create --routeserver ars -n nva --peer-ip 10.0.0.4 --peer-asn 65010 -o none
net local-gateway create -n onprem --gateway-ip-address 192.0.2.1 --local-address-prefixes 172.16.0.1/32 --asn 65501 --bgp-peering-address 172.16.0.1 -o none
net vpn-connection create -n to-onprem --vnet-gateway1 vpngw --local-gateway2 onprem --enable-bgp -o none

# what on-premises and the NVA (nva.conf) announce
net local-gateway announce -n onprem --prefixes 192.168.1.0/24 192.168.2.0/24 192.168.3.0/24 192.168.4.0/24 -o none
net routeserver peering announce --routeserver ars -n nva --prefixes 192.168.10.0/24 10.1.0.0/16 10.10.0.0/16 0.0.0.0/0 -o none
net routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --communities 65010:2 -o none

# 1. the NVA hears the hub and spoke1, not spoke2 (what ARS advertises to it)
expect "1 ARS advertises hub and spoke1, as 65515, not spoke2" '
  [.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network | startswith("10.")) | "\(.network) \(.asPath) \(.nextHop)"] | sort
    == ["10.0.0.0/16 65515 10.0.2.4", "10.0.0.0/16 65515 10.0.2.5", "10.1.0.0/16 65515 10.0.2.4", "10.1.0.0/16 65515 10.0.2.5"]' \
    routeserver peering list-advertised-routes --routeserver ars -n nva

# 3. shortest AS path wins; the loser is absent
same "3 vm-spoke1: 192.168.1.0/24 via the NVA (65010 against 65510 65501)" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" "$(rows vm-spoke1-nic 192.168.1.0/24)"
net routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --as-path "65010 65010" --communities 65010:2 -o none
same "3 after the prepend: via the gateway, the NVA's route absent" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5" "$(rows vm-spoke1-nic 192.168.1.0/24)"
expect "3 explain-route: the NVA's route lost on AS-path length (R2.7)" \
    'any(.reasons[]; .rule == "R2.7" and (.reason | test("lost on AS-path length|tie")))' \
    nic explain-route -n vm-spoke1-nic --prefix 192.168.1.0/24
net routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --communities 65010:2 -o none

# 4. gateway routes reach spoke1 only
for p in 192.168.2.0/24 192.168.3.0/24 192.168.4.0/24; do
    same "4 vm-hub: $p via the gateway" "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5" "$(rows vm-hub-nic $p)"
    same "4 vm-spoke1: $p via the gateway" "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.3.5" "$(rows vm-spoke1-nic $p)"
    same "4 vm-spoke2: no $p" "" "$(rows vm-spoke2-nic $p)"
done
expect "4 vm-spoke2 knows its VNet, the hub peering and the system routes only" \
    '[.value[] | .source] | unique == ["Default"]' nic show-effective-route-table -n vm-spoke2-nic

# 5. system routes beat BGP
same "5 vm-hub: 10.1.0.0/16 by the peering, the BGP route not programmed" \
    "Default Active VNetPeering " "$(rows vm-hub-nic 10.1.0.0/16)"

# 6. a BGP default route overrides the Internet route
for nic in vm-hub-nic vm-spoke1-nic nva-nic; do
    same "6 $nic: 0.0.0.0/0 via the NVA, no Internet row" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.0.0.4" "$(rows $nic 0.0.0.0/0)"
done
same "6 vm-hub: the private-range None rows are gone" "" "$(rows vm-hub-nic 10.0.0.0/8)"
expect "6 explain-route on nva-nic warns of the loop (R2.12)" \
    'any(.reasons[]; .rule == "R2.12")' nic explain-route -n nva-nic --prefix 0.0.0.0/0
net route-table create -n rt-nva -o none
net route-table route create --route-table-name rt-nva -n internet --address-prefix 0.0.0.0/0 --next-hop-type Internet -o none
net vnet subnet update --vnet-name hub -n nva --route-table rt-nva -o none
same "6 with a route table on the NVA subnet: BGP 0/0 Invalid, User Active" \
    "User Active Internet 
VirtualNetworkGateway Invalid VirtualNetworkGateway 10.0.0.4" "$(rows nva-nic 0.0.0.0/0)"
net vnet subnet update --vnet-name hub -n nva --remove routeTable -o none

# 7. branch-to-branch (the NVA's default route removed)
net routeserver peering withdraw --routeserver ars -n nva --prefixes 0.0.0.0/0 -o none
expect "7 b2b off: the gateway learns no NVA route" \
    '[.value[] | select(.network == "192.168.10.0/24")] == []' vnet-gateway list-learned-routes -n vpngw
expect "2/7 b2b off: the NVA hears no on-premises route" \
    '[.RouteServiceRole_IN_0[] | select(.network == "192.168.2.0/24")] == []' \
    routeserver peering list-advertised-routes --routeserver ars -n nva
net routeserver update -n ars --allow-b2b-traffic true -o none
expect "7 b2b on: the gateway learns the NVA's routes from both instances as 65515-65010" '
  [.value[] | select(.network == "192.168.10.0/24") | "\(.asPath) \(.sourcePeer)"] | sort
    == ["65515-65010 10.0.2.4", "65515-65010 10.0.2.5"]' \
    vnet-gateway list-learned-routes -n vpngw
expect "7 on-premises receives them as 65510 65515 65010" \
    '[.value[] | select(.network == "192.168.10.0/24") | .asPath] == ["65510-65515-65010"]' \
    vnet-gateway list-advertised-routes -n vpngw --peer 172.16.0.1
expect "2 b2b on: ARS advertises on-premises routes to the NVA as 65515-65510-65501" '
  [.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.2.0/24" or .network == "192.168.4.0/24") | "\(.network) \(.asPath) \(.nextHop)"] | sort
    == ["192.168.2.0/24 65515-65510-65501 10.0.2.4", "192.168.2.0/24 65515-65510-65501 10.0.2.5",
        "192.168.4.0/24 65515-65510-65501 10.0.2.4", "192.168.4.0/24 65515-65510-65501 10.0.2.5"]' \
    routeserver peering list-advertised-routes --routeserver ars -n nva
expect "2 the NVA's own 192.168.1.0/24 (shorter) is not sent back as the gateway's" \
    '[.RouteServiceRole_IN_0[] | select(.network == "192.168.1.0/24")] == []' \
    routeserver peering list-advertised-routes --routeserver ars -n nva
expect "the gateway's BGP peers: on-premises and both ARS instances" \
    '[.value[] | "\(.neighbor) \(.asn) \(.state)"] | sort == ["10.0.2.4 65515 Connected", "10.0.2.5 65515 Connected", "172.16.0.1 65501 Connected"]' \
    vnet-gateway list-bgp-peer-status -n vpngw

# 8. both instances matter
net routeserver peering withdraw --routeserver ars -n nva --prefixes 10.10.0.0/16 --instances IN_1 -o none
out=$(vrs network routeserver show -n ars -o none 2>&1)
if grep -q '^WARNING: peer nva announces different routes to ars/IN_0 and IN_1' <<< "$out"; then ok "8 routeserver show warns of different routes per instance"; else bad "8 routeserver show warns of different routes per instance" "$out"; fi
net routeserver peering withdraw --routeserver ars -n nva --instances IN_1 -o none
out=$(vrs network routeserver show -n ars -o none 2>&1)
if grep -q '^WARNING: peer nva announces to ars/IN_0 only' <<< "$out"; then ok "8 routeserver show warns of one instance only"; else bad "8 routeserver show warns of one instance only" "$out"; fi

check_done
