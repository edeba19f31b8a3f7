#!/usr/bin/env bash
# tests/web/web.sh - the web view in headless Chromium: `vrs lab up --web`
# starts the reference lab with vrsd's page on http://127.0.0.1:PORT/,
# then page.py drives Debian's chromium over the DevTools protocol
# (--remote-debugging-pipe): the three VNets and the sessions
# Established, a mouse click on vm-spoke1-nic and its 192.168.1.0/24 row
# via 10.0.0.4, a route announced and withdrawn by the lab's NVA speaker
# seen live.  The screenshot is kept as BUILD/tests/web/reference.png.
#
# Loopback only: BGP port 21810 (the lab's 127.x addresses), the web view
# on 127.0.0.1:21811.  The EXIT trap runs `vrs lab down`, which stops
# only the lab's processes, by pid; page.py stops only its own Chromium.
set -u
LAB_PORT=${LAB_PORT:-21810}
WEB_PORT=$((LAB_PORT + 1))
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../lab/lib.sh"
# page.py imports cdp.py: no __pycache__ in the sources
export PYTHONDONTWRITEBYTECODE=1
SHOT=${WEB_SHOT:-$(cd "$LAB_BIN/.." && pwd)/tests/web/reference.png}

if ! command -v chromium > /dev/null; then
    bad "chromium is installed (apt-get install chromium; make deps)"
    check_done
    exit 1
fi
mkdir -p "$(dirname "$SHOT")"

lab_up --web
grep -q "^Web view: http://127.0.0.1:$WEB_PORT/$" "$LAB_TMP/up.out" &&
    ok "vrs lab up --web prints the page's address (http://127.0.0.1:$WEB_PORT/)" ||
    bad "vrs lab up --web prints the page's address" "$(cat "$LAB_TMP/up.out")"
vrs lab status | grep -q "^Web view: http://127.0.0.1:$WEB_PORT/$" &&
    ok "vrs lab status prints it too" || bad "vrs lab status prints it too" "$(vrs lab status)"

python3 "$DIR/page.py" "http://127.0.0.1:$WEB_PORT/" "$SHOT" "$LAB_TMP/chromium.log" > "$LAB_TMP/out" 2>&1
cat "$LAB_TMP/out"
pass=$((pass + $(grep -c '^ok ' "$LAB_TMP/out")))
fails=$((fails + $(grep -c '^FAIL' "$LAB_TMP/out")))
grep -q '^ok \|^FAIL' "$LAB_TMP/out" || bad "the page checks ran" "$(cat "$LAB_TMP/out")"
[ -s "$SHOT" ] && ok "the screenshot is kept: $SHOT" || bad "the screenshot is kept: $SHOT"
[ "$fails" = 0 ] || { echo "Chromium's log:"; tail -20 "$LAB_TMP/chromium.log"; }

check_done
