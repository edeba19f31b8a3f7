/* src/api/web/app.js - the web view: draws the topology, shows routes on click. */
/*
 * Reads only vrsd's API, as any client does: GET /v1/topology and
 * /v1/peers every POLL_MS, and for what is clicked the ARM-shaped
 * resources of api/arm.c (a NIC's effectiveRouteTable and explain, a
 * route server peer's learnedRoutes and advertisedRoutes, a gateway's
 * getLearnedRoutes, getAdvertisedRoutes and getBgpPeerStatus).  The
 * page is built with DOM calls and textContent only: names from the API
 * never become markup.  With http-token-file set, the token comes once
 * as #token= (or ?token=), is kept in sessionStorage and sent as
 * "Authorization: Bearer".
 */
'use strict';

(() => {
  const POLL_MS = 2000;
  const EXPLAIN_MAX = 64;       /* rows of a NIC explained */
  const EXPLAIN_AGAIN_MS = 10000;
  const SVGNS = 'http://www.w3.org/2000/svg';
  const GRAPH_SCALE = 1.1;
  const SUB = '00000000-0000-0000-0000-000000000000';

  let token = null;
  let topo = null;
  let peers = [];
  let m = null;                 /* the model of topo (model()) */
  let graphKey = '';
  let sel = null;               /* {kind, name}: what the detail shows */
  let seq = 0;                  /* drops answers for an older selection */
  let shown = { sel: '', key: '', rows: {} };
  let expl = { nic: '', key: '', at: 0, map: {} };

  /* ---- the API ---- */

  function takeToken() {
    const h = new URLSearchParams(location.hash.slice(1));
    const q = new URLSearchParams(location.search);
    const t = h.get('token') || q.get('token');

    if (t) {
      sessionStorage.setItem('vrs-token', t);
      /* out of the address bar and the history */
      history.replaceState(null, '', location.pathname);
    }
    token = sessionStorage.getItem('vrs-token');
  }

  function needToken() {
    const box = document.getElementById('auth');

    if (!box.hidden)
      return;
    box.hidden = false;
    document.getElementById('token').focus();
  }

  function useToken() {
    const v = document.getElementById('token').value.trim();

    if (v === '')
      return;
    sessionStorage.setItem('vrs-token', v);
    token = v;
    document.getElementById('token').value = '';
    document.getElementById('auth').hidden = true;
    poll();
  }

  async function call(method, path) {
    const headers = { Accept: 'application/json' };
    let r, j = null;

    if (token)
      headers.Authorization = 'Bearer ' + token;
    r = await fetch(path, { method, headers, cache: 'no-store',
      credentials: 'omit', redirect: 'error' });
    if (r.status === 401) {
      needToken();
      throw new Error('vrsd wants its token (http-token-file)');
    }
    try {
      j = await r.json();
    } catch (e) {
      throw new Error(`${method} ${path}: HTTP ${r.status}`);
    }
    if (!r.ok)
      throw new Error((j && j.error && j.error.message) ||
        `${method} ${path}: HTTP ${r.status}`);
    return j;
  }

  /* R/{type}/{name}{rest}, api/api.h's ARM paths */
  function arm(type, name, rest) {
    const rg = encodeURIComponent(topo.resourceGroup || 'lab');

    return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/` +
      `Microsoft.Network/${type}/${encodeURIComponent(name)}${rest || ''}`;
  }

  /* ---- DOM helpers ---- */

  function put(e, k, v) {
    if (v === null || v === undefined || v === false)
      return;
    if (k === 'on')
      for (const [ev, fn] of Object.entries(v))
        e.addEventListener(ev, fn);
    else if (k === 'data')
      for (const [dk, dv] of Object.entries(v))
        e.dataset[dk] = dv;
    else
      e.setAttribute(k, v);
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);

    for (const [k, v] of Object.entries(attrs || {}))
      put(e, k, v);
    for (const c of kids.flat(Infinity))
      if (c !== null && c !== undefined && c !== false)
        e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function sv(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);

    for (const [k, v] of Object.entries(attrs || {}))
      put(e, k, v);
    for (const c of kids.flat())
      if (c !== null && c !== undefined && c !== false)
        e.append(c instanceof Node ? c : String(c));
    return e;
  }

  /* a state; kind (bgp, route, peering, gw) says which ones are good */
  function badge(state, kind) {
    return el('span', { class: `badge ${kind}-` +
      String(state).replace(/\W/g, '') }, state);
  }

  function link(text, to) {
    return el('a', { class: 'go', on: { click: () => select(to) } }, text);
  }

  /* a table; rows are [cells, {key, class, data, click}] */
  function table(id, heads, rows) {
    const body = el('tbody');
    const prev = shown.rows[id];
    const now = {};

    for (const [cells, o] of rows) {
      const cls = [];
      const key = o.key || JSON.stringify(cells.map(
        c => c instanceof Node ? c.textContent : c));
      now[key] = true;
      if (prev && !prev[key])
        cls.push('fresh');
      if (o.click)
        cls.push('click');
      if (o.class)
        cls.push(o.class);
      body.append(el('tr', { class: cls.join(' ') || null, data: o.data,
        on: o.click ? { click: o.click } : null },
      cells.map((c, i) => el('td', { class: (heads[i][1] || null) }, c))));
      /* a second row across the table, under it: an explanation */
      if (o.sub)
        body.append(el('tr', { class: ['why', ...cls.filter(c => c ===
          'fresh')].join(' '), data: o.subData },
        el('td', { colspan: heads.length }, o.sub)));
    }
    shown.next[id] = now;
    return el('table', { id },
      el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h[0])))),
      body);
  }

  /* ---- the model: topo's resources, by VNet ---- */

  function idPart(id, type) {
    const p = String(id || '').split('/');
    const i = p.indexOf(type);

    return i >= 0 && i + 1 < p.length ? p[i + 1] : null;
  }

  function model(t) {
    const r = { vnets: [], box: {}, nics: [], rs: {}, gws: {}, sites: {},
      top: [], byIp: {} };

    for (const v of t.virtualNetworks || []) {
      const b = { name: v.name, v, nics: [], rs: [], gws: [], kind: 'vnet' };
      r.vnets.push(b);
      r.box[v.name] = b;
    }
    for (const n of t.networkInterfaces || []) {
      const ipcs = n.ipConfigurations || [];
      const ipc = ipcs.find(c => c.primary) || ipcs[0] || {};
      const sid = (ipc.subnet || {}).id;
      const nic = { kind: 'nic', name: n.name, ip: ipc.privateIPAddress || '',
        vnet: idPart(sid, 'virtualNetworks'), subnet: idPart(sid, 'subnets'),
        fwd: !!n.enableIPForwarding, conns: [] };
      r.nics.push(nic);
      r.byIp[nic.ip] = nic;
      if (r.box[nic.vnet])
        r.box[nic.vnet].nics.push(nic);
    }
    for (const h of t.virtualHubs || []) {
      const sid = (((h.ipConfigurations || [])[0] || {}).subnet || {}).id;
      const rs = { kind: 'rs', name: h.name, asn: h.virtualRouterAsn,
        ips: h.virtualRouterIps || [], b2b: !!h.allowBranchToBranchTraffic,
        pref: h.hubRoutingPreference || '', vnet: idPart(sid,
          'virtualNetworks'), conns: h.bgpConnections || [], pills: [] };
      r.rs[rs.name] = rs;
      if (r.box[rs.vnet])
        r.box[rs.vnet].rs.push(rs);
    }
    for (const g of t.virtualNetworkGateways || []) {
      const sid = (((g.ipConfigurations || [])[0] || {}).subnet || {}).id;
      const bgp = g.bgpSettings || {};
      const gw = { kind: 'gw', name: g.name, type: g.gatewayType || 'Vpn',
        asn: bgp.asn, ip: bgp.bgpPeeringAddress || '',
        bgp: g.enableBgp !== false, aa: !!g.activeActive,
        vnet: idPart(sid, 'virtualNetworks') };
      r.gws[gw.name] = gw;
      if (r.box[gw.vnet])
        r.box[gw.vnet].gws.push(gw);
    }
    for (const s of t.localNetworkGateways || []) {
      const bgp = s.bgpSettings || {};
      const site = { kind: 'site', name: s.name, ip: s.gatewayIpAddress || '',
        asn: bgp.asn, bgpIp: bgp.bgpPeeringAddress || '',
        prefixes: (s.localNetworkAddressSpace || {}).addressPrefixes || [],
        what: 'on-premises site' };
      r.sites[site.name] = site;
      r.top.push(site);
    }
    /* circuits are named only by the connections to them */
    for (const c of t.connections || []) {
      const name = idPart((c.peer || {}).id, 'expressRouteCircuits');
      if (!name || r.sites[name])
        continue;
      const site = { kind: 'site', name, ip: '', asn: null, bgpIp: '',
        prefixes: [], what: 'ExpressRoute circuit' };
      r.sites[name] = site;
      r.top.push(site);
    }
    for (const rs of Object.values(r.rs))
      for (const c of rs.conns) {
        const nic = r.byIp[c.peerIp];
        if (nic) {
          nic.conns.push({ rs: rs.name, name: c.name, asn: c.peerAsn });
          continue;
        }
        const ext = { kind: 'site', name: c.name, ip: c.peerIp, asn: c.peerAsn,
          bgpIp: c.peerIp, prefixes: [], what: 'BGP peer of ' + rs.name,
          rs: rs.name };
        r.sites['conn:' + rs.name + '/' + c.name] = ext;
        r.top.push(ext);
      }
    return r;
  }

  /* ---- the graph ---- */

  const G = { nicW: 160, nicH: 50, rsW: 290, rsH: 100, gwW: 210, gwH: 100,
    siteW: 210, siteH: 58, gap: 16, pad: 16, head: 46, pillW: 112,
    pillH: 24, margin: 14, rowGap: 92 };

  function boxSize(b) {
    const ni = b.rs.length + b.gws.length;
    const infraW = b.rs.length * G.rsW + b.gws.length * G.gwW +
      Math.max(0, ni - 1) * G.gap * 2;
    const nicW = b.nics.length * G.nicW + Math.max(0, b.nics.length - 1) *
      G.gap;

    b.w = Math.max(250, infraW, nicW) + 2 * G.pad;
    b.h = G.head + (ni ? G.rsH + 56 : 0) + (b.nics.length ? G.nicH + G.pad :
      0) + (ni || b.nics.length ? 0 : 8);
  }

  /* lay items (with .w) out in a row centred in width, at y */
  function row(items, width, y, gap) {
    const w = items.reduce((s, b) => s + b.w, 0) +
      Math.max(0, items.length - 1) * gap;
    let x = (width - w) / 2;

    for (const b of items) {
      b.x = x;
      b.y = y;
      x += b.w + gap;
    }
  }

  function layout(r) {
    const hubs = r.vnets.filter(b => b.rs.length || b.gws.length);
    const rest = r.vnets.filter(b => !(b.rs.length || b.gws.length));
    const rows = [];
    let width, y = G.margin;

    r.vnets.forEach(boxSize);
    for (const s of r.top) {
      s.w = G.siteW;
      s.h = G.siteH;
    }
    if (r.top.length)
      rows.push([r.top, 40]);
    if (hubs.length && rest.length)
      rows.push([hubs, 60], [rest, 48]);
    else
      rows.push([r.vnets, 48]);
    width = Math.max(600, ...rows.map(([it, gap]) => it.reduce((s, b) =>
      s + b.w, 0) + Math.max(0, it.length - 1) * gap)) + 2 * G.margin;
    for (const [it, gap] of rows) {
      const h = Math.max(0, ...it.map(b => b.h));
      row(it, width, y, gap);
      y += h + G.rowGap;
    }
    for (const b of r.vnets) {
      const infra = [...b.rs.map(x => Object.assign(x, { w: G.rsW,
        h: G.rsH })), ...b.gws.map(x => Object.assign(x, { w: G.gwW,
        h: G.gwH }))];
      let ny = b.y + G.head;
      if (infra.length) {
        row(infra, b.w, ny, G.gap * 2);
        infra.forEach(x => { x.x += b.x; });
        ny += G.rsH + 56;
      }
      for (const n of b.nics) {
        n.w = G.nicW;
        n.h = G.nicH;
      }
      row(b.nics, b.w, ny, G.gap);
      b.nics.forEach(x => { x.x += b.x; });
      for (const rs of b.rs)
        rs.pills = rs.ips.map((ip, k) => ({ ip, k,
          x: rs.x + rs.w * (2 * k + 1) / (2 * rs.ips.length) - G.pillW / 2,
          y: rs.y + rs.h - G.pillH / 2, w: G.pillW, h: G.pillH }));
    }
    return { w: width, h: y - G.rowGap + G.margin };
  }

  function text(x, y, cls, s, anchor) {
    return sv('text', { x, y, class: cls, 'text-anchor': anchor || 'middle' },
      s);
  }

  /* lines of text centred at x from y down, on a white tag */
  function tag(g, x, y, lines) {
    const t = lines.map((s, i) => text(x, y + i * 15, 'small', s));
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;

    t.forEach(e => g.append(e));
    for (const e of t) {
      const bb = e.getBBox();
      x0 = Math.min(x0, bb.x);
      y0 = Math.min(y0, bb.y);
      x1 = Math.max(x1, bb.x + bb.width);
      y1 = Math.max(y1, bb.y + bb.height);
    }
    if (t.length && isFinite(x0))
      g.insertBefore(sv('rect', { class: 'tag', x: x0 - 6, y: y0 - 3,
        width: x1 - x0 + 12, height: y1 - y0 + 6, rx: 4 }), t[0]);
  }

  function isSel(kind, name) {
    return sel && sel.kind === kind && sel.name === name;
  }

  function node(o, cls, lines, to) {
    const g = sv('g', { class: 'node ' + cls + (isSel(to.kind, to.name) ?
      ' selected' : ''), data: { kind: o.kind, name: o.name },
    on: { click: ev => { ev.stopPropagation(); select(to); } } },
    sv('rect', { x: o.x, y: o.y, width: o.w, height: o.h, rx: 6 }),
    sv('title', {}, lines.join('\n')));

    lines.forEach((s, i) => g.append(text(o.x + o.w / 2, o.y + 19 + i * 16,
      i ? 'small' : 'title', s)));
    return g;
  }

  function peeringFlags(p) {
    const f = [p.allowVirtualNetworkAccess ? 'access' : 'no access'];

    if (p.allowForwardedTraffic)
      f.push('forwarded');
    if (p.allowGatewayTransit)
      f.push('gateway transit');
    if (p.useRemoteGateways)
      f.push('uses remote gateways');
    if (p.peeringState && p.peeringState !== 'Connected')
      f.push(p.peeringState);
    return f.join(', ');
  }

  function drawPeerings(r, svg) {
    const pairs = {};

    for (const b of r.vnets)
      for (const p of b.v.virtualNetworkPeerings || []) {
        const rn = idPart((p.remoteVirtualNetwork || {}).id,
          'virtualNetworks');
        if (!r.box[rn])
          continue;
        const k = [b.name, rn].sort().join('\u0000');
        (pairs[k] = pairs[k] || { a: b, b: r.box[rn], sides: [] })
          .sides.push({ from: b.name, to: rn, p });
      }
    const below = {};
    for (const pr of Object.values(pairs)) {
      if (pr.a.y > pr.b.y)
        [pr.a, pr.b] = [pr.b, pr.a];
      if (pr.a.y < pr.b.y)
        (below[pr.a.name] = below[pr.a.name] || []).push(pr);
    }
    for (const list of Object.values(below))
      list.sort((u, v) => u.b.x - v.b.x).forEach((pr, i) => {
        pr.ax = pr.a.x + pr.a.w * (i + 1) / (list.length + 1);
      });
    for (const pr of Object.values(pairs)) {
      const ok = pr.sides.length === 2 && pr.sides.every(s =>
        (s.p.peeringState || 'Connected') === 'Connected');
      const lines = pr.sides.map(s => `${s.from} \u2192 ${s.to}: ` +
        peeringFlags(s.p));
      let x1, y1, x2, y2, lx, ly;
      if (pr.a.y < pr.b.y) {
        x1 = pr.ax;
        y1 = pr.a.y + pr.a.h;
        x2 = pr.b.x + pr.b.w / 2;
        y2 = pr.b.y;
        lx = x2;
        ly = y2 - 10 - 15 * (lines.length - 1);
      } else {
        const [l, rt] = pr.a.x < pr.b.x ? [pr.a, pr.b] : [pr.b, pr.a];
        x1 = l.x + l.w;
        y1 = l.y + 30;
        x2 = rt.x;
        y2 = rt.y + 30;
        lx = (x1 + x2) / 2;
        ly = y1 - 8 - 15 * lines.length;
      }
      const g = sv('g', { class: 'peering-g',
        data: { peering: pr.a.name + '|' + pr.b.name } },
      sv('line', { x1, y1, x2, y2, class: 'peering' + (ok ? '' :
        ' notconnected') }),
      sv('title', {}, lines.join('\n')));
      svg.append(g);
      tag(g, lx, ly, lines);
    }
  }

  /*
   * session name -> [end, end], each {x, y, vx, vy}: where the line
   * ends and the way it leaves.  The NVAs below a route server reach its
   * instances from under them, its gateways from its side, above them.
   */
  function sessionEnds(r, name) {
    const p = name.split('/');
    const inst = s => /^IN_(\d+)$/.test(s) ? Number(s.slice(3)) : -1;
    const pill = (rs, k, top) => {
      const q = rs.pills[k];
      return q ? { x: q.x + q.w / 2, y: top ? q.y : q.y + q.h, vx: 0,
        vy: top ? -1 : 1, bend: top ? 16 : 0,
        id: 'pill:' + rs.name + '/' + k } : null;
    };
    const up = (o, id) => ({ x: o.x + o.w / 2, y: o.y, vx: 0, vy: -1, id });
    const down = (o, id) => ({ x: o.x + o.w / 2, y: o.y + o.h, vx: 0, vy: 1,
      id });
    const side = (g, rs) => {
      const left = g.x > rs.x;
      return { x: left ? g.x : g.x + g.w, y: g.y + g.h - 30,
        vx: left ? -1 : 1, vy: 0, id: 'gws:' + g.name };
    };
    let a = null, b = null;

    if (r.rs[p[0]] && p.length === 3) {
      const rs = r.rs[p[0]];
      const c = rs.conns.find(x => x.name === p[2]);
      const nic = c && r.byIp[c.peerIp];
      const ext = r.sites['conn:' + rs.name + '/' + p[2]];
      if (nic) {
        a = pill(rs, inst(p[1]), false);
        b = up(nic, 'nic:' + nic.name);
      } else if (ext) {
        a = pill(rs, inst(p[1]), true);
        b = down(ext, 'site:' + ext.name);
      } else if (r.gws[p[2]]) {
        a = pill(rs, inst(p[1]), true);
        b = side(r.gws[p[2]], rs);
      }
    } else if (r.gws[p[0]] && p.length === 3 && r.rs[p[1]]) {
      a = pill(r.rs[p[1]], inst(p[2]), true);
      b = side(r.gws[p[0]], r.rs[p[1]]);
    } else if (r.gws[p[0]] && p.length === 2 && r.sites[p[1]]) {
      a = up(r.gws[p[0]], 'gwt:' + p[0]);
      b = down(r.sites[p[1]], 'site:' + p[1]);
    }
    return a && b ? [a, b] : null;
  }

  function drawSessions(r, svg) {
    const edges = {};

    for (const s of peers) {
      const ends = sessionEnds(r, s.name);
      if (!ends)
        continue;
      const k = ends.map(e => e.id).sort().join('|');
      (edges[k] = edges[k] || { ends, names: [], states: [] });
      edges[k].names.push(s.name);
      edges[k].states.push(s.state);
    }
    for (const e of Object.values(edges)) {
      const [a, b] = e.ends;
      const bend = Math.max(24, Math.hypot(a.x - b.x, a.y - b.y) / 3);
      const ba = Math.min(bend, a.bend || bend);
      const bb = Math.min(bend, b.bend || bend);
      const d = `M${a.x},${a.y} C${a.x + a.vx * ba},${a.y + a.vy * ba} ` +
        `${b.x + b.vx * bb},${b.y + b.vy * bb} ${b.x},${b.y}`;
      const est = e.states.every(s => s === 'Established');
      const tip = e.names.map((n, i) => `${n}: ${e.states[i]}`).join('\n');
      const g = sv('g', { class: 'sess-g', data: { sessions: e.names.join(' '),
        state: est ? 'Established' : e.states.find(s => s !== 'Established') },
      on: { click: ev => { ev.stopPropagation(); select({ kind: 'session',
        name: e.names[0] }); } } },
      sv('path', { d, class: 'sess ' + (est ? 'est' : 'down') }),
      sv('path', { d, class: 'sess-hit' }),
      sv('title', {}, tip));
      if (!est)
        g.append(text((a.x + b.x) / 2, (a.y + b.y) / 2 + 4, 'sess-label halo',
          [...new Set(e.states.filter(s => s !== 'Established'))].join('/')));
      svg.append(g);
    }
  }

  function drawGraph() {
    const svg = document.getElementById('graph');
    const key = JSON.stringify([topo, peers.map(p => [p.name, p.state]), sel]);

    if (key === graphKey)
      return;
    graphKey = key;
    m = model(topo);
    const size = layout(m);
    const parts = [];

    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${size.w} ${size.h}`);
    /* a little over natural size: the text reads at 14-17 px */
    svg.setAttribute('width', Math.round(size.w * GRAPH_SCALE));
    svg.setAttribute('height', Math.round(size.h * GRAPH_SCALE));
    for (const b of m.vnets) {
      const pfx = ((b.v.addressSpace || {}).addressPrefixes || []).join(', ');
      const g = sv('g', { class: 'vnet' + (isSel('vnet', b.name) ?
        ' selected' : ''), data: { vnet: b.name } },
      sv('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 10 }));
      const head = sv('g', { class: 'vnet-head', on: { click: () =>
        select({ kind: 'vnet', name: b.name }) } },
      sv('rect', { x: b.x, y: b.y, width: b.w, height: 30, fill: 'transparent' }),
      text(b.x + 12, b.y + 21, 'title', b.name, 'start'),
      text(b.x + b.w - 12, b.y + 21, 'small', 'VNet ' + pfx, 'end'));
      g.append(head);
      parts.push(g);
    }
    parts.forEach(g => svg.append(g));
    drawPeerings(m, svg);
    for (const b of m.vnets) {
      for (const rs of b.rs) {
        const g = node(rs, 'rs', [`${rs.name} \u00b7 route server`,
          `AS ${rs.asn} \u00b7 branch-to-branch ${rs.b2b ? 'on' : 'off'}`],
        { kind: 'rs', name: rs.name });
        svg.append(g);
      }
      for (const gw of b.gws)
        svg.append(node(gw, 'gw', [`${gw.name} \u00b7 ${gw.type} gateway`,
          `AS ${gw.asn || '-'} \u00b7 ${gw.ip || 'no BGP'}`,
          gw.aa ? 'active-active' : ''].filter(Boolean),
        { kind: 'gw', name: gw.name }));
      for (const n of b.nics) {
        const nva = n.conns.length > 0 || n.fwd;
        svg.append(node(n, 'nic' + (nva ? ' nva' : ''), [n.name,
          `${n.ip} \u00b7 ${n.subnet || ''}${nva ? ' \u00b7 NVA' : ''}`],
        { kind: 'nic', name: n.name }));
      }
    }
    for (const s of m.top) {
      const sess = siteSession(s);
      svg.append(node(s, 'site', [s.name, `${s.what} \u00b7 AS ${s.asn ||
        '-'}`, s.bgpIp || s.ip], sess ? { kind: 'session', name: sess } :
        { kind: 'site', name: s.name }));
    }
    drawSessions(m, svg);
    /* the instances on top of the lines that end at them */
    for (const rs of Object.values(m.rs))
      for (const q of rs.pills) {
        const g = sv('g', { class: 'pill' + (isSel('rs', rs.name) ?
          ' selected' : ''), data: { instance: `${rs.name}/IN_${q.k}` },
        on: { click: ev => { ev.stopPropagation(); select({ kind: 'rs',
          name: rs.name }); } } },
        sv('rect', { x: q.x, y: q.y, width: q.w, height: q.h, rx: 11 }),
        text(q.x + q.w / 2, q.y + 16, 'small', `IN_${q.k} ${q.ip}`));
        svg.append(g);
      }
    /* mark the selected node */
    for (const g of svg.querySelectorAll('.node'))
      if (sel && g.dataset.name === sel.name && (g.dataset.kind ===
        sel.kind))
        g.classList.add('selected');
  }

  /* the gateway session that carries a site's BGP, if any */
  function siteSession(s) {
    if (s.rs)
      return peers.some(p => p.name === `${s.rs}/IN_0/${s.name}`) ?
        `${s.rs}/IN_0/${s.name}` : null;
    const p = peers.find(x => x.name.split('/').length === 2 &&
      x.name.split('/')[1] === s.name);
    return p ? p.name : null;
  }

  /* ---- the sessions table ---- */

  function drawSessionsTable() {
    const rows = peers.slice().sort((a, b) => a.name < b.name ? -1 :
      a.name > b.name ? 1 : 0).map(p => [[p.name, p.address, p.asn,
      badge(p.state, 'bgp'), p.state === 'Established' ? dur(p.uptime) : '',
      p.prefixesReceived, p.prefixesSent], { key: p.name, data: {
      session: p.name, state: p.state }, class: isSel('session', p.name) ?
      'sel' : null, click: () => select({ kind: 'session', name: p.name }) }]);
    const heads = [['Session'], ['Peer'], ['AS', 'num'], ['State', 'state'],
      ['Up', 'num'], ['Rcvd', 'num'], ['Sent', 'num']];
    const old = document.getElementById('sessions');
    const saved = shown.next;

    shown.next = {};
    const t = table('sessions', heads, rows);
    shown.next = saved;
    old.replaceWith(rows.length ? t : el('p', { id: 'sessions',
      class: 'hint' }, 'no BGP sessions'));
  }

  function dur(s) {
    s = Number(s) || 0;
    if (s < 120)
      return s + ' s';
    if (s < 7200)
      return Math.floor(s / 60) + ' min';
    return Math.floor(s / 3600) + ' h';
  }

  /* ---- the detail pane: one view per kind ---- */

  function routeRows(list) {
    return list.map(x => [[x.network, x.nextHop, x.asPath, x.origin,
      x.sourcePeer || ''], { data: { prefix: x.network } }]);
  }

  const ROUTE_HEADS = [['Network'], ['Next hop', 'nh'], ['AS path'],
    ['Origin'], ['Source peer']];

  function facts(...f) {
    return el('p', { class: 'facts' }, f.filter(Boolean).join(' \u00b7 '));
  }

  async function viewNic(name) {
    const nic = m.nics.find(n => n.name === name);
    const t = await call('POST', arm('networkInterfaces', name,
      '/effectiveRouteTable'));
    const rows = t.value || [];
    const tkey = JSON.stringify(rows);

    if (expl.nic !== name || expl.key !== tkey ||
      Date.now() - expl.at > EXPLAIN_AGAIN_MS) {
      const map = {};
      await Promise.all(rows.slice(0, EXPLAIN_MAX).map(async r => {
        const p = (r.addressPrefix || [])[0];
        if (!p || map[p])
          return;
        try {
          map[p] = (await call('GET', arm('networkInterfaces', name,
            '/explain?prefix=' + encodeURIComponent(p)))).reasons || [];
        } catch (e) {
          map[p] = [{ rule: '', reason: e.message }];
        }
      }));
      expl = { nic: name, key: tkey, at: Date.now(), map };
    }
    const sess = nic ? nic.conns.flatMap(c => peers.filter(p =>
      p.name.startsWith(c.rs + '/') && p.name.endsWith('/' + c.name))) : [];
    return {
      title: 'NIC ' + name,
      key: JSON.stringify([rows, expl.map, sess.map(p => p.state)]),
      build: () => [
        nic ? facts(nic.ip, `${nic.vnet}/${nic.subnet}`,
          'IP forwarding ' + (nic.fwd ? 'on' : 'off')) : null,
        sess.length ? el('p', {}, 'BGP peer of the route server: ',
          sess.map((p, i) => [i ? ', ' : '', link(p.name, { kind: 'session',
            name: p.name }), ' ', badge(p.state, 'bgp')])) : null,
        el('h3', { class: 'sub' }, `Effective routes (${rows.length})`),
        table('routes', [['Source'], ['State'], ['Address prefix', 'prefix'],
          ['Next hop type'], ['Next hop IP', 'nh']],
        rows.map(r => {
          const p = (r.addressPrefix || []).join(', ');
          const why = expl.map[(r.addressPrefix || [])[0]] || [];
          return [[r.source, badge(r.state, 'route'), p, r.nextHopType,
            (r.nextHopIpAddress || []).join(', ')],
          { key: JSON.stringify([r.source, r.state, p, r.nextHopType,
            r.nextHopIpAddress]), data: { prefix: p }, class: 'route',
          subData: { why: p }, sub: el('ul', { class: 'why' }, why.map(w =>
            el('li', {}, el('span', { class: 'rule' }, w.rule), ' ',
              w.reason))) }];
        })),
      ],
    };
  }

  /* where the routes of session name are read, and how */
  async function sessionRoutes(s) {
    const p = s.name.split('/');
    const rs = m.rs[p[0]], gw = m.gws[p[0]];
    const pick = (j, k) => (j && j['RouteServiceRole_IN_' + k]) || [];

    if (rs && p.length === 3 && rs.conns.some(c => c.name === p[2])) {
      const k = p[1].slice(3);
      const base = arm('virtualHubs', rs.name, '/bgpConnections/' +
        encodeURIComponent(p[2]));
      const [l, a] = await Promise.all([call('POST', base + '/learnedRoutes'),
        call('POST', base + '/advertisedRoutes')]);
      return { how: `list-learned-routes and list-advertised-routes of ` +
        `${rs.name} peering ${p[2]}, RouteServiceRole_IN_${k}`,
      learned: pick(l, k), advertised: pick(a, k) };
    }
    if (rs && p.length === 3 && m.gws[p[2]]) {
      /* the instance's session with a gateway, as the gateway tells it */
      const ip = rs.ips[Number(p[1].slice(3))];
      const g = m.gws[p[2]];
      const [l, a] = await Promise.all([call('POST', arm(
        'virtualNetworkGateways', g.name, '/getLearnedRoutes')), call('POST',
        arm('virtualNetworkGateways', g.name, '/getAdvertisedRoutes?peer=' +
          encodeURIComponent(ip)))]);
      return { how: `${g.name}'s list-advertised-routes --peer ${ip} and ` +
        `list-learned-routes from ${ip}`, learned: a.value || [],
      advertised: (l.value || []).filter(x => x.sourcePeer === ip) };
    }
    if (gw) {
      const [l, a] = await Promise.all([call('POST', arm(
        'virtualNetworkGateways', gw.name, '/getLearnedRoutes')), call('POST',
        arm('virtualNetworkGateways', gw.name, '/getAdvertisedRoutes?peer=' +
          encodeURIComponent(s.address)))]);
      return { how: `${gw.name}'s list-learned-routes from ${s.address} and ` +
        `list-advertised-routes --peer ${s.address}`,
      learned: (l.value || []).filter(x => x.sourcePeer === s.address),
      advertised: a.value || [] };
    }
    const q = '/v1/routes?peer=' + encodeURIComponent(s.name);
    const [l, a] = await Promise.all([call('GET', q),
      call('GET', q + '&advertised=1')]);
    const conv = x => ({ network: x.prefix, nextHop: x.nextHop,
      asPath: (x.asPath || []).join(' '), origin: x.origin, sourcePeer: x.peer });
    return { how: 'GET /v1/routes?peer=' + s.name, learned: l.map(conv),
      advertised: a.map(conv) };
  }

  async function viewSession(name) {
    const s = peers.find(p => p.name === name);

    if (!s)
      return { title: 'Session ' + name, key: 'gone',
        build: () => el('p', { class: 'hint' }, 'no such session (any more)') };
    const r = await sessionRoutes(s);
    const who = name.split('/');
    const me = who.slice(0, -1).join('/'), them = who[who.length - 1];
    return {
      title: 'Session ' + name,
      key: JSON.stringify([s.state, s.lastError, r]),
      build: () => [
        el('p', {}, `peer ${s.address} AS ${s.asn} `, badge(s.state, 'bgp'),
          s.state === 'Established' ? ` up ${dur(s.uptime)}` : '',
          s.lastError ? ` \u00b7 last error: ${s.lastError}` : ''),
        facts(`updates in ${s.updatesIn}, out ${s.updatesOut}`,
          `flaps ${s.flaps}`, s.localAddress ? 'local ' + s.localAddress : '',
          'from ' + r.how),
        el('h3', { class: 'sub' }, `Learned routes: what ${me} learned from ` +
          `${them} (${r.learned.length})`),
        table('learned', ROUTE_HEADS, routeRows(r.learned)),
        el('h3', { class: 'sub' }, `Advertised routes: what ${me} sends ` +
          `${them} (${r.advertised.length})`),
        table('advertised', ROUTE_HEADS, routeRows(r.advertised)),
      ],
    };
  }

  function sessionsOf(prefix) {
    return peers.filter(p => p.name.startsWith(prefix + '/'));
  }

  function sessionTable(id, list) {
    return table(id, [['Session'], ['Peer'], ['AS', 'num'], ['State']],
      list.map(p => [[p.name, p.address, p.asn, badge(p.state, 'bgp')],
        { key: p.name, click: () => select({ kind: 'session',
          name: p.name }) }]));
  }

  async function viewRs(name) {
    const rs = m.rs[name];
    const list = sessionsOf(name);

    return {
      title: 'Route server ' + name,
      key: JSON.stringify([rs, list.map(p => [p.name, p.state])]),
      build: () => [
        facts(`AS ${rs.asn}`, rs.ips.map((ip, k) => `IN_${k} ${ip}`)
          .join(', '), 'branch-to-branch ' + (rs.b2b ? 'on' : 'off'),
        rs.pref ? 'routing preference ' + rs.pref : ''),
        el('h3', { class: 'sub' }, 'Sessions of its instances'),
        sessionTable('rs-sessions', list),
        el('h3', { class: 'sub' }, 'Peerings (bgpConnections)'),
        table('conns', [['Name'], ['Peer IP'], ['AS', 'num']],
          rs.conns.map(c => [[c.name, c.peerIp, c.peerAsn], {}])),
      ],
    };
  }

  async function viewGw(name) {
    const gw = m.gws[name];
    const [st, l] = await Promise.all([call('POST', arm(
      'virtualNetworkGateways', name, '/getBgpPeerStatus')), call('POST',
      arm('virtualNetworkGateways', name, '/getLearnedRoutes'))]);
    const list = sessionsOf(name);

    return {
      title: `${gw.type} gateway ${name}`,
      key: JSON.stringify([st, l, list.map(p => p.state)]),
      build: () => [
        facts(`AS ${gw.asn || '-'}`, 'BGP address ' + (gw.ip || '-'),
          gw.aa ? 'active-active' : ''),
        el('h3', { class: 'sub' }, 'BGP peers (list-bgp-peer-status)'),
        table('gw-peers', [['Neighbor'], ['AS', 'num'], ['State'],
          ['Routes received', 'num']], (st.value || []).map(p => {
          const s = list.find(x => x.address === p.neighbor);
          return [[p.neighbor, p.asn, badge(p.state, 'gw'), p.routesReceived],
            { key: p.neighbor, click: s ? () => select({ kind: 'session',
              name: s.name }) : null }];
        })),
        el('h3', { class: 'sub' }, `Learned routes (${(l.value || [])
          .length})`),
        table('learned', ROUTE_HEADS, routeRows(l.value || [])),
      ],
    };
  }

  async function viewVnet(name) {
    const b = m.box[name];
    const v = b.v;

    return {
      title: 'VNet ' + name,
      key: JSON.stringify(v),
      build: () => [
        facts('address space ' + ((v.addressSpace || {}).addressPrefixes ||
          []).join(', ')),
        el('h3', { class: 'sub' }, 'Subnets'),
        table('subnets', [['Name'], ['Prefix'], ['Route table']],
          (v.subnets || []).map(s => [[s.name, s.addressPrefix,
            idPart((s.routeTable || {}).id, 'routeTables') || ''], {}])),
        el('h3', { class: 'sub' }, 'Peerings'),
        table('peerings', [['Name'], ['Remote VNet'], ['State'], ['Flags']],
          (v.virtualNetworkPeerings || []).map(p => [[p.name, idPart(
            (p.remoteVirtualNetwork || {}).id, 'virtualNetworks'),
          badge(p.peeringState || '', 'peering'), peeringFlags(p)], {}])),
        el('h3', { class: 'sub' }, 'NICs'),
        table('vnet-nics', [['Name'], ['Address'], ['Subnet']],
          b.nics.map(n => [[n.name, n.ip, n.subnet], { click: () =>
            select({ kind: 'nic', name: n.name }) }])),
      ],
    };
  }

  async function viewSite(name) {
    const s = m.sites[name];

    return {
      title: s.what + ' ' + name,
      key: JSON.stringify(s),
      build: () => [facts(s.ip ? 'gateway ' + s.ip : '', `AS ${s.asn || '-'}`,
        s.bgpIp ? 'BGP ' + s.bgpIp : '', s.prefixes.join(', '))],
    };
  }

  const VIEWS = { nic: viewNic, session: viewSession, rs: viewRs, gw: viewGw,
    vnet: viewVnet, site: viewSite };

  async function drawDetail() {
    const my = seq;
    const pane = document.getElementById('detail');
    const title = document.getElementById('detail-title');
    const sk = sel ? sel.kind + ':' + sel.name : '';
    let v;

    if (!sel || !m)
      return;
    try {
      v = await VIEWS[sel.kind](sel.name);
    } catch (e) {
      if (my !== seq)
        return;
      title.textContent = sel.name;
      pane.replaceChildren(el('p', { class: 'hint' }, e.message));
      shown = { sel: sk, key: '', rows: {} };
      return;
    }
    if (my !== seq || (shown.sel === sk && shown.key === v.key))
      return;
    if (shown.sel !== sk)
      shown.rows = {};
    shown.next = {};
    const nodes = [v.build()].flat(2).filter(Boolean);
    title.textContent = v.title;
    pane.replaceChildren(...nodes);
    shown = { sel: sk, key: v.key, rows: shown.next };
  }

  function select(to) {
    sel = to;
    seq++;
    shown = { sel: '', key: '', rows: {} };
    if (topo) {
      drawGraph();
      drawSessionsTable();
    }
    drawDetail();
  }

  /* ---- the loop ---- */

  function status(cls, s) {
    const e = document.getElementById('status');

    e.className = 'status ' + cls;
    e.textContent = s;
  }

  let timer = null;
  async function poll() {
    clearTimeout(timer);
    try {
      const [t, p] = await Promise.all([call('GET', '/v1/topology'),
        call('GET', '/v1/peers')]);
      topo = t;
      peers = Array.isArray(p) ? p : [];
      document.getElementById('where').textContent =
        `${location.host} \u00b7 resource group ${topo.resourceGroup || '-'}`;
      drawGraph();
      drawSessionsTable();
      await drawDetail();
      status('ok', 'live \u00b7 ' + new Date().toLocaleTimeString());
    } catch (e) {
      status('bad', e.message);
    }
    timer = setTimeout(poll, POLL_MS);
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeToken();
    /* /#token= typed on an open page is no new load */
    window.addEventListener('hashchange', () => {
      if (!new URLSearchParams(location.hash.slice(1)).get('token'))
        return;
      takeToken();
      document.getElementById('auth').hidden = true;
      poll();
    });
    document.getElementById('token-go').addEventListener('click', useToken);
    document.getElementById('token').addEventListener('keydown', e => {
      if (e.key === 'Enter')
        useToken();
    });
    poll();
  });
})();
