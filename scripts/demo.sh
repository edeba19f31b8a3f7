#!/usr/bin/env bash
# make demo: the reference lab (../shared/spec/reference-lab.md) over live
# BGP, step by step, with the commands a user would type.
#
# `vrs lab up` starts vrsd (both Azure Route Server instances and the VPN
# gateway speak BGP on loopback) and two vrs-speaker processes: the NVA
# running labs/nva.conf and the on-premises router running
# labs/onprem.conf.  The eight behaviours are then driven through the
# speakers (`vrs lab speaker ...`, ExaBGP's commands) and the CLI, and
# `vrs lab down` stops everything the lab started, by pid.
#
# The demo's lab lives in its own folder on its own port (DEMO_PORT,
# default 11790), so it does not disturb a lab you run yourself.
set -u
B=$(cd "${1:-build}/bin" && pwd) || exit 1
export PATH=$B:$PATH
DIR=$(mktemp -d /tmp/vrs-demo.XXXXXX) || exit 1
export VRS_LAB_DIR=$DIR/lab VRS_LAB_PORT=${DEMO_PORT:-11790}
unset VRS_SOCKET
cleanup() {
	vrs lab down > /dev/null 2>&1
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
# run: show the command as typed, then run it
run() {
	local a line='$'
	for a in "$@"; do
		case $a in
		*[!][A-Za-z0-9_./:=,-]*) line="$line \"$a\"" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '%s\n' "$line"
	"$@" || exit 1
}
# settle: wait until the lab's BGP counters stop moving (at most 5 s), so
# the next table shows the converged state
settle() {
	local i prev= cur same=0
	for i in $(seq 1 50); do
		sleep 0.1
		cur=$(vrs -o json peers 2>/dev/null | jq -c '[.[] | [.name, .state, .updatesReceived, .updatesSent]]')
		if [ "$cur" = "$prev" ]; then
			same=$((same + 1))
			[ $same -ge 3 ] && return 0
		else
			same=0
		fi
		prev=$cur
	done
}

say "The reference lab: hub 10.0.0.0/16 with ARS (AS 65515) and a VPN gateway (AS 65510), spoke1 (uses the hub's gateways), spoke2 (does not), an NVA (AS 65010) and on-premises (AS 65501)"
printf '(this demo runs its lab in %s on port %s)\n' "$VRS_LAB_DIR" "$VRS_LAB_PORT"
run vrs lab up
run vrs network vnet peering list --vnet-name spoke1 --query "[].{Name: name, UseRemoteGateways: useRemoteGateways, State: peeringState}" -o table

say "1. The NVA hears the hub and spoke1 from both instances, as-path 65515; not spoke2 (no useRemoteGateways)"
run vrs lab speaker nva show adj-rib in extensive
run vrs network routeserver peering list-learned-routes --routeserver ars -n nva --query "RouteServiceRole_IN_0" -o table

say "3. Shortest AS path wins: 192.168.1.0/24 from the NVA (65010) beats on-premises (65510 65501)"
run vrs network nic show-effective-route-table -n vm-spoke1-nic -o table
say "   ... the NVA prepends (as-path [65010 65010]): on equal length the gateway's route wins; the NVA's is absent"
run vrs lab speaker nva announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2] as-path [65010 65010]
settle
run vrs network nic show-effective-route-table -n vm-spoke1-nic --query "value[?addressPrefix[0]=='192.168.1.0/24'].{Source: source, State: state, Prefix: addressPrefix[0], NextHopType: nextHopType, NextHop: nextHopIpAddress[0]}" -o table
run vrs network nic explain-route -n vm-spoke1-nic --prefix 192.168.1.0/24 -o table
run vrs lab speaker nva announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2]
settle

say "4. Gateway routes reach the hub and spoke1 only; 6. the NVA's 0.0.0.0/0 replaces the Internet route"
run vrs network nic show-effective-route-table -n vm-hub-nic -o table
run vrs network nic show-effective-route-table -n vm-spoke2-nic -o table
run vrs network nic explain-route -n vm-spoke2-nic --prefix 192.168.2.0/24 -o table

say "5. System routes for VNets and peerings beat BGP: the NVA's 10.1.0.0/16 is not programmed"
run vrs network nic explain-route -n vm-hub-nic --prefix 10.1.0.0/16 -o table

say "6. On the NVA's own NIC the BGP default route is a loop"
run vrs network nic explain-route -n nva-nic --prefix 0.0.0.0/0 -o table

say "7 and 2. Branch-to-branch off: neither side hears the other"
run vrs lab speaker onprem show adj-rib in
say "   ... the NVA withdraws its default route, branch-to-branch on"
run vrs lab speaker nva withdraw route 0.0.0.0/0 next-hop 10.0.0.4
run vrs network routeserver update -n ars --allow-b2b-traffic true --query "{Name: name, B2B: allowBranchToBranchTraffic}" -o table
settle
say "2. The NVA hears on-premises as 65515 65510 65501 with 65517:65517 (added by the VPN gateway), next hop each instance"
run vrs lab speaker nva show adj-rib in extensive
run vrs network routeserver peering list-advertised-routes --routeserver ars -n nva --query "RouteServiceRole_IN_1" -o table
say "7. The gateway learns the NVA's routes as 65515-65010; on-premises hears them as 65510 65515 65010"
run vrs network vnet-gateway list-learned-routes -n vpngw -o table
run vrs lab speaker onprem show adj-rib in extensive

say "8. Both instances matter: the NVA stops announcing 10.10.0.0/16 to IN_1"
run vrs lab speaker nva neighbor 10.0.2.5 withdraw route 10.10.0.0/16 next-hop 10.0.0.4
settle
run vrs network routeserver show -n ars --query "{Name: name, Asn: virtualRouterAsn, Ips: join(', ', virtualRouterIps)}" -o table

say "The sessions, as vrsd sees them"
run vrs peers

say "Done: vrs lab down stops what the lab started"
run vrs lab down
