#!/usr/bin/env bash
# tests/api/access.sh - who may talk to vrsd's control API: the socket is
# 0600 (0660 with control-group) in a directory only its owner can
# write; the TCP listener leaves loopback only with http-token-file, and
# then every request needs the token (401 otherwise).
#
# Everything listens on 127.0.0.1 (a free port in 27000-27999) or a UNIX
# socket in a temp dir; the EXIT trap stops the vrsd this script started,
# by pid.
set -u
. "$(dirname "$0")/../common.sh"
BIN=$VRS_BIN
DIR=$T
PID=
# the one vrsd running at a time, stopped at exit too
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; t_cleanup' EXIT
check() { if eval "$2"; then ok "$1"; else bad "$1" "${3:-}"; fi; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# run vrsd on CONFIG until its control socket SOCK answers (bounded)
up() {
    "$BIN/vrsd" -c "$1" 2> "$DIR/vrsd.log" &
    PID=$!
    for _ in $(seq 1 100); do
        "$BIN/vrs" --socket "$2" -o none network vnet list 2>/dev/null && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.05
    done
    return 1
}
down() { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; }
# http STATUS-FILE URL [HEADER]: the status of a GET, with python3
http() {
    python3 - "$@" <<'P'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[2])
if len(sys.argv) > 3:
    k, v = sys.argv[3].split(": ", 1)
    req.add_header(k, v)
try:
    with urllib.request.urlopen(req, timeout=5) as r:
        print(r.status)
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("WWW-Authenticate", ""), e.read().decode())
P
}

# 1. the socket: 0600 from the start, in a directory vrsd made 0700
printf 'control: %s\nlog-level: warning\n' "$DIR/run/vrsd.sock" > "$DIR/a.yaml"
if up "$DIR/a.yaml" "$DIR/run/vrsd.sock"; then
    check "the control socket is 0600" '[ "$(stat -c %a "$DIR/run/vrsd.sock")" = 600 ]' "$(stat -c %a "$DIR/run/vrsd.sock")"
    check "its missing directory was made 0700" '[ "$(stat -c %a "$DIR/run")" = 700 ]' "$(stat -c %a "$DIR/run")"
else bad "vrsd starts with a control socket in a new directory" "$(cat "$DIR/vrsd.log")"; fi
down

# 2. control-group: 0660 and that group; an unknown group is an error
grp=$(id -gn)
printf 'control: %s\ncontrol-group: %s\nlog-level: warning\n' "$DIR/g/vrsd.sock" "$grp" > "$DIR/g.yaml"
if up "$DIR/g.yaml" "$DIR/g/vrsd.sock"; then
    check "control-group $grp: the socket is 0660, group $grp" '[ "$(stat -c "%a %G" "$DIR/g/vrsd.sock")" = "660 $grp" ]' "$(stat -c "%a %G" "$DIR/g/vrsd.sock")"
    check "... its new directory 0750" '[ "$(stat -c %a "$DIR/g")" = 750 ]'
else bad "vrsd starts with control-group" "$(cat "$DIR/vrsd.log")"; fi
down
printf 'control: %s\ncontrol-group: no-such-group-vrs\n' "$DIR/g/vrsd.sock" > "$DIR/g2.yaml"
out=$("$BIN/vrsd" --check -c "$DIR/g2.yaml" 2>&1)
check "an unknown control-group: file:line:col" 'grep -q "g2.yaml:2:16: control-group no-such-group-vrs: no such group" <<< "$out"' "$out"

# 3. a directory others can write is refused, nothing listens
mkdir -m 0777 "$DIR/open"; chmod 0777 "$DIR/open"
printf 'control: %s\nlog-level: warning\n' "$DIR/open/vrsd.sock" > "$DIR/o.yaml"
timeout 10 "$BIN/vrsd" -c "$DIR/o.yaml" > "$DIR/o.log" 2>&1; rc=$?
check "a world-writable directory: vrsd exits 1 and says why" \
    '[ $rc = 1 ] && grep -q "directory $DIR/open (mode 777, owner uid [0-9]*) can be written by others" "$DIR/o.log" && [ ! -e "$DIR/open/vrsd.sock" ]' "rc $rc: $(cat "$DIR/o.log")"

