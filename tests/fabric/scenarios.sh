#!/usr/bin/env bash
# tests/fabric/scenarios.sh - spec section 9's scenarios through vrs and a running vrsd.
#
# The NVAs' BGP announcements are given to the route server directly
# (vrs network routeserver peering announce), so every scenario whose
# expectation lies in the route server's tables and the NICs' effective
# routes runs without live BGP.  Each check prints one line; the script
# fails if any check fails.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

fx_start

# ---- the common topology of spec 9
SUB=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/lab/providers/Microsoft.Network
net vnet create -n hub --address-prefixes 10.1.0.0/16 -o none
net vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.1.1.0/26 -o none
net vnet subnet create --vnet-name hub -n nva --address-prefixes 10.1.2.0/24 -o none
net vnet subnet create --vnet-name hub -n vm --address-prefixes 10.1.3.0/24 -o none
net vnet subnet create --vnet-name hub -n GatewaySubnet --address-prefixes 10.1.255.0/27 -o none
net vnet create -n spoke1 --address-prefixes 10.2.0.0/16 --subnet-name default --subnet-prefixes 10.2.0.0/24 -o none
net vnet create -n spoke2 --address-prefixes 10.3.0.0/16 --subnet-name default --subnet-prefixes 10.3.0.0/24 -o none
net routeserver create -n ars --hosted-subnet "$SUB/virtualNetworks/hub/subnets/RouteServerSubnet" --public-ip-address ars-pip -o none
net vnet peering create --vnet-name hub -n hub-to-spoke1 --remote-vnet spoke1 --allow-vnet-access --allow-gateway-transit -o none
net vnet peering create --vnet-name spoke1 -n spoke1-to-hub --remote-vnet hub --allow-vnet-access --use-remote-gateways -o none
net vnet peering create --vnet-name hub -n hub-to-spoke2 --remote-vnet spoke2 --allow-vnet-access -o none
net vnet peering create --vnet-name spoke2 -n spoke2-to-hub --remote-vnet hub --allow-vnet-access -o none
net nic create -n nva1-nic --vnet-name hub --subnet nva --private-ip-address 10.1.2.4 --ip-forwarding -o none
net nic create -n nva2-nic --vnet-name hub --subnet nva --private-ip-address 10.1.2.5 --ip-forwarding -o none
net nic create -n vmh-nic --vnet-name hub --subnet vm --private-ip-address 10.1.3.4 -o none
net nic create -n vm1-nic --vnet-name spoke1 --subnet default --private-ip-address 10.2.0.4 -o none
net nic create -n vm2-nic --vnet-name spoke2 --subnet default --private-ip-address 10.3.0.4 -o none
net routeserver peering create --routeserver ars -n nva1 --peer-ip 10.1.2.4 --peer-asn 65001 -o none
net routeserver peering create --routeserver ars -n nva2 --peer-ip 10.1.2.5 --peer-asn 65002 -o none
RS=(--routeserver ars)

# ---- T1: the VNet set, per instance
expect "T1 advertised to nva1: hub and spoke1 per instance, as 65515" '
  (.RouteServiceRole_IN_0 | map("\(.network) \(.asPath) \(.nextHop) \(.origin) \(.weight) \(.localAddress)") | sort)
    == ["10.1.0.0/16 65515 10.1.1.4 Igp 0 10.1.1.4", "10.2.0.0/16 65515 10.1.1.4 Igp 0 10.1.1.4"]
  and (.RouteServiceRole_IN_1 | map("\(.network) \(.nextHop)") | sort)
    == ["10.1.0.0/16 10.1.1.5", "10.2.0.0/16 10.1.1.5"]' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1

expect "T1 explain-route: never advertised" \
    '.present == false and any(.reasons[]; .reason | test("never advertised: no peer of route server ars announces 192.168.10.0/24"))' \
    nic explain-route -n vm1-nic --prefix 192.168.10.0/24

# ---- T2: one NVA announces 192.168.10.0/24 on both sessions
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 192.168.10.0/24 -o none
expect "T2 learned from nva1: one entry per instance, as az shows it" '
  (.RouteServiceRole_IN_0 | length) == 1 and (.RouteServiceRole_IN_1 | length) == 1
  and (.RouteServiceRole_IN_0[0] | .asPath == "65001" and .nextHop == "10.1.2.4" and .sourcePeer == "10.1.2.4"
       and .origin == "EBgp" and .weight == 32768 and .localAddress == "10.1.1.4" and .network == "192.168.10.0/24")
  and .RouteServiceRole_IN_1[0].localAddress == "10.1.1.5"' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva1
