#!/usr/bin/python3
"""Helper for tests/interop/lib.sh (stdlib only, run with /usr/bin/python3).

Sub-commands:
  render KIND SPEC ASN NH4 NH6 [STATE]  print daemon-specific origination
                                        config / commands for a route SPEC file
  prefixes SPEC                         print the prefixes of a SPEC file
  expected SPEC ASN NH4 NH6 [KIND]      print the normalised JSON a direct eBGP
                                        neighbour should see for SPEC
  normalise KIND                        read the daemon's raw output on stdin,
                                        print the normalised JSON
  exa-helper FIFO LOG                   exabgp API process: FIFO -> stdout
                                        (commands), stdin -> LOG (JSON events)

Route SPEC file: one route a line, '#' comments, blank lines ignored:
  PREFIX [prepend=N] [med=N] [origin=igp|egp|incomplete]
         [comm=A:B,...] [ext=rt:A:B,soo:A:B,...] [large=A:B:C,...]
         [unknown=0xTT:0xFF:HEX]
prepend=N prepends the originator's own ASN N extra times.

Normalised form (one JSON object, keys sorted, lists sorted):
  { "PREFIX": { "as_path": [int...], "next_hop": "addr", "med": int|null,
                "origin": "igp|egp|incomplete", "communities": ["A:B"],
                "ext_communities": ["rt:A:B"|"soo:A:B"|"raw:HEX16"],
                "large_communities": ["A:B:C"],
                "unknown": ["0xTT:HEX"] (only if present; bird and
                            exabgp show unknown attributes, the others don't) } }
One entry per prefix: the best path.
"""
import json
import os
import re
import sys
import threading


# ---------------------------------------------------------------- spec
def parse_spec(path):
    routes = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            r = {'prefix': parts[0], 'prepend': 0, 'med': None, 'origin': 'igp',
                 'comm': [], 'ext': [], 'large': [], 'unknown': None}
            for kv in parts[1:]:
                k, _, v = kv.partition('=')
                if k == 'prepend':
                    r['prepend'] = int(v)
                elif k == 'med':
                    r['med'] = int(v)
                elif k == 'origin':
                    assert v in ('igp', 'egp', 'incomplete'), v
                    r['origin'] = v
                elif k in ('comm', 'ext', 'large'):
                    r[k] = [x for x in v.split(',') if x]
                elif k == 'unknown':
                    t, fl, hx = v.split(':')
                    r['unknown'] = (int(t, 0), int(fl, 0), hx.lower())
                else:
                    raise SystemExit('bad route attribute %r' % kv)
            r['v6'] = ':' in r['prefix']
            routes.append(r)
    return routes


def ext_parts(e):
    kind, a, b = e.split(':')
    assert kind in ('rt', 'soo'), e
    return kind, int(a), int(b)


def die_unsupported(kind, what):
    sys.stderr.write('ixtool: %s cannot originate %s\n' % (kind, what))
    sys.exit(3)


# ---------------------------------------------------------------- render
def render_bird(routes, asn, nh4, nh6):
    out = []
    for fam, v6 in (('ipv4', False), ('ipv6', True)):
        out.append('protocol static inj%s { %s;' % (fam[-1], fam))
        for r in routes:
            if r['v6'] != v6:
                continue
            if r['unknown']:
                die_unsupported('bird', 'unknown attributes')
            s = []
            s += ['bgp_path.prepend(%d);' % asn] * r['prepend']
            if r['med'] is not None:
                s.append('bgp_med = %d;' % r['med'])
            s.append('bgp_origin = ORIGIN_%s;' % r['origin'].upper())
            for c in r['comm']:
                s.append('bgp_community.add((%s));' % c.replace(':', ','))
            for e in r['ext']:
                k, a, b = ext_parts(e)
                s.append('bgp_ext_community.add((%s,%d,%d));' % ('rt' if k == 'rt' else 'ro', a, b))
            for l in r['large']:
                s.append('bgp_large_community.add((%s));' % l.replace(':', ','))
            out.append('  route %s blackhole { %s };' % (r['prefix'], ' '.join(s)))
        out.append('}')
    return '\n'.join(out) + '\n'


