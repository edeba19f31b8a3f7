#!/bin/bash
# tests/interop/vrsd-bird.sh - vrsd between BIRD 2 instances (see
# vrsd-scenario.sh for the steps), plus vrsd's configuration error report.
# Addresses 127.0.110.1-127.0.117.1, port 21179.
D=bird C=110 P=21179 NO4=1 NH4=
d2_refresh() { ix_birdc "$1" reload in n1 | grep -q 'reload'; }
# shellcheck source=vrsd-scenario.sh
. "$(dirname "$0")/vrsd-scenario.sh"

# 7. configuration errors: an unknown key and an out-of-range hold-time are
# both reported as file:line:col, exit status 1
config_errors() {
    local f=$IX_DIR/bad.yaml out rc
    cat > "$f" <<'E'
router-id: 127.0.110.1
asn: 65000
listen: ["127.0.110.1:21179"]
peers:
  - name: x
    address: 127.0.111.1
    asn: 65001
    hold-time: 70000
    colour: blue
E
    out=$("$VRS_BIN/vrsd" --check -c "$f" 2>&1); rc=$?
    printf '%s\n' "$out" | sed 's/^/  vrsd --check: /'
    [ "$rc" = 1 ] &&
        printf '%s\n' "$out" | grep -q "^$f:8:16: .*hold-time.*70000" &&
        printf '%s\n' "$out" | grep -q "^$f:9:5: .*colour" &&
        [ "$(printf '%s\n' "$out" | grep -c "^$f:[0-9]*:[0-9]*: ")" = 2 ]
}
check "vrsd --check reports an unknown key and a bad hold-time by file:line:col, exit 1" config_errors

run_scenario
finish
