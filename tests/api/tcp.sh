#!/usr/bin/env bash
# tests/api/tcp.sh - the control API on loopback TCP (control-listen:):
# vrs reaches it as tcp://127.0.0.1:PORT, a body over 1 MiB gets 413 with
# the JSON error body, web pages are refused, and `vrsd --check` refuses
# an address that is not loopback, by position.
#
# Everything listens on 127.0.0.1 (or ::1), on a free port in 27000-27999.
# The EXIT trap stops the vrsd this script started, by pid, and removes
# the temp dir (T_KEEP=1 keeps it).

set -u
BIN=${VRS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/bin}
DIR=$(mktemp -d /tmp/vrs-api-tcp.XXXXXX) || exit 1
PID=
PORT=
fails=0

t_log() { printf '[api/tcp %s] %s\n' "$(date +%T)" "$*" >&2; }
t_die() { t_log "FATAL: $*"; exit 1; }
fail() { t_log "FAIL $*"; fails=$((fails + 1)); }

cleanup() {
    local rc=$?
    [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    if [ -n "${T_KEEP:-}" ]; then t_log "keeping $DIR"; else rm -rf "$DIR"; fi
    return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

vrs() { "$BIN/vrs" "$@"; }

# port_free P: nothing answers on 127.0.0.1:P
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start: vrsd with control-listen on a free port; poll (bounded) until it
# answers on TCP.  Another program may take the port first: try others.
start() {
    local try i
    for try in $(seq 1 20); do
        PORT=$((27000 + (RANDOM + $$ + try) % 1000))
        port_free "$PORT" || continue
        printf 'control: %s\ncontrol-listen: 127.0.0.1:%s\nstate: %s\nlog-level: warning\n' \
            "$DIR/vrsd.sock" "$PORT" "$DIR/state.json" > "$DIR/vrsd.yaml"
        "$BIN/vrsd" -c "$DIR/vrsd.yaml" 2> "$DIR/vrsd.log" &
        PID=$!
        for i in $(seq 1 200); do
            vrs --socket "tcp://127.0.0.1:$PORT" network vnet list -o none 2>/dev/null && return 0
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.05
        done
        if kill -0 "$PID" 2>/dev/null; then
            cat "$DIR/vrsd.log" >&2
            t_die "vrsd does not answer on tcp://127.0.0.1:$PORT"
        fi
        wait "$PID" 2>/dev/null
        PID=
        grep -q 'Address already in use' "$DIR/vrsd.log" || { cat "$DIR/vrsd.log" >&2; t_die "vrsd exited"; }
    done
    t_die "no free port in 27000-27999"
}

stop() {
    [ -n "$PID" ] || return 0
    kill -TERM "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null || fail "vrsd exited $? on SIGTERM"
    PID=
}

# ---- vrsd --check: control-listen must be a loopback ADDRESS:PORT
# refused VALUE MESSAGE: --check exits 1 with file:2:17 and MESSAGE
refused() {
    local value=$1 want=$2 f=$DIR/check.yaml out
    printf 'control: %s\ncontrol-listen: "%s"\n' "$DIR/check.sock" "$value" > "$f"
    if out=$("$BIN/vrsd" --check -c "$f" 2>&1); then
        fail "vrsd --check accepted control-listen: $value"
    elif ! grep -qF "$f:2:17: control-listen $value: $want" <<< "$out"; then
        fail "control-listen: $value: unexpected message: $out"
    fi
}
refused 0.0.0.0:27001 'not a loopback address (127.0.0.0/8 or [::1]'
refused 10.1.2.3:27001 'not a loopback address (127.0.0.0/8 or [::1]'
refused '[::]:27001' 'not a loopback address (127.0.0.0/8 or [::1]'
refused '[::ffff:127.0.0.1]:27001' 'not a loopback address (127.0.0.0/8 or [::1]'
refused 127.0.0.1 'expected ADDRESS:PORT or [IPv6]:PORT'
refused 127.0.0.1:0 'port out of range (1-65535)'
for ok in 127.0.0.1:27001 127.9.8.7:27001 '[::1]:27001'; do
    printf 'control: %s\ncontrol-listen: "%s"\n' "$DIR/check.sock" "$ok" > "$DIR/check.yaml"
    "$BIN/vrsd" --check -c "$DIR/check.yaml" > /dev/null 2>&1 ||
        fail "vrsd --check refused control-listen: $ok"
done

# ---- vrs network through tcp://
start
t_log "vrsd pid $PID, control-listen 127.0.0.1:$PORT"
export VRS_SOCKET=tcp://127.0.0.1:$PORT
vrs network vnet create -n hub --address-prefixes 10.1.0.0/16 -o none || fail "vnet create hub via \$VRS_SOCKET"
vrs --socket "tcp://127.0.0.1:$PORT" network vnet create -n s1 \
    --address-prefixes 10.2.0.0/16 -o none || fail "vnet create s1 via --socket"
vrs network vnet list -o tsv > "$DIR/list-tcp" || fail "vnet list via tcp://"
vrs --socket "$DIR/vrsd.sock" network vnet list -o tsv > "$DIR/list-unix" || fail "vnet list via the UNIX socket"
grep -q $'/virtualNetworks/hub\t' "$DIR/list-tcp" && grep -q $'/virtualNetworks/s1\t' "$DIR/list-tcp" || fail "vnet list via tcp://: $(cat "$DIR/list-tcp")"
cmp -s "$DIR/list-tcp" "$DIR/list-unix" || fail "the UNIX socket and tcp:// list different VNets"
if vrs network vnet show -n nosuch > /dev/null 2> "$DIR/err"; then
    fail "vnet show of a missing VNet succeeded"
elif ! grep -q '^vrs: .*nosuch' "$DIR/err"; then
    fail "vnet show of a missing VNet: $(cat "$DIR/err")"
fi
vrs --socket "tcp://127.0.0.1:$PORT/x" network vnet list > /dev/null 2>&1 && fail "vrs accepted tcp://127.0.0.1:$PORT/x"

# ---- bodies over 1 MiB: 413 and the API's JSON error, state unchanged
if command -v curl > /dev/null; then
    R=http://127.0.0.1:$PORT/subscriptions/x/resourceGroups/lab/providers/Microsoft.Network
    head -c 1100000 /dev/zero | tr '\0' ' ' > "$DIR/big"
    cp "$DIR/state.json" "$DIR/state.before"
    # big413 NAME CURL-ARGS...: PUT the 1.1 MB body, expect 413 + JSON
    big413() {
        local name=$1; shift
        curl -sS -o "$DIR/$name.body" -w '%{http_code} %{content_type}' -X PUT \
            -H 'Content-Type: application/json' --data-binary @"$DIR/big" "$@" \
            "$R/virtualNetworks/big" > "$DIR/$name.status" 2> "$DIR/$name.err"
        [ "$(cat "$DIR/$name.status")" = "413 application/json" ] ||
            { fail "$name: $(cat "$DIR/$name.status" "$DIR/$name.err")"; return; }
        python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["error"]
sys.exit(e["code"] != "RequestTooLarge" or "1 MiB" not in e["message"])' \
            "$DIR/$name.body" || fail "$name: body $(cat "$DIR/$name.body")"
    }
    big413 big-expect                      # curl sends Expect: 100-continue
    big413 big-plain -H 'Expect:'          # the body follows the headers at once
    big413 big-unix -H 'Expect:' --unix-socket "$DIR/vrsd.sock"
    cmp -s "$DIR/state.json" "$DIR/state.before" || fail "a refused body changed the state"
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$R/virtualNetworks/hub")
    [ "$code" = 200 ] || fail "GET after the 413s answered $code"

    # ---- web pages: an Origin, or a Host that is not loopback (DNS rebinding)
    code=$(curl -sS -o "$DIR/origin" -w '%{http_code}' -X POST -H 'Origin: http://example.com' \
        "http://127.0.0.1:$PORT/v1/peers/x/reset")
    [ "$code" = 403 ] && grep -q '"Forbidden"' "$DIR/origin" || fail "a request with Origin answered $code"
    code=$(curl -sS -o "$DIR/host" -w '%{http_code}' -H "Host: rebound.example:$PORT" "$R/virtualNetworks")
    [ "$code" = 403 ] && grep -q '"Forbidden"' "$DIR/host" || fail "Host rebound.example answered $code"
    code=$(curl -sS -o /dev/null -w '%{http_code}' "http://localhost:$PORT/v1/memory")
    [ "$code" = 200 ] || fail "Host localhost answered $code"
else
    t_log "curl missing: the HTTP checks are skipped"
fi

stop
[ "$fails" = 0 ] || t_die "$fails check(s) failed"
t_log "api/tcp: all checks passed"
