#!/usr/bin/env python3
"""Hand-crafted BGP messages for ExaBGP 4.2.21 `--decode` ground truth.

    python3 gen.py            list every case: <conf-stem> TAB <hex> TAB <description>
    python3 gen.py --run      run `exabgp <conf> --decode <hex>` for every case
                              (from this folder) and write <conf-stem>.decode

Every message is built from readable field lists below; nothing is copied
from captures.  Only the offline --decode mode of ExaBGP is used (no socket).
"""

import ipaddress
import os
import re
import struct
import subprocess
import sys

# --------------------------------------------------------------------------
# BGP encoding helpers


def msg(kind, body=b''):
    """BGP header (marker, length, type) + body."""
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), kind) + body


def u8(v):
    return struct.pack('!B', v)


def u16(v):
    return struct.pack('!H', v)


def u32(v):
    return struct.pack('!I', v)


def ip(a):
    return ipaddress.ip_address(a).packed


def prefix(p, pathid=None):
    """NLRI prefix: [path id (4)] length (1) + minimal octets."""
    net = ipaddress.ip_network(p, strict=False)
    octets = (net.prefixlen + 7) // 8
    data = u8(net.prefixlen) + net.network_address.packed[:octets]
    if pathid is not None:
        data = u32(pathid) + data
    return data


def prefixes(plist, pathid=None):
    out = b''
    for p in plist:
        if isinstance(p, tuple):  # (pathid, prefix)
            out += prefix(p[1], p[0])
        else:
            out += prefix(p, pathid)
    return out


def attr(flags, code, value, extended=None):
    """Path attribute; extended length used when needed or when asked."""
    if extended is None:
        extended = len(value) > 255 or bool(flags & 0x10)
    if extended:
        return u8(flags | 0x10) + u8(code) + u16(len(value)) + value
    return u8(flags) + u8(code) + u8(len(value)) + value


def update(withdrawn=b'', attributes=(), nlri=b''):
    pa = b''.join(attributes)
    return msg(2, u16(len(withdrawn)) + withdrawn + u16(len(pa)) + pa + nlri)


# well-known flag values
WK = 0x40  # well-known transitive
OPT = 0x80  # optional non-transitive
OPT_T = 0xC0  # optional transitive

IGP, EGP, INCOMPLETE = 0, 1, 2
AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET = 1, 2, 3, 4


def origin(v):
    return attr(WK, 1, u8(v))


def segments(segs, asn4=True):
    out = b''
    for kind, asns in segs:
        out += u8(kind) + u8(len(asns))
        for a in asns:
            out += u32(a) if asn4 else u16(a)
    return out


def as_path(segs, asn4=True, flags=WK):
    return attr(flags, 2, segments(segs, asn4))


def next_hop(a):
    return attr(WK, 3, ip(a))


def med(v):
    return attr(OPT, 4, u32(v))


def local_pref(v):
    return attr(WK, 5, u32(v))


def atomic_aggregate():
    return attr(WK, 6, b'')


def aggregator(asn, addr, asn4=True):
    return attr(OPT_T, 7, (u32(asn) if asn4 else u16(asn)) + ip(addr))


def communities(values):
    return attr(OPT_T, 8, b''.join(u32(v) if isinstance(v, int) else u16(v[0]) + u16(v[1]) for v in values))


def originator_id(addr):
    return attr(OPT, 9, ip(addr))


def cluster_list(addrs):
    return attr(OPT, 10, b''.join(ip(a) for a in addrs))


def mp_reach(afi, safi, nexthops, nlri):
    nh = b''.join(ip(a) for a in nexthops)
    return attr(OPT, 14, u16(afi) + u8(safi) + u8(len(nh)) + nh + u8(0) + nlri)


def mp_unreach(afi, safi, nlri):
    return attr(OPT, 15, u16(afi) + u8(safi) + nlri)


def ext_communities(values):
    return attr(OPT_T, 16, b''.join(values))


def ec_as2(typ, sub, asn, local):  # type high, subtype, 2-byte AS, 4-byte value
    return u8(typ) + u8(sub) + u16(asn) + u32(local)


def ec_ip(typ, sub, addr, local):  # IPv4 address, 2-byte value
    return u8(typ) + u8(sub) + ip(addr) + u16(local)


