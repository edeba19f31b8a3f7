#!/bin/bash
# tests/speaker/graceful.sh - `capability { graceful-restart T; }` as ExaBGP
# 4.2.21 has it: the OPEN's capability sets the restart state and lists the
# neighbour's families with their forwarding state kept, and a stop or a
# restart of the speaker only closes the connection (no NOTIFICATION), so
# that its peers keep its routes until it is back (RFC 4724 4.2).
#
# One speaker, two neighbours: BIRD (`graceful restart on`) and vrsd (a
# helper).  Debian's exabgp runs the configuration first, then vrs-speaker;
# their OPENs (raw, from `send { packets; open; }`) must be the same bytes.
# Then: vrs-speaker's SIGTERM and SIGALRM (restart) leave the route in
# BIRD and in vrsd, BIRD saw no NOTIFICATION, vrsd says it kept the route;
# started again it is Established and the route is fresh.  Without
# graceful-restart, SIGTERM sends Cease 6/2 and both peers drop the route.
#
#   tests/speaker/graceful.sh   (VRS_BIN: the folder of vrs-speaker, vrsd)
#
# Addresses 127.0.8.1 (vrsd), .2 (BIRD), .3 (the speaker); only its pids.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
ix_init
ix_need exabgp exabgp
ix_need bird bird2
ix_need_speaker

P=$((23500 + $$ % 400))
RS=127.0.8.1 B=127.0.8.2 S=127.0.8.3
ROUTE=10.8.0.0/24

start_vrsd rs $RS $P 65515 "$S,$P,65010,name=nva" || ix_die "start vrsd"
ix_new_instance bird b $B $P 65002
BD=$(ix_idir b)
cat > "$BD/bird.conf" << EOB
router id $B;
log "$BD/bird.log" all;
protocol device { scan time 60; }
protocol bgp nva {
  local $B port $P as 65002;
  neighbor $S port $P as 65010;
  strict bind on; passive on; multihop;
  graceful restart on;
  ipv4 { import all; export none; };
}
EOB
bird -f -c "$BD/bird.conf" -s "$BD/bird.ctl" -P "$BD/bird.pid" > "$BD/stdout.log" 2>&1 &
ix_record_pid b $!
ix_wait_until 10 test -S "$BD/bird.ctl" || ix_die "bird did not start"

speaker_conf() { # FILE (GR=1: with graceful-restart)
    local file=$1 nb
    {
        echo "process mon { run /bin/sh -c 'cat >> $IX_DIR/mon.out'; encoder text; }"
        for nb in "$RS 65515" "$B 65002"; do
            set -- $nb
            echo "neighbor $1 {"
            echo "  router-id 10.0.8.3; local-address $S; local-as 65010; peer-as $2;"
            echo "  family { ipv4 unicast; ipv6 unicast; }"
            [ "$GR" = 1 ] && echo "  capability { graceful-restart 120; }"
            echo "  api { processes [ mon ]; neighbor-changes; send { packets; open; } }"
            echo "  static { route $ROUTE next-hop $S; }"
            echo "}"
        done
    } > "$file"
}

SPID=
start_speaker() { # PROGRAM CONF
    : > "$IX_DIR/mon.out"
    env exabgp.daemon.user=root exabgp.daemon.drop=false \
        exabgp.daemon.daemonize=false exabgp.tcp.bind= exabgp.tcp.port=$P \
        exabgp.api.cli=false exabgp.log.destination="$IX_DIR/speaker.log" \
        "$1" "$2" >> "$IX_DIR/speaker.out" 2>&1 &
    SPID=$!
}
stop_speaker() { # SIGNAL
    kill -"$1" "$SPID" 2>/dev/null
    ix_wait_until 15 ix_pid_gone "$SPID" || { kill -KILL "$SPID"; ix_die "the speaker did not stop"; }
    wait "$SPID" 2>/dev/null
}
both_up() { [ "$(grep -c ' up$' "$IX_DIR/mon.out")" -ge 2 ]; }
# the raw OPEN sent to neighbour $1
open_to() { grep "^neighbor $1 send 1 header" "$IX_DIR/mon.out" | tail -1; }
bird_has() { ix_birdc b show route "$ROUTE" protocol nva 2>/dev/null | grep -q "$ROUTE"; }
bird_lacks() { ! bird_has; }
bird_error() { ix_birdc b show protocols all nva | sed -n 's/^ *Last error: *//p'; }
# the NOTIFICATIONs BIRD received, as its log has them
bird_notified() { grep -c '<RMT> nva: Received:' "$BD/bird.log"; }
bird_up() { ix_birdc b show protocols nva | grep -q Established; }
vrsd_has() { [ "$(vrs_routes rs --peer nva | jq --arg p "$ROUTE" '[.[] | select(.prefix == $p)] | length')" = 1 ]; }
vrsd_lacks() { ! vrsd_has; }
vrsd_up() { [ "$(vrs_peer rs nva state)" = Established ]; }
kept_logged() { [ "$(grep -c 'graceful restart: .* routes kept' "$(ix_idir rs)/vrsd.log")" -ge "$1" ]; }

