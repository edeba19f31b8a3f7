# shellcheck shell=bash
# tests/lab/lib.sh - a private lab (its own folder and BGP port) for the lab tests.
#
# Source it with LAB_PORT set, then: lab_up FILE, spk NAME COMMAND...,
# eventually NAME CHECK (a shell condition, retried for up to 10 s).
# The EXIT trap runs `vrs lab down`, which stops only what the lab
# started, by pid, and checks that nothing of it is left.

LAB_BIN=${VRS_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin}
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_TMP=$(mktemp -d /tmp/vrs-labtest.XXXXXX) || exit 1
export VRS_LAB_DIR=$LAB_TMP/lab VRS_LAB_PORT=${LAB_PORT:?}
unset VRS_SOCKET
export PATH=$LAB_BIN:$PATH
# under `make asan`: every sanitizer report of vrsd, vrs-speaker and vrs
# goes to a file here, and a report fails the test (see lab_cleanup)
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$LAB_TMP/sanitizer"
[ -n "${UBSAN_OPTIONS:-}" ] && export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$LAB_TMP/sanitizer"

fx_log() { printf '[lab %s] %s\n' "$(date +%T)" "$*" >&2; }
fx_die() { fx_log "FATAL: $*"; [ -f "$VRS_LAB_DIR/vrsd.log" ] && tail -20 "$VRS_LAB_DIR/vrsd.log" >&2; exit 1; }
. "$LAB_SRC/tests/fabric/check.sh"

lab_cleanup() {
    local rc=$? f
    vrs lab down > /dev/null 2>&1
    for f in "$LAB_TMP"/sanitizer.*; do
        [ -e "$f" ] || continue
        printf 'FAIL sanitizer report %s\n' "$f"
        sed 's/^/     /' "$f" | head -40
        rc=1
    done
    rm -rf "$LAB_TMP"
    exit $rc
}
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lab_up() { vrs lab up "$@" > "$LAB_TMP/up.out" 2>&1 || { cat "$LAB_TMP/up.out" >&2; fx_die "vrs lab up $* failed"; }; }
spk() { vrs lab speaker "$@"; }
# eventually NAME CONDITION: CONDITION (shell code) holds within 10 s
eventually() {
    local i
    for i in $(seq 1 100); do
        if eval "$2" > /dev/null 2>&1; then ok "$1"; return; fi
        sleep 0.1
    done
    bad "$1" "$(eval "$2" 2>&1 | head -20)"
}
# running PID: the process exists and is not a zombie (exited, unreaped)
running() { [ -r "/proc/$1/stat" ] && ! awk '{ sub(/.*\) /, ""); exit $1 != "Z" }' "/proc/$1/stat"; }
# the NVA's adj-rib-in, one "peer prefix as-path communities" line per route
ribin() {
    spk "$1" show adj-rib in extensive |
        sed -n 's/^neighbor \([0-9.]*\) .* unicast \([0-9./]*\) next-hop \([0-9.]*\).* as-path \[ \([0-9 ]*\) \]\(.*community \(.*\)\)\{0,1\}$/\1 \2 \3 [\4] \6/p' |
        sed 's/ *$//' | sort
}