def ec_as4(typ, sub, asn, local):  # 4-byte AS, 2-byte value
    return u8(typ) + u8(sub) + u32(asn) + u16(local)


def ec_raw(typ, sub, six):  # opaque 6 bytes
    assert len(six) == 6
    return u8(typ) + u8(sub) + six


def as4_path(segs):
    return attr(OPT_T, 17, segments(segs, True))


def as4_aggregator(asn, addr):
    return attr(OPT_T, 18, u32(asn) + ip(addr))


def large_communities(values):
    return attr(OPT_T, 32, b''.join(u32(g) + u32(a) + u32(b) for g, a, b in values))


def eor_ipv4():
    return update()


def eor_mp(afi, safi):
    return update(attributes=[mp_unreach(afi, safi, b'')])


def notification(code, sub, data=b''):
    return msg(3, u8(code) + u8(sub) + data)


def keepalive():
    return msg(4)


def route_refresh(afi, safi, subtype=0):
    return msg(5, u16(afi) + u8(subtype) + u8(safi))


def open_msg(asn, hold, router_id, caps):
    """caps: list of (code, value bytes); all in one capability parameter (2)."""
    capdata = b''.join(u8(c) + u8(len(v)) + v for c, v in caps)
    params = u8(2) + u8(len(capdata)) + capdata
    return msg(1, u8(4) + u16(asn) + u16(hold) + ip(router_id) + u8(len(params)) + params)


# --------------------------------------------------------------------------
# common pieces

BASE_IBGP = [origin(IGP), as_path([(AS_SEQUENCE, [65001])]), next_hop('192.0.2.1'), local_pref(100)]
NET = prefixes(['10.0.0.0/24'])
NET6 = prefixes(['2001:db8:1::/48'])
ORIGIN_IGP = origin(IGP)
EMPTY_PATH = as_path([])

WELL_KNOWN = [0xFFFFFF01, 0xFFFFFF02, 0xFFFFFF03, 0xFFFFFF04, 0xFFFF029A, 0xFFFF0000, (65517, 65517)]

# --------------------------------------------------------------------------
# cases: conf stem -> list of (name, bytes)

CASES = {}

