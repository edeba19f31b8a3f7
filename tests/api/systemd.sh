#!/usr/bin/env bash
# tests/api/systemd.sh - what systemd sees of vrsd and vrs-speaker: the
# Type=notify messages (READY=1 once listening, RELOADING=1 and READY=1
# around a reload, STOPPING=1 on SIGTERM) on a $NOTIFY_SOCKET this test
# listens on, journald priority prefixes when stderr is $JOURNAL_STREAM,
# and the units in contrib/ as systemd-analyze verify reads them.
# Sockets: UNIX ones in a temp dir; BGP on 127.0.130.1, port 21330.
set -u
. "$(dirname "$0")/../common.sh"
BIN=$VRS_BIN
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$T
# line_in FILE PATTERN: a line of FILE matches within 10 s
line_in() { for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# the manager's end: one datagram a line, "|"-joined, for 60 s at most
listen() { # SOCKET LOG
    python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(0.5)
end = time.time() + 60
with open(sys.argv[2], "a") as log:
    while time.time() < end:
        try: m = s.recv(4096)
        except socket.timeout: continue
        log.write(m.decode().replace("\n", "|") + "\n"); log.flush()
' "$1" "$2" &
    T_PIDS+=($!)
    for _ in $(seq 1 50); do [ -S "$1" ] && return 0; sleep 0.1; done
    return 1
}

# 1. vrsd
listen "$DIR/notify.sock" "$DIR/vrsd.notify" || { bad "the notify socket"; exit 1; }
printf 'router-id: 127.0.130.1\nasn: 65000\nlisten: ["127.0.130.1:21330"]\ncontrol: %s\nlog-level: info\npeers:\n  - { name: a, address: 127.0.130.2, asn: 65001 }\n' \
    "$DIR/vrsd.sock" > "$DIR/vrsd.yaml"
: > "$DIR/vrsd.log"
js=$(stat -c '%d:%i' "$DIR/vrsd.log")
NOTIFY_SOCKET=$DIR/notify.sock JOURNAL_STREAM=$js "$BIN/vrsd" -c "$DIR/vrsd.yaml" 2>> "$DIR/vrsd.log" &
vp=$!; T_PIDS+=($vp)
if line_in "$DIR/vrsd.notify" '^READY=1|STATUS=AS65000, 1 peers'; then
    ok "vrsd: READY=1 with a STATUS line"
    [ -S "$DIR/vrsd.sock" ] && ss -Hltn 'sport = :21330' | grep -q 127.0.130.1 &&
        ok "... once its control socket and BGP listener are up" || bad "... once its control socket and BGP listener are up"
else bad "vrsd: READY=1" "$(cat "$DIR/vrsd.notify" "$DIR/vrsd.log")"; fi
kill -HUP $vp
line_in "$DIR/vrsd.notify" '^RELOADING=1$' && line_in "$DIR/vrsd.notify" '^READY=1$' &&
    [ "$(grep -n '' "$DIR/vrsd.notify" | tail -2 | cut -d: -f2 | tr '\n' ' ')" = "RELOADING=1 READY=1 " ] &&
    ok "vrsd: SIGHUP gives RELOADING=1 then READY=1" || bad "vrsd: SIGHUP gives RELOADING=1 then READY=1" "$(cat "$DIR/vrsd.notify")"
kill -TERM $vp; wait $vp; rc=$?
line_in "$DIR/vrsd.notify" '^STOPPING=1$' && [ $rc = 0 ] &&
    ok "vrsd: SIGTERM gives STOPPING=1, exit 0" || bad "vrsd: SIGTERM gives STOPPING=1, exit 0" "rc $rc; $(cat "$DIR/vrsd.notify")"
grep -q '^<6>vrsd: configuration reloaded$' "$DIR/vrsd.log" && ! grep -qv '^<[3467]>vrsd: ' "$DIR/vrsd.log" &&
    ok "vrsd: every log line carries its journald priority (<6> info)" || bad "vrsd: journald priorities" "$(head -5 "$DIR/vrsd.log")"
NOTIFY_SOCKET=$DIR/notify.sock "$BIN/vrsd" -c "$DIR/vrsd.yaml" 2> "$DIR/plain.log" &
vp=$!; T_PIDS+=($vp)
line_in "$DIR/plain.log" 'vrsd .*: AS65000' && kill -TERM $vp; wait $vp
grep -q '^vrsd: ' "$DIR/plain.log" && ! grep -q '^<' "$DIR/plain.log" &&
    ok "vrsd: no priority prefix when stderr is not the journal" || bad "vrsd: no prefix off the journal" "$(head -3 "$DIR/plain.log")"

# 2. vrs-speaker
listen "$DIR/notify2.sock" "$DIR/spk.notify" || { bad "the second notify socket"; exit 1; }
printf 'neighbor 127.0.130.1 {\n  router-id 127.0.130.2;\n  local-address 127.0.130.2;\n  local-as 65001;\n  peer-as 65000;\n}\n' > "$DIR/spk.conf"
NOTIFY_SOCKET=$DIR/notify2.sock exabgp_tcp_port=21330 exabgp_tcp_bind= exabgp_api_cli=false "$BIN/vrs-speaker" "$DIR/spk.conf" 2> "$DIR/spk.log" &
sp=$!; T_PIDS+=($sp)
line_in "$DIR/spk.notify" '^READY=1$' && ok "vrs-speaker: READY=1" || bad "vrs-speaker: READY=1" "$(cat "$DIR/spk.log")"
kill -USR1 $sp
line_in "$DIR/spk.notify" '^RELOADING=1$' && [ "$(tail -1 "$DIR/spk.notify")" = READY=1 ] &&
    ok "vrs-speaker: a reload (SIGUSR1) gives RELOADING=1 then READY=1" || bad "vrs-speaker: reload" "$(cat "$DIR/spk.notify")"
kill -TERM $sp; wait $sp
line_in "$DIR/spk.notify" '^STOPPING=1$' && ok "vrs-speaker: SIGTERM gives STOPPING=1" || bad "vrs-speaker: STOPPING=1" "$(cat "$DIR/spk.notify")"

# 3. the units, with this build's paths
if command -v systemd-analyze > /dev/null; then
    for u in vrsd vrs-speaker; do
        sed "s|/usr/local/bin/|$BIN/|g" "$SRC/contrib/$u.service" > "$DIR/$u.service"
        out=$(systemd-analyze verify "$DIR/$u.service" 2>&1)
        [ -z "$out" ] && ok "systemd-analyze verify contrib/$u.service: clean" || bad "systemd-analyze verify contrib/$u.service" "$out"
        grep -q '^Type=notify$' "$DIR/$u.service" && grep -q '^ExecReload=' "$DIR/$u.service" &&
            ok "... Type=notify, ExecReload" || bad "$u.service: Type=notify, ExecReload"
    done
else
    printf 'skip systemd-analyze: not installed\n'
fi
check_done
