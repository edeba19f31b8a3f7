#!/usr/bin/python3
"""tests/speaker/reload.py - what a reload (SIGUSR1) does to neighbours,
vrs-speaker beside ExaBGP 4.2.

Each speaker, which this script configures, starts and stops by its pid,
reads a configuration of four neighbours; each neighbour is a listener of
our own (stdlib only) that answers the speaker's OPEN, keeps a RIB of what
it is sent and notes every connection: the hold time of the speaker's
OPEN and how it ended (a NOTIFICATION, or a close without one).  The
configuration is then rewritten and the speaker told SIGUSR1.  What
ExaBGP 4.2 does (reactor/loop.py `load`), and vrs-speaker must do too:

  * kept: the neighbour's session stays; it is sent the route changes;
  * removed: the session is closed (without a NOTIFICATION, as
    Peer.remove closes);
  * changed (hold-time): torn down with Cease 6/3 (de-configured) and
    connected again with the new settings, sent the new routes;
  * renamed (router-id, part of ExaBGP's neighbour name): removed, and a
    new one added, which connects with the new identifier;
  * added: a new neighbour, which connects.

Before that, vrs-speaker alone is given the new file with an error in it:
nothing may change, and the error is told as file:line:column (ExaBGP
4.2.21 gets this wrong; see bad_reload).

What each listener saw is compared, speaker by speaker, with ExaBGP's, and
so is what a process with `neighbor-changes` was told of each neighbour.
Usage: reload.py [VRS_BIN]; prints 'N passed, N failed'.
"""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '../session'))
from notify import KEEPALIVE, open_msg, parse  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    'VRS_BIN', os.path.join(os.path.dirname(__file__), '../../build/bin'))
PORT = 17916
NAMES = ('kept', 'removed', 'changed', 'renamed', 'added')
SPEAKERS = {'exabgp': '127.0.14.1', 'vrs-speaker': '127.0.14.2'}


def nbr_addr(spk, i):
    """The i-th neighbour of the speaker at spk: 127.0.14.1i / .2i."""
    return '127.0.14.%d%d' % (int(spk.rsplit('.', 1)[1]), i + 1)


def pfx_list(b):
    out = []
    while b:
        n = b[0]
        k = (n + 7) // 8
        out.append('%s/%d' % (socket.inet_ntoa(b[1:1 + k].ljust(4, b'\0')),
                              n))
        b = b[1 + k:]
    return out


class Listener:
    """A neighbour: answers OPENs, notes connections and what it holds."""

    def __init__(self, addr):
        self.addr = addr
        self.conns = []  # [hold, router id, end] a connection
        self.rib = set()
        self.lock = threading.Lock()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((addr, PORT))
        self.ls.listen(4)
        self.ls.settimeout(0.5)
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.ls.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.serve(c)

    def serve(self, c):
        c.settimeout(0.5)
        buf = b''
        me = None
        with self.lock:
            self.rib = set()
        last_ka = time.monotonic()
        while not self.stop:
            try:
                d = c.recv(65536)
            except socket.timeout:
                d = None
            except ConnectionResetError:
                d = b''
            if d == b'':
                end = 'closed'
                break
            if d:
                buf += d
            msgs, buf = parse(buf)
            end = None
            for t, body in msgs:
                if t == 1:
                    hold = struct.unpack('!H', body[3:5])[0]
                    rid = socket.inet_ntoa(body[5:9])
                    me = [hold, rid, 'up']
                    with self.lock:
                        self.conns.append(me)
                    c.sendall(open_msg(asn=65011, hold=hold, bid=self.addr)
                              + KEEPALIVE)
                elif t == 2:
                    self.update(body)
                elif t == 3:
                    end = 'notification %d/%d' % (body[0], body[1])
            if end:
                break
            if time.monotonic() - last_ka > 5:
                c.sendall(KEEPALIVE)
                last_ka = time.monotonic()
        c.close()
        if me is not None and not self.stop:
            with self.lock:
                me[2] = end

    def update(self, body):
        wl = struct.unpack('!H', body[:2])[0]
        wd = pfx_list(body[2:2 + wl])
        al = struct.unpack('!H', body[2 + wl:4 + wl])[0]
        nlri = pfx_list(body[4 + wl + al:])
        with self.lock:
            self.rib.difference_update(wd)
            self.rib.update(nlri)

    def seen(self):
        with self.lock:
            return {'connections': [tuple(c) for c in self.conns],
                    'routes': sorted(self.rib)}

    def close(self):
        self.stop = True
        self.ls.close()
        self.t.join(5)


def neighbor(spk, i, rid, hold, routes):
    return ('neighbor %s {\n  router-id %s;\n  local-address %s;\n'
            '  local-as 65010;\n  peer-as 65011;\n  hold-time %d;\n'
            '  api {\n    processes [ mon ];\n    neighbor-changes;\n  }\n'
            '  static {\n%s  }\n}\n'
            % (nbr_addr(spk, i), rid, spk, hold,
               ''.join('    route %s next-hop %s;\n' % (r, spk)
                       for r in routes)))


