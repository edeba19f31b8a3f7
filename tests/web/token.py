"""tests/web/token.py - the web view of a vrsd with http-token-file, in headless Chromium.

    python3 token.py http://127.0.0.1:PORT TOKEN CHROMIUM.log

Opened without the token, the page asks for it and shows no data;
opened as /#token=TOKEN it reads the API (the topology's VNet shows),
keeps the token in sessionStorage and takes it out of the address bar;
a reload without #token= still works.  vrsd holds a VNet named tokvnet.
Prints one "ok   ..." or "FAIL ..." line per check.
"""

import json
import sys

from cdp import Browser, CdpError

BASE, TOKEN, LOG = sys.argv[1:4]
fails = 0


def check(name, cond, detail=None):
    global fails
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        fails += 1
        if detail is not None:
            print("     " + json.dumps(detail)[:1000])
    sys.stdout.flush()


VNETS = "[...document.querySelectorAll('#graph g.vnet')].map(g => g.dataset.vnet)"
b = None
try:
    b = Browser(LOG)
    b.navigate(BASE + "/")
    v, held = b.wait_js("!document.getElementById('auth').hidden", 15)
    check("without the token the page asks for it", held)
    check("... and shows no data", b.evaluate(VNETS) == [], b.evaluate(VNETS))
    b.navigate(BASE + "/#token=" + TOKEN)
    v, held = b.wait_js("(%s).includes('tokvnet') && document.querySelector("
                        "'#status.ok') !== null" % VNETS, 15)
    check("opened as /#token=TOKEN, the page reads the API "
          "(Authorization: Bearer)", held,
          b.evaluate("document.getElementById('status').textContent"))
    check("... the token is kept in sessionStorage",
          b.evaluate("sessionStorage.getItem('vrs-token')") == TOKEN)
    check("... and is out of the address bar",
          TOKEN not in b.evaluate("location.href"), b.evaluate("location.href"))
    b.call("Page.reload", session=True)
    b.pump(0.5)
    v, held = b.wait_js("(%s).includes('tokvnet')" % VNETS, 15)
    check("a reload without #token= still works (this tab's sessionStorage)",
          held)
    b.pump(0.3)
    probs = [p for p in b.problems() if "401" not in p]
    check("no script error, no CSP refusal (the first load's 401 aside)",
          not probs, probs)
except CdpError as e:
    check("the DevTools session", False, str(e))
finally:
    if b is not None:
        b.close()
        check("Chromium (pid %d) stopped" % b.proc.pid,
              b.proc.poll() is not None)
sys.exit(1 if fails else 0)