CASES['ibgp4'] = [
    ('ORIGIN egp, AS_PATH AS_SEQUENCE [65001 65002] then AS_SET {65003 65004}',
     update(attributes=[origin(EGP), as_path([(AS_SEQUENCE, [65001, 65002]), (AS_SET, [65003, 65004])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('ORIGIN incomplete, AS_PATH with only an AS_SET {65010 65011 65012}',
     update(attributes=[origin(INCOMPLETE), as_path([(AS_SET, [65010, 65011, 65012])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('AS_PATH AS_CONFED_SEQUENCE [65100 65101] then AS_SEQUENCE [65001 65002]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SEQUENCE, [65100, 65101]), (AS_SEQUENCE, [65001, 65002])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('AS_PATH AS_CONFED_SET {65100 65102} then AS_SEQUENCE [65001]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SET, [65100, 65102]), (AS_SEQUENCE, [65001])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('AS_PATH all four segment types: CONFED_SEQUENCE [65100] CONFED_SET {65101 65102} SEQUENCE [65001 65002] SET {65003 65004}',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SEQUENCE, [65100]), (AS_CONFED_SET, [65101, 65102]),
                                             (AS_SEQUENCE, [65001, 65002]), (AS_SET, [65003, 65004])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('AS_PATH two AS_SEQUENCE segments [65001 65002] [65003]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002]), (AS_SEQUENCE, [65003])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('AS_PATH empty (iBGP originated), no LOCAL_PREF',
     update(attributes=[ORIGIN_IGP, EMPTY_PATH, next_hop('192.0.2.1')], nlri=NET)),
    ('AS_PATH with 4-byte ASNs [4200000001 65001 4294967295] and AS 0',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [4200000001, 65001, 4294967295, 0])]),
                        next_hop('192.0.2.1'), local_pref(100)], nlri=NET)),
    ('MED 0, LOCAL_PREF 4294967295',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), next_hop('192.0.2.1'), med(0),
                        local_pref(4294967295)], nlri=NET)),
    ('MED 200, LOCAL_PREF 150, ATOMIC_AGGREGATE, AGGREGATOR 8-byte (65001, 192.0.2.254)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), next_hop('192.0.2.1'), med(200),
                        local_pref(150), atomic_aggregate(), aggregator(65001, '192.0.2.254')], nlri=NET)),
    ('AGGREGATOR 8-byte with 4-byte ASN (4200000001, 198.51.100.1), no ATOMIC_AGGREGATE',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [4200000001])]), next_hop('192.0.2.1'),
                        local_pref(100), aggregator(4200000001, '198.51.100.1')], nlri=NET)),
    ('attributes in non-canonical order on the wire (LOCAL_PREF, MED, NEXT_HOP, AS_PATH, ORIGIN)',
     update(attributes=[local_pref(100), med(5), next_hop('192.0.2.1'), as_path([(AS_SEQUENCE, [65001])]),
                        ORIGIN_IGP], nlri=NET)),
    ('COMMUNITIES well-known NO_EXPORT NO_ADVERTISE NO_EXPORT_SUBCONFED NOPEER BLACKHOLE GRACEFUL_SHUTDOWN + 65517:65517',
     update(attributes=BASE_IBGP + [communities(WELL_KNOWN)], nlri=NET)),
    ('COMMUNITIES ordinary 65001:100 0:0 65535:65535 1:2 (wire order not sorted)',
     update(attributes=BASE_IBGP + [communities([(65001, 100), (0, 0), (65535, 65535), (1, 2)])], nlri=NET)),
    ('COMMUNITIES single NO_EXPORT',
     update(attributes=BASE_IBGP + [communities([0xFFFFFF01])], nlri=NET)),
    ('ORIGINATOR_ID 10.255.0.1 and CLUSTER_LIST 10.255.0.2 10.255.0.3',
     update(attributes=BASE_IBGP + [originator_id('10.255.0.1'), cluster_list(['10.255.0.2', '10.255.0.3'])],
            nlri=NET)),
    ('EXTENDED_COMMUNITIES route targets 0x00/0x02 65001:100, 0x01/0x02 192.0.2.1:200, 0x02/0x02 4200000001:300',
     update(attributes=BASE_IBGP + [ext_communities([ec_as2(0x00, 0x02, 65001, 100), ec_ip(0x01, 0x02, '192.0.2.1', 200),
                                                     ec_as4(0x02, 0x02, 4200000001, 300)])], nlri=NET)),
    ('EXTENDED_COMMUNITIES route origins 0x00/0x03 65001:100, 0x01/0x03 192.0.2.1:200, 0x02/0x03 4200000001:300',
     update(attributes=BASE_IBGP + [ext_communities([ec_as2(0x00, 0x03, 65001, 100), ec_ip(0x01, 0x03, '192.0.2.1', 200),
                                                     ec_as4(0x02, 0x03, 4200000001, 300)])], nlri=NET)),
    ('EXTENDED_COMMUNITIES route target 0x00/0x02 with 4-byte local value 65001:4294967295',
     update(attributes=BASE_IBGP + [ext_communities([ec_as2(0x00, 0x02, 65001, 4294967295)])], nlri=NET)),
    ('EXTENDED_COMMUNITIES encapsulation 0x03/0x0c (VXLAN, 8), traffic-rate 0x80/0x06 (AS 65001, 0.0 float)',
     update(attributes=BASE_IBGP + [ext_communities([ec_raw(0x03, 0x0c, b'\x00\x00\x00\x00\x00\x08'),
                                                     ec_raw(0x80, 0x06, u16(65001) + struct.pack('!f', 0.0))])],
            nlri=NET)),
    ('EXTENDED_COMMUNITIES traffic-rate 0x80/0x06 (AS 65001, 1000000.0 float)',
     update(attributes=BASE_IBGP + [ext_communities([ec_raw(0x80, 0x06, u16(65001) + struct.pack('!f', 1000000.0))])],
            nlri=NET)),
    ('EXTENDED_COMMUNITIES unknown types 0x43/0x00, 0x05/0x99, 0x00/0x77 (2-byte AS type, unknown subtype)',
     update(attributes=BASE_IBGP + [ext_communities([ec_raw(0x43, 0x00, b'\x01\x02\x03\x04\x05\x06'),
                                                     ec_raw(0x05, 0x99, b'\x00\x00\x00\x00\x00\x01'),
                                                     ec_as2(0x00, 0x77, 65001, 5)])], nlri=NET)),
    ('EXTENDED_COMMUNITIES non-transitive route target 0x40/0x02 65001:100, link bandwidth 0x40/0x04 (65001, 125000.0)',
     update(attributes=BASE_IBGP + [ext_communities([ec_as2(0x40, 0x02, 65001, 100),
                                                     ec_raw(0x40, 0x04, u16(65001) + struct.pack('!f', 125000.0))])],
            nlri=NET)),
    ('EXTENDED_COMMUNITIES redirect 0x80/0x08 65001:100, traffic-marking 0x80/0x09 DSCP 46, traffic-action 0x80/0x07 terminal+sample',
     update(attributes=BASE_IBGP + [ext_communities([ec_as2(0x80, 0x08, 65001, 100),
                                                     ec_raw(0x80, 0x09, b'\x00\x00\x00\x00\x00\x2e'),
                                                     ec_raw(0x80, 0x07, b'\x00\x00\x00\x00\x00\x03')])], nlri=NET)),
    ('LARGE_COMMUNITY 65001:1:2, 4200000001:0:4294967295, 0:0:0 (wire order)',
     update(attributes=BASE_IBGP + [large_communities([(65001, 1, 2), (4200000001, 0, 4294967295), (0, 0, 0)])],
            nlri=NET)),
    ('COMMUNITIES + EXTENDED_COMMUNITIES + LARGE_COMMUNITY together, with MED and AGGREGATOR',
     update(attributes=BASE_IBGP + [med(10), aggregator(65001, '192.0.2.254'), communities([(65001, 1), 0xFFFFFF01]),
                                    ext_communities([ec_as2(0x00, 0x02, 65001, 100)]),
                                    large_communities([(65001, 1, 2)])], nlri=NET)),
    ('unknown optional transitive attribute flags 0xC0 type 0xFE value 01020304',
     update(attributes=BASE_IBGP + [attr(0xC0, 0xFE, b'\x01\x02\x03\x04')], nlri=NET)),
    ('unknown optional non-transitive attribute flags 0x80 type 0xFD value DEADBEEF',
     update(attributes=BASE_IBGP + [attr(0x80, 0xFD, b'\xde\xad\xbe\xef')], nlri=NET)),
    ('unknown optional transitive partial attribute flags 0xE0 type 0xFC value 00',
     update(attributes=BASE_IBGP + [attr(0xE0, 0xFC, b'\x00')], nlri=NET)),
    ('unknown optional transitive attribute with extended length flag (0xD0) type 0xFB, empty value',
     update(attributes=BASE_IBGP + [attr(0xC0, 0xFB, b'', extended=True)], nlri=NET)),
    ('three unknown attributes together (0xC0/0xFE, 0x80/0xFD, 0xE0/0xFC)',
     update(attributes=BASE_IBGP + [attr(0xC0, 0xFE, b'\x01\x02\x03\x04'), attr(0x80, 0xFD, b'\xde\xad\xbe\xef'),
                                    attr(0xE0, 0xFC, b'\x00')], nlri=NET)),
    ('AS_PATH sent with extended length flag (0x50)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])], flags=0x50), next_hop('192.0.2.1'),
                        local_pref(100)], nlri=NET)),
    ('IPv4 withdrawals 10.0.0.0/24 10.1.0.0/16 192.0.2.128/25 0.0.0.0/0 198.51.100.7/32',
     update(withdrawn=prefixes(['10.0.0.0/24', '10.1.0.0/16', '192.0.2.128/25', '0.0.0.0/0', '198.51.100.7/32']))),
    ('IPv4 announce 0.0.0.0/0 128.0.0.0/1 192.0.2.128/25 198.51.100.6/31 203.0.113.9/32 10.0.0.0/8',
     update(attributes=BASE_IBGP, nlri=prefixes(['0.0.0.0/0', '128.0.0.0/1', '192.0.2.128/25', '198.51.100.6/31',
                                                 '203.0.113.9/32', '10.0.0.0/8']))),
    ('IPv4 prefix /30 with host bits set beyond the length (10.0.0.7/30 sent as 1E 0A 00 00 07)',
     update(attributes=BASE_IBGP, nlri=u8(30) + bytes([10, 0, 0, 7]))),
    ('withdrawals and announcements in one message',
     update(withdrawn=prefixes(['10.9.0.0/16', '10.8.0.0/16']), attributes=BASE_IBGP,
            nlri=prefixes(['10.0.0.0/24', '10.0.1.0/24']))),
    ('IPv6 MP_REACH with 32-byte next hop (2001:db8::1 + fe80::1), one prefix',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), local_pref(100),
                        mp_reach(2, 1, ['2001:db8::1', 'fe80::1'], NET6)])),
    ('IPv6 MP_REACH 16-byte next hop, prefixes ::/0 2001:db8::/32 2001:db8:1:2::/64 2001:db8::1/128 2001:db8::/127 8000::/1',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), local_pref(100), med(7),
                        mp_reach(2, 1, ['2001:db8::1'], prefixes(['::/0', '2001:db8::/32', '2001:db8:1:2::/64',
                                                                  '2001:db8::1/128', '2001:db8::/127', '8000::/1']))])),
    ('IPv6 MP_REACH with ::ffff:192.0.2.1 (IPv4-mapped) next hop',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), local_pref(100),
                        mp_reach(2, 1, ['::ffff:192.0.2.1'], NET6)])),
    ('IPv6 MP_REACH placed before ORIGIN/AS_PATH on the wire, with communities',
     update(attributes=[mp_reach(2, 1, ['2001:db8::1'], NET6), ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]),
                        local_pref(100), communities([(65001, 1)])])),
    ('IPv6 MP_UNREACH 2001:db8:1::/48 2001:db8::1/128 ::/0',
     update(attributes=[mp_unreach(2, 1, prefixes(['2001:db8:1::/48', '2001:db8::1/128', '::/0']))])),
    ('IPv4 unicast MP_UNREACH 10.0.0.0/24 192.0.2.0/25',
     update(attributes=[mp_unreach(1, 1, prefixes(['10.0.0.0/24', '192.0.2.0/25']))])),
    ('IPv4 unicast MP_REACH (next hop 192.0.2.1) 10.0.0.0/24 10.0.1.0/24',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), local_pref(100),
                        mp_reach(1, 1, ['192.0.2.1'], prefixes(['10.0.0.0/24', '10.0.1.0/24']))])),
    ('IPv4 withdrawals + IPv6 MP_REACH + IPv6 MP_UNREACH in one message',
     update(withdrawn=prefixes(['10.9.0.0/16']),
            attributes=[mp_unreach(2, 1, prefixes(['2001:db8:9::/48'])), ORIGIN_IGP,
                        as_path([(AS_SEQUENCE, [65001])]), local_pref(100),
                        mp_reach(2, 1, ['2001:db8::1'], NET6)])),
    ('IPv4 announce of 60 /24 prefixes (290-octet message, longer than 255 octets)',
     update(attributes=BASE_IBGP, nlri=prefixes(['10.%d.%d.0/24' % (i // 10, i % 10) for i in range(60)]))),
    ('two UPDATE messages back to back in one --decode argument',
     update(attributes=BASE_IBGP, nlri=NET) + update(withdrawn=prefixes(['10.9.0.0/16']))),
    ('a 290-octet UPDATE followed by an End-of-RIB in one --decode argument (ExaBGP reads the length as b16<<16|b17)',
     update(attributes=BASE_IBGP, nlri=prefixes(['10.%d.%d.0/24' % (i // 10, i % 10) for i in range(60)])) + eor_ipv4()),
    ('AS_PATH with only an AS_CONFED_SEQUENCE [65100 65101]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SEQUENCE, [65100, 65101])]), next_hop('192.0.2.1'),
                        local_pref(100)], nlri=NET)),
    ('ORIGIN with undefined value 3',
     update(attributes=[origin(3), as_path([(AS_SEQUENCE, [65001])]), next_hop('192.0.2.1'), local_pref(100)],
            nlri=NET)),
    ('UPDATE without the 19-octet header (--decode accepts a bare UPDATE body)',
     update(attributes=BASE_IBGP, nlri=NET)[19:]),
    ('End-of-RIB IPv4 unicast (empty UPDATE)', eor_ipv4()),
    ('End-of-RIB IPv6 unicast (MP_UNREACH with no NLRI)', eor_mp(2, 1)),
    ('NOTIFICATION 6/2 Administrative Shutdown with RFC 9003 shutdown communication "maintenance"',
     notification(6, 2, u8(len(b'maintenance')) + b'maintenance')),
    ('NOTIFICATION 6/4 Administrative Reset, no data', notification(6, 4)),
    ('NOTIFICATION 3/1 Malformed Attribute List', notification(3, 1)),
    ('NOTIFICATION 4/0 Hold Timer Expired', notification(4, 0)),
    ('KEEPALIVE', keepalive()),
    ('OPEN AS 65533 hold 180 router-id 10.0.0.2 caps: MP ipv4/unicast, MP ipv6/unicast, route-refresh, 4-byte AS 65533',
     open_msg(65533, 180, '10.0.0.2', [(1, u16(1) + u8(0) + u8(1)), (1, u16(2) + u8(0) + u8(1)), (2, b''),
                                       (65, u32(65533))])),
    ('ROUTE-REFRESH ipv4 unicast', route_refresh(1, 1)),
]

EBGP_BASE = [ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002])]), next_hop('192.0.2.1')]

CASES['ebgp4'] = [
    ('eBGP plain: AS_PATH [65001 65002], NEXT_HOP, no LOCAL_PREF',
     update(attributes=EBGP_BASE, nlri=NET)),
    ('eBGP with MED 50 and LOCAL_PREF 100 (LOCAL_PREF from an eBGP peer)',
     update(attributes=EBGP_BASE + [med(50), local_pref(100)], nlri=NET)),
    ('eBGP AS_SEQUENCE then AS_SET',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002]), (AS_SET, [65003, 65004])]),
                        next_hop('192.0.2.1')], nlri=NET)),
    ('eBGP AS_CONFED_SEQUENCE [65100] + AS_SEQUENCE [65001] (confederation segment from an eBGP peer)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SEQUENCE, [65100]), (AS_SEQUENCE, [65001])]),
                        next_hop('192.0.2.1')], nlri=NET)),
    ('eBGP ATOMIC_AGGREGATE + AGGREGATOR 8-byte (65002, 192.0.2.254)',
     update(attributes=EBGP_BASE + [atomic_aggregate(), aggregator(65002, '192.0.2.254')], nlri=NET)),
    ('eBGP AS4_PATH received on a 4-byte AS session (AS_PATH [65001 4200000001], AS4_PATH [4200000009])',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 4200000001])]), next_hop('192.0.2.1'),
                        as4_path([(AS_SEQUENCE, [4200000009])])], nlri=NET)),
    ('eBGP AS4_AGGREGATOR received on a 4-byte AS session',
     update(attributes=EBGP_BASE + [aggregator(65002, '192.0.2.254'), as4_aggregator(4200000002, '192.0.2.253')],
            nlri=NET)),
    ('eBGP well-known communities',
     update(attributes=EBGP_BASE + [communities(WELL_KNOWN)], nlri=NET)),
    ('eBGP ORIGINATOR_ID and CLUSTER_LIST (route reflector attributes from an eBGP peer)',
     update(attributes=EBGP_BASE + [originator_id('10.255.0.1'), cluster_list(['10.255.0.2'])], nlri=NET)),
    ('eBGP IPv6 MP_REACH 32-byte next hop',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]),
                        mp_reach(2, 1, ['2001:db8::1', 'fe80::1'], NET6)])),
    ('eBGP withdraw + announce', update(withdrawn=prefixes(['10.9.0.0/16']), attributes=EBGP_BASE, nlri=NET)),
    ('End-of-RIB IPv4 unicast', eor_ipv4()),
    ('End-of-RIB IPv6 unicast', eor_mp(2, 1)),
]