for nic in vmh-nic vm1-nic nva1-nic nva2-nic; do
    same "T2 $nic: 192.168.10.0/24 via the NVA" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows $nic 192.168.10.0/24)"
done
same "T2 vm2-nic (no useRemoteGateways): no row" "" "$(rows vm2-nic 192.168.10.0/24)"
expect "T2 next hop of vm1 to 192.168.10.20: the NVA, a system route" \
    '.nextHopType == "VirtualNetworkGateway" and .nextHopIpAddress == "10.1.2.4" and .routeTableId == "System Route"' \
    watcher show-next-hop --nic vm1-nic --dest-ip 192.168.10.20

# ---- T5: reflected to nva2 with 65515 prepended, never back to nva1
expect "T5 advertised to nva2: 65515-65001 from each instance" '
  [.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.10.0/24") | "\(.asPath) \(.nextHop)"]
    == ["65515-65001 10.1.1.4", "65515-65001 10.1.1.5"]' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva2
expect "T5 advertised to nva1: not its own route" \
    '[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "192.168.10.0/24")] == []' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1

# ---- T3: both NVAs, same path length: ECMP
net routeserver peering announce "${RS[@]}" -n nva2 --prefixes 192.168.10.0/24 -o none
for nic in vmh-nic vm1-nic; do
    same "T3 $nic: two Active rows" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4
VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.5" "$(rows $nic 192.168.10.0/24)"
done
# R2.7: a prepend turns ECMP into active/standby
net routeserver peering announce "${RS[@]}" -n nva2 --prefixes 192.168.10.0/24 --as-path "65002 65002" -o none
same "R2.7 vm1-nic: the shorter path only" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vm1-nic 192.168.10.0/24)"
expect "R2.7 explain-route names the lost path" \
    '[.reasons[].rule] | index("R2.7") != null' \
    nic explain-route -n vm1-nic --prefix 192.168.10.0/24
net routeserver peering withdraw "${RS[@]}" -n nva2 -o none

# ---- T6: a path holding 65515 is refused everywhere
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 172.20.0.0/16 --as-path "65001 65515" -o none
expect "T6 not in nva1's learned routes" \
    '[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "172.20.0.0/16")] == []' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva1
expect "T6 not advertised to nva2" \
    '[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "172.20.0.0/16")] == []' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva2
same "T6 vmh-nic: no row" "" "$(rows vmh-nic 172.20.0.0/16)"
expect "T6 explain-route: refused by the route server (R2.4)" \
    '.present == false and any(.reasons[]; .rule == "R2.4" and (.reason | test("nva1 announces 172.20.0.0/16 .*refused")))' \
    nic explain-route -n vmh-nic --prefix 172.20.0.0/16
expect "T6 list-announced-routes says why (R2.4)" \
    '[.RouteServiceRole_IN_0[] | select(.network == "172.20.0.0/16") | .status, (.reason | test("R2.4"))] == ["Rejected", true]' \
    routeserver peering list-announced-routes "${RS[@]}" -n nva1

# ---- T28: AS 0 and IPv6 are dropped
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 172.21.0.0/16 --as-path "65001 0" -o none
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 2001:db8::/32 -o none
expect "T28 neither is learned" \
    '[.RouteServiceRole_IN_0[] | .network] == ["192.168.10.0/24"]' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva1
net routeserver peering withdraw "${RS[@]}" -n nva1 --prefixes 172.20.0.0/16 172.21.0.0/16 2001:db8::/32 -o none

# ---- T17: communities kept on the announcement (what the peer is sent needs live BGP)
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 192.168.17.0/24 --communities 65001:100 -o none
expect "T17 the announcement keeps 65001:100" \
    '[.RouteServiceRole_IN_0[] | select(.network == "192.168.17.0/24") | .communities] == [["65001:100"]]' \
    routeserver peering list-announced-routes "${RS[@]}" -n nva1
