"""tests/web/page.py - the web view of a running reference lab, in headless Chromium.

    python3 page.py URL SCREENSHOT.png CHROMIUM.log

Loads URL (the lab's http://127.0.0.1:PORT/), checks what the page
shows, clicks vm-spoke1-nic with real mouse events, announces and
withdraws a route through the lab's NVA speaker (`vrs lab speaker nva
...`, vrs on PATH) and waits for the page to follow, then saves a
screenshot.  Prints one "ok   ..." or "FAIL ..." line per check.
"""

import json
import subprocess
import sys

from cdp import Browser, CdpError

URL, SHOT, LOG = sys.argv[1:4]
fails = 0


def check(name, cond, detail=None):
    global fails
    if cond:
        print("ok   " + name)
    else:
        fails += 1
        print("FAIL " + name)
        if detail is not None:
            print("     " + json.dumps(detail)[:2000])
    sys.stdout.flush()


def speaker(*args):
    r = subprocess.run(["vrs", "lab", "speaker", "nva"] + list(args),
                       capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout + r.stderr


# the page's own DOM, read back as JSON
VNETS = "[...document.querySelectorAll('#graph g.vnet')].map(g => g.dataset.vnet)"
SESSIONS = ("Object.fromEntries([...document.querySelectorAll("
            "'#sessions tbody tr')].map(r => [r.dataset.session, "
            "r.querySelector('.badge').textContent]))")
EDGES = ("[...document.querySelectorAll('#graph g.sess-g')].map(g => "
         "[g.dataset.sessions, g.dataset.state])")
ROUTES = ("[...document.querySelectorAll('#routes tr.route')].map(r => "
          "[...r.cells].map(c => c.textContent).concat([r.nextElementSibling"
          ".textContent]))")
TITLE = "document.getElementById('detail-title').textContent"


def route(prefix, nh):
    """JS: the routes table has prefix with next hop nh."""
    return ("[...document.querySelectorAll('#routes tr.route')].some(r => "
            "r.dataset.prefix === %s && r.cells[4].textContent === %s)"
            % (json.dumps(prefix), json.dumps(nh)))


b = None
try:
    b = Browser(LOG)
    b.call("Network.enable", session=True)
    b.navigate(URL)
    v, held = b.wait_js("(%s).length >= 3 && document.querySelector("
                        "'#status.ok') !== null" % VNETS, 20)
    check("the page loads and reads the API (status: live)", held,
          b.evaluate("document.getElementById('status').textContent"))
    vnets = b.evaluate(VNETS)
    check("the graph shows the three VNets hub, spoke1, spoke2",
          sorted(vnets) == ["hub", "spoke1", "spoke2"], vnets)
    text = b.evaluate("document.getElementById('graph').textContent")
    check("... the route server, its instances, the gateway, the NVA and "
          "the on-premises site",
          all(s in text for s in ("ars \u00b7 route server", "IN_0 10.0.2.4",
                                  "IN_1 10.0.2.5", "vpngw \u00b7 Vpn gateway",
                                  "nva-nic", "NVA", "onprem")), text)
    check("... the peerings with their flags",
          "hub \u2192 spoke1: access, gateway transit" in text and
          "spoke1 \u2192 hub: access, uses remote gateways" in text, text)

    want = ["ars/IN_0/nva", "ars/IN_1/nva", "ars/IN_0/vpngw", "ars/IN_1/vpngw",
            "vpngw/onprem"]
    v, held = b.wait_js("(() => { const s = %s; return %s.every(n => s[n] "
                        "=== 'Established'); })()" % (SESSIONS,
                                                      json.dumps(want)), 15)
    check("the sessions table: both route server instances' sessions "
          "Established (NVA, gateway), and the gateway's with on-premises",
          held, b.evaluate(SESSIONS))
    edges = b.evaluate(EDGES)
    check("the graph draws the NVA's and the gateway's sessions with each "
          "instance, and on-premises, Established",
          sorted(" ".join(sorted(e[0].split())) for e in edges
                 if e[1] == "Established") ==
          sorted(["ars/IN_0/nva", "ars/IN_1/nva",
                  "ars/IN_0/vpngw vpngw/ars/IN_0",
                  "ars/IN_1/vpngw vpngw/ars/IN_1", "vpngw/onprem"]), edges)

    xy = b.click('#graph g.node[data-name="vm-spoke1-nic"]')
    v, held = b.wait_js(route("192.168.1.0/24", "10.0.0.4"), 15)
    check("a click on vm-spoke1-nic (mouse at %d,%d) shows its effective "
          "routes: 192.168.1.0/24 via 10.0.0.4" % tuple(xy), held,
          [b.evaluate(TITLE), b.evaluate(ROUTES)])
    check("... in the detail titled NIC vm-spoke1-nic",
          b.evaluate(TITLE) == "NIC vm-spoke1-nic", b.evaluate(TITLE))
    v, held = b.wait_js(
        "document.querySelector('#routes tr.why[data-why=\"192.168.1.0/24\"]')"
        ".textContent.includes('ECMP')", 10)
    check("... with its explanation (explain-route: both instances, ECMP; "
          "the gateway's path lost on AS-path length)", held,
          b.evaluate(ROUTES))
    check("... the row is a gateway route, Active",
          any(r[2] == "192.168.1.0/24" and r[0] == "VirtualNetworkGateway" and
              r[1] == "Active" for r in b.evaluate(ROUTES)), b.evaluate(ROUTES))

    rc, out = speaker("announce", "route", "10.99.0.0/16", "next-hop",
                      "10.0.0.4", "as-path", "[65010]")
    check("vrs lab speaker nva announce route 10.99.0.0/16", rc == 0, out)
    v, held = b.wait_js(route("10.99.0.0/16", "10.0.0.4"), 15)
    check("the page shows the announced 10.99.0.0/16 via 10.0.0.4 without "
          "a reload", held, b.evaluate(ROUTES))
    b.wait_js("document.querySelector('#routes tr.fresh') !== null", 3)
    size = b.screenshot(SHOT)
    print("screenshot: %s (%dx%d)" % (SHOT, size[0], size[1]))

    xy = b.click('#sessions tbody tr[data-session="ars/IN_0/nva"]')
    v, held = b.wait_js(
        "[...document.querySelectorAll('#learned tbody tr')].some(r => "
        "r.dataset.prefix === '10.99.0.0/16')", 15)
    check("a click on session ars/IN_0/nva: its learned routes hold "
          "10.99.0.0/16", held, b.evaluate(TITLE))
    v, held = b.wait_js(
        "[...document.querySelectorAll('#advertised tbody tr')].some(r => "
        "r.dataset.prefix === '10.1.0.0/16')", 10)
    check("... and its advertised routes 10.1.0.0/16 (spoke1 uses the "
          "hub's gateways)", held, b.evaluate(
              "document.getElementById('detail').textContent"))

    rc, out = speaker("withdraw", "route", "10.99.0.0/16", "next-hop",
                      "10.0.0.4")
    check("vrs lab speaker nva withdraw route 10.99.0.0/16", rc == 0, out)
    v, held = b.wait_js(
        "![...document.querySelectorAll('#learned tbody tr')].some(r => "
        "r.dataset.prefix === '10.99.0.0/16')", 15)
    check("the learned routes drop 10.99.0.0/16 live", held)
    b.click('#graph g.node[data-name="vm-spoke1-nic"]')
    v, held = b.wait_js(route("192.168.1.0/24", "10.0.0.4") + " && !" +
                        route("10.99.0.0/16", "10.0.0.4"), 15)
    check("vm-spoke1-nic's routes: 10.99.0.0/16 gone", held,
          b.evaluate(ROUTES))

    b.pump(0.5)
    urls = sorted(set(e["params"]["request"]["url"].split("?")[0]
                      for e in b.events
                      if e.get("method") == "Network.requestWillBeSent"))
    check("every request the page made went to vrsd (%d URLs, nothing "
          "remote)" % len(urls),
          urls and all(u.startswith(URL) or u.startswith("data:")
                       for u in urls), urls)
    check("... the page, its script and style, the topology, the peers, "
          "effectiveRouteTable, explain, learnedRoutes, advertisedRoutes",
          all(any(u.endswith(x) for u in urls) for x in (
              "/", "/web/app.js", "/web/style.css", "/v1/topology",
              "/v1/peers", "/effectiveRouteTable", "/explain",
              "/learnedRoutes", "/advertisedRoutes")), urls)
    probs = b.problems()
    check("no script error, no console error, no CSP refusal", not probs,
          probs)
except CdpError as e:
    check("the DevTools session", False, str(e))
finally:
    if b is not None:
        b.close()
        check("Chromium (pid %d) stopped" % b.proc.pid,
              b.proc.poll() is not None)
sys.exit(1 if fails else 0)