def render_frr(routes, asn, nh4, nh6, old):
    """vtysh -f input: remove the old set, add the new one."""
    out = ['router bgp %d' % asn]
    for i, r in enumerate(old):
        out.append(' address-family %s unicast' % ('ipv6' if r['v6'] else 'ipv4'))
        out.append('  no network %s' % r['prefix'])
        out.append(' exit-address-family')
    out.append('exit')
    for i, r in enumerate(old):
        out.append('no route-map IX-NET-%d' % i)
    for i, r in enumerate(routes):
        if r['unknown']:
            die_unsupported('frr', 'unknown attributes')
        out.append('route-map IX-NET-%d permit 10' % i)
        if r['prepend']:
            out.append(' set as-path prepend %s' % ' '.join([str(asn)] * r['prepend']))
        if r['med'] is not None:
            out.append(' set metric %d' % r['med'])
        out.append(' set origin %s' % r['origin'])
        if r['comm']:
            out.append(' set community %s' % ' '.join(r['comm']))
        rts = ['%d:%d' % ext_parts(e)[1:] for e in r['ext'] if e.startswith('rt:')]
        soos = ['%d:%d' % ext_parts(e)[1:] for e in r['ext'] if e.startswith('soo:')]
        if rts:
            out.append(' set extcommunity rt %s' % ' '.join(rts))
        if soos:
            out.append(' set extcommunity soo %s' % ' '.join(soos))
        if r['large']:
            out.append(' set large-community %s' % ' '.join(r['large']))
        out.append('exit')
    out.append('router bgp %d' % asn)
    for i, r in enumerate(routes):
        out.append(' address-family %s unicast' % ('ipv6' if r['v6'] else 'ipv4'))
        out.append('  network %s route-map IX-NET-%d' % (r['prefix'], i))
        out.append(' exit-address-family')
    out.append('exit')
    return '\n'.join(out) + '\n'


def render_gobgp(routes, asn, nh4, nh6, add=True):
    """One gobgp CLI argument vector a line (shell-quoted by lib.sh with xargs-like read)."""
    out = []
    for r in routes:
        if r['unknown']:
            die_unsupported('gobgp', 'unknown attributes')
        if r['ext'] and add:
            die_unsupported('gobgp', 'extended communities (gobgp CLI: unicast has no extcommunity)')
        fam = 'ipv6' if r['v6'] else 'ipv4'
        if not add:
            out.append('global rib del -a %s %s' % (fam, r['prefix']))
            continue
        a = ['global', 'rib', 'add', '-a', fam, r['prefix'], 'origin', r['origin']]
        a += ['nexthop', nh6 if r['v6'] else nh4]
        if r['prepend']:
            a += ['aspath', ','.join([str(asn)] * r['prepend'])]
        if r['med'] is not None:
            a += ['med', str(r['med'])]
        if r['comm']:
            a += ['community', ','.join(r['comm'])]
        if r['ext']:
            a += ['extcommunity', ','.join('%s:%d:%d' % (('RT' if k == 'rt' else 'SoO'), x, y)
                                            for k, x, y in map(ext_parts, r['ext']))]
        if r['large']:
            a += ['large-community', ','.join(r['large'])]
        out.append(' '.join(a))
    return '\n'.join(out) + ('\n' if out else '')


def render_openbgpd(routes, asn, nh4, nh6):
    """bgpd.conf network statements (bgpctl network add has no 'origin')."""
    out = []
    for r in routes:
        if r['unknown']:
            die_unsupported('openbgpd', 'unknown attributes')
        a = ['origin', r['origin'], 'nexthop', nh6 if r['v6'] else nh4]
        if r['prepend']:
            a += ['prepend-self', str(r['prepend'])]
        if r['med'] is not None:
            a += ['med', str(r['med'])]
        for c in r['comm']:
            a += ['community', c]
        for e in r['ext']:
            k, x, y = ext_parts(e)
            a += ['ext-community', k, '%d:%d' % (x, y)]
        for l in r['large']:
            a += ['large-community', l]
        out.append('network %s set { %s }' % (r['prefix'], ' '.join(a)))
    return '\n'.join(out) + ('\n' if out else '')