# R2.5: NO_ADVERTISE is programmed but advertised to nobody
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 192.168.18.0/24 --communities no-advertise -o none
same "R2.5 vmh-nic: the NO_ADVERTISE route is programmed" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vmh-nic 192.168.18.0/24)"
expect "R2.5 nva2 does not hear it" \
    '[.RouteServiceRole_IN_0[] | select(.network == "192.168.18.0/24")] == []' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva2
net routeserver peering withdraw "${RS[@]}" -n nva1 --prefixes 192.168.17.0/24 192.168.18.0/24 -o none

# ---- R2.6: inside the VNet set: learned, never programmed or reflected; a supernet is
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 10.2.5.0/24 10.0.0.0/8 -o none
expect "R2.6 10.2.5.0/24 is learned" \
    '[.RouteServiceRole_IN_0[] | .network] | index("10.2.5.0/24") != null' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva1
expect "R2.6 nva2 hears 10.0.0.0/8, not 10.2.5.0/24" \
    '[.RouteServiceRole_IN_0[] | .network] | (index("10.0.0.0/8") != null and index("10.2.5.0/24") == null)' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva2
same "R2.6 vm1-nic: no 10.2.5.0/24 row" "" "$(rows vm1-nic 10.2.5.0/24)"
same "R2.6 vm1-nic: the supernet wins over the reserved None row (R3.6)" \
    "Default Invalid None 
VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vm1-nic 10.0.0.0/8)"
net routeserver peering withdraw "${RS[@]}" -n nva1 --prefixes 10.2.5.0/24 10.0.0.0/8 -o none

# ---- T9: an NVA's 0.0.0.0/0, no UDRs
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 0.0.0.0/0 -o none
for nic in vmh-nic vm1-nic nva1-nic nva2-nic; do
    same "T9 $nic: 0.0.0.0/0 via the NVA, no Default Internet row" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows $nic 0.0.0.0/0)"
    same "T9 $nic: the reserved None rows are gone" "" "$(rows $nic 10.0.0.0/8)"
done
expect "T9 explain-route on the NVA's own NIC warns of the loop (R2.12)" \
    '[.reasons[].rule] | index("R2.12") != null' \
    nic explain-route -n nva1-nic --prefix 0.0.0.0/0
net routeserver peering withdraw "${RS[@]}" -n nva1 --prefixes 0.0.0.0/0 -o none

# ---- T13: a UDR /25 inside the NVA's /24
net route-table create -n rt-vm -o none
net route-table route create --route-table-name rt-vm -n drop-half --address-prefix 192.168.10.128/25 --next-hop-type None -o none
net vnet subnet update --vnet-name hub -n vm --route-table rt-vm -o none
same "T13 vmh-nic: the /24 stays Active" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vmh-nic 192.168.10.0/24)"
same "T13 vmh-nic: the /25 Active" "User Active None " "$(rows vmh-nic 192.168.10.128/25)"
expect "T13 192.168.10.200 is dropped" '.nextHopType == "None"' \
    watcher show-next-hop --nic vmh-nic --dest-ip 192.168.10.200
expect "T13 192.168.10.20 goes to the NVA" '.nextHopIpAddress == "10.1.2.4"' \
    watcher show-next-hop --nic vmh-nic --dest-ip 192.168.10.20

# ---- T11: propagation off on spoke1's subnet
net route-table create -n rt-spoke1 --disable-bgp-route-propagation true -o none
net vnet subnet update --vnet-name spoke1 -n default --route-table rt-spoke1 -o none
same "T11 vm1-nic: no 192.168.10.0/24 row" "" "$(rows vm1-nic 192.168.10.0/24)"
same "T11 vm1-nic: VnetLocal stays" "Default Active VnetLocal " "$(rows vm1-nic 10.2.0.0/16)"
same "T11 vm1-nic: the hub peering stays" "Default Active VNetPeering " "$(rows vm1-nic 10.1.0.0/16)"
same "T11 vmh-nic unchanged" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vmh-nic 192.168.10.0/24)"
expect "T11 explain-route names the route table (R3.2)" \
    'any(.reasons[]; .rule == "R3.2" and (.reason | test("rt-spoke1")))' \
    nic explain-route -n vm1-nic --prefix 192.168.10.0/24
net vnet subnet update --vnet-name spoke1 -n default --remove routeTable -o none
same "T11 back with propagation" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vm1-nic 192.168.10.0/24)"

