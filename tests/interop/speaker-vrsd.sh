#!/bin/bash
# tests/interop/speaker-vrsd.sh - the reference lab's NVA: vrs-speaker runs
# nva.conf (../shared/spec/reference-lab.md) unchanged but for addresses
# mapped to loopback, against two vrsd instances standing for the two ARS
# instances (AS 65515).  Both learn the five routes with AS path 65010 and
# 192.168.1.0/24 with community 65010:2; the as-path [65010 65010] variant
# sent through `vrs-speaker cli` reaches both.
# Addresses: NVA 127.0.0.4, ARS IN_0 127.0.2.4, IN_1 127.0.2.5; port 26179.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
P=26179

start_vrsd in0 127.0.2.4 $P 65515 127.0.0.4,$P,65010,name=nva
start_vrsd in1 127.0.2.5 $P 65515 127.0.0.4,$P,65010,name=nva

# nva.conf of the reference lab, addresses mapped to loopback
conf=$IX_DIR/nva.conf
for ars in 127.0.2.4 127.0.2.5; do
    cat <<CONF
neighbor $ars {
  router-id 10.0.0.4;
  local-address 127.0.0.4;
  local-as 65010;
  peer-as 65515;
  static {
    route 192.168.10.0/24 next-hop 10.0.0.4;
    route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2];
    route 10.1.0.0/16 next-hop 10.0.0.4;
    route 10.10.0.0/16 next-hop 10.0.0.4;
    route 0.0.0.0/0 next-hop 10.0.0.4;
  }
}
CONF
done > "$conf"
pipe=vrs-nva-$$
mkdir -p /run/exabgp
exabgp_tcp_port=$P exabgp_api_pipename=$pipe \
    "$VRS_BIN/vrs-speaker" "$conf" > "$IX_DIR/speaker.log" 2>&1 &
spk=$!
trap 'kill $spk 2>/dev/null; wait $spk 2>/dev/null; ix_cleanup' EXIT

up() { [ "$(vrs_peer "$1" nva state)" = Established ]; }
routes_are() {
    # $1 vrsd, $2 expected AS path of 192.168.1.0/24
    local got
    got=$(vrs_routes "$1" --peer nva | jq -c '[.[] | {prefix, asPath, communities}] | sort_by(.prefix)')
    [ "$got" = "[{\"prefix\":\"0.0.0.0/0\",\"asPath\":[65010],\"communities\":[]},{\"prefix\":\"10.1.0.0/16\",\"asPath\":[65010],\"communities\":[]},{\"prefix\":\"10.10.0.0/16\",\"asPath\":[65010],\"communities\":[]},{\"prefix\":\"192.168.1.0/24\",\"asPath\":$2,\"communities\":[\"65010:2\"]},{\"prefix\":\"192.168.10.0/24\",\"asPath\":[65010],\"communities\":[]}]" ]
}
check "nva.conf accepted by vrs-speaker --test" "$VRS_BIN/vrs-speaker" --test "$conf"
check "IN_0 session Established" ix_wait_until 30 up in0
check "IN_1 session Established" ix_wait_until 30 up in1
check "IN_0 learns the five routes, AS path 65010" ix_wait_until 30 routes_are in0 '[65010]'
check "IN_1 learns the five routes, AS path 65010" ix_wait_until 30 routes_are in1 '[65010]'
check "vrs-speaker cli shows both neighbours" bash -c \
    "exabgp_api_pipename=$pipe '$VRS_BIN/vrs-speaker' cli show neighbor summary | grep -c 127.0.2 | grep -qx 2"
check "the prepend is accepted" env exabgp_api_pipename=$pipe "$VRS_BIN/vrs-speaker" cli \
    announce route 192.168.1.0/24 next-hop 10.0.0.4 as-path [ 65010 65010 ] community [65010:2]
check "IN_0 has 192.168.1.0/24 with AS path 65010 65010" ix_wait_until 30 routes_are in0 '[65010,65010]'
check "IN_1 has 192.168.1.0/24 with AS path 65010 65010" ix_wait_until 30 routes_are in1 '[65010,65010]'
[ "$FAIL" -gt 0 ] && tail -30 "$IX_DIR/speaker.log"
ix_summary