def config(spk, v, events):
    """Configuration v (1: before, 2: after) of the speaker at spk."""
    mon = ('process mon {\n  run /bin/sh -c \'cat >> %s\';\n'
           '  encoder text;\n}\n' % events)
    if v == 1:
        return (mon
                + neighbor(spk, 0, '10.0.14.1', 90,
                           ['10.14.1.0/24', '10.14.2.0/24'])
                + neighbor(spk, 1, '10.0.14.1', 90, ['10.14.3.0/24'])
                + neighbor(spk, 2, '10.0.14.1', 90, ['10.14.4.0/24'])
                + neighbor(spk, 3, '10.0.14.1', 90, ['10.14.8.0/24']))
    return (mon
            + neighbor(spk, 0, '10.0.14.1', 90,
                       ['10.14.2.0/24', '10.14.6.0/24'])
            + neighbor(spk, 2, '10.0.14.1', 60,
                       ['10.14.4.0/24', '10.14.5.0/24'])
            + neighbor(spk, 3, '10.0.14.99', 90, ['10.14.8.0/24'])
            + neighbor(spk, 4, '10.0.14.1', 90, ['10.14.7.0/24']))


def events_of(path):
    """The process's text events as {neighbour: [events]}, once the
    speakers have stopped (their order across neighbours is timing)."""
    out = {n: [] for n in NAMES}
    with open(path) as f:
        for line in f:
            w = line.split(' ', 2)
            if len(w) == 3 and w[0] == 'neighbor':
                out[NAMES[int(w[1].rsplit('.', 1)[1][-1]) - 1]].append(
                    w[2].strip())
    return out


def bad_reload(p, ls, conf, log, good):
    """A reload of good with an error in it: nothing may change, and the
    error is told with its file:line:column.  (Not asked of ExaBGP
    4.2.21: it announces the routes of the neighbours it read before the
    error, which configuration.py adds to the RIB it shares with the
    running neighbour, and then refuses every later reload with "syntax
    error in section neighbor/process".)"""
    before = [x.seen() for x in ls]
    bad = good.replace('hold-time 60;', 'hold-time banana;')
    where = '%s:%d:' % (conf, bad[:bad.index('banana')].count('\n') + 1)
    with open(conf, 'w') as f:
        f.write(bad)
    p.send_signal(signal.SIGUSR1)
    time.sleep(3)
    after = [x.seen() for x in ls]
    if after != before:
        raise AssertionError('vrs-speaker: a reload of a file with an error '
                             'changed sessions or routes: %s -> %s'
                             % (before, after))
    log.flush()
    with open(log.name) as f:
        if where not in f.read():
            raise AssertionError('vrs-speaker: the bad reload gave no error'
                                 ' at %s' % where)


def run(name, spk, d):
    """What each neighbour saw after a reload, as {name: seen}."""
    ls = [Listener(nbr_addr(spk, i)) for i in range(len(NAMES))]
    conf = os.path.join(d, name + '.conf')
    events = os.path.join(d, name + '.events')
    with open(conf, 'w') as f:
        f.write(config(spk, 1, events))
    env = dict(os.environ, exabgp_tcp_port=str(PORT), exabgp_tcp_bind='',
               exabgp_api_cli='false', exabgp_daemon_user='root',
               exabgp_daemon_drop='false', exabgp_daemon_daemonize='false',
               exabgp_log_destination=os.path.join(d, name + '.exalog'))
    cmd = ['exabgp'] if name == 'exabgp' else [
        os.path.join(BIN, 'vrs-speaker')]
    log = open(os.path.join(d, name + '.log'), 'w')
    p = subprocess.Popen(cmd + [conf], env=env, stdout=log, stderr=log)
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            held = [len(x.seen()['routes']) for x in ls[:4]]
            if held == [2, 1, 1, 1]:
                break
            time.sleep(0.2)
        else:
            raise AssertionError('%s: routes not all sent before the reload'
                                 ' (%s)' % (name, held))
        if name == 'vrs-speaker':
            bad_reload(p, ls, conf, log, config(spk, 2, events))
        with open(conf, 'w') as f:
            f.write(config(spk, 2, events))
        p.send_signal(signal.SIGUSR1)
        time.sleep(8)
        return {n: x.seen() for n, x in zip(NAMES, ls)}, events
    finally:
        p.terminate()
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.close()
        for x in ls:
            x.close()
        if p.returncode != 0:
            raise AssertionError('%s: exit status %d after SIGTERM'
                                 % (name, p.returncode))


def main():
    for prog in ('exabgp', os.path.join(BIN, 'vrs-speaker')):
        if shutil.which(prog) is None:
            print('FAIL %s missing (apt-get install exabgp; make)' % prog)
            print('0 passed, 1 failed')
            return 1
    d = tempfile.mkdtemp(prefix='vrs-reload.')
    passed = failed = 0
    try:
        got, told = {}, {}
        for n, a in SPEAKERS.items():
            got[n], ev = run(n, a, d)
            told[n] = events_of(ev)
    except (AssertionError, OSError) as e:
        print('FAIL %s (logs in %s)' % (e, d))
        print('0 passed, 1 failed')
        return 1
    for n in NAMES:
        exa, vrs = got['exabgp'][n], got['vrs-speaker'][n]
        if exa == vrs:
            passed += 1
            print('ok   %s: %s' % (n, vrs))
        else:
            failed += 1
            print('FAIL %s:\n  exabgp      %s\n  vrs-speaker %s' %
                  (n, exa, vrs))
    if told['exabgp'] == told['vrs-speaker']:
        passed += 1
        print('ok   what the process was told, neighbour by neighbour')
    else:
        failed += 1
        print('FAIL what the process was told:\n  exabgp      %s\n'
              '  vrs-speaker %s' % (told['exabgp'], told['vrs-speaker']))
    if failed == 0 and not os.environ.get('IX_KEEP'):
        shutil.rmtree(d, ignore_errors=True)
    else:
        print('logs in %s' % d)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