# ---- T14: spoke1 stops using the hub's gateways, and back
net vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false -o none
expect "T14 10.2.0.0/16 no longer advertised" \
    '[.RouteServiceRole_IN_0[] | .network] | index("10.2.0.0/16") == null' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
same "T14 vm1-nic loses the row" "" "$(rows vm1-nic 192.168.10.0/24)"
net vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways true -o none
expect "T14 re-enabled: advertised again" \
    '[.RouteServiceRole_IN_0[] | .network] | index("10.2.0.0/16") != null' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
same "T14 re-enabled: vm1-nic has it again" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vm1-nic 192.168.10.0/24)"

# ---- T27: nva2 peers with IN_1 only
net routeserver peering announce "${RS[@]}" -n nva2 --prefixes 192.168.27.0/24 --instances IN_1 -o none
expect "T27 learned under IN_1 only" \
    '(.RouteServiceRole_IN_0 | length) == 0 and [.RouteServiceRole_IN_1[] | .network] == ["192.168.27.0/24"]' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva2
expect "T27 flagged as a misconfiguration" '.warning | test("one instance")' \
    routeserver peering list-announced-routes "${RS[@]}" -n nva2
expect "T27 explain-route: learned by only one instance (R1.7)" \
    'any(.reasons[]; .rule == "R1.7" and (.reason | test("only one instance")))' \
    nic explain-route -n vmh-nic --prefix 192.168.27.0/24
net routeserver peering withdraw "${RS[@]}" -n nva2 -o none

# ---- T16: reserved and 4-byte peer ASNs; a ninth peer
for asn in 65515 65517 12076 23456 64500 65535 4200000001; do
    refuse "T16 peer ASN $asn refused" "peerAsn $asn is not allowed" routeserver peering create "${RS[@]}" -n bad --peer-ip 10.1.2.20 --peer-asn $asn
done
expect "T16 peer ASN 65001 accepted" '.peerAsn == 65001' \
    routeserver peering create "${RS[@]}" -n nva3 --peer-ip 10.1.2.6 --peer-asn 65001
for i in 4 5 6 7 8; do
    net routeserver peering create "${RS[@]}" -n nva$i --peer-ip 10.1.2.$((i + 3)) --peer-asn 6500$i -o none
done
refuse "T16 a ninth peer refused (R1.9)" "8" routeserver peering create "${RS[@]}" -n nva9 --peer-ip 10.1.2.12 --peer-asn 65009
for i in 3 4 5 6 7 8; do net routeserver peering delete "${RS[@]}" -n nva$i -o none; done

# ---- T24: the route server's subnet
refuse "T24 a route server in a subnet not named RouteServerSubnet" "RouteServerSubnet" \
    routeserver create -n ars2 --hosted-subnet "$SUB/virtualNetworks/hub/subnets/vm"
refuse "T24 a second route server in the hub" "one per virtual network" \
    routeserver create -n ars2 --hosted-subnet "$SUB/virtualNetworks/hub/subnets/RouteServerSubnet"
refuse "T24 RouteServerSubnet /28" "/27" \
    vnet subnet create --vnet-name spoke2 -n RouteServerSubnet --address-prefixes 10.3.1.0/28

out=$(vrs network vnet subnet create --vnet-name spoke2 -n RouteServerSubnet --address-prefixes 10.3.1.0/27 -o none 2>&1)
if [ $? = 0 ] && grep -q '^WARNING: .*/27.*R1.3' <<< "$out"; then ok "T24 RouteServerSubnet /27: accepted with a warning"; else bad "T24 RouteServerSubnet /27: accepted with a warning" "$out"; fi
out=$(vrs network vnet subnet create --vnet-name spoke2 -n other --address-prefixes 10.3.2.0/27 -o none 2>&1)
same "T24 the warning comes once, with the change that causes it" "" "$out"
net vnet subnet delete --vnet-name spoke2 -n other -o none
net vnet subnet delete --vnet-name spoke2 -n RouteServerSubnet -o none

