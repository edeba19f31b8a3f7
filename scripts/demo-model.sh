#!/usr/bin/env bash
# make demo-model: the reference lab (../shared/spec/reference-lab.md) in vrsd's
# model of Azure, step by step, with the commands a user would type.
#
# A private vrsd runs on a UNIX socket in a temporary folder and is
# stopped (by its pid) at the end.  What the NVA and the on-premises
# router announce is given to the route server and the VPN gateway
# directly; every table printed is what vrsd computes from it.
set -u
B=$(cd "${1:-build}/bin" && pwd) || exit 1
DIR=$(mktemp -d /tmp/vrs-demo.XXXXXX) || exit 1
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export VRS_SOCKET=$DIR/vrsd.sock
printf 'control: %s\nstate: %s\nlog-level: warning\n' "$VRS_SOCKET" "$DIR/state.json" > "$DIR/vrsd.yaml"
# relaxed mode: the write-up's VPN gateway (AS 65510, one address) beside ARS
printf '{"options": {"relaxed": true}}\n' > "$DIR/state.json"
"$B/vrsd" -c "$DIR/vrsd.yaml" 2>"$DIR/vrsd.log" &
PID=$!
for _ in $(seq 1 100); do
	"$B/vrs" network vnet list -o none 2>/dev/null && break
	kill -0 "$PID" 2>/dev/null || { cat "$DIR/vrsd.log" >&2; exit 1; }
	sleep 0.05
done

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
# run: show the command, then run it (quiet ones with -o none)
run() {
	local a line='$ vrs network'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:=,-]*) line="$line \"$a\"" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '%s\n' "$line"
	"$B/vrs" network "$@" || exit 1
}
quiet() { "$B/vrs" network "$@" -o none || exit 1; }
SUB=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/lab/providers/Microsoft.Network

say "The lab: hub 10.0.0.0/16 with ARS and a VPN gateway, spoke1 (uses the hub's gateways), spoke2 (does not)"
quiet vnet create -n hub --address-prefixes 10.0.0.0/16
quiet vnet subnet create --vnet-name hub -n nva --address-prefixes 10.0.0.0/24
quiet vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.0.2.0/27
quiet vnet subnet create --vnet-name hub -n GatewaySubnet --address-prefixes 10.0.3.0/27
quiet vnet create -n spoke1 --address-prefixes 10.1.0.0/16 --subnet-name default --subnet-prefixes 10.1.0.0/24
quiet vnet create -n spoke2 --address-prefixes 10.2.0.0/16 --subnet-name default --subnet-prefixes 10.2.0.0/24
quiet routeserver create -n ars --hosted-subnet "$SUB/virtualNetworks/hub/subnets/RouteServerSubnet"
quiet vnet-gateway create -n vpngw --vnet hub --gateway-type Vpn --asn 65510 --bgp-peering-address 10.0.3.5 --public-ip-addresses vpngw-pip
quiet vnet peering create --vnet-name hub -n hub-to-spoke1 --remote-vnet spoke1 --allow-vnet-access --allow-gateway-transit
quiet vnet peering create --vnet-name spoke1 -n spoke1-to-hub --remote-vnet hub --allow-vnet-access --use-remote-gateways
quiet vnet peering create --vnet-name hub -n hub-to-spoke2 --remote-vnet spoke2 --allow-vnet-access
quiet vnet peering create --vnet-name spoke2 -n spoke2-to-hub --remote-vnet hub --allow-vnet-access
quiet nic create -n nva-nic --vnet-name hub --subnet nva --private-ip-address 10.0.0.4 --ip-forwarding
quiet nic create -n vm-hub-nic --vnet-name hub --subnet nva --private-ip-address 10.0.0.5
quiet nic create -n vm-spoke1-nic --vnet-name spoke1 --subnet default --private-ip-address 10.1.0.4
quiet nic create -n vm-spoke2-nic --vnet-name spoke2 --subnet default --private-ip-address 10.2.0.4
quiet local-gateway create -n onprem --gateway-ip-address 192.0.2.1 --local-address-prefixes 172.16.0.1/32 --asn 65501 --bgp-peering-address 172.16.0.1
quiet vpn-connection create -n to-onprem --vnet-gateway1 vpngw --local-gateway2 onprem --enable-bgp
run routeserver peering create --routeserver ars -n nva --peer-ip 10.0.0.4 --peer-asn 65010 -o table
run vnet peering list --vnet-name spoke1 --query "[].{Name: name, UseRemoteGateways: useRemoteGateways, State: peeringState}" -o table