def render_exabgp(routes, asn, nh4, nh6, add=True):
    out = []
    for r in routes:
        nh = nh6 if r['v6'] else nh4
        if not add:
            out.append('withdraw route %s next-hop %s' % (r['prefix'], nh))
            continue
        a = ['announce route', r['prefix'], 'next-hop', nh, 'origin', r['origin'],
             'as-path [ %s ]' % ' '.join([str(asn)] * (1 + r['prepend']))]
        if r['med'] is not None:
            a += ['med', str(r['med'])]
        if r['comm']:
            a.append('community [ %s ]' % ' '.join(r['comm']))
        if r['ext']:
            a.append('extended-community [ %s ]' % ' '.join(
                '%s:%d:%d' % (('target' if k == 'rt' else 'origin'), x, y)
                for k, x, y in map(ext_parts, r['ext'])))
        if r['large']:
            a.append('large-community [ %s ]' % ' '.join(r['large']))
        if r['unknown']:
            t, fl, hx = r['unknown']
            a.append('attribute [ 0x%02x 0x%02x 0x%s ]' % (t, fl, hx))
        out.append(' '.join(a))
    return '\n'.join(out) + ('\n' if out else '')


# ---------------------------------------------------------------- normalise
ORIGINS = {'0': 'igp', '1': 'egp', '2': 'incomplete', 'i': 'igp', 'e': 'egp', '?': 'incomplete'}


def entry(as_path, nh, med, origin, comms, exts, larges, unknown=None):
    e = {'as_path': [int(a) for a in as_path], 'next_hop': nh.lower() if nh else None,
            'med': None if med is None else int(med), 'origin': origin,
            'communities': sorted(set(comms), key=lambda c: tuple(map(int, c.split(':')))),
            'ext_communities': sorted(set(exts)),
            'large_communities': sorted(set(larges), key=lambda c: tuple(map(int, c.split(':'))))}
    if unknown:
        e['unknown'] = sorted(set(u.lower() for u in unknown))
    return e


def norm_ext(kind, a, b):
    k = kind.strip().lower()
    if k in ('rt', 'target', 'route-target'):
        return 'rt:%s:%s' % (a, b)
    if k in ('ro', 'soo', 'origin', 'route-origin', 'site-of-origin'):
        return 'soo:%s:%s' % (a, b)
    return '%s:%s:%s' % (k, a, b)


def normalise_bird(text):
    entries = []
    cur = None
    pfx = None
    for line in text.splitlines():
        if not line.strip() or line.startswith('BIRD ') or line.startswith('Table '):
            continue
        if line.startswith('\t'):
            s = line.strip()
            if cur is not None and s.startswith('BGP.') and ':' in s:
                k, v = s.split(':', 1)
                cur['attrs'][k.strip()] = v.strip()
            continue
        # route line: "PREFIX  unicast [n1 10:48:12.310] * (100) [AS65002i]";
        # alternatives of the same prefix start with blanks instead of PREFIX
        if not line[0].isspace():
            pfx = line.split()[0]
        m = re.search(r'\[(\S+)', line)
        cur = {'prefix': pfx, 'attrs': {}, 'best': bool(re.search(r'\]\s+\*', line)),
               'proto': m.group(1) if m else ''}
        entries.append(cur)
    res = {}
    for r in entries:
        if not re.match(r'n\d+$', r['proto']):   # only routes from our BGP protocols n1, n2..
            continue
        if r['prefix'] not in res or (r['best'] and not res[r['prefix']]['best']):
            res[r['prefix']] = r
    out = {}
    for pfx, r in res.items():
        a = r['attrs']
        if not re.match(r'n\d+$', r['proto']):   # only routes from our BGP protocols n1, n2..
            continue
        comms = ['%s:%s' % m for m in re.findall(r'\((\d+),\s*(\d+)\)', a.get('BGP.community', ''))]
        exts = [norm_ext(*m) for m in re.findall(r'\((\w+),\s*(\d+),\s*(\d+)\)', a.get('BGP.ext_community', ''))]
        larges = ['%s:%s:%s' % m for m in re.findall(r'\((\d+),\s*(\d+),\s*(\d+)\)', a.get('BGP.large_community', ''))]
        nh = a.get('BGP.next_hop', '').split()
        nh = nh[0] if nh else None
        origin = a.get('BGP.origin', 'IGP').lower()
        unk = ['0x%02x:%s' % (int(m.group(1), 16), v.replace(' ', ''))
               for k, v in a.items() for m in [re.match(r'BGP\.([0-9a-f]{2})\b', k)] if m]
        out[pfx] = entry(a['BGP.as_path'].replace('{', ' ').replace('}', ' ').split(), nh,
                         a.get('BGP.med'), origin, comms, exts, larges, unk)
    return out


