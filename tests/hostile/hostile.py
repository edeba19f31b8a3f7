#!/usr/bin/python3
"""tests/hostile/hostile.py - the hostile-input suite of issue 10.

A raw-TCP BGP peer of our own (Python standard library only) sends one
crafted message per case to a daemon under test and checks the reaction
against the expectation stored with the case (RFC 4271, 7606, 6793, 4760,
5492, 8654, 9072): the NOTIFICATION code/subcode that comes back (or none),
RFC 7606 treat-as-withdraw / attribute discard as seen by a second,
well-behaved "witness" peer that receives the daemon's re-advertisement,
the daemon still running, and the witness session untouched.

Usage:
  hostile.py [--only REGEX] [--target vrsd,speaker] [-v]
      vrsd and vrs-speaker from $VRS_BIN (ctest sets it; default
      ../../build/bin); prints one line per case (ok / FAIL / xfail) and
      "N passed, M failed, K xfail"; exit status 1 on any failure.
  hostile.py --differential [--parallel]
             [--target bird,frr,openbgpd,gobgp] [--out FILE]
      the same cases against Debian's BIRD, FRR, OpenBGPD and GoBGP: records
      what each daemon did, per case, next to vrsd's result and the RFC's
      expectation (a Markdown table in FILE); never fails on a difference.
  hostile.py --list          the cases, one per line

Every socket is on 127.0.22.0/24, ports 22000-22099; every wait is
bounded; only processes this script started are stopped, by pid.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get('VRS_BIN', os.path.join(HERE, '../../build/bin'))

LOCAL_AS = 65000            # the daemon under test
HOSTILE_AS = 65001
WITNESS_AS = 65002
HOSTILE = '127.0.22.2'      # the hostile peer connects from here
WITNESS = '127.0.22.3'      # the witness peer connects from here
NH = '192.0.2.2'            # next hop of the hostile peer's routes
NH6 = '2001:db8:ffff::2'
AS_TRANS = 23456

# the daemons under test: (listen address, port); router id = address
TARGETS = {
    'vrsd': ('127.0.22.1', 22001),
    'speaker': ('127.0.22.11', 22011),
    'bird': ('127.0.22.21', 22021),
    'frr': ('127.0.22.31', 22031),
    'openbgpd': ('127.0.22.41', 22041),
    'gobgp': ('127.0.22.51', 22051),
}
GOBGP_API = 22052
SPEAKER_HOSTILE = '127.0.22.12'  # vrs-speaker's configured neighbour


def fresh_hostile(i):
    """The differential's hostile address for case i (127.0.23.1 up).

    A reference daemon holds a neighbour Idle after an error and refuses
    its connections meanwhile (OpenBGPD: 30 s, doubled after each further
    error, a compile-time constant; FRR: its start timer, doubled; GoBGP:
    idle-hold-time-after-reset).  Each daemon is configured with one
    hostile neighbour per case, all alike, so no case waits for the
    previous one's Idle hold.  vrsd and vrs-speaker keep HOSTILE."""
    return '127.0.%d.%d' % (23 + i // 250, 1 + i % 250)

TIMEOUT = 5.0               # bound of every ordinary wait (s)


# ================================================================ wire
def msg(t, body=b'', marker=b'\xff' * 16, length=None):
    n = 19 + len(body) if length is None else length
    return marker + struct.pack('!HB', n, t) + body


def cap(code, val=b''):
    return bytes([code, len(val)]) + val


def cap_mp(afi, safi=1):
    return cap(1, struct.pack('!HBB', afi, 0, safi))


def cap_as4(asn):
    return cap(65, struct.pack('!I', asn))


CAP_RR = cap(2)
CAP_EXTMSG = cap(6)


def caps_param(*caps):
    c = b''.join(caps)
    return bytes([2, len(c)]) + c


def default_caps(as4=True, asn=HOSTILE_AS, extmsg=False):
    c = [cap_mp(1), cap_mp(2), CAP_RR]
    if as4:
        c.append(cap_as4(asn))
    if extmsg:
        c.append(CAP_EXTMSG)
    return c


def open_body(asn=HOSTILE_AS, hold=90, bid=HOSTILE, version=4, params=None,
              myas=None, as4=True, extmsg=False):
    if params is None:
        params = caps_param(*default_caps(as4, asn, extmsg))
    if myas is None:
        myas = asn if asn < 65536 else AS_TRANS
    return struct.pack('!BHH4sB', version, myas, hold,
                       socket.inet_aton(bid), len(params)) + params


def open_msg(**kw):
    return msg(1, open_body(**kw))


def open_raw(version=4, myas=HOSTILE_AS, hold=90, bid=HOSTILE, optlen=None,
             opt=b''):
    """An OPEN with its optional parameter octets given as they are."""
    n = len(opt) if optlen is None else optlen
    return msg(1, struct.pack('!BHH4sB', version, myas, hold,
                              socket.inet_aton(bid), n) + opt)


def open_ext(params, ext_len=None, non_ext_type=255):
    """RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet length."""
    n = len(params) if ext_len is None else ext_len
    return open_raw(optlen=255, opt=bytes([non_ext_type]) +
                    struct.pack('!H', n) + params)


def ext_param(ptype, val, plen=None):
    return bytes([ptype]) + struct.pack('!H', len(val) if plen is None
                                        else plen) + val


KEEPALIVE = msg(4)
F_OPT, F_TRANS, F_PART, F_EXT = 0x80, 0x40, 0x20, 0x10


def attr(flags, t, val, length=None):
    n = len(val) if length is None else length
    if flags & F_EXT:
        return bytes([flags, t]) + struct.pack('!H', n) + val
    return bytes([flags, t, n]) + val


def origin(v=0, flags=F_TRANS):
    return attr(flags, 1, bytes([v]))


def seg(t, asns, as4=True):
    f = '!I' if as4 else '!H'
    return bytes([t, len(asns)]) + b''.join(struct.pack(f, a) for a in asns)


def aspath_raw(val, flags=F_TRANS):
    if len(val) > 255:
        flags |= F_EXT
    return attr(flags, 2, val)


def aspath(*asns, as4=True, flags=F_TRANS):
    out = b''
    asns = list(asns)
    while asns:
        out += seg(2, asns[:255], as4)
        asns = asns[255:]
    return aspath_raw(out, flags)


def nexthop(a=NH, flags=F_TRANS):
    return attr(flags, 3, socket.inet_aton(a))


def med(v=10):
    return attr(F_OPT, 4, struct.pack('!I', v))


def communities(*c):
    return attr(F_OPT | F_TRANS, 8, b''.join(struct.pack('!I', x) for x in c))


def mp_reach(nlri, afi=2, safi=1, nh=None, nhlen=None, reserved=0,
             flags=F_OPT):
    if nh is None:
        nh = socket.inet_pton(socket.AF_INET6, NH6) if afi == 2 else \
            socket.inet_aton(NH)
    n = len(nh) if nhlen is None else nhlen
    return attr(flags | F_EXT, 14, struct.pack('!HBB', afi, safi, n) + nh +
                bytes([reserved]) + nlri)


def mp_unreach(nlri, afi=2, safi=1, flags=F_OPT):
    return attr(flags | F_EXT, 15, struct.pack('!HB', afi, safi) + nlri)


def pfx(p):
    a, n = p.split('/')
    n = int(n)
    fam = socket.AF_INET6 if ':' in a else socket.AF_INET
    return bytes([n]) + socket.inet_pton(fam, a)[:(n + 7) // 8]


def update(attrs=b'', nlri=b'', withdrawn=b'', wlen=None, alen=None):
    w = struct.pack('!H', len(withdrawn) if wlen is None else wlen)
    a = struct.pack('!H', len(attrs) if alen is None else alen)
    return msg(2, w + withdrawn + a + attrs + nlri)


def fill_nlri(n):
    """n octets of distinct /30 and /24 prefixes (10.160.0.0 on)."""
    out, k = b'', 0
    while n - len(out) >= 5 and (n - len(out)) % 4 != 0 or \
            n - len(out) >= 20:
        out += pfx('10.%d.%d.%d/30' % (160 + k // 1000, k // 4 % 250,
                                       k % 4 * 64))
        k += 1
    while len(out) < n:
        out += pfx('10.%d.%d.0/24' % (170 + k // 250, k % 250))
        k += 1
    assert len(out) == n
    return out


def good_attrs(as4=True):
    return origin() + aspath(HOSTILE_AS, as4=as4) + nexthop()


def notify(code, sub, data=b''):
    return msg(3, bytes([code, sub]) + data)


def parse(b):
    """Messages in b as (type, body), and what follows the last one."""
    out = []
    o = 0   # an offset, not b = b[n:]: a 2 MB KEEPALIVE flood stays linear
    while len(b) - o >= 19 and b[o:o + 16] == b'\xff' * 16:
        n, t = struct.unpack('!HB', b[o + 16:o + 19])
        if n < 19 or len(b) - o < n:
            break
        out.append((t, b[o + 19:o + n]))
        o += n
    return out, b[o:]


def notification(msgs):
    for t, b in msgs:
        if t == 3:
            return (b[0], b[1]) if len(b) >= 2 else ('short',)
    return None


def decode_attrs(b):
    """Path attributes as {type: (flags, value)}; first one wins."""
    out = {}
    while len(b) >= 3:
        fl, t = b[0], b[1]
        if fl & F_EXT:
            if len(b) < 4:
                break
            n = struct.unpack('!H', b[2:4])[0]
            v, b = b[4:4 + n], b[4 + n:]
        else:
            n = b[2]
            v, b = b[3:3 + n], b[3 + n:]
        out.setdefault(t, (fl, v))
    return out


def decode_prefixes(b, v6=False):
    out = []
    while b:
        n = b[0]
        k = (n + 7) // 8
        raw = b[1:1 + k]
        b = b[1 + k:]
        if v6:
            a = socket.inet_ntop(socket.AF_INET6, raw.ljust(16, b'\0'))
        else:
            a = socket.inet_ntop(socket.AF_INET, raw.ljust(4, b'\0'))
        out.append('%s/%d' % (a, n))
    return out


def aspath_asns(v, as4=True):
    """The AS numbers of an AS_PATH value, flattened."""
    out, sz = [], 4 if as4 else 2
    while len(v) >= 2:
        n = v[1]
        for i in range(n):
            o = 2 + i * sz
            out.append(int.from_bytes(v[o:o + sz], 'big'))
        v = v[2 + n * sz:]
    return out


# ================================================================ peers
class Conn:
    """One TCP connection of ours to the daemon under test."""

    def __init__(self, src, dst, timeout=TIMEOUT):
        self.s = socket.socket()
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s.bind((src, 0))
        self.s.settimeout(timeout)
        self.s.connect(dst)
        self.buf = b''
        self.eof = None

    def send(self, b):
        self.s.sendall(b)

    def _recv(self, timeout):
        self.s.settimeout(max(0.01, timeout))
        try:
            d = self.s.recv(65536)
        except socket.timeout:
            return True
        except OSError:
            self.eof = 'reset'
            return False
        if not d:
            self.eof = 'eof'
            return False
        self.buf += d
        return True

    def msgs(self):
        return parse(self.buf)[0]

    def wait_for(self, pred, timeout=TIMEOUT):
        """Read until pred(messages) or end of stream or timeout."""
        end = time.time() + timeout
        while not pred(self.msgs()) and self.eof is None and \
                time.time() < end:
            self._recv(end - time.time())
        return pred(self.msgs())

    def read_to_end(self, timeout=TIMEOUT):
        end = time.time() + timeout
        while self.eof is None and time.time() < end:
            self._recv(end - time.time())
        return self.msgs(), self.eof or 'timeout'

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def types(msgs):
    return [t for t, _ in msgs]


class Witness(threading.Thread):
    """The well-behaved peer: Established for the whole run, keeps the
    routes the daemon sends it ({prefix: {type: (flags, value)}})."""

    def __init__(self, dst):
        super().__init__(daemon=True)
        self.dst = dst
        self.stop = threading.Event()
        self.up = threading.Event()
        self.broken = None
        self.routes = {}
        self.lock = threading.Lock()
        self.as4 = True

    def run(self):
        try:
            c = Conn(WITNESS, self.dst)
            c.send(open_msg(asn=WITNESS_AS, bid=WITNESS, extmsg=True))
            c.send(KEEPALIVE)
            buf = b''
            last_ka = time.time()
            while not self.stop.is_set():
                c.s.settimeout(0.3)
                try:
                    d = c.s.recv(1 << 20)
                    if not d:
                        self.broken = 'end of stream'
                        return
                    buf += d
                except socket.timeout:
                    pass
                msgs, buf = parse(buf)
                for t, b in msgs:
                    if t == 3:
                        self.broken = 'NOTIFICATION %d/%d' % (
                            b[0], b[1] if len(b) > 1 else -1)
                        return
                    if t == 4:
                        self.up.set()
                    if t == 2:
                        self._update(b)
                if time.time() - last_ka > 1.0:
                    c.send(KEEPALIVE)
                    last_ka = time.time()
            c.send(notify(6, 2))
            c.close()
        except OSError as e:
            self.broken = 'socket: %s' % e

    def _update(self, b):
        wl = struct.unpack('!H', b[:2])[0]
        wd = b[2:2 + wl]
        al = struct.unpack('!H', b[2 + wl:4 + wl])[0]
        attrs = decode_attrs(b[4 + wl:4 + wl + al])
        nlri = b[4 + wl + al:]
        with self.lock:
            for p in decode_prefixes(wd):
                self.routes.pop(p, None)
            if 15 in attrs:
                for p in decode_prefixes(attrs[15][1][3:], v6=True):
                    self.routes.pop(p, None)
            for p in decode_prefixes(nlri):
                self.routes[p] = attrs
            if 14 in attrs:
                v = attrs[14][1]
                if struct.unpack('!H', v[:2])[0] == 2:
                    n = v[3]
                    for p in decode_prefixes(v[5 + n:], v6=True):
                        self.routes[p] = attrs

    def route(self, p):
        with self.lock:
            return self.routes.get(p)

    def wait(self, pred, timeout=TIMEOUT):
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                if pred(self.routes):
                    return True
            if self.broken:
                return False
            time.sleep(0.01)
        with self.lock:
            return pred(self.routes)


# ================================================================ daemons
class Daemon:
    """A daemon under test, started and stopped by pid."""
    kind = None
    witness_ok = True   # has a witness that sees its re-advertisements
    prepends = True     # a router, not a transparent route server
    fresh = False       # one hostile neighbour per case (fresh_hostile)

    def __init__(self, work):
        self.addr, self.port = TARGETS[self.kind]
        self.dst = (self.addr, self.port)
        self.d = os.path.join(work, self.kind)
        os.makedirs(self.d, exist_ok=True)
        self.p = None
        self.log = None
        self.witness = None
        self.hostile_src = HOSTILE
        self.restarts = 0

    def popen(self, argv, env=None, **kw):
        self.log = open(os.path.join(self.d, 'daemon.log'), 'a')
        self.p = subprocess.Popen(argv, stdout=self.log, stderr=self.log,
                                  env=env, start_new_session=True, **kw)

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def hostiles(self):
        """The hostile neighbour addresses to configure."""
        if self.fresh:
            return [fresh_hostile(i) for i in range(len(CASES))]
        return [HOSTILE]

    def use_case(self, i):
        """Case i is next: pick its hostile source address."""
        if self.fresh:
            self.hostile_src = fresh_hostile(i)

    def start(self):
        if STOPPING.is_set():
            raise RuntimeError('%s: stopping' % self.kind)
        RUNNING.add(self)
        self.configure()
        self.launch()
        self.wait_listening()
        if self.witness_ok:
            self.witness = Witness(self.dst)
            self.witness.start()
            if not self.witness.up.wait(30):
                raise RuntimeError('%s: witness not Established (%s)' % (
                    self.kind, self.witness.broken))
        self.flaps0 = self.witness_flaps()

    def wait_listening(self, secs=30):
        end = time.time() + secs
        while time.time() < end:
            if not self.alive():
                raise RuntimeError('%s exited at start (log %s)' % (
                    self.kind, self.log.name))
            try:
                s = socket.create_connection(self.dst, 0.5,
                                             source_address=('127.0.22.9', 0))
                s.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError('%s not listening on %s:%d' % (
            self.kind, self.addr, self.port))

    def stop(self):
        if self.witness:
            self.witness.stop.set()
            self.witness.join(3)
            self.witness = None
        rc = None
        if self.p is not None:
            if self.p.poll() is None:
                self.p.send_signal(signal.SIGTERM)
                try:
                    self.p.wait(10)
                except subprocess.TimeoutExpired:
                    self.p.kill()
                    self.p.wait(5)
            rc = self.p.returncode
            # children of the daemon (openbgpd's SE/RDE) by its session
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.p = None
        if self.log:
            self.log.close()
            self.log = None
        RUNNING.discard(self)
        return rc

    def restart(self):
        self.restarts += 1
        self.stop()
        self.start()

    def witness_flaps(self):
        return 0

    def ready_for_next(self):
        """Wait until the hostile peer's previous session is gone."""
        time.sleep(0.05)


class Vrsd(Daemon):
    kind = 'vrsd'
    prepends = False

    def configure(self):
        self.sock = os.path.join(self.d, 'vrsd.sock')
        self.conf = os.path.join(self.d, 'vrsd.yaml')
        with open(self.conf, 'w') as f:
            f.write('router-id: %s\nasn: %d\nmode: transparent\n'
                    'listen: ["%s:%d"]\ncontrol: %s\nlog-level: debug\n'
                    'peers:\n' % (self.addr, LOCAL_AS, self.addr, self.port,
                                  self.sock))
            for name, a, asn in (('hostile', HOSTILE, HOSTILE_AS),
                                 ('witness', WITNESS, WITNESS_AS)):
                f.write('  - {name: %s, address: %s, asn: %d, passive: true,'
                        ' families: [ipv4, ipv6]}\n' % (name, a, asn))

    def launch(self):
        self.popen([os.path.join(BIN, 'vrsd'), '-d', '-c', self.conf])

    def vrs(self, *args):
        try:
            r = subprocess.run([os.path.join(BIN, 'vrs'), '--socket',
                                self.sock, '-o', 'json'] + list(args),
                               capture_output=True, text=True, timeout=10)
            return json.loads(r.stdout) if r.stdout.strip() else None
        except (subprocess.TimeoutExpired, ValueError):
            return None

    def peer(self, name):
        for p in self.vrs('peers') or []:
            if p.get('name') == name:
                return p
        return None

    def witness_flaps(self):
        p = self.peer('witness')
        return p['flaps'] if p else None

    def witness_state(self):
        p = self.peer('witness')
        return p['state'] if p else None

    def ready_for_next(self):
        end = time.time() + TIMEOUT
        while time.time() < end:
            p = self.peer('hostile')
            if p and p['state'] != 'Established':
                return
            time.sleep(0.02)


class Speaker(Daemon):
    """vrs-speaker, passive, with the hostile peer as its neighbour."""
    kind = 'speaker'
    witness_ok = False

    def configure(self):
        self.hostile_src = SPEAKER_HOSTILE
        self.conf = os.path.join(self.d, 'speaker.conf')
        with open(self.conf, 'w') as f:
            f.write('neighbor %s {\n  router-id %s;\n  local-address %s;\n'
                    '  local-as %d;\n  peer-as %d;\n  passive true;\n'
                    '  family { ipv4 unicast; ipv6 unicast; }\n'
                    '  static { route 10.250.0.0/24 next-hop %s; }\n}\n'
                    % (SPEAKER_HOSTILE, self.addr, self.addr, LOCAL_AS,
                       HOSTILE_AS, self.addr))

    def launch(self):
        env = dict(os.environ, exabgp_tcp_port=str(self.port),
                   exabgp_tcp_bind=self.addr, exabgp_api_cli='false')
        self.popen([os.path.join(BIN, 'vrs-speaker'), '--root', self.d,
                    self.conf], env=env)


# --------------------------------------------------------------- references
class Bird(Daemon):
    kind = 'bird'
    fresh = True

    def configure(self):
        self.conf = os.path.join(self.d, 'bird.conf')
        nbs = ''
        peers = [(a, HOSTILE_AS) for a in self.hostiles()]
        for i, (a, asn) in enumerate(peers + [(WITNESS, WITNESS_AS)]):
            nbs += ('protocol bgp n%d {\n  local %s port %d as %d;\n'
                    '  neighbor %s as %d;\n  strict bind on; multihop;\n'
                    '  passive on; error wait time 1, 2;\n'
                    '  ipv4 { import all; export all; igp table igp4;'
                    ' gateway recursive; next hop self; '
                    'extended next hop off; };\n'
                    '  ipv6 { import all; export all; igp table igp6;'
                    ' gateway recursive; next hop self; };\n}\n'
                    % (i, self.addr, self.port, LOCAL_AS, a, asn))
        with open(self.conf, 'w') as f:
            f.write('router id %s;\nlog "%s/bird.log" all;\n'
                    'protocol device { scan time 60; }\n'
                    'ipv4 table igp4; ipv6 table igp6;\n'
                    'protocol static { ipv4 { table igp4; }; '
                    'route 0.0.0.0/0 blackhole; }\n'
                    'protocol static { ipv6 { table igp6; }; '
                    'route ::/0 blackhole; }\n%s'
                    % (self.addr, self.d, nbs))

    def launch(self):
        self.popen(['bird', '-f', '-c', self.conf, '-s',
                    os.path.join(self.d, 'bird.ctl'), '-P',
                    os.path.join(self.d, 'bird.pid')])


class Frr(Daemon):
    kind = 'frr'
    fresh = True

    def configure(self):
        self.conf = os.path.join(self.d, 'bgpd.conf')
        os.makedirs(os.path.join(self.d, 'vty'), exist_ok=True)
        nb, af = '', ''
        peers = [(a, HOSTILE_AS) for a in self.hostiles()]
        for a, asn in peers + [(WITNESS, WITNESS_AS)]:
            nb += (' neighbor %s remote-as %d\n neighbor %s passive\n'
                   ' neighbor %s update-source %s\n'
                   ' neighbor %s disable-connected-check\n'
                   ' neighbor %s advertisement-interval 0\n'
                   ' neighbor %s timers 30 90\n'
                   % (a, asn, a, a, self.addr, a, a, a))
            af += '  neighbor %s activate\n' % a
        # coalesce-time: left alone, bgpd lengthens it with the number of
        # peers (291 here) and the first cases' routes miss the 5 s wait
        with open(self.conf, 'w') as f:
            f.write('frr defaults datacenter\nhostname hostile\n'
                    'router bgp %d\n bgp router-id %s\n'
                    ' no bgp ebgp-requires-policy\n'
                    ' bgp allow-martian-nexthop\n'
                    ' no bgp default ipv4-unicast\n coalesce-time 100\n'
                    ' bgp graceful-restart-disable\n%s'
                    ' address-family ipv4 unicast\n%s exit-address-family\n'
                    ' address-family ipv6 unicast\n%s exit-address-family\n'
                    'exit\n' % (LOCAL_AS, self.addr, nb, af, af))

    def launch(self):
        self.popen(['/usr/lib/frr/bgpd', '-f', self.conf, '-Z', '-n', '-S',
                    '-l', self.addr, '-p', str(self.port), '-i',
                    os.path.join(self.d, 'bgpd.pid'), '--vty_socket',
                    os.path.join(self.d, 'vty'), '-P', '0'])


class OpenBgpd(Daemon):
    kind = 'openbgpd'
    fresh = True

    def configure(self):
        self.conf = os.path.join(self.d, 'bgpd.conf')
        os.makedirs('/run/openbgpd', exist_ok=True)
        nb = ''
        peers = [(a, HOSTILE_AS) for a in self.hostiles()]
        for a, asn in peers + [(WITNESS, WITNESS_AS)]:
            nb += ('neighbor %s {\n  remote-as %d\n  local-address %s\n'
                   '  passive\n  multihop 2\n  announce IPv4 unicast\n'
                   '  announce IPv6 unicast\n}\n' % (a, asn, self.addr))
        with open(self.conf, 'w') as f:
            f.write('AS %d\nrouter-id %s\nlisten on %s port %d\n'
                    'socket "%s/bgpd.sock"\nfib-update no\n'
                    'nexthop qualify via default\n%s'
                    'allow from any\nallow to any\n'
                    % (LOCAL_AS, self.addr, self.addr, self.port, self.d, nb))
        os.chmod(self.conf, 0o600)

    def launch(self):
        self.popen(['/usr/sbin/bgpd', '-d', '-f', self.conf])

    def ready_for_next(self):
        poll_state(['bgpctl', '-s', os.path.join(self.d, 'bgpd.sock'), '-j',
                    'show', 'neighbor', self.hostile_src],
                   lambda j: j['neighbors'][0]['state'], ('Active',))


class Gobgp(Daemon):
    kind = 'gobgp'
    fresh = True

    def configure(self):
        self.conf = os.path.join(self.d, 'gobgpd.toml')
        with open(self.conf, 'w') as f:
            f.write('[global.config]\n  as = %d\n  router-id = "%s"\n'
                    '  port = %d\n  local-address-list = ["%s"]\n'
                    % (LOCAL_AS, self.addr, self.port, self.addr))
            peers = [(a, HOSTILE_AS) for a in self.hostiles()]
            for a, asn in peers + [(WITNESS, WITNESS_AS)]:
                f.write('[[neighbors]]\n  [neighbors.config]\n'
                        '    neighbor-address = "%s"\n    peer-as = %d\n'
                        '  [neighbors.transport.config]\n'
                        '    local-address = "%s"\n    passive-mode = true\n'
                        '  [neighbors.timers.config]\n'
                        '    idle-hold-time-after-reset = 1\n'
                        '  [neighbors.ebgp-multihop.config]\n'
                        '    enabled = true\n    multihop-ttl = 2\n'
                        % (a, asn, self.addr))
                for af in ('ipv4-unicast', 'ipv6-unicast'):
                    f.write('  [[neighbors.afi-safis]]\n'
                            '    [neighbors.afi-safis.config]\n'
                            '      afi-safi-name = "%s"\n' % af)

    def launch(self):
        self.popen(['gobgpd', '-f', self.conf, '-t', 'toml', '-p', '-l',
                    'info', '--api-hosts', '%s:%d' % (self.addr, GOBGP_API),
                    '--pprof-disable'])

    def wait_listening(self, secs=30):
        # gobgpd listens before it has read its neighbours: a connection
        # then is reset
        super().wait_listening(secs)
        poll_state(['gobgp', '-u', self.addr, '-p', str(GOBGP_API), '-j',
                    'neighbor', WITNESS],
                   lambda j: j['state']['session_state'], ('active', 3),
                   secs)

    def ready_for_next(self):
        poll_state(['gobgp', '-u', self.addr, '-p', str(GOBGP_API), '-j',
                    'neighbor', self.hostile_src],
                   lambda j: j['state']['session_state'], ('active', 3))


def poll_state(argv, get, want, secs=20):
    """Poll a reference daemon's CLI (JSON) until the hostile neighbour
    is in one of the states want (it is ready for a new connection)."""
    end = time.time() + secs
    while time.time() < end:
        try:
            r = subprocess.run(argv, capture_output=True, text=True,
                               timeout=5)
            if get(json.loads(r.stdout)) in want:
                return
        except (subprocess.TimeoutExpired, ValueError, KeyError,
                IndexError, TypeError, OSError):
            pass
        time.sleep(0.2)


DAEMONS = {c.kind: c for c in (Vrsd, Speaker, Bird, Frr, OpenBgpd, Gobgp)}
RUNNING = set()                 # daemons started and not yet stopped
STOPPING = threading.Event()    # a signal came: start nothing more


# ================================================================ cases
class C:
    """What a case builder gets: the prefixes and addresses of this case."""

    def __init__(self, i, target):
        self.i = i
        self.P = '10.%d.%d.0/24' % (1 + i // 200, i % 200)     # the route
        self.S = '10.%d.%d.0/24' % (101 + i // 200, i % 200)   # sentinel
        self.P6 = '2001:db8:%x::/48' % (0x100 + i)
        self.bgp_id = TARGETS[target][0]
        self.addr = TARGETS[target][0]


class Case:
    """One case: id, group, description, RFC section, what to send and
    what must happen.

    stage: 'openmsg' - the payload is our first message (an OPEN, or
           whatever comes instead); 'opensent' - after our OPEN and theirs,
           before our KEEPALIVE; 'est' - Established (default).
    expect: ('reset', [(code, sub), ...]) - one of these NOTIFICATIONs,
              then end of stream;
            ('close', [(code, sub), ...]) - the connection closed, with no
              NOTIFICATION or one of these;
            ('hold',)   - a 4/0 NOTIFICATION between hold and 2 * hold + 1 s;
            ('up',)     - (OPEN cases) the session comes up and a route
              passes to the witness;
            ('ignore',) - no NOTIFICATION, the session stays up;
            ('withdraw',) - the route P, first announced valid, is gone;
            ('reject',) - the fresh route P is not installed;
            ('accept', checks) - P (or P6) installed, checks on its
              attributes at the witness: ('has', T), ('lacks', T),
              ('partial', T), ('value', T, bytes), ('asns', [..]),
              ('aslen', N), ('v6',)
            ('discard', T) - P installed without attribute T.
    """

    def __init__(self, cid, group, desc, rfc, payload, expect, stage='est',
                 as4=True, extmsg=False, hold=90, mode='whole', xfail=None):
        self.id, self.group, self.desc, self.rfc = cid, group, desc, rfc
        self.payload, self.expect, self.stage = payload, expect, stage
        self.as4, self.extmsg, self.hold, self.mode = as4, extmsg, hold, mode
        self.xfail = xfail or {}

    def bytes(self, c):
        p = self.payload
        return p(c) if callable(p) else p


CASES = []


def case(*a, **kw):
    CASES.append(Case(*a, **kw))


def R(*codes):
    return ('reset', list(codes))


WD = ('withdraw',)
IGN = ('ignore',)
UP = ('up',)
REJ = ('reject',)


def ACC(*checks):
    return ('accept', list(checks))


def DIS(t):
    return ('discard', t)


def U(attrs_fn, nlri='P'):
    """An UPDATE of attrs_fn(c) announcing c.P (nlri='P') or nothing."""
    def build(c):
        n = pfx(c.P) if nlri == 'P' else b''
        return update(attrs_fn(c) if callable(attrs_fn) else attrs_fn, n)
    return build


GA = good_attrs()
GA2 = good_attrs(as4=False)

# ---------------------------------------------------------------- header
G = 'header'
case('hdr-marker-zero', G, 'marker all zeros', 'RFC 4271 6.1',
     msg(4, marker=b'\0' * 16), R((1, 1)))
case('hdr-marker-one-octet', G, 'one marker octet 0xfe', 'RFC 4271 6.1',
     msg(4, marker=b'\xff' * 15 + b'\xfe'), R((1, 1)))
case('hdr-marker-first', G, 'bad marker as the first message (before '
     'OPEN)', 'RFC 4271 6.1', msg(1, open_body(), marker=b'\x00' * 16),
     R((1, 1)), stage='openmsg')
case('hdr-marker-bytewise', G, 'bad marker, sent one octet per segment',
     'RFC 4271 6.1', msg(4, marker=b'\xfe' * 16), R((1, 1)),
     mode='bytewise')
for n in (0, 1, 18):
    case('hdr-len-%d' % n, G, 'header length %d' % n, 'RFC 4271 6.1',
         msg(4, length=n), R((1, 2)))
case('hdr-len-4097', G, 'UPDATE of 4097 octets, no extended messages',
     'RFC 4271 6.1, RFC 8654 4', msg(2, b'\0' * 4078), R((1, 2)))
case('hdr-len-65535', G, 'header says 65535, no extended messages (header '
     'only sent)', 'RFC 4271 6.1, RFC 8654 4', msg(2, length=65535),
     R((1, 2)))
case('hdr-len-4097-open', G, 'OPEN of 4097 octets', 'RFC 4271 6.1',
     msg(1, open_body() + b'\0' * (4097 - 19 - len(open_body()))),
     R((1, 2), (2, 0)), stage='openmsg')
for t in (0, 6, 7, 128, 255):
    case('hdr-type-%d' % t, G, 'unknown message type %d' % t,
         'RFC 4271 6.1', msg(t), R((1, 3)))
case('hdr-type-9-open', G, 'unknown message type 9 before OPEN',
     'RFC 4271 6.1', msg(9), R((1, 3)), stage='openmsg')
for n in (1, 2, 4000):
    case('ka-body-%d' % n, 'keepalive', 'KEEPALIVE with a %d-octet body' % n,
         'RFC 4271 4.4, 6.1', msg(4, b'\0' * n), R((1, 2)))
case('ka-flood', 'keepalive', '1000 KEEPALIVEs in one segment',
     'RFC 4271 4.4', KEEPALIVE * 1000, IGN)
case('upd-len-19', G, 'UPDATE of 19 octets (no body)', 'RFC 4271 6.1',
     msg(2), R((1, 2)))
case('upd-len-22', G, 'UPDATE of 22 octets', 'RFC 4271 6.1',
     msg(2, b'\0\0\0'), R((1, 2)))
case('open-len-28', G, 'OPEN of 28 octets', 'RFC 4271 6.1',
     msg(1, b'\x04' + b'\0' * 8), R((1, 2)), stage='openmsg')
case('rr-len-22', 'route-refresh', 'ROUTE-REFRESH of 22 octets',
     'RFC 2918 3, RFC 4271 6.1', msg(5, b'\0\x01\0'), R((1, 2)))
case('rr-len-24', 'route-refresh', 'ROUTE-REFRESH (subtype 0) of 24 '
     'octets', 'RFC 7313 5', msg(5, b'\0\x01\0\x01\0'), R((1, 2), (7, 1)))
case('rr-borr-len-24', 'route-refresh', 'BoRR of 24 octets',
     'RFC 7313 5', msg(5, b'\0\x01\x01\x01\0'), R((7, 1)))
case('rr-eorr-len-25', 'route-refresh', 'EoRR of 25 octets',
     'RFC 7313 5', msg(5, b'\0\x01\x02\x01\0\0'), R((7, 1)))
case('rr-unknown-afi', 'route-refresh', 'ROUTE-REFRESH for AFI 99 (not '
     'negotiated): ignored', 'RFC 2918 4', msg(5, b'\0\x63\0\x01'), IGN)
case('rr-unknown-subtype', 'route-refresh', 'ROUTE-REFRESH subtype 3: '
     'ignored', 'RFC 7313 5', msg(5, b'\0\x01\x03\x01'), IGN)
case('rr-ok', 'route-refresh', 'ROUTE-REFRESH IPv4 unicast',
     'RFC 2918 4', msg(5, b'\0\x01\0\x01'), IGN)
case('split-bytewise-update', 'split', 'a valid UPDATE one octet per '
     'segment', 'RFC 4271 4.1 (TCP is a stream)', U(GA), ACC(),
     mode='bytewise')
case('split-header-body', 'split', 'UPDATE header, 300 ms, body',
     'RFC 4271 4.1', U(GA), ACC(), mode='halves')
case('split-bytewise-open', 'split', 'OPEN one octet per segment',
     'RFC 4271 4.1', open_msg(), UP, stage='openmsg', mode='bytewise')
case('coalesced-100', 'split', '100 UPDATEs in one segment, the last '
     'announcing P', 'RFC 4271 4.1',
     lambda c: b''.join(update(GA, pfx('10.%d.%d.0/24' % (150 + k // 200,
                                                         k % 200)))
                        for k in range(99)) + update(GA, pfx(c.P)), ACC())
case('stall-update', 'stall', 'half an UPDATE, then nothing (hold 3)',
     'RFC 4271 6.5', lambda c: update(GA, pfx(c.P))[:15], ('hold',),
     hold=3)
case('stall-header', 'stall', '10 octets of a header, then nothing '
     '(hold 3)', 'RFC 4271 6.5', KEEPALIVE[:10], ('hold',), hold=3)
case('stall-openconfirm', 'stall', 'OPEN but never a KEEPALIVE (hold 3)',
     'RFC 4271 8.2.2 (OpenConfirm, hold timer)', b'', ('hold',), hold=3,
     stage='opensent')

# ---------------------------------------------------------------- OPEN
G = 'open'
for v in (0, 1, 2, 3, 5, 255):
    case('open-version-%d' % v, G, 'version %d' % v, 'RFC 4271 6.2',
         open_msg(version=v), R((2, 1)), stage='openmsg')
case('open-ok', G, 'a valid OPEN (control)', 'RFC 4271 4.2', open_msg(),
     UP, stage='openmsg')
case('open-as-wrong', G, 'My AS 65099, configured 65001', 'RFC 4271 6.2',
     open_msg(asn=65099), R((2, 2)), stage='openmsg')
case('open-as-0', G, 'My AS 0, no 4-octet AS capability',
     'RFC 7607 3, RFC 4271 6.2', open_msg(asn=0, as4=False), R((2, 2)),
     stage='openmsg')
case('open-as-0-cap-0', G, 'My AS 0 and 4-octet AS capability 0',
     'RFC 7607 3', open_msg(asn=0), R((2, 2)), stage='openmsg')
case('open-cap-as4-0', G, 'My AS 65001, 4-octet AS capability 0',
     'RFC 7607 3, RFC 6793 4.1', open_msg(params=caps_param(
         cap_mp(1), cap_as4(0))), R((2, 2)), stage='openmsg')
case('open-as-trans-nocap', G, 'My AS AS_TRANS without the 4-octet AS '
     'capability', 'RFC 6793 4.1, RFC 4271 6.2',
     open_msg(myas=AS_TRANS, as4=False), R((2, 2)), stage='openmsg')
case('open-as-trans-cap', G, 'My AS AS_TRANS, 4-octet AS capability '
     '65001: correct', 'RFC 6793 4.1', open_msg(myas=AS_TRANS), UP,
     stage='openmsg')
case('open-cap-as4-trans', G, 'My AS and capability both AS_TRANS',
     'RFC 6793 4.1', open_msg(asn=AS_TRANS, myas=AS_TRANS), R((2, 2)),
     stage='openmsg')
case('open-cap-as4-wrong', G, '4-octet AS capability 65099, My AS 65001',
     'RFC 6793 4.1, RFC 4271 6.2', open_msg(params=caps_param(
         cap_mp(1), cap_as4(65099))), R((2, 2)), stage='openmsg')
case('open-cap-as4-big', G, '4-octet AS capability 4200000000, '
     'configured 65001', 'RFC 6793 4.1', open_msg(params=caps_param(
         cap_mp(1), cap_as4(4200000000)), myas=AS_TRANS), R((2, 2)),
     stage='openmsg')
for n in (0, 2, 5):
    case('open-cap-as4-len-%d' % n, G, '4-octet AS capability of %d '
         'octets' % n, 'RFC 6793 3, RFC 4271 6.2 (malformed parameter)',
         open_msg(params=caps_param(cap_mp(1), cap(65, b'\0\0\xfd\xe9\0'
                                                   [:n]))),
         R((2, 0), (2, 2)), stage='openmsg')
for h in (1, 2):
    case('open-hold-%d' % h, G, 'hold time %d' % h, 'RFC 4271 6.2',
         open_msg(hold=h), R((2, 6)), stage='openmsg')
for h in (0, 3, 65535):
    case('open-hold-%d' % h, G, 'hold time %d: valid' % h, 'RFC 4271 4.2',
         open_msg(hold=h), UP, stage='openmsg')
case('open-id-0', G, 'BGP identifier 0', 'RFC 6286 2.2, RFC 4271 6.2',
     open_msg(bid='0.0.0.0'), R((2, 3)), stage='openmsg')
case('open-id-ours-ebgp', G, 'BGP identifier equal to ours, external '
     'peer: allowed', 'RFC 6286 2.2', lambda c: open_msg(bid=c.bgp_id), UP,
     stage='openmsg')
for bid in ('255.255.255.255', '224.0.0.1', '127.0.0.1'):
    case('open-id-%s' % bid, G, 'BGP identifier %s (any non-zero value '
         'is valid)' % bid, 'RFC 6286 2.1', open_msg(bid=bid), UP,
         stage='openmsg')
for t in (0, 1, 3, 255):
    case('open-param-type-%d' % t, G, 'optional parameter type %d' % t,
         'RFC 4271 6.2, RFC 5492 3',
         open_raw(opt=bytes([t, 2, 0, 0]) + caps_param(cap_mp(1))),
         R((2, 4)), stage='openmsg')
case('open-param-overrun', G, 'capabilities parameter length 8, 4 '
     'octets follow', 'RFC 4271 6.2', open_raw(opt=b'\x02\x08\x01\x04'
                                               b'\x00\x01\x00\x01'[:4]),
     R((2, 0)), stage='openmsg')
case('open-optlen-overrun', G, 'optional parameters length 40, 8 octets '
     'follow', 'RFC 4271 6.1, 6.2', open_raw(optlen=40, opt=caps_param(
         cap_mp(1))), R((2, 0), (1, 2)), stage='openmsg')
case('open-optlen-short', G, 'optional parameters length 4, 14 octets '
     'follow', 'RFC 4271 6.1, 6.2', open_raw(optlen=4, opt=caps_param(
         cap_mp(1), cap_as4(HOSTILE_AS))), R((2, 0), (1, 2)),
     stage='openmsg')
case('open-param-truncated', G, 'one octet of a parameter header',
     'RFC 4271 6.2', open_raw(opt=b'\x02'), R((2, 0)), stage='openmsg')
case('open-cap-overrun', G, 'capability length 6 in a 4-octet parameter',
     'RFC 5492 4, RFC 4271 6.2', open_raw(opt=b'\x02\x04\x01\x06\x00\x01'),
     R((2, 0)), stage='openmsg')
case('open-cap-truncated', G, 'a capability header of 1 octet',
     'RFC 5492 4, RFC 4271 6.2',
     open_raw(opt=caps_param(cap_mp(1)) + b'\x02\x01\x41'), R((2, 0)),
     stage='openmsg')
case('open-cap-mp-len-3', G, 'multiprotocol capability of 3 octets',
     'RFC 4760 8, RFC 4271 6.2', open_msg(params=caps_param(
         cap(1, b'\0\x01\0'), cap_as4(HOSTILE_AS))), R((2, 0)),
     stage='openmsg')
case('open-cap-mp-unknown-afi', G, 'multiprotocol capability AFI 99 '
     '(and IPv4): ignored', 'RFC 4760 8, RFC 5492 3',
     open_msg(params=caps_param(cap_mp(99), *default_caps())), UP,
     stage='openmsg')
case('open-cap-unknown', G, 'unknown capability 200 of 10 octets',
     'RFC 5492 3', open_msg(params=caps_param(cap(200, b'x' * 10),
                                              *default_caps())), UP,
     stage='openmsg')
case('open-cap-unknown-empty', G, 'unknown capability 201 of 0 octets',
     'RFC 5492 3', open_msg(params=caps_param(cap(201), *default_caps())),
     UP, stage='openmsg')
case('open-cap-dup-mp', G, 'IPv4 multiprotocol capability twice',
     'RFC 5492 4', open_msg(params=caps_param(cap_mp(1), *default_caps())),
     UP, stage='openmsg')
case('open-cap-dup-as4', G, 'the same 4-octet AS capability twice',
     'RFC 5492 4', open_msg(params=caps_param(cap_as4(HOSTILE_AS),
                                              *default_caps())), UP,
     stage='openmsg')
case('open-caps-separate', G, 'each capability in a parameter of its '
     'own', 'RFC 5492 4', open_raw(opt=b''.join(caps_param(x)
                                                for x in default_caps())),
     UP, stage='openmsg')
case('open-no-params', G, 'no optional parameters (2-octet AS, IPv4 '
     'only)', 'RFC 4271 4.2, RFC 4760 8', open_raw(), UP, stage='openmsg',
     as4=False)
case('open-extmsg', G, 'extended message capability', 'RFC 8654 3',
     open_msg(extmsg=True), UP, stage='openmsg')
case('open-rfc9072-ok', G, 'extended optional parameters, valid',
     'RFC 9072 2', open_ext(ext_param(2, b''.join(default_caps()))), UP,
     stage='openmsg')
case('open-rfc9072-two-params', G, 'extended optional parameters, two '
     'capability parameters', 'RFC 9072 2',
     open_ext(ext_param(2, cap_mp(1)) + ext_param(2, cap_as4(HOSTILE_AS))),
     UP, stage='openmsg')
case('open-rfc9072-big', G, 'extended optional parameters, 300 octets of '
     'capabilities', 'RFC 9072 2',
     open_ext(ext_param(2, b''.join(default_caps()) +
                        b''.join(cap(200 + k, b'y' * 20)
                                 for k in range(13)))), UP, stage='openmsg')
case('open-rfc9072-ext-overrun', G, 'extended parameters length 100, 12 '
     'octets follow', 'RFC 9072 2, RFC 4271 6.2',
     open_ext(ext_param(2, cap_mp(1) + cap_as4(HOSTILE_AS))[:12],
              ext_len=100), R((2, 0), (1, 2)), stage='openmsg')
case('open-rfc9072-param-overrun', G, 'extended parameter length 50 in '
     'a 14-octet list', 'RFC 9072 2, RFC 4271 6.2',
     open_ext(ext_param(2, cap_mp(1) + cap_as4(HOSTILE_AS), plen=50)),
     R((2, 0)), stage='openmsg')
case('open-rfc9072-truncated', G, 'Non-Ext OP Len 255, type 255, one '
     'octet of length', 'RFC 9072 2', open_raw(optlen=255, opt=b'\xff\x00'),
     R((2, 0), (1, 2)), stage='openmsg')
case('open-rfc9072-type-not-255', G, 'Non-Ext OP Len 255 with a type 2 '
     'parameter (not the RFC 9072 form): overrun', 'RFC 9072 2',
     open_raw(optlen=255, opt=caps_param(cap_mp(1))), R((2, 0), (1, 2)),
     stage='openmsg')
case('open-in-openconfirm', 'fsm', 'a second OPEN in OpenConfirm',
     'RFC 4271 8.2.2, RFC 6608 4', open_msg(), R((5, 2), (5, 0)),
     stage='opensent')
case('open-in-established', 'fsm', 'OPEN when Established',
     'RFC 4271 8.2.2, RFC 6608 4', open_msg(), R((5, 3), (5, 0)))
case('fsm-keepalive-first', 'fsm', 'KEEPALIVE before OPEN',
     'RFC 4271 8.2.2, RFC 6608 4', KEEPALIVE, R((5, 1), (5, 0)),
     stage='openmsg')
case('fsm-update-first', 'fsm', 'UPDATE before OPEN',
     'RFC 4271 8.2.2, RFC 6608 4', lambda c: update(GA, pfx(c.P)),
     R((5, 1), (5, 0)), stage='openmsg')
case('fsm-rr-first', 'fsm', 'ROUTE-REFRESH before OPEN',
     'RFC 4271 8.2.2, RFC 6608 4', msg(5, b'\0\x01\0\x01'),
     R((5, 1), (5, 0)), stage='openmsg')
case('fsm-update-openconfirm', 'fsm', 'UPDATE in OpenConfirm',
     'RFC 4271 8.2.2, RFC 6608 4', lambda c: update(GA, pfx(c.P)),
     R((5, 2), (5, 0)), stage='opensent')

# ---------------------------------------------------------------- NOTIFICATION
G = 'notification'
case('notif-cease', G, 'Cease/administrative shutdown', 'RFC 4271 6.4',
     notify(6, 2), ('close', []))
case('notif-short-20', G, 'NOTIFICATION of 20 octets (code only)',
     'RFC 4271 6.1, 6.4', msg(3, b'\x06'), ('close', [(1, 2)]))
case('notif-short-19', G, 'NOTIFICATION of 19 octets', 'RFC 4271 6.1, 6.4',
     msg(3), ('close', [(1, 2)]))
case('notif-unknown-code', G, 'NOTIFICATION code 99', 'RFC 4271 6.4',
     notify(99, 1), ('close', []))
case('notif-code-0', G, 'NOTIFICATION code 0 subcode 0', 'RFC 4271 6.4',
     notify(0, 0), ('close', []))
case('notif-big-data', G, 'NOTIFICATION 3/1 with 4000 octets of data',
     'RFC 4271 4.5', notify(3, 1, b'\xaa' * 4000), ('close', []))
case('notif-shutdown-overrun', G, 'Cease 6/2 whose RFC 9003 length 200 '
     'overruns', 'RFC 9003 2', notify(6, 2, b'\xc8hello'), ('close', []))
case('notif-shutdown-bad-utf8', G, 'Cease 6/2 with invalid UTF-8 and '
     'control characters', 'RFC 9003 2, 6', notify(6, 2, b'\x08\xff\xfe\x1b'
                                                  b'[2J\n\0x'), ('close', []))
case('notif-opensent', G, 'NOTIFICATION as the first message',
     'RFC 4271 8.2.2', notify(6, 5), ('close', []), stage='openmsg')
case('notif-openconfirm', G, 'NOTIFICATION in OpenConfirm',
     'RFC 4271 8.2.2', notify(2, 0), ('close', []), stage='opensent')

# ---------------------------------------------------------------- UPDATE
G = 'update-length'
case('upd-wlen-overrun', G, 'withdrawn routes length 200',
     'RFC 4271 6.3, RFC 7606 4', update(wlen=200), R((3, 1)))
case('upd-wlen-max', G, 'withdrawn routes length 65535',
     'RFC 4271 6.3, RFC 7606 4', update(wlen=65535), R((3, 1)))
case('upd-wlen-eats-alen', G, 'withdrawn length = body - 2 (no room for '
     'the attribute length)', 'RFC 4271 6.3, RFC 7606 4',
     msg(2, b'\0\x02\x08\x0a'), R((3, 1)))
case('upd-alen-overrun', G, 'total path attribute length 200',
     'RFC 4271 6.3, RFC 7606 4', lambda c: update(GA, pfx(c.P), alen=200),
     R((3, 1)))
case('upd-alen-max', G, 'total path attribute length 65535',
     'RFC 4271 6.3, RFC 7606 4', lambda c: update(GA, alen=65535),
     R((3, 1)))
case('upd-attr-overrun-nlri', G, 'last attribute overruns the attribute '
     'list, NLRI present', 'RFC 7606 4',
     lambda c: update(GA + b'\xc0\x08\x20\0\0\0\0', pfx(c.P)), WD)
case('upd-attr-short-tail-nlri', G, 'two octets left in the attribute '
     'list, NLRI present', 'RFC 7606 4',
     lambda c: update(GA + b'\xc0\x08', pfx(c.P)), WD)
case('upd-attr-extlen-tail-nlri', G, 'three octets left, extended length '
     'flag set, NLRI present', 'RFC 7606 4',
     lambda c: update(GA + b'\xd0\x08\x00', pfx(c.P)), WD)
case('upd-attr-overrun-no-nlri', G, 'AS_PATH overruns the list, nothing '
     'else (the prefixes cannot be located)', 'RFC 7606 4, 5',
     update(origin() + b'\x40\x02\x20\x02\x01'), R((3, 1), (3, 5)))
case('upd-attr-overrun-mp', G, 'an MP_REACH_NLRI that overruns the list',
     'RFC 7606 4, 7.11', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(pfx(c.P6))[:-3] ),
     R((3, 1), (3, 5), (3, 9)))
for n, d in ((33, 'prefix length 33'), (255, 'prefix length 255')):
    case('upd-nlri-len-%d' % n, G, 'NLRI %s' % d, 'RFC 4271 6.3, RFC 7606 '
         '5.3', update(GA, bytes([n]) + b'\x0a\x01\x02\x03\x04'),
         R((3, 10)))
    case('upd-withdrawn-len-%d' % n, G, 'withdrawn %s' % d,
         'RFC 4271 6.3, RFC 7606 5.3',
         update(withdrawn=bytes([n]) + b'\x0a\x01\x02\x03\x04'), R((3, 10)))
case('upd-nlri-overrun', G, 'NLRI /24 with 2 octets of address',
     'RFC 7606 5.3', update(GA, b'\x18\x0a\x01'), R((3, 10)))
case('upd-withdrawn-overrun', G, 'withdrawn /24 with 1 octet of address',
     'RFC 7606 5.3', update(withdrawn=b'\x18\x0a'), R((3, 10)))
case('upd-nlri-trailing-octet', G, 'a valid prefix and one stray octet',
     'RFC 7606 5.3', lambda c: update(GA, pfx(c.P) + b'\x20'), R((3, 10)))
case('upd-nlri-default', G, 'NLRI 0.0.0.0/0', 'RFC 4271 4.3',
     update(GA, b'\x00'), IGN)
case('upd-nlri-host-bits', G, 'NLRI /20 with bits set after the prefix '
     'length', 'RFC 4271 4.3', lambda c: update(GA, b'\x14\x0a\xf0\x3f'),
     IGN)
case('upd-nlri-32', G, 'NLRI /32', 'RFC 4271 4.3',
     update(GA, b'\x20\x0a\xfe\x00\x01'), IGN)
case('upd-nlri-dup', G, 'the same prefix twice in the NLRI',
     'RFC 4271 4.3', lambda c: update(GA, pfx(c.P) * 2), ACC())
case('upd-withdraw-and-announce', G, 'P both withdrawn and announced: '
     'announced', 'RFC 4271 4.3 (last paragraph of UPDATE)',
     lambda c: update(GA, pfx(c.P), withdrawn=pfx(c.P)), ACC())
case('upd-withdraw-only', G, 'a plain withdrawal of P (control)',
     'RFC 4271 4.3', lambda c: update(withdrawn=pfx(c.P)), WD)
case('upd-withdraw-unknown', G, 'withdrawal of a prefix never announced',
     'RFC 4271 9', update(withdrawn=pfx('10.254.254.0/24')), IGN)
case('upd-eor', G, 'an empty UPDATE (End-of-RIB)', 'RFC 4724 2',
     update(), IGN)
case('upd-attrs-no-nlri', G, 'attributes and no NLRI', 'RFC 4271 4.3',
     update(GA), IGN)
case('upd-4096', G, 'an UPDATE of exactly 4096 octets (810 prefixes)',
     'RFC 4271 4.1', lambda c: update(GA, fill_nlri(4096 - 23 - len(GA) - 4)
                                      + pfx(c.P)), ACC())


G = 'update-missing'
case('upd-missing-all', G, 'NLRI without attributes', 'RFC 7606 3 d',
     lambda c: update(b'', pfx(c.P)), WD)
case('upd-missing-origin', G, 'no ORIGIN', 'RFC 7606 3 d',
     U(lambda c: aspath(HOSTILE_AS) + nexthop()), WD)
case('upd-missing-aspath', G, 'no AS_PATH', 'RFC 7606 3 d',
     U(lambda c: origin() + nexthop()), WD)
case('upd-missing-nexthop', G, 'no NEXT_HOP', 'RFC 7606 3 d',
     U(lambda c: origin() + aspath(HOSTILE_AS)), WD)
case('upd-mp-no-nexthop', G, 'IPv6 in MP_REACH_NLRI, no NEXT_HOP: valid',
     'RFC 4760 3', lambda c: update(origin() + aspath(HOSTILE_AS) +
                                    mp_reach(pfx(c.P6))), ACC(('v6',)))

G = 'update-flags'
for t, name, fn in ((1, 'ORIGIN', lambda f: origin(flags=f)),
                    (2, 'AS_PATH', lambda f: aspath(HOSTILE_AS, flags=f)),
                    (3, 'NEXT_HOP', lambda f: nexthop(flags=f))):
    others = {1: lambda: aspath(HOSTILE_AS) + nexthop(),
              2: lambda: origin() + nexthop(),
              3: lambda: origin() + aspath(HOSTILE_AS)}[t]
    for fl, what in ((F_OPT | F_TRANS, 'optional'), (0, 'non-transitive')):
        case('upd-flags-%s-%s' % (name.lower(), what), G, '%s marked %s'
             % (name, what), 'RFC 7606 3 c, 7.%d' % t,
             U(lambda c, fn=fn, fl=fl, o=others: fn(fl) + o()), WD)
    case('upd-flags-%s-partial' % name.lower(), G, '%s with the Partial '
         'bit (RFC 7606 3 c checks only O and T)' % name,
         'RFC 7606 3 c, RFC 4271 4.3',
         U(lambda c, fn=fn, o=others: fn(F_TRANS | F_PART) + o()), ACC())
    case('upd-flags-%s-extlen' % name.lower(), G, '%s with a 2-octet '
         'length' % name, 'RFC 4271 4.3',
         U(lambda c, fn=fn, o=others: (lambda b: attr(F_TRANS | F_EXT, b[1],
                                                      b[3:]))(fn(F_TRANS))
           + o()), ACC())
case('upd-flags-med-transitive', G, 'MULTI_EXIT_DISC marked transitive',
     'RFC 7606 3 c, 7.4', U(GA + attr(F_OPT | F_TRANS, 4, b'\0\0\0\x05')),
     WD)
case('upd-flags-med-wellknown', G, 'MULTI_EXIT_DISC marked well-known',
     'RFC 7606 3 c, 7.4', U(GA + attr(F_TRANS, 4, b'\0\0\0\x05')), WD)
case('upd-flags-comm-nontransitive', G, 'COMMUNITIES marked '
     'non-transitive', 'RFC 7606 3 c, 7.8',
     U(GA + attr(F_OPT, 8, b'\xfd\xe9\0\x01')), WD)
case('upd-flags-comm-wellknown', G, 'COMMUNITIES marked well-known',
     'RFC 7606 3 c, 7.8', U(GA + attr(F_TRANS, 8, b'\xfd\xe9\0\x01')), WD)
case('upd-flags-aggregator-wellknown', G, 'AGGREGATOR marked well-known',
     'RFC 7606 3 c, 7.7',
     U(GA + attr(F_TRANS, 7, struct.pack('!I', HOSTILE_AS) +
                 socket.inet_aton(HOSTILE))), DIS(7))
case('upd-flags-atomic-optional', G, 'ATOMIC_AGGREGATE marked optional',
     'RFC 7606 3 c, 7.6', U(GA + attr(F_OPT | F_TRANS, 6, b'')), DIS(6))
case('upd-flags-extcomm-nontransitive', G, 'EXTENDED_COMMUNITIES marked '
     'non-transitive', 'RFC 7606 3 c, 7.14',
     U(GA + attr(F_OPT, 16, b'\0\x02\xfd\xe9\0\0\0\x01')), WD)
case('upd-flags-large-wellknown', G, 'LARGE_COMMUNITY marked well-known',
     'RFC 7606 3 c, RFC 8092 6',
     U(GA + attr(F_TRANS, 32, struct.pack('!III', 65001, 1, 2))), WD)
case('upd-flags-mpreach-transitive', G, 'MP_REACH_NLRI marked '
     'transitive', 'RFC 7606 3 c, 7.11', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(pfx(c.P6),
                                                  flags=F_OPT | F_TRANS)),
     R((3, 4), (3, 9)))
case('upd-flags-mpunreach-wellknown', G, 'MP_UNREACH_NLRI marked '
     'well-known', 'RFC 7606 3 c, 7.11', lambda c: update(
         mp_unreach(pfx(c.P6), flags=F_TRANS)), R((3, 4), (3, 9)))
case('upd-flags-comm-extlen', G, 'COMMUNITIES with a 2-octet length',
     'RFC 4271 4.3', U(GA + attr(F_OPT | F_TRANS | F_EXT, 8,
                                 b'\xfd\xe9\0\x07')), ACC(('has', 8)))
case('upd-flags-med-partial', G, 'MULTI_EXIT_DISC (optional '
     'non-transitive) with the Partial bit', 'RFC 7606 3 c',
     U(GA + attr(F_OPT | F_PART, 4, b'\0\0\0\x05')), ACC())

G = 'update-wellknown'
for n in (0, 2):
    case('upd-origin-len-%d' % n, G, 'ORIGIN of %d octets' % n,
         'RFC 7606 7.1', U(lambda c, n=n: attr(F_TRANS, 1, b'\0' * n) +
                           aspath(HOSTILE_AS) + nexthop()), WD)
for v in (3, 255):
    case('upd-origin-%d' % v, G, 'ORIGIN value %d' % v, 'RFC 7606 7.1',
         U(lambda c, v=v: origin(v) + aspath(HOSTILE_AS) + nexthop()), WD)
for st in (0, 5, 255):
    case('upd-aspath-segtype-%d' % st, G, 'AS_PATH segment type %d' % st,
         'RFC 7606 7.2', U(lambda c, st=st: origin() + aspath_raw(
             seg(2, [HOSTILE_AS]) + seg(st, [65010])) + nexthop()), WD)
case('upd-aspath-zero-seg', G, 'AS_PATH with a zero-length AS_SEQUENCE '
     'segment after the first', 'RFC 7606 7.2',
     U(lambda c: origin() + aspath_raw(seg(2, [HOSTILE_AS]) + b'\x02\x00') +
       nexthop()), WD)
case('upd-aspath-zero-set', G, 'AS_PATH with an empty AS_SET',
     'RFC 7606 7.2', U(lambda c: origin() + aspath_raw(
         seg(2, [HOSTILE_AS]) + b'\x01\x00') + nexthop()), WD)
case('upd-aspath-only-zero-seg', G, 'AS_PATH of one zero-length segment',
     'RFC 7606 7.2', U(lambda c: origin() + aspath_raw(b'\x02\x00') +
                       nexthop()), WD)
case('upd-aspath-seg-overrun', G, 'AS_PATH segment of 3 ASes with 2 '
     'present', 'RFC 7606 7.2', U(lambda c: origin() + aspath_raw(
         b'\x02\x03' + struct.pack('!II', HOSTILE_AS, 65010)) + nexthop()),
     WD)
case('upd-aspath-underrun', G, 'AS_PATH with one octet after the last '
     'segment', 'RFC 7606 7.2', U(lambda c: origin() + aspath_raw(
         seg(2, [HOSTILE_AS]) + b'\x02') + nexthop()), WD)
case('upd-aspath-2octet-on-4octet', G, 'AS_PATH of 2-octet ASes on a '
     '4-octet session', 'RFC 6793 4.1, RFC 7606 7.2',
     U(lambda c: origin() + aspath_raw(seg(2, [HOSTILE_AS, 65010],
                                           as4=False)) + nexthop()), WD)
for st, nm in ((3, 'AS_CONFED_SEQUENCE'), (4, 'AS_CONFED_SET')):
    case('upd-aspath-confed-%d' % st, G, '%s from an external peer' % nm,
         'RFC 7606 7.2, RFC 5065 5.3', U(lambda c, st=st: origin() +
                                          aspath_raw(seg(st, [65020]) +
                                                     seg(2, [HOSTILE_AS])) +
                                          nexthop()), WD)
case('upd-aspath-as0', G, 'AS 0 in AS_PATH', 'RFC 7607 2, RFC 7606 7.2',
     U(lambda c: origin() + aspath(HOSTILE_AS, 0) + nexthop()), WD)
case('upd-aspath-as0-set', G, 'AS 0 in an AS_SET', 'RFC 7607 2',
     U(lambda c: origin() + aspath_raw(seg(2, [HOSTILE_AS]) +
                                       seg(1, [65010, 0])) + nexthop()), WD)
case('upd-aspath-first-not-peer', G, 'AS_PATH does not start with the '
     'peer\'s AS (vrsd checks it: RFC 4271 6.3 MAY)',
     'RFC 4271 6.3, RFC 7606 7.2',
     U(lambda c: origin() + aspath(65010, HOSTILE_AS) + nexthop()), WD)
case('upd-aspath-empty-ebgp', G, 'empty AS_PATH from an external peer',
     'RFC 4271 6.3, 5.1.2, RFC 7606 7.2',
     U(lambda c: origin() + aspath_raw(b'') + nexthop()), WD)
case('upd-aspath-set-first', G, 'AS_PATH that starts with an AS_SET',
     'RFC 4271 6.3, RFC 7606 7.2', U(lambda c: origin() + aspath_raw(
         seg(1, [HOSTILE_AS, 65010])) + nexthop()), WD)
case('upd-aspath-set-after', G, 'AS_SET after the peer\'s AS',
     'RFC 4271 4.3, 5.1.2', U(lambda c: origin() + aspath_raw(
         seg(2, [HOSTILE_AS]) + seg(1, [65010, 65011, 65012])) + nexthop()),
     ACC(('asns', [HOSTILE_AS, 65010, 65011, 65012])))
case('upd-aspath-set-255', G, 'AS_SET of 255 ASes', 'RFC 4271 4.3',
     U(lambda c: origin() + aspath_raw(seg(2, [HOSTILE_AS]) + seg(
         1, list(range(70000, 70255)))) + nexthop()), ACC(('aslen', 256)))
case('upd-aspath-1000', G, 'AS_PATH of 1000 hops (4 segments)',
     'RFC 4271 4.3', U(lambda c: origin() + aspath(
         HOSTILE_AS, *range(100000, 100999)) + nexthop()),
     ACC(('aslen', 1000)))
case('upd-aspath-255-segs', G, 'AS_PATH of 255 one-AS segments',
     'RFC 4271 4.3', U(lambda c: origin() + aspath_raw(b''.join(
         seg(2, [HOSTILE_AS if k == 0 else 64512 + k]) for k in range(255)))
                       + nexthop()), ACC(('aslen', 255)))
case('upd-aspath-2000-2octet', G, 'AS_PATH of 2000 hops on a 2-octet '
     'session', 'RFC 4271 4.3, RFC 6793 4.2', U(lambda c: origin() + aspath(
         HOSTILE_AS, *([64600] * 1999), as4=False) + nexthop()),
     ACC(('aslen', 2000)), as4=False)
case('upd-aspath-10000-extmsg', G, 'AS_PATH of 10000 hops in a 40 kB '
     'extended message', 'RFC 8654 3, RFC 4271 4.3',
     U(lambda c: origin() + aspath(HOSTILE_AS, *range(200000, 209999)) +
       nexthop()), ACC(('aslen', 10000)), extmsg=True)
case('upd-aspath-prepend-255', G, 'one AS_SEQUENCE of 255 times the '
     'same AS', 'RFC 4271 4.3', U(lambda c: origin() + aspath(
         *([HOSTILE_AS] * 255)) + nexthop()), ACC(('aslen', 255)))
for n in (3, 5, 0):
    case('upd-nexthop-len-%d' % n, G, 'NEXT_HOP of %d octets' % n,
         'RFC 7606 7.3', U(lambda c, n=n: origin() + aspath(HOSTILE_AS) +
                           attr(F_TRANS, 3, b'\xc0\0\x02\x02\0'[:n])), WD)
for nh in ('0.0.0.0', '224.0.0.1', '255.255.255.255'):
    case('upd-nexthop-%s' % nh, G, 'NEXT_HOP %s' % nh,
         'RFC 4271 6.3, RFC 7606 7.3', U(lambda c, nh=nh: origin() +
                                          aspath(HOSTILE_AS) + nexthop(nh)),
         REJ)
case('upd-nexthop-receiver', G, 'NEXT_HOP is the receiving speaker\'s '
     'own address', 'RFC 4271 6.3', U(lambda c: origin() +
                                      aspath(HOSTILE_AS) + nexthop(c.addr)),
     REJ)
case('upd-wellknown-unknown', G, 'unrecognized well-known attribute 200',
     'RFC 4271 6.3', U(GA + attr(F_TRANS, 200, b'\x01')), R((3, 2)))
case('upd-wellknown-type-0', G, 'attribute type 0 marked well-known',
     'RFC 4271 6.3', U(GA + attr(F_TRANS, 0, b'')), R((3, 2)))
case('upd-order-reversed', G, 'NEXT_HOP, AS_PATH, ORIGIN in that order',
     'RFC 4271 5', U(lambda c: nexthop() + aspath(HOSTILE_AS) + origin()),
     ACC())

G = 'update-optional'
for n in (3, 8):
    case('upd-med-len-%d' % n, G, 'MULTI_EXIT_DISC of %d octets' % n,
         'RFC 7606 7.4', U(GA + attr(F_OPT, 4, b'\0' * n)), WD)
case('upd-localpref-ebgp', G, 'LOCAL_PREF from an external peer',
     'RFC 7606 7.5', U(GA + attr(F_TRANS, 5, b'\0\0\0\x64')), DIS(5))
case('upd-localpref-ebgp-len-3', G, 'LOCAL_PREF of 3 octets from an '
     'external peer', 'RFC 7606 7.5', U(GA + attr(F_TRANS, 5, b'\0\0\x64')),
     DIS(5))
case('upd-atomic-len-1', G, 'ATOMIC_AGGREGATE of 1 octet', 'RFC 7606 7.6',
     U(GA + attr(F_TRANS, 6, b'\0')), DIS(6))
case('upd-atomic-ok', G, 'ATOMIC_AGGREGATE (control)', 'RFC 4271 5.1.6',
     U(GA + attr(F_TRANS, 6, b'')), ACC(('has', 6)))
for n in (6, 7, 9):
    case('upd-aggregator-len-%d' % n, G, 'AGGREGATOR of %d octets on a '
         '4-octet session' % n, 'RFC 7606 7.7',
         U(GA + attr(F_OPT | F_TRANS, 7, b'\0\0\xfd\xe9\xc0\0\x02\x02\0'
                     [:n])), DIS(7))
case('upd-aggregator-len-8-2octet', G, 'AGGREGATOR of 8 octets on a '
     '2-octet session', 'RFC 7606 7.7',
     U(GA2 + attr(F_OPT | F_TRANS, 7, b'\0\0\xfd\xe9\xc0\0\x02\x02')),
     DIS(7), as4=False)
case('upd-aggregator-as0', G, 'AGGREGATOR with AS 0', 'RFC 7607 2, '
     'RFC 7606 7.7', U(GA + attr(F_OPT | F_TRANS, 7, b'\0\0\0\0\xc0\0\x02'
                                 b'\x02')), DIS(7))
case('upd-aggregator-ok', G, 'AGGREGATOR (control)', 'RFC 4271 5.1.7',
     U(GA + attr(F_OPT | F_TRANS, 7, b'\0\0\xfd\xe9\xc0\0\x02\x02')),
     ACC(('value', 7, b'\0\0\xfd\xe9\xc0\0\x02\x02')))
for n in (0, 3, 5, 6, 7):
    case('upd-comm-len-%d' % n, G, 'COMMUNITIES of %d octets' % n,
         'RFC 7606 7.8', U(GA + attr(F_OPT | F_TRANS, 8, b'\xfd\xe9\0\x01'
                                     b'\xfd\xe9\0\x02'[:n])), WD)
case('upd-comm-ok', G, 'COMMUNITIES (control)', 'RFC 1997',
     U(GA + communities(0xfde90001, 0xfde90002)),
     ACC(('value', 8, b'\xfd\xe9\0\x01\xfd\xe9\0\x02')))
case('upd-comm-1000', G, '1000 communities (extended length)', 'RFC 1997',
     U(GA + attr(F_OPT | F_TRANS | F_EXT, 8, b''.join(
         struct.pack('!I', 0xfde90000 + k) for k in range(1000)))),
     ACC(('has', 8)))
for n in (0, 7, 9, 12):
    case('upd-extcomm-len-%d' % n, G, 'EXTENDED_COMMUNITIES of %d '
         'octets' % n, 'RFC 7606 7.14', U(GA + attr(F_OPT | F_TRANS, 16, (
             b'\0\x02\xfd\xe9\0\0\0\x01' * 2)[:n])), WD)
case('upd-extcomm-ok', G, 'EXTENDED_COMMUNITIES (control)', 'RFC 4360',
     U(GA + attr(F_OPT | F_TRANS, 16, b'\0\x02\xfd\xe9\0\0\0\x01')),
     ACC(('has', 16)))
for n in (0, 11, 13, 28):
    case('upd-large-len-%d' % n, G, 'LARGE_COMMUNITY of %d octets' % n,
         'RFC 8092 6', U(GA + attr(F_OPT | F_TRANS, 32, (struct.pack(
             '!III', 65001, 1, 2) * 3)[:n])), WD)
case('upd-large-ok', G, 'LARGE_COMMUNITY (control)', 'RFC 8092',
     U(GA + attr(F_OPT | F_TRANS, 32, struct.pack('!III', 65001, 1, 2))),
     ACC(('has', 32)))
case('upd-originator-ebgp', G, 'ORIGINATOR_ID from an external peer',
     'RFC 7606 7.9', U(GA + attr(F_OPT, 9, b'\xc0\0\x02\x09')), DIS(9))
case('upd-cluster-ebgp', G, 'CLUSTER_LIST from an external peer',
     'RFC 7606 7.10', U(GA + attr(F_OPT, 10, b'\xc0\0\x02\x0a')), DIS(10))

G = 'update-mp'
for n in (0, 4, 8, 15, 17, 33):
    case('upd-mpreach-nhlen-%d' % n, G, 'IPv6 MP_REACH_NLRI, next hop '
         'length %d' % n, 'RFC 7606 7.11, RFC 4760 7',
         lambda c, n=n: update(origin() + aspath(HOSTILE_AS) + mp_reach(
             pfx(c.P6), nh=(b'\x20\x01\x0d\xb8' + b'\0' * 36)[:n])),
         R((3, 9)))
case('upd-mpreach-nhlen-255', G, 'IPv6 MP_REACH_NLRI, next hop length 255 '
     '(overruns the attribute)', 'RFC 7606 7.11, RFC 4760 7',
     lambda c: update(origin() + aspath(HOSTILE_AS) + mp_reach(
         pfx(c.P6), nhlen=255)), R((3, 9)))
case('upd-mpreach-v4-nhlen-3', G, 'IPv4 MP_REACH_NLRI, next hop length 3',
     'RFC 7606 7.11, RFC 4760 7', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(
             pfx(c.P), afi=1, nh=b'\xc0\0\x02')), R((3, 9)))
case('upd-mpreach-v4-ok', G, 'IPv4 unicast in MP_REACH_NLRI',
     'RFC 4760 3', lambda c: update(origin() + aspath(HOSTILE_AS) +
                                    mp_reach(pfx(c.P), afi=1)), ACC())
case('upd-mpreach-v6-ok', G, 'IPv6 unicast in MP_REACH_NLRI (control)',
     'RFC 4760 3, RFC 2545', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(pfx(c.P6))), ACC(('v6',)))
case('upd-mpreach-v6-nh32', G, 'IPv6 next hop global + link-local '
     '(32 octets)', 'RFC 2545 3', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(pfx(c.P6), nh=socket.inet_pton(
             socket.AF_INET6, NH6) + socket.inet_pton(socket.AF_INET6,
                                                     'fe80::2'))),
     ACC(('v6',)))
case('upd-mpreach-reserved', G, 'MP_REACH_NLRI reserved octet 5: ignored',
     'RFC 4760 3', lambda c: update(origin() + aspath(HOSTILE_AS) +
                                    mp_reach(pfx(c.P6), reserved=5)),
     ACC(('v6',)))
for n in (129, 255):
    case('upd-mpreach-v6-len-%d' % n, G, 'IPv6 MP_REACH_NLRI prefix length'
         ' %d' % n, 'RFC 7606 5.3, 7.11', lambda c, n=n: update(
             origin() + aspath(HOSTILE_AS) + mp_reach(bytes([n]) +
                                                      b'\x20\x01' * 8)),
         R((3, 9), (3, 10)))
case('upd-mpreach-v6-overrun', G, 'IPv6 MP_REACH_NLRI /64 with 3 octets',
     'RFC 7606 5.3, 7.11', lambda c: update(
         origin() + aspath(HOSTILE_AS) + mp_reach(b'\x40\x20\x01\x0d')),
     R((3, 9), (3, 10)))
for n in (2, 3):
    case('upd-mpreach-truncated-%d' % n, G, 'MP_REACH_NLRI of %d octets'
         % n, 'RFC 7606 7.11', update(origin() + aspath(HOSTILE_AS) +
                                     attr(F_OPT, 14, b'\0\x02\x01'[:n])),
         R((3, 9)))
case('upd-mpunreach-truncated', G, 'MP_UNREACH_NLRI of 2 octets',
     'RFC 7606 7.11', update(attr(F_OPT, 15, b'\0\x02')), R((3, 9)))
case('upd-mpunreach-v6-len-200', G, 'MP_UNREACH_NLRI prefix length 200',
     'RFC 7606 5.3, 7.11', update(mp_unreach(b'\xc8' + b'\0' * 25)),
     R((3, 9), (3, 10)))
case('upd-mpreach-twice', G, 'MP_REACH_NLRI twice', 'RFC 7606 3 g',
     lambda c: update(origin() + aspath(HOSTILE_AS) + mp_reach(pfx(c.P6)) +
                      mp_reach(pfx(c.P6))), R((3, 1)))
case('upd-mpunreach-twice', G, 'MP_UNREACH_NLRI twice', 'RFC 7606 3 g',
     lambda c: update(mp_unreach(pfx(c.P6)) * 2), R((3, 1)))
case('upd-mpreach-unknown-afi', G, 'MP_REACH_NLRI for AFI 99: ignored',
     'RFC 4760 7', update(origin() + aspath(HOSTILE_AS) + mp_reach(
         b'\x08\x0a', afi=99, nh=b'\x0a\0\0\x01')), IGN)
case('upd-mpunreach-v6', G, 'MP_UNREACH_NLRI of the IPv6 route (control:'
     ' withdraws it)', 'RFC 4760 4', lambda c: update(
         mp_unreach(pfx(c.P6))), ('withdraw6',))
case('upd-mpreach-and-nlri', G, 'MP_REACH_NLRI (IPv6) and classic NLRI '
     'in one UPDATE', 'RFC 4760 3, RFC 4271 4.3', lambda c: update(
         GA + mp_reach(pfx(c.P6)), pfx(c.P)), ACC(('v6',)))

G = 'update-unknown'
case('upd-unknown-opt-trans', G, 'unknown optional transitive attribute '
     '200: passed on with the Partial bit', 'RFC 4271 5, 9',
     U(GA + attr(F_OPT | F_TRANS, 200, b'hostile')), ACC(('partial', 200)))
case('upd-unknown-opt-trans-partial', G, 'unknown optional transitive '
     'attribute already Partial', 'RFC 4271 5',
     U(GA + attr(F_OPT | F_TRANS | F_PART, 201, b'x')),
     ACC(('partial', 201)))
case('upd-unknown-opt-nontrans', G, 'unknown optional non-transitive '
     'attribute 202: not passed on', 'RFC 4271 5',
     U(GA + attr(F_OPT, 202, b'x')), ACC(('lacks', 202)))
case('upd-unknown-empty', G, 'unknown optional transitive attribute of 0 '
     'octets', 'RFC 4271 5', U(GA + attr(F_OPT | F_TRANS, 203, b'')),
     ACC(('has', 203)))
case('upd-unknown-3000', G, 'unknown optional transitive attribute of '
     '3000 octets', 'RFC 4271 5', U(GA + attr(F_OPT | F_TRANS | F_EXT, 204,
                                            b'z' * 3000)),
     ACC(('has', 204)))
case('upd-unknown-type-255', G, 'optional transitive attribute type 255 '
     '(reserved for development)', 'RFC 4271 5, RFC 2042',
     U(GA + attr(F_OPT | F_TRANS, 255, b'\xff' * 8)), ACC(('has', 255)))
case('upd-unknown-type-0', G, 'optional transitive attribute type 0 '
     '(reserved)', 'RFC 4271 5', U(GA + attr(F_OPT | F_TRANS, 0, b'\0')),
     ACC())
case('upd-unknown-dup', G, 'unknown optional transitive attribute twice: '
     'first kept', 'RFC 7606 3 g', U(GA + attr(F_OPT | F_TRANS, 205, b'1') +
                                      attr(F_OPT | F_TRANS, 205, b'22')),
     ACC(('value', 205, b'1')))
# CVE shapes: tunnel encapsulation (type 23, FRR CVE-2023-38802 family),
# prefix-SID (type 40), BGP-LS (type 29), AIGP (26), OTC (35); carried
# opaque or discarded, never a reset
case('cve-tunnel-encap-tlv-overrun', 'cve', 'TUNNEL_ENCAPSULATION whose '
     'TLV length overruns the attribute', 'RFC 9012 13, RFC 7606 2',
     U(GA + attr(F_OPT | F_TRANS, 23, b'\x00\x08\x01\x00' + b'\x01\x02')),
     ACC())
case('cve-tunnel-encap-subtlv-overrun', 'cve', 'TUNNEL_ENCAPSULATION '
     'with a sub-TLV of length 255 in 4 octets', 'RFC 9012 13',
     U(GA + attr(F_OPT | F_TRANS, 23, b'\x00\x08\x00\x06\x01\xff\x00\x00'
                 b'\x00\x00')), ACC())
case('cve-tunnel-encap-empty-tlv', 'cve', 'TUNNEL_ENCAPSULATION of 3 '
     'octets', 'RFC 9012 13', U(GA + attr(F_OPT | F_TRANS, 23, b'\0\x08\0')),
     ACC())
case('cve-prefix-sid-overrun', 'cve', 'PREFIX_SID whose TLV overruns',
     'RFC 8669 6', U(GA + attr(F_OPT | F_TRANS, 40, b'\x01\x00\x20\x00')),
     ACC())
case('cve-bgpls-garbage', 'cve', 'BGP-LS attribute (29, optional '
     'non-transitive) of garbage', 'RFC 9552 5.3',
     U(GA + attr(F_OPT, 29, b'\xff\xff\xff\xff\x00')), ACC(('lacks', 29)))
case('cve-aigp-short', 'cve', 'AIGP (26, non-transitive) of 2 octets',
     'RFC 7311 3', U(GA + attr(F_OPT, 26, b'\x01\x00')), ACC(('lacks', 26)))
case('cve-otc-len-3', 'cve', 'Only-to-Customer (35) of 3 octets: '
     'unknown to a speaker without RFC 9234, so carried with the Partial '
     'bit', 'RFC 4271 5, RFC 9234 5',
     U(GA + attr(F_OPT | F_TRANS, 35, b'\0\0\x01')), ACC(('partial', 35)))
case('cve-attr-len-65535', 'cve', 'an attribute claiming 65535 octets '
     '(extended length), NLRI after it', 'RFC 7606 4',
     lambda c: update(GA + b'\xd0\xc8\xff\xff' + b'q' * 10, pfx(c.P)), WD)
case('cve-many-attrs', 'cve', '500 distinct empty unknown attributes '
     'over 256 types (repeats discarded)', 'RFC 7606 3 g',
     U(GA + b''.join(attr(F_OPT | F_TRANS, 50 + (k % 150), b'')
                     for k in range(500))), ACC())

G = 'update-dup'
case('upd-dup-origin', G, 'ORIGIN twice (IGP, then INCOMPLETE): first '
     'kept', 'RFC 7606 3 g', U(lambda c: origin(0) + origin(2) +
                               aspath(HOSTILE_AS) + nexthop()),
     ACC(('value', 1, b'\0')))
case('upd-dup-aspath', G, 'AS_PATH twice: first kept', 'RFC 7606 3 g',
     U(lambda c: origin() + aspath(HOSTILE_AS, 65010) +
       aspath(HOSTILE_AS, 65099) + nexthop()),
     ACC(('asns', [HOSTILE_AS, 65010])))
case('upd-dup-nexthop', G, 'NEXT_HOP twice', 'RFC 7606 3 g',
     U(GA + nexthop('192.0.2.99')), ACC())
case('upd-dup-comm', G, 'COMMUNITIES twice: first kept', 'RFC 7606 3 g',
     U(GA + communities(0xfde90001) + communities(0xfde90002)),
     ACC(('value', 8, b'\xfd\xe9\0\x01')))
case('upd-dup-med-bad-second', G, 'MED, then a malformed MED: the '
     'repeat is discarded unread', 'RFC 7606 3 g',
     U(GA + med(5) + attr(F_OPT, 4, b'\0')), ACC())

G = 'update-as4'
case('as4-path-merge', G, '2-octet session: AS_PATH [65001 23456], '
     'AS4_PATH [65001 400000]', 'RFC 6793 4.2.3',
     U(lambda c: origin() + aspath(HOSTILE_AS, AS_TRANS, as4=False) +
       nexthop() + attr(F_OPT | F_TRANS, 17, seg(2, [HOSTILE_AS, 400000]))),
     ACC(('asns', [HOSTILE_AS, 400000])), as4=False)
case('as4-path-longer', G, '2-octet session: AS4_PATH longer than '
     'AS_PATH: ignored', 'RFC 6793 4.2.3',
     U(lambda c: origin() + aspath(HOSTILE_AS, as4=False) + nexthop() +
       attr(F_OPT | F_TRANS, 17, seg(2, [400000, 400001, 400002]))),
     ACC(('asns', [HOSTILE_AS])), as4=False)
case('as4-path-confed', G, '2-octet session: AS4_PATH with a '
     'confederation segment: discarded', 'RFC 6793 6, RFC 7606 7.2',
     U(lambda c: origin() + aspath(HOSTILE_AS, AS_TRANS, as4=False) +
       nexthop() + attr(F_OPT | F_TRANS, 17, seg(3, [400000]))),
     ACC(('asns', [HOSTILE_AS, AS_TRANS])), as4=False)
case('as4-path-as0', G, '2-octet session: AS 0 in AS4_PATH: discarded',
     'RFC 7607 2, RFC 6793 6', U(lambda c: origin() + aspath(
         HOSTILE_AS, AS_TRANS, as4=False) + nexthop() + attr(
         F_OPT | F_TRANS, 17, seg(2, [HOSTILE_AS, 0]))),
     ACC(('asns', [HOSTILE_AS, AS_TRANS])), as4=False)
case('as4-path-overrun', G, '2-octet session: AS4_PATH segment overruns:'
     ' discarded', 'RFC 6793 6', U(lambda c: origin() + aspath(
         HOSTILE_AS, AS_TRANS, as4=False) + nexthop() + attr(
         F_OPT | F_TRANS, 17, b'\x02\x05\0\0\0\x01')),
     ACC(('asns', [HOSTILE_AS, AS_TRANS])), as4=False)
case('as4-path-zero-seg', G, '2-octet session: AS4_PATH with a zero-'
     'length segment: discarded', 'RFC 6793 6, RFC 7606 7.2',
     U(lambda c: origin() + aspath(HOSTILE_AS, AS_TRANS, as4=False) +
       nexthop() + attr(F_OPT | F_TRANS, 17, b'\x02\x00')),
     ACC(('asns', [HOSTILE_AS, AS_TRANS])), as4=False)
case('as4-path-from-4octet', G, '4-octet session: AS4_PATH is discarded',
     'RFC 6793 4.1', U(GA + attr(F_OPT | F_TRANS, 17, seg(2, [400000]))),
     DIS(17))
case('as4-aggr-len-7', G, '2-octet session: AS4_AGGREGATOR of 7 octets',
     'RFC 6793 6', U(GA2 + attr(F_OPT | F_TRANS, 17 + 1, b'\0\x06\x1a\x80'
                                b'\xc0\0\x02')), DIS(18), as4=False)
case('as4-aggr-as0', G, '2-octet session: AS4_AGGREGATOR with AS 0',
     'RFC 7607 2, RFC 6793 6', U(GA2 + attr(F_OPT | F_TRANS, 7, b'\x5b\xa0'
                                            b'\xc0\0\x02\x02') +
                                 attr(F_OPT | F_TRANS, 18, b'\0\0\0\0\xc0'
                                      b'\0\x02\x02')), DIS(18), as4=False)
case('as4-aggr-merge', G, '2-octet session: AGGREGATOR AS_TRANS and '
     'AS4_AGGREGATOR 400000', 'RFC 6793 4.2.3',
     U(GA2 + attr(F_OPT | F_TRANS, 7, b'\x5b\xa0\xc0\0\x02\x02') +
       attr(F_OPT | F_TRANS, 18, struct.pack('!I', 400000) +
            b'\xc0\0\x02\x02')),
     ACC(('value', 7, struct.pack('!I', 400000) + b'\xc0\0\x02\x02')),
     as4=False)
case('as4-trans-only', G, '2-octet session: AS_PATH with AS_TRANS and no '
     'AS4_PATH', 'RFC 6793 4.2.3', U(lambda c: origin() + aspath(
         HOSTILE_AS, AS_TRANS, as4=False) + nexthop()),
     ACC(('asns', [HOSTILE_AS, AS_TRANS])), as4=False)
case('as4-2octet-aspath-ok', G, '2-octet session: a plain route',
     'RFC 6793 4.2', U(GA2), ACC(('asns', [HOSTILE_AS])), as4=False)


# ================================================================ running
class Result:
    def __init__(self, status, detail=''):
        self.status, self.detail = status, detail   # ok, fail, n/a


def run_case(d, k, i):
    """Run case k against daemon d; returns (outcome summary, failure)."""
    c = C(i, d.kind)
    w = d.witness
    exp = k.expect[0]
    v6 = exp == 'withdraw6' or (exp == 'accept' and ('v6',) in k.expect[1])
    route = c.P6 if v6 else c.P
    base_attrs = good_attrs(k.as4)
    conn = Conn(d.hostile_src, d.dst)
    try:
        hello = open_msg(hold=k.hold, as4=k.as4, extmsg=k.extmsg)
        if k.stage in ('opensent', 'est'):
            conn.send(hello)
            if k.stage == 'est':
                conn.send(KEEPALIVE)
                want = lambda m: 1 in types(m) and 4 in types(m)
            else:
                want = lambda m: 1 in types(m)
            if not conn.wait_for(want):
                return 'setup', 'no OPEN/KEEPALIVE from %s: %r %s' % (
                    d.kind, [(t, b[:2].hex()) for t, b in conn.msgs()],
                    conn.eof)
        # the baseline: a valid route that a reset or withdrawal removes
        if k.stage == 'est' and w is not None and exp in (
                'reset', 'withdraw', 'withdraw6', 'close', 'hold'):
            if exp == 'withdraw6':
                conn.send(update(origin() + aspath(HOSTILE_AS) +
                                 mp_reach(pfx(c.P6))))
            else:
                conn.send(update(base_attrs, pfx(c.P)))
            if not w.wait(lambda r: route in r):
                return 'setup', 'baseline %s did not reach the witness' % (
                    route)
        seen = len(conn.msgs())
        data = k.bytes(c)
        t0 = time.time()
        send_payload(conn, data, k.mode)
        if exp in ('reset', 'close', 'hold'):
            return check_end(d, k, conn, seen, t0, route)
        if exp == 'up':
            conn.send(KEEPALIVE)
            if not conn.wait_for(lambda m: 4 in types(m[seen:]) or
                                 notification(m)):
                return 'no-keepalive', 'no KEEPALIVE after our OPEN'
            if notification(conn.msgs()):
                return fmt_notif(conn.msgs()), 'NOTIFICATION %r' % (
                    notification(conn.msgs()),)
            as4 = b'\x41\x04' in data[29:] or b'\x41\x04' in data[31:]
            conn.send(update(origin() + aspath(HOSTILE_AS, as4=as4) +
                             nexthop(), pfx(c.P)))
        # the session must stay up: a sentinel route proves it
        conn.send(update(base_attrs, pfx(c.S)))
        if w is None:
            conn.send(KEEPALIVE)
            conn.wait_for(lambda m: notification(m), timeout=0.4)
            n = notification(conn.msgs()[seen:])
            if n or conn.eof:
                return fmt_notif(conn.msgs()[seen:]) or conn.eof, \
                    'session ended: %s' % (n or conn.eof,)
            return 'up', None
        ok = wait_sentinel(w, conn, c.S, seen)
        n = notification(conn.msgs()[seen:])
        if n or conn.eof or not ok:
            conn.wait_for(lambda m: False, timeout=0.3)
            n = notification(conn.msgs()[seen:])
            return (fmt_notif(conn.msgs()[seen:]) if n else
                    conn.eof or 'stuck'), \
                'session did not stay up: %s' % (
                    (n or conn.eof or 'sentinel not at the witness'),)
        return check_route(w, k, c, route, d.prepends)
    finally:
        conn.close()


def wait_sentinel(w, conn, s, seen):
    """Wait for the sentinel route s at the witness, giving up early
    once a NOTIFICATION or the end of the hostile session has come (the
    case has failed then, whatever the witness sees)."""
    end = time.time() + TIMEOUT
    while time.time() < end:
        if w.wait(lambda r: s in r, timeout=0):
            return True
        if w.broken or conn.eof or notification(conn.msgs()[seen:]):
            return False
        conn._recv(0.02)
    return w.wait(lambda r: s in r, timeout=0)


def send_payload(conn, data, mode):
    if mode == 'bytewise':
        for k in range(len(data)):
            conn.send(data[k:k + 1])
            time.sleep(0.002)
    elif mode == 'halves':
        conn.send(data[:19])
        time.sleep(0.3)
        conn.send(data[19:])
    elif data:
        try:
            conn.send(data)
        except OSError:
            pass   # the daemon may close before it has read everything


def fmt_notif(msgs):
    n = notification(msgs)
    if n is None:
        return None
    return 'notif %s' % '/'.join(str(x) for x in n)


def check_end(d, k, conn, seen, t0, route):
    exp = k.expect[0]
    timeout = 2 * k.hold + 2 if exp == 'hold' else TIMEOUT
    msgs, how = conn.read_to_end(timeout)
    dt = time.time() - t0
    n = notification(msgs[seen:])
    got = fmt_notif(msgs[seen:]) or ('closed' if how == 'eof' else how)
    if exp == 'reset':
        if n not in k.expect[1]:
            return got, 'NOTIFICATION %r, expected one of %r (then %s)' % (
                n, k.expect[1], how)
    elif exp == 'hold':
        if n != (4, 0):
            return got, 'NOTIFICATION %r, expected (4, 0)' % (n,)
        if dt < k.hold - 0.5 or dt > 2 * k.hold + 1:
            return got, 'hold timer fired after %.1f s (hold %d)' % (
                dt, k.hold)
    elif exp == 'close':
        if n is not None and n not in k.expect[1]:
            return got, 'answered a NOTIFICATION with %r' % (n,)
    if how != 'eof':
        return got, 'after the NOTIFICATION: %s, expected end of stream' % (
            how,)
    if n is not None and msgs[-1][0] != 3:
        return got, 'messages after the NOTIFICATION'
    w = d.witness
    if w is not None and k.stage == 'est':
        if not w.wait(lambda r: route not in r):
            return got, 'the hostile peer\'s route %s still at the ' \
                'witness after the session ended' % route
    return got, None


def check_route(w, k, c, route, prepends=False):
    exp = k.expect[0]
    if exp == 'ignore' or exp == 'up':
        if exp == 'up' and not w.wait(lambda r: c.P in r):
            return 'no-route', 'route sent after the OPEN not at the witness'
        return 'up', None
    if exp in ('withdraw', 'withdraw6'):
        if w.wait(lambda r: route not in r):
            return 'withdrawn', None
        return 'kept', 'route %s still at the witness (expected ' \
            'treat-as-withdraw)' % route
    if exp == 'reject':
        # the sentinel came after it: give P the same time again
        time.sleep(0.1)
        if w.route(route) is None:
            return 'rejected', None
        return 'installed', 'route %s installed (expected it ignored)' % (
            route,)
    if not w.wait(lambda r: route in r):
        return 'not-installed', 'route %s not at the witness' % route
    a = w.route(route)
    checks = k.expect[1] if exp == 'accept' else [('lacks', k.expect[1])]
    for chk in checks:
        why = check_attr(a, chk, prepends)
        if why:
            return 'installed(%s)' % why, why
    return 'discarded' if exp == 'discard' else 'installed', None


def check_attr(a, chk, prepends=False):
    """One check on the attributes the witness received; a router (not a
    transparent route server) has put its own AS first."""
    op = chk[0]
    if op == 'v6':
        return None
    if op == 'has' and chk[1] not in a:
        return 'attribute %d missing' % chk[1]
    if op == 'lacks' and chk[1] in a:
        return 'attribute %d present' % chk[1]
    if op == 'partial':
        if chk[1] not in a:
            return 'attribute %d missing' % chk[1]
        if not a[chk[1]][0] & F_PART:
            return 'attribute %d without the Partial bit (flags 0x%02x)' % (
                chk[1], a[chk[1]][0])
    if op == 'value':
        if chk[1] not in a:
            return 'attribute %d missing' % chk[1]
        if a[chk[1]][1] != chk[2]:
            return 'attribute %d is %s, expected %s' % (
                chk[1], a[chk[1]][1].hex(), chk[2].hex())
    if op in ('asns', 'aslen'):
        if 2 not in a:
            return 'no AS_PATH'
        asns = aspath_asns(a[2][1])
        if prepends and asns[:1] == [LOCAL_AS]:
            asns = asns[1:]
        if op == 'asns' and asns != chk[1]:
            return 'AS_PATH %r, expected %r' % (asns[:8], chk[1])
        if op == 'aslen' and len(asns) != chk[1]:
            return 'AS_PATH of %d ASes, expected %d' % (len(asns), chk[1])
    return None


def expect_for(d, k):
    """What the case expects of this daemon (vrs-speaker has no witness:
    for the route outcomes it only has to keep the session)."""
    exp = k.expect
    if d.witness_ok:
        return exp
    if exp[0] in ('withdraw', 'withdraw6', 'reject', 'accept', 'discard'):
        return IGN
    return exp


def fmt_expect(e):
    if e[0] in ('reset', 'close'):
        s = ' or '.join('%d/%d' % x for x in e[1])
        return '%s %s' % (e[0], s) if s else e[0]
    if e[0] == 'discard':
        return 'discard attr %d' % e[1]
    if e[0] == 'accept':
        return 'accept' + ''.join(' %s' % '='.join(
            x.hex() if isinstance(x, bytes) else str(x) for x in c)
            for c in e[1] if c[0] != 'v6')
    return e[0]


def run_target(kind, work, cases, verbose, strict):
    d = DAEMONS[kind](work)
    d.start()
    res = {}
    counts = {'ok': 0, 'FAIL': 0, 'xfail': 0}
    try:
        for i, k in enumerate(cases):
            k2 = Case(k.id, k.group, k.desc, k.rfc, k.payload,
                      expect_for(d, k), k.stage, k.as4, k.extmsg, k.hold,
                      k.mode, k.xfail)
            t0 = time.time()
            got, why = None, None
            d.use_case(CASES.index(k))
            for attempt in range(3):
                try:
                    d.ready_for_next()
                    got, why = run_case(d, k2, CASES.index(k))
                except OSError as e:
                    got, why = 'oserror', 'socket: %s' % e
                # a setup failure (a reference daemon still holding the
                # previous session) is retried; anything else counts
                if got not in ('setup', 'oserror') or attempt == 2 or strict:
                    break
                time.sleep(1.5)
            if not d.alive():
                why = '%s died (exit %s)%s' % (kind, d.p.returncode,
                                               '; ' + why if why else '')
                got = 'crashed'
            elif d.witness is not None and d.witness.broken:
                why = 'the witness session broke: %s%s' % (
                    d.witness.broken, '; ' + why if why else '')
            status = 'ok' if why is None else 'FAIL'
            xf = k.xfail.get(kind)
            if xf and status == 'FAIL':
                status = 'xfail'
            elif xf:
                status, why = 'FAIL', 'XPASS: remove the xfail (%s)' % xf
            counts[status] += 1
            res[k.id] = (got, status)
            if strict:
                line = '%-5s %s/%s: %s' % (status, kind, k.id, k.desc)
                if why:
                    line += ' -- %s' % why
                if status == 'xfail':
                    line += ' [xfail: %s]' % xf
                if verbose:
                    line += ' (%.2f s)' % (time.time() - t0)
                print(line, flush=True)
            elif verbose:
                print('%-9s %-34s %-16s (%.1f s)' % (
                    kind, k.id, got, time.time() - t0), flush=True)
            if got == 'crashed' or (d.witness is not None and
                                    d.witness.broken):
                d.restart()
        # the witness: never a flap, still Established
        if d.witness is not None:
            why = None
            if d.witness.broken:
                why = 'witness session broke: %s' % d.witness.broken
            elif kind == 'vrsd':
                st, fl = d.witness_state(), d.witness_flaps()
                if st != 'Established' or fl != d.flaps0:
                    why = 'witness %s, flaps %s (was %s)' % (st, fl,
                                                           d.flaps0)
            if d.restarts:
                why = (why + '; ' if why else '') + \
                    '%s was restarted %d times' % (kind, d.restarts)
            if strict:
                counts['ok' if why is None else 'FAIL'] += 1
                print('%-5s %s/witness-untouched: the witness session '
                      'stayed Established, no flap%s' % (
                          'ok' if why is None else 'FAIL', kind,
                          ' -- ' + why if why else ''), flush=True)
        if not d.alive():
            counts['FAIL'] += 1
            print('FAIL  %s exited with %s' % (kind, d.p.returncode))
    finally:
        rc = d.stop()
        if strict and kind in ('vrsd', 'speaker') and rc not in (0, None):
            counts['FAIL'] += 1
            print('FAIL  %s exit status %s after SIGTERM' % (kind, rc))
    return res, counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--differential', action='store_true')
    ap.add_argument('--target')
    ap.add_argument('--only')
    ap.add_argument('--out')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--parallel', action='store_true',
                    help='with --differential: run the targets at the same '
                    'time (each on its own address and port)')
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()
    cases = [k for k in CASES if not a.only or re.search(a.only, k.id)]
    if a.list:
        for k in cases:
            print('%-34s %-16s %-28s %s -- %s' % (
                k.id, k.group, fmt_expect(k.expect), k.rfc, k.desc))
        print('%d cases' % len(cases))
        return 0
    ids = [k.id for k in CASES]
    dups = {x for x in ids if ids.count(x) > 1}
    if dups:
        raise SystemExit('duplicate case ids: %s' % ', '.join(sorted(dups)))
    targets = (a.target.split(',') if a.target else
               ['vrsd', 'bird', 'frr', 'openbgpd', 'gobgp']
               if a.differential else ['vrsd', 'speaker'])
    # stop our daemons (finally clauses) on TERM/INT/HUP too
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda n, f: sys.exit(128 + n))
    work = tempfile.mkdtemp(prefix='vrs-hostile.')
    t0 = time.time()
    totals = {'ok': 0, 'FAIL': 0, 'xfail': 0}
    table = {}
    lock = threading.Lock()

    def one(kind):
        try:
            res, counts = run_target(kind, work, cases, a.verbose,
                                     not a.differential)
        except RuntimeError as e:
            print('FAIL  %s: %s' % (kind, e), flush=True)
            with lock:
                totals['FAIL'] += 1
            return
        with lock:
            table[kind] = res
            for x in counts:
                totals[x] += counts[x]
        if a.differential:
            print('%s: %d cases as expected, %d not (%.0f s)' % (
                kind, counts['ok'] + counts['xfail'], counts['FAIL'],
                time.time() - t0), flush=True)

    try:
        if a.parallel and a.differential:
            ths = [threading.Thread(target=one, args=(k,), daemon=True)
                   for k in targets]
            for th in ths:
                th.start()
            for th in ths:
                while th.is_alive():
                    th.join(1)
        else:
            for kind in targets:
                one(kind)
    finally:
        STOPPING.set()
        for d in list(RUNNING):     # a signal came while threads ran
            d.stop()
        if totals['FAIL'] and not a.differential:
            print('logs kept in %s' % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if a.differential:
        write_table(a.out, cases, targets, table)
        print('%d cases, %.0f s' % (len(cases), time.time() - t0))
        return 0
    print('%d passed, %d failed, %d xfail (%d cases, %s; %.0f s)' % (
        totals['ok'], totals['FAIL'], totals['xfail'], len(cases),
        ', '.join(targets), time.time() - t0))
    return 1 if totals['FAIL'] else 0


def write_table(out, cases, targets, table):
    lines = ['| case | RFC | expected | ' + ' | '.join(targets) + ' |',
             '| --- | --- | --- |' + ' --- |' * len(targets)]
    for k in cases:
        row = []
        for t in targets:
            got, st = table.get(t, {}).get(k.id, ('-', ''))
            row.append(('**%s**' % got) if st == 'FAIL' else str(got))
        lines.append('| %s | %s | %s | %s |' % (
            k.id, k.rfc, fmt_expect(k.expect), ' | '.join(row)))
    text = '\n'.join(lines) + '\n'
    if out:
        with open(out, 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    sys.exit(main())