E2 = False  # 2-byte AS encoding

CASES['ebgp2'] = [
    ('2-byte AS_PATH [65001 65002]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002])], E2), next_hop('192.0.2.1')], nlri=NET)),
    ('2-byte AS_PATH [65001 23456] + AS4_PATH [4200000001]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 23456])], E2), next_hop('192.0.2.1'),
                        as4_path([(AS_SEQUENCE, [4200000001])])], nlri=NET)),
    ('2-byte AS_PATH [65001 65002 23456 23456] + AS4_PATH [4200000001 4200000002] (AS4_PATH shorter: merge)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002, 23456, 23456])], E2),
                        next_hop('192.0.2.1'), as4_path([(AS_SEQUENCE, [4200000001, 4200000002])])], nlri=NET)),
    ('2-byte AS_PATH [65001 23456] + AS4_PATH [65001 4200000001] (same length)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 23456])], E2), next_hop('192.0.2.1'),
                        as4_path([(AS_SEQUENCE, [65001, 4200000001])])], nlri=NET)),
    ('2-byte AS_PATH [65001 23456] SET {23456 65005} + AS4_PATH [4200000001] SET {4200000002 65005}',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 23456]), (AS_SET, [23456, 65005])], E2),
                        next_hop('192.0.2.1'),
                        as4_path([(AS_SEQUENCE, [4200000001]), (AS_SET, [4200000002, 65005])])], nlri=NET)),
    ('2-byte AS_PATH [23456] only, no AS4_PATH',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [23456])], E2), next_hop('192.0.2.1')], nlri=NET)),
    ('2-byte AS_PATH with AS_SET only {65010 65011}',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SET, [65010, 65011])], E2), next_hop('192.0.2.1')], nlri=NET)),
    ('2-byte AS_PATH AS_CONFED_SEQUENCE [65100] + AS_SEQUENCE [65001]',
     update(attributes=[ORIGIN_IGP, as_path([(AS_CONFED_SEQUENCE, [65100]), (AS_SEQUENCE, [65001])], E2),
                        next_hop('192.0.2.1')], nlri=NET)),
    ('AGGREGATOR 6-byte (65002, 192.0.2.254) + ATOMIC_AGGREGATE',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 65002])], E2), next_hop('192.0.2.1'),
                        atomic_aggregate(), aggregator(65002, '192.0.2.254', asn4=False)], nlri=NET)),
    ('AGGREGATOR 6-byte (23456, 192.0.2.254) + AS4_AGGREGATOR (4200000002, 192.0.2.254)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001, 23456])], E2), next_hop('192.0.2.1'),
                        aggregator(23456, '192.0.2.254', asn4=False),
                        as4_path([(AS_SEQUENCE, [4200000001])]), as4_aggregator(4200000002, '192.0.2.254')],
            nlri=NET)),
    ('AGGREGATOR 6-byte (23456, 192.0.2.254) + AS4_AGGREGATOR with a different address (4200000002, 198.51.100.1)',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])], E2), next_hop('192.0.2.1'),
                        aggregator(23456, '192.0.2.254', asn4=False), as4_aggregator(4200000002, '198.51.100.1')],
            nlri=NET)),
    ('AS4_AGGREGATOR with AGGREGATOR not AS_TRANS (65002): AS4_AGGREGATOR should be ignored',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])], E2), next_hop('192.0.2.1'),
                        aggregator(65002, '192.0.2.254', asn4=False), as4_aggregator(4200000002, '198.51.100.1')],
            nlri=NET)),
    ('2-byte eBGP with MED, communities, large communities',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])], E2), next_hop('192.0.2.1'), med(1),
                        communities([(65001, 7), 0xFFFF029A]), large_communities([(4200000001, 1, 1)])], nlri=NET)),
    ('IPv6 MP_REACH with 2-byte AS_PATH',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])], E2),
                        mp_reach(2, 1, ['2001:db8::1'], NET6)])),
    ('End-of-RIB IPv4 unicast', eor_ipv4()),
]

