#!/usr/bin/env bash
# tests/soak/instance.sh [ROUNDS] - instance failure (issue 10): two vrsd
# processes in mode ars, one per route server instance (instance: IN_0,
# instance: IN_1), with the same topology; two NVAs (vrs-speaker) peer
# with both.  Each round SIGKILLs one instance (IN_0, then IN_1, ...) and
# checks, while it is down and after it is started again:
#   * the survivor's sessions stay Established and never flap;
#   * each NVA still hears the other's routes from the survivor, exactly
#     as before, and nothing from the dead instance;
#   * the survivor's fabric (the VM's effective routes) is unchanged;
#   * the restarted instance (its topology from its state file) brings
#     its sessions back, and the NVAs' routes and its effective routes
#     are the same as before the kill.
# Then, from outside: a ninth bgpConnection refused (R1.9), and a peer at
# exactly the route limit (1,000) accepted where 1,001 is torn down
# (tests/lab/limits.sh); and the instance: key's errors.  Loopback
# 127.0.0.4-6 and 127.0.2.4-5, port 22800.  make soak runs more rounds.
set -u
. "$(dirname "$0")/../common.sh"
ROUNDS=${1:-2}
PORT=22800 K=20
v() { local i=$1; shift; "$VRS_BIN/vrs" --socket "$T/in$i.sock" "$@"; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $(head -c 600 <<< "$2")"$'\n'"got:  $(head -c 600 <<< "$3")"; fi; }

declare -A VP
vrsd_start() { # INSTANCE
    { echo "mode: ars"
      echo "instance: IN_$1"
      echo "bgp-port: $PORT"
      echo "control: $T/in$1.sock"
      echo "state: $T/in$1.json"
      echo "log-level: info"; } > "$T/in$1.yaml"
    "$VRS_BIN/vrsd" -c "$T/in$1.yaml" >> "$T/in$1.log" 2>&1 &
    VP[$1]=$! T_PIDS+=($!)
    wait_for 10 v "$1" -o none network vnet list ||
        { bad "vrsd IN_$1 starts" "$(tail "$T/in$1.log")"; check_done; exit 1; }
}
topology() { # INSTANCE
    local c
    while read -r c; do
        [ -n "$c" ] || continue
        # shellcheck disable=SC2086
        v "$1" -o none network $c || { bad "IN_$1: $c" ""; return 1; }
    done <<E
vnet create -n hub --address-prefixes 10.0.0.0/16
vnet subnet create --vnet-name hub -n nva --address-prefixes 10.0.0.0/24
vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.0.2.0/26
routeserver create -n ars --vnet-name hub
routeserver peering create --routeserver ars -n nva1 --peer-ip 10.0.0.4 --peer-asn 65010
routeserver peering create --routeserver ars -n nva2 --peer-ip 10.0.0.6 --peer-asn 65020
nic create -n vm-nic --vnet-name hub --subnet nva --private-ip-address 10.0.0.5
E
}
# nva NAME ADDR ASN NET: a vrs-speaker at ADDR peering with both
# instances, announcing K /24s of NET (the lab's --map-loopback: 10.0.2.4
# is 127.0.2.4); its CLI pipes in T
declare -A NP
mkdir -p "$T/run/exabgp"
nva() {
    local n=$1 a=$2 as=$3 net=$4 nb i
    : > "$T/$n.conf"
    for nb in 10.0.2.4 10.0.2.5; do
        { echo "neighbor $nb { router-id $a; local-address $a; local-as $as; peer-as 65515;"
          echo "  static {"
          for i in $(seq 1 $K); do echo "    route $net.$i.0/24 next-hop $a;"; done
          echo "  } }"; } >> "$T/$n.conf"
    done
    exabgp_tcp_port=$PORT exabgp_api_pipename=$n exabgp_api_cli=true \
        "$VRS_BIN/vrs-speaker" --map-loopback --root "$T" "$T/$n.conf" > "$T/$n.log" 2>&1 &
    NP[$n]=$! T_PIDS+=($!)
}
# what NVA NAME hears: "instance prefix next-hop [as-path]" per route
ribin() {
    exabgp_api_pipename=$1 timeout 10 "$VRS_BIN/vrs-speaker" cli --root "$T" show adj-rib in extensive |
        sed -n 's/^neighbor \([0-9.]*\) .* unicast \([0-9./]*\) next-hop \([0-9.]*\).* as-path \[ \([0-9 ]*\) \].*/\1 \2 \3 [\4]/p' |
        sed 's/ *$//' | sort
}
# the sessions of instance I: "name state flaps"
sessions() { v "$1" -o json peers | jq -r '.[] | "\(.name) \(.state) \(.flaps)"' | sort; }
est() { [ "$(v "$1" -o json peers | jq '[.[] | select(.state == "Established")] | length')" = 2 ]; }
# the VM's effective routes from instance I's fabric, one line each
eff() {
    v "$1" -o json network nic show-effective-route-table -n vm-nic |
        jq -r '.value[] | "\(.source) \(.addressPrefix | join(",")) \(.nextHopType) \(.nextHopIpAddress | join(","))"' | sort
}
learned() { # I PEER: what instance I learned from PEER
    v "$1" -o json network routeserver peering list-learned-routes --routeserver ars -n "$2" |
        jq -r ".RouteServiceRole_IN_$1[] | \"\(.network) \(.nextHop) \(.asPath)\"" | sort
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }

# the key's errors: file:line:column
printf 'mode: ars\ninstance: IN_2\n' > "$T/bad1.yaml"
printf 'instance: IN_1\n' > "$T/bad2.yaml"
same "instance: IN_2 refused at its line and column" "$T/bad1.yaml:2:11: instance IN_2 unknown (IN_0, IN_1)" \
    "$("$VRS_BIN/vrsd" --check -c "$T/bad1.yaml" 2>&1)"
same "instance: without mode: ars refused" "$T/bad2.yaml:1:11: instance: needs mode: ars" \
    "$("$VRS_BIN/vrsd" --check -c "$T/bad2.yaml" 2>&1)"
vrsd_start 0
vrsd_start 1
topology 0 && topology 1 || { check_done; exit 1; }
nva nva1 10.0.0.4 65010 172.16
nva nva2 10.0.0.6 65020 172.17
wait_for 30 est 0 && wait_for 30 est 1 || { bad "4 sessions Established" "$(sessions 0; sessions 1)"; check_done; exit 1; }
# each NVA hears the other's K routes and the VNet's 10.0.0.0/16 from both
full() { [ "$(ribin nva1 | wc -l)" = $((2 * K + 2)) ] && [ "$(ribin nva2 | wc -l)" = $((2 * K + 2)) ]; }
wait_for 20 full || bad "each NVA hears the other's $K routes from both instances" "$(ribin nva1 | wc -l) $(ribin nva2 | wc -l) $(ribin nva1 | head -3)"
sleep 1
same "two processes: IN_0 runs ars/IN_0 only, IN_1 ars/IN_1 only" \
    "ars/IN_0/nva1 Established 0
ars/IN_0/nva2 Established 0
ars/IN_1/nva1 Established 0
ars/IN_1/nva2 Established 0" "$(sessions 0; sessions 1)"
rib1=$(ribin nva1) rib2=$(ribin nva2)
eff0=$(eff 0) eff1=$(eff 1)
same "IN_1's fabric: the VM has each NVA's $K routes, next hop the NVA" "$((2 * K))" \
    "$(grep -c "^VirtualNetworkGateway 172\.1\([67]\)\.[0-9]*\.0/24 VirtualNetworkGateway 10\.0\.0\.[46]$" <<< "$eff1")"
same "IN_0's fabric: the same routes as IN_1's" "$eff1" "$eff0"
lrn0=$(learned 0 nva1) lrn1=$(learned 1 nva1)
[ "$(wc -l <<< "$lrn0")" = $K ] && ok "IN_0 learned nva1's $K routes" || bad "IN_0 learned nva1's $K routes" "$lrn0"

killed=0
for r in $(seq 1 "$ROUNDS"); do
    d=$(((r - 1) % 2)) s=$((1 - (r - 1) % 2)) # dead, survivor
    rss0=$(rss "${VP[$s]}") fd0=$(fds "${VP[$s]}")
    before=$(sessions "$s")
    kill -KILL "${VP[$d]}"; wait "${VP[$d]}" 2>/dev/null
    killed=$((killed + 1))
    gone() { ! grep -q "^10\.0\.2\.$((4 + d)) " <<< "$(ribin nva1)$(ribin nva2)"; }
    wait_for 20 gone || bad "round $r: the NVAs drop IN_$d's routes" "$(ribin nva1 | grep -c "^10.0.2.$((4 + d))")"
    sleep 2 # the survivor had time to do anything wrong
    same "round $r: IN_$d killed (SIGKILL): IN_$s's sessions still Established, no flap" "$before" "$(sessions "$s")"
    same "round $r: ... nva1 hears nva2's $K routes from IN_$s, as before" \
        "$(grep "^10\.0\.2\.$((4 + s)) " <<< "$rib1")" "$(ribin nva1)"
    same "round $r: ... nva2 hears nva1's $K routes from IN_$s, as before" \
        "$(grep "^10\.0\.2\.$((4 + s)) " <<< "$rib2")" "$(ribin nva2)"
    same "round $r: ... IN_$s's effective routes unchanged" "$([ "$s" = 1 ] && echo "$eff1" || echo "$eff0")" "$(eff "$s")"
    same "round $r: ... IN_$s still learns nva1's routes" "$([ "$s" = 1 ] && echo "$lrn1" || echo "$lrn0")" "$(learned "$s" nva1)"
    t0=$(date +%s.%N)
    vrsd_start "$d"
    wait_for 30 est "$d" && wait_for 20 full ||
        bad "round $r: IN_$d restarted: its sessions back" "$(sessions "$d")"
    t1=$(date +%s.%N)
    sleep 1
    same "round $r: IN_$d restarted: sessions back in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s, nva1 hears what it heard before" "$rib1" "$(ribin nva1)"
    same "round $r: ... and nva2" "$rib2" "$(ribin nva2)"
    same "round $r: ... IN_$d's effective routes as before" "$([ "$d" = 1 ] && echo "$eff1" || echo "$eff0")" "$(eff "$d")"
    same "round $r: ... IN_$s never flapped" "$before" "$(sessions "$s")"
    echo "     IN_$s: RSS $rss0 -> $(rss "${VP[$s]}") kB, fds $fd0 -> $(fds "${VP[$s]}")"
done

# limits from outside, at the surviving pair: a ninth bgpConnection is
# refused; a peer announcing exactly the route limit stays up
for i in 3 4 5 6 7 8; do
    v 0 -o none network routeserver peering create --routeserver ars -n "p$i" --peer-ip "10.0.0.$((10 + i))" --peer-asn $((65000 + i)) ||
        bad "peering p$i created" ""
done
out=$(v 0 network routeserver peering create --routeserver ars -n p9 --peer-ip 10.0.0.19 --peer-asn 65009 2>&1) &&
    bad "R1.9 a ninth bgpConnection refused" "$out" || ok "R1.9 a ninth bgpConnection refused: $(head -1 <<< "$out")"
for i in 3 4 5 6 7 8; do v 0 -o none network routeserver peering delete --routeserver ars -n "p$i"; done
kill "${NP[nva1]}"; wait "${NP[nva1]}" 2>/dev/null
K=1000
: > "$T/big.conf"
{ echo "neighbor 10.0.2.4 { router-id 10.0.0.4; local-address 10.0.0.4; local-as 65010; peer-as 65515;"
  echo "  static {"
  for i in $(seq 0 $((K - 1))); do echo "    route 172.$((20 + i / 250)).$((i % 250)).0/24 next-hop 10.0.0.4;"; done
  echo "  } }"; } > "$T/big.conf"
exabgp_tcp_port=$PORT exabgp_api_pipename=big exabgp_api_cli=true \
    "$VRS_BIN/vrs-speaker" --map-loopback --root "$T" "$T/big.conf" > "$T/big.log" 2>&1 &
T_PIDS+=($!)
atlimit() { [ "$(learned 0 nva1 | wc -l)" = 1000 ]; }
wait_for 30 atlimit && sleep 2 && [ "$(v 0 -o json peers | jq -r '.[] | select(.name == "ars/IN_0/nva1") | .state')" = Established ] &&
    ok "R1.9 exactly 1,000 routes: accepted, the session stays Established" ||
    bad "R1.9 exactly 1,000 routes accepted" "$(learned 0 nva1 | wc -l) learned; $(sessions 0)"
for i in 0 1; do kill -0 "${VP[$i]}" 2>/dev/null || bad "vrsd IN_$i still running" "$(tail "$T/in$i.log")"; done
ok "$killed instance kill(s) and restart(s)"
check_done