def normalise_frr(text):
    """Input: JSON lines "PREFIX\t<show bgp ... PREFIX json>"."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        pfx, js = line.split('\t', 1)
        d = json.loads(js)
        paths = d.get('paths') or []
        best = [p for p in paths if p.get('bestpath', {}).get('overall')] or paths
        if not best:
            continue
        p = best[0]
        segs = p.get('aspath', {}).get('segments', [])
        asp = [a for s in segs for a in s.get('list', [])]
        nhs = p.get('nexthops', [])
        nh = None
        for n in nhs:
            if n.get('scope', 'global') == 'global' or n.get('afi') == 'ipv4':
                nh = n.get('ip')
                break
        comms = p.get('community', {}).get('list', [])
        exts = []
        for tok in p.get('extendedCommunity', {}).get('string', '').split():
            k, _, rest = tok.partition(':')
            a, _, b = rest.partition(':')
            exts.append(norm_ext(k, a, b))
        larges = p.get('largeCommunity', {}).get('list', [])
        out[pfx] = entry(asp, nh, p.get('metric', p.get('med')), p.get('origin', 'igp').lower(),
                         comms, exts, larges)
    return out


def normalise_gobgp(text):
    """Input: concatenated `gobgp -j global rib -a FAM` outputs, one a line."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        for pfx, paths in d.items():
            best = [p for p in paths if p.get('best')] or paths
            if not best:
                continue
            p = best[0]
            asp, nh, med, origin, comms, exts, larges = [], None, None, 'igp', [], [], []
            for at in p.get('attrs', []):
                t = at.get('type')
                if t == 1:
                    origin = ORIGINS[str(at.get('value'))]
                elif t == 2:
                    for s in at.get('as_paths', []):
                        asp += s.get('asns', [])
                elif t == 3:
                    nh = at.get('nexthop')
                elif t == 4:
                    med = at.get('metric')
                elif t == 8:
                    comms = ['%d:%d' % (c >> 16, c & 0xffff) for c in at.get('communities', [])]
                elif t == 14:
                    nh = at.get('nexthop') or nh
                elif t == 16:
                    for v in at.get('value', []):
                        sub = v.get('subtype')
                        kind = {2: 'rt', 3: 'soo'}.get(sub, 't%s-s%s' % (v.get('type'), sub))
                        a, _, b = str(v.get('value', '')).rpartition(':')
                        exts.append(norm_ext(kind, a, b))
                elif t == 32:
                    for v in at.get('value', []):
                        larges.append('%d:%d:%d' % (v.get('ASN', v.get('asn')), v.get('LocalData1', v.get('local1')),
                                                    v.get('LocalData2', v.get('local2'))))
            out[pfx] = entry(asp, nh, med, origin, comms, exts, larges)
    return out


def normalise_openbgpd(text):
    d = json.loads(text) if text.strip() else {}
    out = {}
    for r in d.get('rib', []):
        if not r.get('best', False) and r['prefix'] in out:
            continue
        asp = [int(a) for a in str(r.get('aspath', '')).replace('{', ' ').replace('}', ' ').split()]
        comms = [c for c in r.get('communities', []) if isinstance(c, str)]
        larges = list(r.get('large_communities', []))
        exts = []
        for e in r.get('extended_communities', []):
            m = re.match(r'(\S+)\s+(\d+):(\d+)', e)
            exts.append(norm_ext(*m.groups()) if m else 'raw:' + e)
        out[r['prefix']] = entry(asp, r.get('exit_nexthop', r.get('true_nexthop')),
                                 r.get('metric', r.get('med')), r.get('origin', 'igp').lower(),
                                 comms, exts, larges)
    return out


