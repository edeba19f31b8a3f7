"""tests/web/cdp.py - headless Chromium over the DevTools protocol, stdlib only.

Chromium runs with --remote-debugging-pipe: it reads commands on its fd
3 and writes answers and events on its fd 4, each a JSON message ended
by a NUL byte (no websocket).  Browser(...) starts it, attaches to its
page target (flat sessions) and offers call(), evaluate(), wait_js(),
click() (real mouse events at an element's centre), screenshot() and
close(), which asks Chromium to quit and kills only its own pid if it
does not.  Every wait is bounded.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time


class CdpError(Exception):
    pass


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


class Browser:
    def __init__(self, log_path, width=1400, height=1000, timeout=30):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="vrs-web-chromium.")
        self.events = []
        self.next_id = 0
        self.buf = b""
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()

        def child_fds():
            # above 4 first, so that neither dup2 below clobbers the other
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(out_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps",
                "--no-default-browser-check", "--mute-audio",
                "--hide-scrollbars",
                "--user-data-dir=" + self.profile,
                "--remote-debugging-pipe",
                "--window-size=%d,%d" % (width, height), "about:blank"]
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log,
                                     close_fds=False, preexec_fn=child_fds)
        os.close(cmd_r)
        os.close(out_w)
        targets = self.call("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"]
        if page:
            tid = page[0]["targetId"]
        else:
            tid = self.call("Target.createTarget",
                            {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": tid, "flatten": True})["sessionId"]
        for m in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(m, session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": False}, session=True)

    # ---- the pipe ----

    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.cmd_w, data)
            data = data[n:]

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpError("no answer from Chromium in time")
            r, _, _ = select.select([self.out_r], [], [], left)
            if not r:
                continue
            chunk = os.read(self.out_r, 1 << 16)
            if not chunk:
                raise CdpError("Chromium closed its pipe (exited %s)" %
                               self.proc.poll())
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False, timeout=None):
        self.next_id += 1
        mid = self.next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self._read(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise CdpError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def pump(self, seconds):
        """Read events for a while (the page runs meanwhile)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read(deadline))
        except CdpError as e:
            if "in time" not in str(e):
                raise

    # ---- the page ----

    def navigate(self, url):
        self.call("Page.navigate", {"url": url}, session=True)

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr,
                                           "returnByValue": True,
                                           "awaitPromise": True}, session=True)
        if "exceptionDetails" in r:
            raise CdpError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def wait_js(self, expr, seconds):
        """Poll expr (JS) until truthy; its last value, and whether it held."""
        deadline = time.monotonic() + seconds
        v = None
        while True:
            try:
                v = self.evaluate(expr)
            except CdpError as e:
                v = str(e)
            else:
                if v:
                    return v, True
            if time.monotonic() > deadline:
                return v, False
            self.pump(0.2)

    def click(self, selector):
        """A real mouse click (pressed, released) at the element's centre."""
        sel = json.dumps(selector)
        r = self.evaluate(
            "(() => { const e = document.querySelector(%s); if (!e) return null;"
            " e.scrollIntoView({block: 'center', inline: 'center'});"
            " const b = e.getBoundingClientRect();"
            " return [b.x + b.width / 2, b.y + b.height / 2]; })()" % sel)
        if r is None:
            raise CdpError("no element " + selector)
        x, y = r
        for t in ("mouseMoved", "mousePressed", "mouseReleased"):
            p = {"type": t, "x": x, "y": y}
            if t != "mouseMoved":
                p.update({"button": "left", "buttons": 1, "clickCount": 1})
            self.call("Input.dispatchMouseEvent", p, session=True)
        return x, y

    def screenshot(self, path):
        size = self.evaluate("[document.documentElement.scrollWidth,"
                             " document.documentElement.scrollHeight]")
        self.evaluate("window.scrollTo(0, 0)")
        r = self.call("Page.captureScreenshot",
                      {"format": "png", "captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": size[0],
                                "height": size[1], "scale": 1}},
                      session=True, timeout=60)
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))
        return size

    def problems(self):
        """Exceptions and console errors the page had (CSP refusals too)."""
        out = []
        for e in self.events:
            if e.get("method") == "Runtime.exceptionThrown":
                d = e["params"]["exceptionDetails"]
                out.append("exception: %s" % d.get("exception", {}).get(
                    "description", d.get("text")))
            elif e.get("method") == "Log.entryAdded":
                en = e["params"]["entry"]
                if en.get("level") == "error":
                    out.append("%s: %s (%s)" % (en.get("source"),
                                                en.get("text"), en.get("url")))
            elif e.get("method") == "Runtime.consoleAPICalled":
                if e["params"].get("type") == "error":
                    out.append("console.error: %s" % e["params"].get("args"))
        return out

    def close(self):
        """Browser.close, then SIGTERM and SIGKILL to our own pid only."""
        try:
            self._send({"id": 0, "method": "Browser.close", "params": {}})
        except OSError:
            pass
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and self.proc.poll() is None:
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        for fd in (self.cmd_w, self.out_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
