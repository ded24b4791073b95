// The timeline as one self-contained HTML file: the data as JSON in the page, the script and
// the styles inline, nothing fetched. The page draws a sequence diagram (a column per thread,
// messages as arrows, turns as bars), lists the violations at the top linked to their events,
// and shows an event's full content when it is clicked. The script is a plain browser file
// beside this one (client.js), read once, so it is linted as what it is.

import { readFileSync } from 'node:fs';
import type { TraceEvent } from '../../src/trace/events.ts';
import { canonicalJson } from '../../src/trace/trace.ts';
import { FAULT_MEANINGS } from '../../sim/scenario/examples.ts';
import type { Timeline } from './timeline.ts';
import { projectPath } from '../../src/core/project.ts';

let client: string | null = null;
const clientScript = (): string => (client ??= readFileSync(projectPath('app/show/client.js'), 'utf8'));

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
const embedded = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function timelineHtml(tl: Timeline, events: readonly TraceEvent[]): string {
  // The events in the trace file's own form (keys sorted), so a run gives the same page whether
  // it was shown from its scenario or from its trace.
  const data = { timeline: tl, events: events.map((e) => JSON.parse(canonicalJson(e)) as unknown), meanings: FAULT_MEANINGS };
  const title = `${tl.scenario} (seed ${tl.seed}): ${tl.violations.length ? `${tl.violations.length} violation${tl.violations.length === 1 ? '' : 's'}` : 'no violation'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="top"></header>
<main>
<section id="diagram" aria-label="sequence diagram"></section>
<aside id="detail" aria-live="polite"><p class="hint">Click an event to see its full content.</p></aside>
</main>
<script type="application/json" id="run-data">${embedded(data)}</script>
<script>${clientScript()}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --lane: 120px; --bg: #fff; --fg: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --turn: #e8f0fe; --hl: #fff3b0; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 10px 16px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 16px; margin: 0 0 4px; }
header .facts { color: var(--muted); }
#violations { margin: 8px 0 0; padding-left: 20px; }
#violations li { margin: 2px 0; }
#violations button, .rule { font: inherit; font-weight: 600; color: #fff; background: var(--bad); border: 0; border-radius: 3px; padding: 0 5px; cursor: pointer; }
#violations .worker button { background: #8d6e63; }
#legend { margin-top: 6px; color: var(--muted); }
#legend dt { display: inline; font-weight: 600; color: var(--fg); }
#legend dd { display: inline; margin: 0 12px 0 4px; }
.controls { margin-top: 6px; }
main { display: flex; align-items: flex-start; }
#diagram { flex: 1; min-width: 0; overflow-x: auto; }
#detail { position: sticky; top: 0; width: 380px; flex: none; max-height: 100vh; overflow: auto; padding: 10px 14px; border-left: 1px solid var(--line); background: #fafafa; }
#detail pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid var(--line); padding: 6px; margin: 4px 0 10px; }
#detail h2 { font-size: 14px; margin: 0 0 6px; }
#detail h3 { font-size: 12px; margin: 8px 0 0; color: var(--muted); overflow-wrap: anywhere; }
.hint { color: var(--muted); }
.grid { display: grid; grid-template-columns: 56px 52px repeat(var(--lanes), minmax(var(--lane), 1fr)); }
.heads { position: sticky; top: 0; z-index: 3; background: var(--bg); border-bottom: 1px solid var(--line); }
.lane-head { padding: 6px 4px; text-align: center; font-weight: 600; grid-row: 1; }
.lane-head small { display: block; font-weight: 400; color: var(--muted); }
.row { min-height: 22px; }
.row.folded { display: none; }
body.all .row.folded { display: grid; opacity: 0.75; }
.row > .time, .row > .idx { grid-row: 1; color: var(--muted); padding: 3px 4px; font-variant-numeric: tabular-nums; }
.row > .idx { grid-column: 2; }
.row > .bg { grid-row: 1; border-left: 1px dashed var(--line); margin-left: 50%; }
.row > .bg.busy { border-left: 6px solid #8ab4f8; margin-left: calc(50% - 3px); }
.row > .ev { grid-row: 1; z-index: 1; align-self: center; padding: 1px 4px; margin: 1px 0; border-radius: 3px; cursor: pointer; white-space: nowrap; background: #f1f1f4; }
/* One event per row: its words may run on over the empty lanes to its right. */
.row > .ev:not(.arrow) { justify-self: start; margin-left: 6px; }
/* In the last lane they run on to the left instead, so they stay in view. */
.row > .ev.end { justify-self: end; margin: 1px 6px 1px 0; }
.row > .ev:hover { outline: 1px solid #888; }
.row.selected > .ev { outline: 2px solid #1a73e8; }
.row.hl { background: var(--hl); }
.row.hl > .ev { outline: 2px solid var(--bad); }
.row.bad > .ev { box-shadow: inset 3px 0 0 var(--bad); }
.ev.arrow { background: none; position: relative; text-align: center; padding-top: 0; }
.ev.arrow { --half: calc(100% / var(--span) / 2); }
.ev.arrow::before { content: ""; position: absolute; left: var(--half); right: var(--half); bottom: 2px; border-bottom: 2px solid #555; }
.ev.arrow.right::after, .ev.arrow.left::after { content: ""; position: absolute; bottom: -3px; border: 6px solid transparent; }
.ev.arrow.right::after { right: calc(var(--half) - 12px); border-left-color: #555; }
.ev.arrow.left::after { left: calc(var(--half) - 12px); border-right-color: #555; }
.ev.arrow span { position: relative; background: var(--bg); padding: 0 4px; font-size: 12px; }
.k-merge { background: #fde2cf !important; }
.k-verify { background: #d7f5dd !important; }
.k-heartbeat { background: #fff0c2 !important; }
.k-journal { background: #ece3f7 !important; }
.k-fault { background: #ffd6d6 !important; }
.k-thread, .k-worktree { background: #d8ecf3 !important; }
.k-turn { color: var(--muted); background: none !important; }
.rule { margin-left: 4px; }
`;