# ---- T25: a peer in a directly peered spoke; one in a VNet not peered
net nic create -n nva3-nic --vnet-name spoke2 --subnet default --private-ip-address 10.3.0.10 --ip-forwarding -o none
net routeserver peering create "${RS[@]}" -n nva3 --peer-ip 10.3.0.10 --peer-asn 65003 -o none
net routeserver peering announce "${RS[@]}" -n nva3 --prefixes 192.168.25.0/24 -o none
expect "T25 spoke2's NVA hears hub and spoke1" \
    '[.RouteServiceRole_IN_0[] | .network] | (index("10.1.0.0/16") != null and index("10.2.0.0/16") != null)' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva3
same "T25 its routes reach the hub" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.3.0.10" "$(rows vmh-nic 192.168.25.0/24)"
same "T25 but not its own spoke" "" "$(rows nva3-nic 192.168.25.0/24)"
net vnet create -n far --address-prefixes 10.9.0.0/16 -o none
refuse "T25 a peer in a VNet not peered with the hub" "peerIp" \
    routeserver peering create "${RS[@]}" -n nvafar --peer-ip 10.9.0.4 --peer-asn 65009
net routeserver peering delete "${RS[@]}" -n nva3 -o none

# ---- T22: a VPN gateway beside the route server must be active-active
refuse "T22 an active-standby VPN gateway beside ARS" "Active-Active" \
    vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --asn 65515 --public-ip-addresses pip1
net vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --asn 65515 --public-ip-addresses pip1 pip2 -o none
ok "T22 active-active with AS 65515 accepted"

# ---- a site behind the VPN gateway (R3.5) and branch-to-branch (R2.3, R2.10, R2.11)
net local-gateway create -n onprem --gateway-ip-address 192.0.2.1 --local-address-prefixes 172.16.0.0/16 --asn 65020 --bgp-peering-address 172.16.0.1 -o none
net vpn-connection create -n to-onprem --vnet-gateway1 vpngw --local-gateway2 onprem --enable-bgp -o none
GW=$(vrs network vnet-gateway show -n vpngw -o json | jq -r '.bgpSettings.bgpPeeringAddress' | tr ',' ' ')
# shellcheck disable=SC2086
set -- $GW
same "R3.3 vmh-nic: the site via both gateway instances" \
    "VirtualNetworkGateway Active VirtualNetworkGateway $1
VirtualNetworkGateway Active VirtualNetworkGateway $2" "$(rows vmh-nic 172.16.0.0/16)"
same "R3.1 vm2-nic: no site route" "" "$(rows vm2-nic 172.16.0.0/16)"
expect "R2.10 b2b off: the gateway learns no NVA route" \
    '[.value[] | select(.network == "192.168.10.0/24")] == []' \
    vnet-gateway list-learned-routes -n vpngw
expect "R2.10 b2b off: nva1 does not hear the site" \
    '[.RouteServiceRole_IN_0[] | select(.network == "172.16.0.0/16")] == []' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
net routeserver update -n ars --allow-b2b-traffic true -o none
expect "R2.11 b2b on: the NVA route twice per gateway instance, iBGP, path unchanged" \
    '[.value[] | select(.network == "192.168.10.0/24") | "\(.origin) \(.asPath) \(.nextHop) \(.sourcePeer)"] | sort
       == ["IBgp 65001 10.1.2.4 10.1.1.4", "IBgp 65001 10.1.2.4 10.1.1.4", "IBgp 65001 10.1.2.4 10.1.1.5", "IBgp 65001 10.1.2.4 10.1.1.5"]' \
    vnet-gateway list-learned-routes -n vpngw
expect "R2.11 the site hears the NVA route with the gateway's AS" \
    '[.value[] | select(.network == "192.168.10.0/24") | .asPath] | unique == ["65515-65001"]' \
    vnet-gateway list-advertised-routes -n vpngw --peer 172.16.0.1
expect "R2.3 b2b on: nva1 hears the site as 65515" \
    '[.RouteServiceRole_IN_0[] | select(.network == "172.16.0.0/16") | .asPath] == ["65515"]' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
expect "R1.10 the gateway's BGP peers include both ARS instances, AS 65515" \
    '[.value[] | select(.asn == 65515) | .neighbor] | unique == ["10.1.1.4", "10.1.1.5"]' \
    vnet-gateway list-bgp-peer-status -n vpngw
refuse "getAdvertisedRoutes for a stranger is refused" "not a BGP peer" \
    vnet-gateway list-advertised-routes -n vpngw --peer 172.16.0.99

