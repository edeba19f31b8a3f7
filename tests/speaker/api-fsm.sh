#!/bin/bash
# tests/speaker/api-fsm.sh - what a process hears of a neighbour that cannot
# be reached, and of a stop, from vrs-speaker beside Debian's ExaBGP 4.2.
#
# Each speaker (exabgp, then vrs-speaker; both at once, each its own
# addresses) has one active neighbour on a loopback address where nothing
# listens, and two processes with `neighbor-changes; fsm;`, one JSON, one
# text.  Every connection attempt is refused.  ExaBGP tells each one as
# ACTIVE, connected, CONNECT, IDLE and down ("Broken TCP connection"); on
# SIGTERM it tells the FSM's IDLE and then "shutdown".  The test waits for
# five attempts to be told, stops both with SIGTERM, and compares the
# first attempt and the stop, event for event, without the time, pids,
# host and counter, and the pacing: the seconds between the attempts'
# downs, rounded (ExaBGP's Delay: 0, 1, 2, 3 ...).
#
#   tests/speaker/api-fsm.sh   (VRS_BIN: the folder of vrs-speaker)
#
# Only 127.0.0.0/8 addresses and high ports; stops only its own pids.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
ix_init
ix_need exabgp exabgp
ix_need_speaker

PORT=$((29500 + $$ % 400))
FAIL=0

start_speaker() { # NAME LOCAL PEER PROGRAM...
    local name=$1 local=$2 peer=$3 d
    shift 3
    ix_new_instance exabgp "$name" "$local" "$PORT" 65010
    d=$(ix_idir "$name")
    cat > "$d/speaker.conf" << EOC
process mon-json {
    run /bin/sh -c 'cat > $d/json.out';
    encoder json;
}
process mon-text {
    run /bin/sh -c 'cat > $d/text.out';
    encoder text;
}
neighbor $peer {
    router-id 10.0.7.1;
    local-address $local;
    local-as 65010;
    peer-as 65515;
    api {
        processes [ mon-json, mon-text ];
        neighbor-changes;
        fsm;
    }
}
EOC
    env exabgp.daemon.user=root exabgp.daemon.drop=false \
        exabgp.daemon.daemonize=false exabgp.tcp.bind= \
        exabgp.tcp.port="$PORT" exabgp.api.cli=false \
        exabgp.log.destination="$d/speaker.log" \
        "$@" "$d/speaker.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
}

# events NAME: the JSON events, one a line, without what differs by run
events() {
    sed -E 's/"time": [0-9.]+, //; s/"host" : "[^"]*", //;
        s/"pid" : [0-9]+, "ppid" : [0-9]+, //; s/"counter": [0-9]+, //' \
        "$(ix_idir "$1")/json.out"
}
# texts NAME: the text lines, the pids of "shutdown" left out
texts() { sed -E 's/^shutdown [0-9]+ [0-9]+$/shutdown/' "$(ix_idir "$1")/text.out"; }

same() { # WHAT EXA-FILE VRS-FILE
    if diff -u --label "exabgp: $1" --label "vrs-speaker: $1" "$2" "$3" > "$IX_DIR/diff" 2>&1; then
        echo "ok   $1 ($(wc -l < "$2") lines)"
    else
        echo "FAIL $1"; cat "$IX_DIR/diff"; FAIL=1
    fi
}

told_five() { # NAME: five attempts' downs are told in JSON and text
    local d; d=$(ix_idir "$1")
    [ "$(grep -c '"state": "down"' "$d/json.out" 2>/dev/null)" -ge 5 ] &&
        [ "$(grep -c ' down ' "$d/text.out" 2>/dev/null)" -ge 5 ]
}
# gaps NAME: the seconds between the first five downs, rounded
gaps() {
    grep '"state": "down"' "$(ix_idir "$1")/json.out" | head -5 |
        sed -E 's/.*"time": ([0-9.]+).*/\1/' |
        awk 'NR > 1 { printf "%s%d", (NR > 2 ? " " : ""), $1 - p + 0.5 } { p = $1 } END { print "" }'
}

stop_speaker() { # NAME: SIGTERM, and wait for it to be gone (10 s)
    local pid; pid=$(ix_get "$1" pid)
    kill -TERM "$pid" 2>/dev/null
    ix_wait_until 10 ix_pid_gone "$pid" || ix_die "$1 did not stop"
}

start_speaker exa 127.0.7.1 127.0.7.2 exabgp
start_speaker vrs 127.0.7.3 127.0.7.4 "$SPK"
ix_wait_until 20 told_five exa || ix_die "exabgp told fewer than five failed attempts in 20 s"
ix_wait_until 20 told_five vrs || { FAIL=1; echo "FAIL vrs-speaker told fewer than five failed attempts in 20 s"; }
exa_gaps=$(gaps exa) vrs_gaps=$(gaps vrs)
stop_speaker exa
stop_speaker vrs

for n in exa vrs; do
    events $n | sed 's/127\.0\.7\.[34]/127.0.7.X/g; s/127\.0\.7\.[12]/127.0.7.X/g' > "$IX_DIR/$n.json"
    texts $n | sed 's/127\.0\.7\.[34]/127.0.7.X/g; s/127\.0\.7\.[12]/127.0.7.X/g' > "$IX_DIR/$n.text"
    head -5 "$IX_DIR/$n.json" > "$IX_DIR/$n.json.first"
    tail -2 "$IX_DIR/$n.json" > "$IX_DIR/$n.json.stop"
    # each text event is a line and an empty line, as ExaBGP writes them
    head -4 "$IX_DIR/$n.text" > "$IX_DIR/$n.text.first"
    tail -2 "$IX_DIR/$n.text" > "$IX_DIR/$n.text.stop"
done
grep -q '"state": "ACTIVE"' "$IX_DIR/exa.json.first" ||
    ix_die "exabgp's first events are not an attempt (see $IX_DIR/exa.json)"
same "json, a refused attempt" "$IX_DIR/exa.json.first" "$IX_DIR/vrs.json.first"
same "json, the stop" "$IX_DIR/exa.json.stop" "$IX_DIR/vrs.json.stop"
same "text, a refused attempt" "$IX_DIR/exa.text.first" "$IX_DIR/vrs.text.first"
same "text, the stop" "$IX_DIR/exa.text.stop" "$IX_DIR/vrs.text.stop"
if [ "$(wc -w <<< "$exa_gaps")" = 4 ] && [ "$exa_gaps" = "$vrs_gaps" ]; then
    echo "ok   the retries' pacing: $vrs_gaps s between the downs, as exabgp's"
else
    echo "FAIL the retries' pacing: exabgp $exa_gaps s, vrs-speaker $vrs_gaps s"; FAIL=1
fi
[ $FAIL = 0 ] && echo "PASS" || echo "FAILED"
exit $FAIL