PI = [(1, '10.0.0.0/24'), (2, '10.0.0.0/24'), (4294967295, '10.0.1.0/24'), (0, '0.0.0.0/0')]

CASES['addpath'] = [
    ('add-path IPv4 announce: path ids 1 and 2 for 10.0.0.0/24, 4294967295 for 10.0.1.0/24, 0 for 0.0.0.0/0',
     update(attributes=BASE_IBGP, nlri=prefixes(PI))),
    ('add-path IPv4 withdraw: path ids 1 and 2 for 10.0.0.0/24, 7 for 10.0.2.0/23',
     update(withdrawn=prefixes([(1, '10.0.0.0/24'), (2, '10.0.0.0/24'), (7, '10.0.2.0/23')]))),
    ('add-path IPv4 withdraw (path id 3) and announce (path id 4) in one message',
     update(withdrawn=prefixes([(3, '10.9.0.0/16')]), attributes=BASE_IBGP, nlri=prefixes([(4, '10.0.0.0/24')]))),
    ('add-path IPv6 MP_REACH (32-byte next hop) path ids 1 and 2 for 2001:db8:1::/48, 9 for ::/0',
     update(attributes=[ORIGIN_IGP, as_path([(AS_SEQUENCE, [65001])]), local_pref(100),
                        mp_reach(2, 1, ['2001:db8::1', 'fe80::1'],
                                 prefixes([(1, '2001:db8:1::/48'), (2, '2001:db8:1::/48'), (9, '::/0')]))])),
    ('add-path IPv6 MP_UNREACH path ids 1 and 2 for 2001:db8:1::/48',
     update(attributes=[mp_unreach(2, 1, prefixes([(1, '2001:db8:1::/48'), (2, '2001:db8:1::/48')]))])),
    ('add-path IPv4 unicast MP_UNREACH path id 5 for 10.0.0.0/24',
     update(attributes=[mp_unreach(1, 1, prefixes([(5, '10.0.0.0/24')]))])),
    ('add-path IPv4 announce with communities and MED',
     update(attributes=BASE_IBGP + [med(20), communities([(65533, 1)])], nlri=prefixes([(10, '10.0.0.0/24')]))),
    ('End-of-RIB IPv4 unicast under add-path', eor_ipv4()),
    ('End-of-RIB IPv6 unicast under add-path', eor_mp(2, 1)),
]