# 4. http-token-file: checked at load
printf 'short\n' > "$DIR/short.tok"; chmod 600 "$DIR/short.tok"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/good.tok"; chmod 600 "$DIR/good.tok"
cp "$DIR/good.tok" "$DIR/open.tok"; chmod 644 "$DIR/open.tok"
tk() { printf 'control: %s\ncontrol-listen: "%s"\nhttp-token-file: %s\n' "$DIR/t.sock" "$1" "$2" > "$DIR/t.yaml"; "$BIN/vrsd" --check -c "$DIR/t.yaml" 2>&1; }
out=$(tk 0.0.0.0:27001 "$DIR/good.tok"); rc=$?
check "control-listen 0.0.0.0 with a token: accepted (--check only; nothing binds it here)" '[ $rc = 0 ]' "$out"
out=$(tk 0.0.0.0:27001 "$DIR/open.tok")
check "a token file others can read: refused at its line" 'grep -q "t.yaml:3:18: http-token-file $DIR/open.tok: mode 644 lets others read it" <<< "$out"' "$out"
out=$(tk 0.0.0.0:27001 "$DIR/short.tok")
check "a token under 16 characters: refused" 'grep -q "t.yaml:3:18: .*16-255 printable characters" <<< "$out"' "$out"
out=$(tk 0.0.0.0:27001 "$DIR/nosuch.tok")
check "a missing token file: refused, and so is 0.0.0.0 without a token" \
    'grep -q "t.yaml:3:18: http-token-file .*No such file" <<< "$out" && grep -q "t.yaml:2:17: control-listen 0.0.0.0:27001: not a loopback address" <<< "$out"' "$out"

# 5. a token on the TCP listener: every request needs it
for _ in $(seq 1 20); do PORT=$((27000 + (RANDOM + $$) % 1000)); port_free $PORT && break; done
printf 'control: %s\ncontrol-listen: 127.0.0.1:%s\nhttp-token-file: %s\nlog-level: warning\n' "$DIR/t.sock" "$PORT" "$DIR/good.tok" > "$DIR/t.yaml"
if up "$DIR/t.yaml" "$DIR/t.sock"; then
    r=$(http x "http://127.0.0.1:$PORT/v1/memory")
    check "no token: 401 with WWW-Authenticate: Bearer and the JSON error" 'grep -q "^401 Bearer realm=\"vrsd\"" <<< "$r" && grep -q "\"code\": \"Unauthorized\"" <<< "$r"' "$r"
    r=$(http x "http://127.0.0.1:$PORT/v1/memory" "Authorization: Bearer wrong-token-0123456789")
    check "a wrong token: 401" 'grep -q "^401" <<< "$r"' "$r"
    r=$(http x "http://127.0.0.1:$PORT/v1/memory" "Authorization: Bearer $(cat "$DIR/good.tok")")
    check "the token: 200" '[ "$r" = 200 ]' "$r"
    out=$(VRS_TOKEN_FILE="$DIR/good.tok" "$BIN/vrs" --socket "tcp://127.0.0.1:$PORT" network vnet create -n hub --address-prefixes 10.1.0.0/16 -o none 2>&1); rc=$?
    check "vrs with VRS_TOKEN_FILE creates a VNet over TCP" '[ $rc = 0 ] && [ -z "$out" ]' "rc $rc: $out"
    out=$("$BIN/vrs" --socket "tcp://127.0.0.1:$PORT" network vnet list -o none 2>&1); rc=$?
    check "vrs without it: refused, exit 1" '[ $rc = 1 ] && grep -q "Bearer" <<< "$out"' "rc $rc: $out"
    out=$("$BIN/vrs" --socket "$DIR/t.sock" network vnet list -o tsv --query "[].name" 2>&1)
    check "the UNIX socket needs no token (its mode guards it)" '[ "$out" = hub ]' "$out"
else bad "vrsd starts with http-token-file" "$(cat "$DIR/vrsd.log")"; fi
down
check_done
