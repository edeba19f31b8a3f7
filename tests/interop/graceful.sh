#!/bin/bash
# tests/interop/graceful.sh - vrsd as the Receiving Speaker of RFC 4724
# (4.2) for BIRD: `birdc graceful restart` closes BIRD's session without a
# NOTIFICATION; vrsd keeps BIRD's routes, stale, while BIRD is away, and
# when BIRD is back (a new process, its End-of-RIB) the route is still
# there and the stale ones are swept.  A plain stop (Cease) drops them.
# Addresses 127.0.8.11 (vrsd), 127.0.8.12 (BIRD); only its own pids.
set -u
. "$(dirname "$0")/lib.sh"
ix_need bird bird2
P=$((23100 + $$ % 300))
RS=127.0.8.11 B=127.0.8.12 ROUTE=10.8.1.0/24

start_vrsd rs $RS $P 65515 "$B,$P,65002,name=b" || ix_die "start vrsd"
ix_new_instance bird b $B $P 65002
BD=$(ix_idir b)
cat > "$BD/bird.conf" << EOB
router id $B;
log "$BD/bird.log" all;
protocol device { scan time 60; }
protocol static st { ipv4; route $ROUTE blackhole; }
protocol bgp up {
  local $B port $P as 65002;
  neighbor $RS port $P as 65515;
  strict bind on; multihop;
  graceful restart on;
  ipv4 { import none; export all; };
}
EOB
start_b() {
    bird -f -c "$BD/bird.conf" -s "$BD/bird.ctl" -P "$BD/bird.pid" >> "$BD/stdout.log" 2>&1 &
    ix_record_pid b $!
    ix_wait_until 10 test -S "$BD/bird.ctl" || ix_die "bird did not start"
}
vrsd_has() { [ "$(vrs_routes rs --peer b | jq --arg p "$ROUTE" '[.[] | select(.prefix == $p)] | length')" = 1 ]; }
vrsd_lacks() { ! vrsd_has; }
up() { [ "$(vrs_peer rs b state)" = Established ]; }
down() { ! up; }
logged() { grep -q "$1" "$(ix_idir rs)/vrsd.log"; }
b_gone() { ix_pid_gone "$(ix_get b pid)"; }

start_b
check "BIRD Established with vrsd" ix_wait_until 30 up
check "vrsd has BIRD's route" ix_wait_until 10 vrsd_has
ix_birdc b graceful restart > /dev/null
check "birdc graceful restart: BIRD is gone" ix_wait_until 10 b_gone
check "the session is down" ix_wait_until 10 down
check "vrsd kept the route" vrsd_has
check "vrsd says so (graceful restart: 1 routes kept)" logged 'graceful restart: 1 routes kept'
start_b
check "BIRD back: Established" ix_wait_until 30 up
check "the stale routes are swept" ix_wait_until 10 logged 'stale IPv4 routes removed'
check "the route is there, fresh" ix_wait_until 10 vrsd_has
stop_daemon b
check "a stop (Cease): the route goes" ix_wait_until 10 vrsd_lacks
ix_summary
