// The page's script (a plain browser file, inlined by html.ts): it reads the run from the JSON
// in the page and draws it. Nothing here fetches anything: the page works from a file:// URL,
// offline, and under a Content-Security-Policy that allows no network at all.
(() => {
  const data = JSON.parse(document.getElementById('run-data').textContent);
  const tl = data.timeline;
  const events = data.events;
  const lanes = tl.lanes;
  const col = new Map(lanes.map((l, k) => [l.name, k + 3]));
  const rowsByIndex = new Map();

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k === 'style') node.setAttribute('style', v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  const clock = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const jump = (event, i) => {
    event.preventDefault();
    highlight([i]);
  };
  const json = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

  // The head: what ran, how it ended, the violations linked to their events, the fault legend.
  const top = document.getElementById('top');
  const judged = tl.violations.filter((v) => v.judged).length;
  top.append(
    el('h1', {}, `${tl.scenario} (seed ${tl.seed})`),
    el(
      'div',
      { class: 'facts' },
      `leader ${tl.leaderDriver}${tl.host ? `, ${tl.host} host` : ''} · outcome ${tl.outcome || 'no end recorded'}${tl.reason ? ` (${tl.reason})` : ''} · ${tl.rows.length} events · ${lanes.length} lanes · ${judged} violation${judged === 1 ? '' : 's'} by the leader`,
    ),
  );
  if (tl.violations.length) {
    const list = el('ol', { id: 'violations' });
    tl.violations.forEach((v, k) => {
      list.append(
        el(
          'li',
          { class: v.judged ? 'leader' : 'worker' },
          el('button', { type: 'button', 'data-violation': k, title: 'show its events', onclick: () => highlight(v.events) }, v.rule),
          ` ${v.judged ? '' : '(worker) '}${v.message} `,
          ...v.events.map((i) => el('a', { href: `#ev-${i}`, onclick: (e) => jump(e, i) }, `#${i} `)),
        ),
      );
    });
    top.append(list);
  } else top.append(el('p', {}, 'No violation.'));
  if (tl.faults.length) {
    const legend = el('dl', { id: 'legend' });
    for (const f of tl.faults) {
      legend.append(
        el('dt', {}, f.kind),
        el(
          'dd',
          {},
          `${data.meanings[f.kind] || 'a fault'}; ${f.struck.length ? 'struck at ' : 'planned, never struck'}`,
          ...f.struck.map((i) => el('a', { href: `#ev-${i}`, onclick: (e) => jump(e, i) }, `#${i} `)),
        ),
      );
    }
    top.append(el('div', {}, el('strong', {}, 'Faults: '), legend));
  }
  if (tl.undecidable) top.append(el('p', { class: 'facts' }, `Imported from rollouts; undecidable: ${tl.undecidable}`));
  const folded = tl.rows.filter((r) => r.folded).length;
  top.append(
    el(
      'label',
      { class: 'controls' },
      el('input', { type: 'checkbox', id: 'show-all', onchange: (e) => document.body.classList.toggle('all', e.target.checked) }),
      ` show the ${folded} workspace operations and deliveries`,
    ),
  );

  // The diagram: a header row of lanes, then one grid row per event.
  const diagram = document.getElementById('diagram');
  diagram.style.setProperty('--lanes', String(lanes.length));
  const heads = el('div', { class: 'grid heads' }, el('div', { class: 'lane-head', style: 'grid-column: 1 / 3' }, 'time  #'));
  for (const l of lanes)
    heads.append(
      el(
        'div',
        { class: 'lane-head', 'data-lane': l.name, 'data-thread': l.thread, style: `grid-column: ${col.get(l.name)}` },
        l.name,
        el('small', {}, l.replaces ? `replaces ${l.replaces}` : l.thread ? `${l.thread.slice(0, 8)}…` : 'the person'),
      ),
    );
  diagram.append(heads);

  // A lane is busy from its turn's start to its end: drawn as a bar down its column.
  const busy = new Set();
  for (const r of tl.rows) {
    const e = events[r.i];
    if (e.kind === 'turn.start') busy.add(r.lane);
    const cls = ['grid', 'row', `kind-${r.kind}`];
    if (r.folded) cls.push('folded');
    if (r.rules.length) cls.push('bad');
    const row = el(
      'div',
      { class: cls.join(' '), id: `ev-${r.i}`, 'data-i': r.i },
      el('div', { class: 'time' }, clock(r.t - tl.startT)),
      el('div', { class: 'idx' }, `#${r.i}`),
    );
    for (const l of lanes) row.append(el('div', { class: busy.has(l.name) ? 'bg busy' : 'bg', style: `grid-column: ${col.get(l.name)}` }));
    if (e.kind === 'turn.end') busy.delete(r.lane);
    const from = col.get(r.lane) || 3;
    const to = r.to !== undefined ? col.get(r.to) || from : from;
    const label = el('span', {}, r.text);
    const item =
      to === from
        ? el(
            'div',
            { class: `ev k-${r.kind}${from === lanes.length + 2 && lanes.length > 1 ? ' end' : ''}`, title: r.text, style: `grid-column: ${from}` },
            label,
          )
        : el(
            'div',
            {
              class: `ev arrow k-${r.kind}-arrow ${to > from ? 'right' : 'left'}`,
              title: r.text,
              style: `grid-column: ${Math.min(from, to)} / ${Math.max(from, to) + 1}; --span: ${Math.abs(to - from) + 1}`,
            },
            label,
          );
    for (const rule of r.rules) item.append(el('span', { class: 'rule' }, rule));
    item.addEventListener('click', () => select(r.i));
    row.append(item);
    rowsByIndex.set(r.i, row);
    diagram.append(row);
  }

  // An event's full content: what it said, its arguments and result, the journal as it stood.
  const detail = document.getElementById('detail');
  function select(i) {
    for (const n of document.querySelectorAll('.row.selected')) n.classList.remove('selected');
    const row = rowsByIndex.get(i);
    if (row) row.classList.add('selected');
    const r = tl.rows[i];
    const e = events[i];
    const parts = [
      el('h2', {}, `#${i} · ${clock(r.t - tl.startT)} · ${r.lane}${r.to !== undefined ? ` → ${r.to}` : ''} · ${e.kind}${e.kind === 'ws' ? ` ${e.op}` : ''}`),
      el('p', {}, r.text),
    ];
    for (const v of tl.violations.filter((x) => x.events.includes(i))) parts.push(el('p', {}, el('span', { class: 'rule' }, v.rule), ` ${v.message}`));
    const section = (title, body) => parts.push(el('h3', {}, title), el('pre', {}, body));
    if (e.kind === 'message.sent' || e.kind === 'assistant.message' || e.kind === 'user.input' || e.kind === 'note') section('text', e.text);
    if (e.kind === 'tool.call') {
      section('arguments', json(e.args));
      section(e.ok ? 'result' : 'error', json(e.result));
    }
    if (e.kind === 'turn.start' || e.kind === 'turn.steer') section('inputs', e.inputs.join('\n\n---\n\n') || '(none)');
    if (e.kind === 'ws' && e.content !== undefined) section('written', e.content);
    if (e.kind === 'ws' && e.op === 'merge') {
      // The branch's changes: the diff the leader asked for just before merging it.
      for (let j = i - 1; j >= Math.max(0, i - 8); j--) {
        const p = events[j];
        if (p.kind === 'ws' && p.op === 'changedFiles' && p.actor === e.actor) {
          section(`files the branch changes (${p.ref || ''})`, (p.paths || []).join('\n'));
          break;
        }
      }
      if (e.paths?.length) section('conflicting files', e.paths.join('\n'));
    }
    for (let j = i; j >= 0; j--) {
      if (tl.rows[j].kind === 'journal') {
        section(`journal at this point (written at #${j}, ${tl.journalPath})`, events[j].content);
        break;
      }
    }
    section('event', JSON.stringify(e, null, 2));
    detail.replaceChildren(...parts);
  }

  // A violation's events: shown even when folded, highlighted, the first scrolled to.
  function highlight(indices) {
    for (const n of document.querySelectorAll('.row.hl')) n.classList.remove('hl');
    const found = indices.map((i) => rowsByIndex.get(i)).filter(Boolean);
    for (const row of found) {
      row.classList.add('hl');
      row.classList.remove('folded');
    }
    if (found.length) {
      found[0].scrollIntoView({ block: 'center' });
      select(indices[0]);
    }
  }

  if (location.hash.startsWith('#ev-')) highlight([Number(location.hash.slice(4))]);
})();
