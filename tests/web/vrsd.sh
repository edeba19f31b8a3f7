#!/usr/bin/env bash
# tests/web/vrsd.sh - vrsd's web view switch and headers (src/api/web.c):
# with web off (the default) / is 404; `web: true` (read again on SIGHUP)
# serves the page, its script and style with their Content-Type, a
# Content-Security-Policy that allows this origin only, nosniff,
# Cache-Control and an ETag (304); the page's own origin may call the
# API, another origin or a rebinding Host may not.  With http-token-file
# the page needs no token, the API behind it does, and in headless
# Chromium the page works once opened as /#token=TOKEN (token.py).
# Config errors come by file:line:column.
#
# Loopback only: the control API on 127.0.0.1:21812.  The EXIT trap stops
# the vrsd this script started, by pid; token.py stops only its Chromium.
set -u
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../common.sh"
# page.py imports cdp.py: no __pycache__ in the sources
export PYTHONDONTWRITEBYTECODE=1
PORT=21812
SRC=$(cd "$DIR/../.." && pwd)/src/api/web

conf() { # conf EXTRA...: vrsd.yaml with control-listen, plus EXTRA lines
    { printf 'control: %s\ncontrol-listen: 127.0.0.1:%s\nlog-level: warning\n' "$T/vrsd.sock" "$PORT"
      printf '%s\n' "$@"; } > "$T/vrsd.yaml"
}
# http METHOD PATH [HEADER...]: "STATUS", then the headers, a blank line, the body
http() {
    python3 - "$PORT" "$@" <<'P'
import http.client, os, sys
port, method, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.putrequest(method, path, skip_host=any(h.lower().startswith("host:") for h in sys.argv[4:]))
for h in sys.argv[4:]:
    k, v = h.split(": ", 1)
    c.putheader(k, v)
c.endheaders()
r = c.getresponse()
out = "%d\n" % r.status + "".join("%s: %s\n" % kv for kv in r.getheaders()) + "\n"
try:
    sys.stdout.buffer.write(out.encode() + r.read())
    sys.stdout.flush()
except BrokenPipeError:  # head -1 read enough
    os._exit(0)
P
}
status() { http "$@" | head -1; }
header() { local h=$1; shift; http "$@" | sed -n "1,/^\$/p" | sed -n "s/^$h: //Ip" | tr -d '\r'; }
body() { http "$@" | sed '1,/^$/d'; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $2"$'\n'"got:  $3"; fi; }
answers() { [ -n "$(status GET /v1/peers 2> /dev/null)" ]; }
page_up() { [ "$(status GET / 2> /dev/null)" = 200 ]; }

# 1. web off: no page
conf
vrsd_up "$T/vrsd.yaml"
PID=${T_PIDS[0]}
wait_for 10 answers || bad "vrsd answers on TCP"
[ "$(status GET /)" = 404 ] && ok "web off (the default): GET / is 404" || bad "web off: GET / is 404" "$(http GET /)"
[ "$(status GET /web/app.js)" = 404 ] && ok "web off: GET /web/app.js is 404" || bad "web off: /web/app.js 404"
body GET / | grep -q '"code": "NotFound"' && ok "... with the API's JSON error" || bad "... with the API's JSON error" "$(http GET /)"
[ -z "$(header Content-Security-Policy GET /)" ] && ok "... and no page headers" || bad "... and no page headers"

# 2. web: true, by SIGHUP
conf "web: true"
kill -HUP "$PID"
wait_for 10 page_up &&
    ok "web: true (re-read on SIGHUP): GET / is 200" || bad "web: true: GET / is 200" "$(http GET /; cat "$T/vrsd.log")"
csp=$(header Content-Security-Policy GET /)
[ "$csp" = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" ] &&
    ok "Content-Security-Policy: this origin only (default-src 'none', script/style/connect 'self', no frames)" ||
    bad "Content-Security-Policy" "$csp"
grep -Eq 'https?:|\*|unsafe' <<< "$csp" && bad "the CSP names no remote source, no wildcard, no unsafe-*" "$csp" ||
    ok "the CSP names no remote source, no wildcard, no unsafe-*"
same "GET /: text/html; charset=utf-8" "text/html; charset=utf-8" "$(header Content-Type GET /)"
same "GET /web/: the same page" "$(body GET /)" "$(body GET /web/)"
same "GET /web/app.js: text/javascript" "text/javascript; charset=utf-8" "$(header Content-Type GET /web/app.js)"
same "GET /web/style.css: text/css" "text/css; charset=utf-8" "$(header Content-Type GET /web/style.css)"
same "X-Content-Type-Options: nosniff" nosniff "$(header X-Content-Type-Options GET /web/app.js)"
same "Cache-Control: no-cache (asked again, answered 304 while unchanged)" no-cache "$(header Cache-Control GET /)"
same "Referrer-Policy: no-referrer (the address may carry ?token=)" no-referrer "$(header Referrer-Policy GET /)"
for f in index.html app.js style.css; do
    p=/web/$f
    cmp -s <(body GET "$p") "$SRC/$f" && ok "GET $p: the bytes of src/api/web/$f, built in" || bad "GET $p: the bytes of src/api/web/$f"
done
grep -q '<script>' "$SRC/index.html" && bad "index.html has no inline script" || ok "index.html has no inline script"
grep -Eiq '(src|href)="(https?:)?//' "$SRC/index.html" && bad "index.html loads nothing remote" || ok "index.html loads nothing remote"
etag=$(header ETag GET /web/app.js)
[ -n "$etag" ] && same "If-None-Match: the ETag gets 304" 304 "$(status GET /web/app.js "If-None-Match: $etag")" || bad "an ETag"
same "the page's own origin may call the API (Origin http://127.0.0.1:$PORT)" 200 \
    "$(status GET /v1/peers "Origin: http://127.0.0.1:$PORT")"
same "another origin may not (Origin http://127.0.0.1:9)" 403 "$(status GET /v1/peers "Origin: http://127.0.0.1:9")"
same "nor a site's page (Origin http://evil.example)" 403 "$(status POST /v1/peers/x/reset "Origin: http://evil.example")"
same "a name rebound to 127.0.0.1 (Host evil.example:$PORT) gets no page" 403 "$(status GET / "Host: evil.example:$PORT")"
same "... and no API, even with its own origin" 403 \
    "$(status GET /v1/peers "Host: evil.example:$PORT" "Origin: http://evil.example:$PORT")"
same "POST / is not the page" 404 "$(status POST /)"

# 3. http-token-file: the page needs none, the API does
tok=web-test-token-0123456789abcdef
printf '%s\n' "$tok" > "$T/token"
chmod 600 "$T/token"
kill "$PID"
wait "$PID" 2> /dev/null
T_PIDS=()
conf "web: true" "http-token-file: $T/token"
vrsd_up "$T/vrsd.yaml"
PID=${T_PIDS[0]}
wait_for 10 answers || bad "vrsd answers on TCP"
same "with a token: GET / needs none (the page holds no data)" 200 "$(status GET /)"
same "... GET /v1/topology without it: 401" 401 "$(status GET /v1/topology)"
same "... with Authorization: Bearer TOKEN and the page's origin: 200" 200 \
    "$(status GET /v1/topology "Authorization: Bearer $tok" "Origin: http://127.0.0.1:$PORT")"
"$VRS_BIN/vrs" --socket "$T/vrsd.sock" -o none network vnet create -n tokvnet --address-prefixes 10.50.0.0/16 ||
    bad "a VNet for the page"
if command -v chromium > /dev/null; then
    python3 "$DIR/token.py" "http://127.0.0.1:$PORT" "$tok" "$T/chromium.log" > "$T/out" 2>&1
    cat "$T/out"
    passes=$((passes + $(grep -c '^ok ' "$T/out")))
    fails=$((fails + $(grep -c '^FAIL' "$T/out")))
    grep -q '^ok \|^FAIL' "$T/out" || bad "the Chromium checks ran" "$(cat "$T/out")"
else
    bad "chromium is installed (apt-get install chromium; make deps)"
fi

# 4. errors by position
printf 'control: %s\nweb: maybe\n' "$T/x.sock" > "$T/bad1.yaml"
out=$("$VRS_BIN/vrsd" --check -c "$T/bad1.yaml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "^$T/bad1.yaml:2:6: web maybe is not a boolean (true or false)$" <<< "$out" &&
    ok "web: maybe -> FILE:2:6: web maybe is not a boolean" || bad "web: maybe refused by position" "$rc $out"
printf 'control: %s\nweb: true\n' "$T/x.sock" > "$T/bad2.yaml"
out=$("$VRS_BIN/vrsd" --check -c "$T/bad2.yaml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "^$T/bad2.yaml:2:6: web: true needs control-listen" <<< "$out" &&
    ok "web: true without control-listen -> FILE:2:6: web: true needs control-listen" || bad "web without control-listen refused" "$rc $out"
kill -0 "$PID" 2> /dev/null && ok "vrsd still runs" || bad "vrsd still runs" "$(cat "$T/vrsd.log")"

check_done