# --------------------------------------------------------------------------
# running exabgp

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r'^\d\d:\d\d:\d\d \| +\d+ +\| (\S[^|]*?) +\| ?(.*)$')


def escape(line):
    """control characters (other than tab) as \\xNN so that every record stays on one line"""
    return ''.join(c if c == '\t' or 32 <= ord(c) != 127 else '\\x%02x' % ord(c) for c in line)


def decode(conf, hexstr):
    proc = subprocess.run(['exabgp', conf, '--decode', hexstr], cwd=HERE, capture_output=True, timeout=60)
    output = (proc.stdout + proc.stderr).decode('utf-8', 'backslashreplace')
    # split on newlines only (str.splitlines would also split on \v and \f, which NOTIFICATION data can hold)
    text, json, errors, other = [], [], [], []
    for raw in output.split('\n'):
        raw = escape(raw)
        m = LINE.match(raw)
        if not m:
            if raw.strip():
                other.append(raw)
            continue
        source, line = m.group(1).strip(), m.group(2)
        if source != 'parser':
            continue
        if line.startswith('decoded update '):
            text.append(line[len('decoded update '):])
        elif line.startswith('update json '):
            json.append(line[len('update json '):])
        elif line.strip() and not line.startswith(('decoding routes in configuration', 'the message is an update',
                                                    'header missing')):
            errors.append(line.rstrip())
    return proc.returncode, text, json, errors, other