say "On-premises (AS 65501) announces 192.168.1-4.0/24 to the VPN gateway; the NVA (AS 65010) announces nva.conf's routes to both ARS instances"
run local-gateway announce -n onprem --prefixes 192.168.1.0/24 192.168.2.0/24 192.168.3.0/24 192.168.4.0/24 -o table
run routeserver peering announce --routeserver ars -n nva --prefixes 192.168.10.0/24 10.1.0.0/16 10.10.0.0/16 0.0.0.0/0 -o none
run routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --communities 65010:2 -o table

say "1. The NVA hears the hub and spoke1 from both instances, not spoke2 (no useRemoteGateways)"
run routeserver peering list-advertised-routes --routeserver ars -n nva -o table

say "3. Shortest AS path wins: 192.168.1.0/24 from the NVA (65010) beats on-premises (65510 65501)"
run nic show-effective-route-table -n vm-spoke1-nic -o table
say "   ... the NVA prepends (65010 65010): the gateway's route wins on equal length, the NVA's is absent"
run routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --as-path "65010 65010" --communities 65010:2 -o none
run nic show-effective-route-table -n vm-spoke1-nic --query "value[?addressPrefix[0]=='192.168.1.0/24'].{Source: source, State: state, Prefix: addressPrefix[0], NextHopType: nextHopType, NextHop: nextHopIpAddress[0]}" -o table
run nic explain-route -n vm-spoke1-nic --prefix 192.168.1.0/24 -o table
quiet routeserver peering announce --routeserver ars -n nva --prefixes 192.168.1.0/24 --communities 65010:2

say "4. Gateway routes reach the hub and spoke1 only; 6. the NVA's 0.0.0.0/0 replaces the Internet route"
run nic show-effective-route-table -n vm-hub-nic -o table
run nic show-effective-route-table -n vm-spoke2-nic -o table
run nic explain-route -n vm-spoke2-nic --prefix 192.168.2.0/24 -o table

say "5. System routes for VNets and peerings beat BGP: the NVA's 10.1.0.0/16 is not programmed"
run nic explain-route -n vm-hub-nic --prefix 10.1.0.0/16 -o table

say "6. On the NVA's own NIC the BGP default route is a loop"
run nic explain-route -n nva-nic --prefix 0.0.0.0/0 -o table

say "7 and 2. Branch-to-branch on: the gateway learns the NVA's routes, the NVA hears on-premises as 65515-65510-65501"
quiet routeserver peering withdraw --routeserver ars -n nva --prefixes 0.0.0.0/0
run routeserver update -n ars --allow-b2b-traffic true --query "{Name: name, B2B: allowBranchToBranchTraffic}" -o table
run vnet-gateway list-learned-routes -n vpngw -o table
run vnet-gateway list-advertised-routes -n vpngw --peer 172.16.0.1 -o table
run routeserver peering list-advertised-routes --routeserver ars -n nva --query "RouteServiceRole_IN_0" -o table
run vnet-gateway list-bgp-peer-status -n vpngw -o table

say "8. Both instances matter: the NVA stops announcing 10.10.0.0/16 to IN_1"
run routeserver peering withdraw --routeserver ars -n nva --prefixes 10.10.0.0/16 --instances IN_1 -o none
run routeserver show -n ars --query "{Name: name, Asn: virtualRouterAsn, Ips: join(', ', virtualRouterIps)}" -o table

say "Done: that was a private vrsd, now stopped. make demo runs the same lab over live BGP."