# ---- T19: an ExpressRoute gateway in the hub, on-premises behind MSEE (172.31.0.0/16 here:
# the VPN site above holds 172.16.0.0/16), branch-to-branch off
net routeserver update -n ars --allow-b2b-traffic false -o none
net vnet-gateway create -n ergw --vnet hub --gateway-type ExpressRoute -o none
net vpn-connection create -n er1 --vnet-gateway1 ergw --express-route-circuit2 circuit1 -o none
net express-route announce -n circuit1 --prefixes 172.31.0.0/16 --as-path 65020 --next-hop 10.24.0.1 -o none
expect "T19 nva1 does not hear the circuit's route (b2b off)" \
    '[.RouteServiceRole_IN_0[], .RouteServiceRole_IN_1[] | select(.network == "172.31.0.0/16")] == []' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
expect "T19 ER gateway learns hub and spoke1 as Network, the circuit's route as EBgp 12076-65020, weight 32769, no NVA route" '
  ([.value[] | select(.origin == "Network") | .network] | unique) == ["10.1.0.0/16", "10.2.0.0/16"]
  and ([.value[] | select(.network == "172.31.0.0/16") | "\(.origin) \(.asPath) \(.weight) \(.nextHop)"] | unique) == ["EBgp 12076-65020 32769 10.24.0.1"]
  and ([.value[] | select(.network == "192.168.10.0/24")] == [])' \
    vnet-gateway list-learned-routes -n ergw
for nic in vmh-nic vm1-nic; do
    same "T19 $nic: the circuit's route via the ER edge" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.24.0.1" "$(rows $nic 172.31.0.0/16)"
    same "T19 $nic: 192.168.10.0/24 still from ARS" \
        "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows $nic 192.168.10.0/24)"
done
net routeserver update -n ars --allow-b2b-traffic true -o none
expect "R2.11 b2b on: the ER gateway sends the MSEE the VNet set as 65515 and the NVA route as 65515-65001" '
  ([.value[] | select(.network == "10.1.0.0/16") | .asPath] | unique) == ["65515"]
  and ([.value[] | select(.network == "192.168.10.0/24") | .asPath] | unique) == ["65515-65001"]' \
    vnet-gateway list-advertised-routes -n ergw --peer 10.24.0.1
expect "the ER gateway's BGP peers include the MSEE (12076)" \
    '[.value[] | select(.asn == 12076) | "\(.neighbor) \(.routesReceived)"] | unique == ["10.24.0.1 1"]' \
    vnet-gateway list-bgp-peer-status -n ergw
expect "R2.3 b2b on: nva1 hears the circuit's route as 65515-12076-65020" \
    '[.RouteServiceRole_IN_0[] | select(.network == "172.31.0.0/16") | .asPath] == ["65515-12076-65020"]' \
    routeserver peering list-advertised-routes "${RS[@]}" -n nva1
# R2.8: with ExpressRoute preference the circuit's route beats an NVA's shorter one
net routeserver peering announce "${RS[@]}" -n nva1 --prefixes 172.31.0.0/16 -o none
same "R2.8 ExpressRoute preference: vm1-nic takes the circuit's route" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.24.0.1" "$(rows vm1-nic 172.31.0.0/16)"
net routeserver update -n ars --hub-routing-preference ASPath -o none
same "R2.8 ASPath preference: the NVA's shorter path wins" \
    "VirtualNetworkGateway Active VirtualNetworkGateway 10.1.2.4" "$(rows vm1-nic 172.31.0.0/16)"
net routeserver update -n ars --hub-routing-preference ExpressRoute -o none
net routeserver peering withdraw "${RS[@]}" -n nva1 --prefixes 172.31.0.0/16 -o none

# ---- the announcements do not survive a restart (live sessions re-announce); the topology does
fx_stop
fx_start
expect "restart: the topology is back, the announcements are not" \
    '(.RouteServiceRole_IN_0 | length) == 0' \
    routeserver peering list-learned-routes "${RS[@]}" -n nva1
same "restart: the gateway's site is programmed again" \
    "VirtualNetworkGateway Active VirtualNetworkGateway $1
VirtualNetworkGateway Active VirtualNetworkGateway $2" "$(rows vmh-nic 172.16.0.0/16)"

check_done