GR=1 speaker_conf "$IX_DIR/gr.conf"
GR=0 speaker_conf "$IX_DIR/plain.conf"

# 1. ExaBGP's OPENs
start_speaker exabgp "$IX_DIR/gr.conf"
ix_wait_until 30 both_up || ix_die "exabgp did not reach both peers"
exa_rs=$(open_to $RS) exa_b=$(open_to $B)
stop_speaker TERM
check "exabgp stopped: BIRD keeps its route (the reference)" ix_wait_until 5 bird_has

# 2. vrs-speaker: the same OPENs, the route kept over a stop
start_speaker "$SPK" "$IX_DIR/gr.conf"
check "vrs-speaker: both sessions up" ix_wait_until 30 both_up
check "the OPEN to vrsd is ExaBGP's, byte for byte" test "$(open_to $RS)" = "$exa_rs"
check "the OPEN to BIRD is ExaBGP's, byte for byte" test "$(open_to $B)" = "$exa_b"
check "BIRD and vrsd have the route" ix_wait_until 10 eval 'bird_has && vrsd_has'
stop_speaker TERM
sleep 0.5
check "SIGTERM: BIRD keeps the route" bird_has
check "SIGTERM: BIRD got no NOTIFICATION ($(bird_error))" eval \
    'test "$(bird_error)" = "Socket: Connection closed" && test "$(bird_notified)" = 0'
check "SIGTERM: vrsd keeps the route, as a graceful restart" eval 'vrsd_has && kept_logged 2'

# 3. back: Established, and the route is fresh (End-of-RIB swept the stale)
start_speaker "$SPK" "$IX_DIR/gr.conf"
check "started again: both sessions up" ix_wait_until 30 eval 'both_up && bird_up && vrsd_up'
check "BIRD and vrsd have the route again" ix_wait_until 10 eval 'bird_has && vrsd_has'
check "BIRD holds no stale route" ix_wait_until 10 eval \
    '! ix_birdc b show route "$ROUTE" protocol nva all | grep -qi stale'

# 4. restart (SIGALRM): each session closes without a NOTIFICATION, comes back
: > "$IX_DIR/mon.out"
kill -ALRM "$SPID"
check "SIGALRM: both sessions come back" ix_wait_until 30 eval 'both_up && bird_up && vrsd_up'
check "SIGALRM: BIRD got no NOTIFICATION" test "$(bird_notified)" = 0
check "SIGALRM: vrsd kept the route over it" eval 'vrsd_has && kept_logged 3'
stop_speaker TERM

# 5. without graceful-restart a stop is Cease 6/2 and the route goes
start_speaker "$SPK" "$IX_DIR/plain.conf"
check "without graceful restart: both sessions up" ix_wait_until 30 eval 'both_up && bird_up && vrsd_up'
stop_speaker TERM
check "SIGTERM: BIRD drops the route" ix_wait_until 5 bird_lacks
check "SIGTERM: BIRD got Cease 6/2 ($(bird_error))" eval \
    'test "$(bird_error)" = "Received: Administrative shutdown" && test "$(bird_notified)" = 1'
check "SIGTERM: vrsd drops the route" ix_wait_until 5 vrsd_lacks

[ "$FAIL" -gt 0 ] && { tail -20 "$IX_DIR/speaker.out"; cat "$IX_DIR/mon.out"; }
ix_summary