def normalise_exabgp(text):
    """Input: exabgp API JSON events, one a line. Rebuild per-peer Adj-RIB-In."""
    ribs = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith('{'):
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        nb = ev.get('neighbor', {})
        peer = nb.get('address', {}).get('peer')
        if ev.get('type') == 'state':
            if nb.get('state') in ('down', 'connected'):
                ribs.pop(peer, None)
            continue
        if ev.get('type') != 'update':
            continue
        upd = nb.get('message', {}).get('update', {})
        rib = ribs.setdefault(peer, {})
        for fam, wl in upd.get('withdraw', {}).items():
            for w in wl:
                rib.pop(w['nlri'] if isinstance(w, dict) else w, None)
        at = upd.get('attribute', {})
        for fam, by_nh in upd.get('announce', {}).items():
            for nh, nl in by_nh.items():
                for n in nl:
                    pfx = n['nlri'] if isinstance(n, dict) else n
                    asp = at.get('as-path', [])
                    if isinstance(asp, dict):
                        asp = [a for seg in asp.values() for a in seg.get('value', [])]
                    comms = ['%d:%d' % tuple(c) for c in at.get('community', [])]
                    larges = ['%d:%d:%d' % tuple(c) for c in at.get('large-community', [])]
                    exts = []
                    for e in at.get('extended-community', []):
                        s = e.get('string', '') if isinstance(e, dict) else str(e)
                        m = re.match(r'(\w[\w-]*):(\d+)L?:(\d+|\d+\.\d+\.\d+\.\d+)$', s)
                        if m and '.' in m.group(3):   # exabgp prints some local parts dotted
                            o = [int(x) for x in m.group(3).split('.')]
                            m = re.match(r'(.*)', '%s:%s:%d' % (m.group(1), m.group(2),
                                                               (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]))
                            exts.append(norm_ext(*m.group(1).split(':')))
                            continue
                        exts.append(norm_ext(*m.groups()) if m else 'raw:' + s)
                    unk = ['0x%02x:%s' % (int(m.group(1), 16), str(v).lower().replace('0x', '', 1))
                           for k, v in at.items() for m in [re.match(r'attribute-0x([0-9a-fA-F]+)-', k)] if m]
                    rib[pfx] = entry(asp, nh, at.get('med'), at.get('origin', 'igp'), comms, exts, larges, unk)
    out = {}
    for peer in sorted(ribs, key=str):
        out.update(ribs[peer])
    return out


def expected(routes, asn, nh4, nh6, kind=''):
    out = {}
    for r in routes:
        med = r['med']
        if med is None and kind == 'frr':
            med = 0            # FRR always puts a MED (0) on 'network' routes
        out[r['prefix']] = entry([asn] * (1 + r['prepend']), nh6 if r['v6'] else nh4, med,
                                 r['origin'], r['comm'],
                                 [norm_ext(*e.split(':')) for e in r['ext']], r['large'],
                                 ['0x%02x:%s' % (r['unknown'][0], r['unknown'][2])] if r['unknown'] else None)
    return out


# ---------------------------------------------------------------- exabgp API process
def exa_helper(fifo, log):
    lf = open(log, 'a', buffering=1)

    def reader():
        for line in sys.stdin:
            lf.write(line if line.endswith('\n') else line + '\n')
        lf.write('{"type":"helper-eof"}\n')
        os._exit(0)
    threading.Thread(target=reader, daemon=True).start()
    while True:
        with open(fifo) as f:          # blocks until a writer opens it
            for line in f:
                line = line.strip()
                if line:
                    sys.stdout.write(line + '\n')
                    sys.stdout.flush()


def main():
    cmd = sys.argv[1]
    if cmd == 'render':
        kind, spec, asn, nh4, nh6 = sys.argv[2:7]
        routes, asn = parse_spec(spec), int(asn)
        if kind == 'bird':
            sys.stdout.write(render_bird(routes, asn, nh4, nh6))
        elif kind == 'frr':
            old = parse_spec(sys.argv[7]) if len(sys.argv) > 7 and os.path.exists(sys.argv[7]) else []
            sys.stdout.write(render_frr(routes, asn, nh4, nh6, old))
        elif kind in ('gobgp', 'gobgp-del'):
            sys.stdout.write(render_gobgp(routes, asn, nh4, nh6, kind == 'gobgp'))
        elif kind == 'openbgpd':
            sys.stdout.write(render_openbgpd(routes, asn, nh4, nh6))
        elif kind in ('exabgp', 'exabgp-del'):
            sys.stdout.write(render_exabgp(routes, asn, nh4, nh6, kind == 'exabgp'))
        else:
            raise SystemExit('unknown kind ' + kind)
    elif cmd == 'prefixes':
        for r in parse_spec(sys.argv[2]):
            print(r['prefix'])
    elif cmd == 'expected':
        spec, asn, nh4, nh6 = sys.argv[2:6]
        kind = sys.argv[6] if len(sys.argv) > 6 else ''
        print(json.dumps(expected(parse_spec(spec), int(asn), nh4, nh6, kind), sort_keys=True, indent=1))
    elif cmd == 'normalise':
        fn = {'bird': normalise_bird, 'frr': normalise_frr, 'gobgp': normalise_gobgp,
              'openbgpd': normalise_openbgpd, 'exabgp': normalise_exabgp}[sys.argv[2]]
        print(json.dumps(fn(sys.stdin.read()), sort_keys=True, indent=1))
    elif cmd == 'exa-helper':
        exa_helper(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main()
