// The timeline as terminal lines: a head (the run, its lanes, its violations with the events
// that prove them, its faults), then one line per event. A failure's evidence comes first, so
// it is on the first screen whatever the run's length; `around` narrows the rest to one
// event's neighbourhood.

import { clock, type Row, type Timeline } from './timeline.ts';

export interface TerminalOptions {
  /** Show the workspace internals too. */
  all?: boolean;
  /** Show only the rows near this event index. */
  around?: number;
  /** Rows shown on each side of `around`. */
  span?: number;
}

export function terminalLines(tl: Timeline, opts: TerminalOptions = {}): string[] {
  const shown = (r: Row) => opts.all || !r.folded;
  const visible = tl.rows.filter(shown);
  const laneWidth = Math.min(12, Math.max(...tl.lanes.map((l) => l.name.length), 6));
  const idxWidth = String(tl.rows.length - 1).length;
  const line = (r: Row, mark = ' '): string => {
    const to = r.to !== undefined ? `→ ${r.to.padEnd(laneWidth)} ` : '';
    const rules = r.rules.length ? `  ◀ ${r.rules.join(', ')}` : '';
    return `${mark}${clock(r.t - tl.startT).padStart(6)} #${String(r.i).padEnd(idxWidth)} ${r.lane.padEnd(laneWidth)} ${to}${r.text}${rules}`;
  };

  const judged = tl.violations.filter((v) => v.judged);
  const folded = tl.rows.length - visible.length;
  const out = [
    `run ${tl.scenario} (seed ${tl.seed}), leader ${tl.leaderDriver}${tl.host ? `, ${tl.host} host` : ''}: ${tl.outcome ?? 'no end recorded'}` +
      `; ${tl.rows.length} events, ${visible.length} shown${folded ? ` (--all adds ${folded} workspace operations and deliveries)` : ''}`,
    `lanes: ${tl.lanes.map((l) => (l.thread && l.thread !== l.name ? `${l.name} ${abbrev(l.thread)}` : l.name) + (l.replaces ? ` (replaces ${l.replaces})` : '')).join(' · ')}`,
  ];
  if (tl.violations.length === 0) out.push('no violation');
  else {
    const byWorkers = tl.violations.length - judged.length;
    out.push(`${judged.length} violation${judged.length === 1 ? '' : 's'} by the leader${byWorkers ? `, ${byWorkers} by workers (not judged)` : ''}:`);
    for (const v of [...judged, ...tl.violations.filter((x) => !x.judged)]) {
      out.push(`  ${v.rule}${v.judged ? '' : ' (worker)'} ${v.message}`);
      for (const i of v.events) {
        const r = tl.rows[i];
        if (r) out.push(`   ${line(r)}`);
      }
    }
  }
  if (tl.faults.length)
    out.push(
      `faults: ${tl.faults.map((f) => `${f.kind} ${f.struck.length ? `struck at #${f.struck.slice(0, 4).join(', #')}${f.struck.length > 4 ? ` +${f.struck.length - 4}` : ''}` : 'planned, never struck'}`).join('; ')}`,
    );
  if (tl.undecidable) out.push(`imported from rollouts, undecidable: ${tl.undecidable}`);

  if (opts.around === undefined) {
    out.push('timeline:');
    for (const r of visible) out.push(line(r));
    return out;
  }
  // The event itself, shown even when folded, and `span` shown rows on each side of it.
  const at = opts.around;
  const span = opts.span ?? 12;
  const rows = tl.rows.filter((r) => shown(r) || r.i === at);
  const k = rows.findIndex((r) => r.i === at);
  const from = Math.max(0, k - span);
  const to = Math.min(rows.length, k + span + 1);
  out.push(`around #${at} (${to - from} of ${rows.length} rows):`);
  if (from > 0) out.push(`  … ${from} earlier`);
  for (const r of rows.slice(from, to)) out.push(line(r, r.i === at ? '>' : ' '));
  if (to < rows.length) out.push(`  … ${rows.length - to} later`);
  return out;
}

/** A thread id short enough to read: its first and last characters. */
function abbrev(id: string): string {
  return id.length > 14 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}
