# shellcheck shell=bash
# tests/fabric/lib.sh - a private vrsd (socket and state in a temp dir) for the CLI tests.
#
# Source it, then: fx_start (start vrsd, wait for its socket), fx_stop,
# fx_kill9.  VRS_BIN names the build's bin/ (ctest passes it).  The EXIT
# trap stops the vrsd we started, by pid, and removes the temp dir
# (FX_KEEP=1 keeps it).

FX_BIN=${VRS_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin}
FX_DIR=$(mktemp -d /tmp/vrs-fabric.XXXXXX) || exit 1
FX_SOCK=$FX_DIR/vrsd.sock
FX_STATE=$FX_DIR/state.json
FX_PID=
export VRS_SOCKET=$FX_SOCK

fx_log() { printf '[fabric %s] %s\n' "$(date +%T)" "$*" >&2; }
fx_die() { fx_log "FATAL: $*"; exit 1; }

fx_cleanup() {
    local rc=$?
    [ -n "$FX_PID" ] && kill -9 "$FX_PID" 2>/dev/null && wait "$FX_PID" 2>/dev/null
    if [ -n "${FX_KEEP:-}" ]; then fx_log "keeping $FX_DIR"; else rm -rf "$FX_DIR"; fi
    return $rc
}
trap fx_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

printf 'control: %s\nstate: %s\nlog-level: warning\n' "$FX_SOCK" "$FX_STATE" > "$FX_DIR/vrsd.yaml"

# fx_start: start vrsd; poll (bounded, 10 s) until it answers.
fx_start() {
    local i
    "$FX_BIN/vrsd" -c "$FX_DIR/vrsd.yaml" 2>>"$FX_DIR/vrsd.log" &
    FX_PID=$!
    for i in $(seq 1 200); do
        vrs network vnet list -o none 2>/dev/null && return 0
        kill -0 "$FX_PID" 2>/dev/null || { cat "$FX_DIR/vrsd.log" >&2; fx_die "vrsd exited"; }
        sleep 0.05
    done
    fx_die "vrsd does not answer on $FX_SOCK"
}

fx_stop() {
    [ -n "$FX_PID" ] || return 0
    kill -TERM "$FX_PID" 2>/dev/null
    wait "$FX_PID" 2>/dev/null
    FX_PID=
}

fx_kill9() {
    [ -n "$FX_PID" ] || return 0
    kill -9 "$FX_PID" 2>/dev/null
    wait "$FX_PID" 2>/dev/null
    FX_PID=
}

vrs() { "$FX_BIN/vrs" "$@"; }