def run():
    for stem, cases in CASES.items():
        conf = stem + '.conf'
        out = [
            '# ExaBGP 4.2.21 (Debian 12 package 4.2.21-1.1) decoding of hand-crafted messages (gen.py)',
            '# command: exabgp %s --decode <hex>   (run from tests/conformance/exabgp-extra)' % conf,
            '# per message: "# case:" what the message holds, "hex:" the message, "text:" the route line(s)',
            '# ExaBGP logged, "json:" the JSON it logged (time/host/pid/ppid/counter vary from run to run),',
            '# "note:" what happened when ExaBGP produced no update',
            '',
        ]
        for name, data in cases:
            hexstr = data.hex().upper()
            rc, text, json, errors, other = decode(conf, hexstr)
            out.append('# case: ' + name)
            out.append('hex: ' + hexstr)
            for t in text:
                out.append('text: ' + t)
            for j in json:
                out.append('json: ' + j)
            if not json:
                detail = []
                if other:
                    detail.append('stdout: ' + ' / '.join(other))
                if errors:
                    detail.append('log: ' + ' / '.join(errors[:1] + errors[-1:]))
                out.append('note: exabgp --decode printed no update for this message (exit status %d)%s' % (
                    rc, ('; ' + '; '.join(detail)) if detail else ''))
            elif errors or rc:
                out.append('note: exit status %d; %s' % (rc, ' / '.join(errors[:1] + errors[-1:])))
            out.append('')
            sys.stderr.write('%s %-3d %s\n' % (stem, rc, name[:70]))
        with open(os.path.join(HERE, stem + '.decode'), 'w') as f:
            f.write('\n'.join(out))


if __name__ == '__main__':
    if '--run' in sys.argv:
        run()
    else:
        for stem, cases in CASES.items():
            for name, data in cases:
                print('%s\t%s\t%s' % (stem, data.hex().upper(), name))
