// The facts of SKILL.md, each found by a documented structural rule (see README.md). Every
// rule collects all its candidates in line order; the first one is the fact, and a later
// candidate with a different value is a contradiction finding at that later line.

import { segments } from './template.ts';
import { ID_SLOTS, classifyHole } from './slots.ts';
import { type CodeSpan, type MdDoc, type Heading, firstList, itemName, sectionRange } from './markdown.ts';
import type { Fact, Finding, SkillProfile, Thinking } from './types.ts';
import { THINKING_LEVELS } from '../contract/common.ts';
import { TEAM_TOOLS, TOOL_NAMES } from '../contract/registry.ts';

/** The facts SKILL.md yields (templates and dir are added by the loader). */
export type SkillFacts = Omit<SkillProfile, 'dir' | 'templates'>;
export type FactName = keyof SkillFacts;

/** Tool names a tools rule recognises: the contract's (codex_app thread tools + automation_update). */
export const KNOWN_TOOLS: readonly string[] = TOOL_NAMES;

export const THINKING_VALUES: readonly Thinking[] = THINKING_LEVELS;

/** What each fact is called in findings, and where to look for it. */
export const FACT_LABELS: Record<FactName, string> = {
  name: 'front-matter `name`',
  description: 'front-matter `description`',
  requiredTools: 'required tools (backticked tool names on a line saying required/mandatory)',
  optionalTools: 'optional tools (backticked tool names on a line saying optional/complete the workflow)',
  defaultModel: 'default worker model (a backticked model id on a line saying "default")',
  defaultThinking: 'default thinking (a thinking level on a line saying "default")',
  heartbeat: 'heartbeat interval (an rrule FREQ=MINUTELY;INTERVAL=N, or "N-minute heartbeat")',
  stallPasses: 'stall threshold (a number before "heartbeat passes")',
  startupWindowMinutes: 'startup window (N minutes on a line about startup)',
  phases: 'phases (an ordered list or numbered headings under a heading mentioning phases)',
  workerSteps: 'worker steps (a list under a heading mentioning worker and steps/arc/workflow)',
  header: 'message header (a backticked `From: …` with a role hole and an id hole)',
  journalPath: 'journal path (a backticked path with a hole ending in state.md)',
  workerNotesPath: 'worker notes path (a backticked notes .md path without holes)',
  workerReportPath: 'worker report path (a backticked report .md path without holes)',
  completionSignal: 'completion signal (a backticked ALL-CAPS keyword on a line about completion)',
  blockedSignal: 'blocked signal (a backticked ALL-CAPS keyword on a line about being blocked)',
  messageLimit: 'message size limit (N characters on a line about messages)',
};

/**
 * What the protocol assumes when a skill does not say: the six phases and three worker steps
 * of the thread-team protocol, its defaults for settings, paths, signals and limits. A fact
 * taken from here is reported as a warning, never an error: a skill may leave it unsaid.
 */
export const PROTOCOL_DEFAULTS: Omit<{ [K in FactName]: SkillFacts[K]['value'] }, 'name' | 'description'> = {
  requiredTools: [...TEAM_TOOLS],
  optionalTools: ['list_threads', 'wait_threads', 'set_thread_archived', 'set_thread_title', 'automation_update'],
  defaultModel: 'gpt-5.4',
  defaultThinking: 'high',
  heartbeat: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
  stallPasses: 3,
  startupWindowMinutes: 10,
  phases: [
    'Analysis and split',
    'Worker initialization',
    'Design and dispatch',
    'Polling and decisions',
    'Review and serial merge',
    'Final review and cleanup',
  ],
  workerSteps: ['Execute', 'Self-review and verify', 'Commit and report'],
  header: 'From: <role> (thread ID: <thread-id>)',
  journalPath: '.thread-team/<leader-thread-id>/state.md',
  workerNotesPath: '.thread-team/notes.md',
  workerReportPath: '.thread-team/report.md',
  completionSignal: 'COMPLETE',
  blockedSignal: 'BLOCKED',
  messageLimit: 1500,
};

/** Where a default fact points: no file, line 0, rule `default`. */
export const DEFAULT_SOURCE = { file: '(protocol default)', line: 0, rule: 'default' } as const;

interface Candidate<T> {
  value: T;
  file: string;
  line: number;
  rule: string;
  /** Two candidates contradict each other when their keys differ. */
  key: string;
  shown: string;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
};
const NUM = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;
const toNumber = (s: string): number => NUMBER_WORDS[s.toLowerCase()] ?? Number.parseInt(s, 10);

export interface FactsResult {
  facts: Partial<SkillFacts>;
  /** Contradictions and malformed facts (missing facts are reported by the loader). */
  findings: Finding[];
}

/** A file the facts are read from: SKILL.md first, then each reference file's prose. */
export interface FactSource {
  file: string;
  doc: MdDoc;
}

interface ProseLine {
  file: string;
  doc: MdDoc;
  n: number;
  text: string;
}

/**
 * The facts of a skill, read from SKILL.md and from the prose of its reference files
 * (outside their fenced templates), in that order. Front-matter facts come from SKILL.md only.
 */
export function extractFacts(sources: FactSource[] | MdDoc, file = 'SKILL.md'): FactsResult {
  const srcs: FactSource[] = Array.isArray(sources) ? sources : [{ file, doc: sources }];
  const findings: Finding[] = [];
  const facts: Partial<SkillFacts> = {};
  const settle = <K extends FactName>(name: K, cands: Candidate<SkillFacts[K]['value']>[]): void => {
    const first = cands[0];
    if (!first) return;
    facts[name] = { value: first.value, file: first.file, line: first.line, rule: first.rule } as SkillFacts[K];
    // Stryker disable next-line MethodExpression: the first candidate has its own key, so it never contradicts itself
    for (const c of cands.slice(1)) {
      if (c.key !== first.key) {
        findings.push({
          file: c.file,
          line: c.line,
          level: 'error',
          message: `${shortLabel(name)} ${c.shown} contradicts ${first.shown} (${first.file === c.file ? '' : `${first.file} `}line ${first.line})`,
        });
      }
    }
  };
  const proseLines: ProseLine[] = [];
  for (const { file: f, doc } of srcs) {
    doc.lines.forEach((text, i) => {
      if (doc.prose[i]) proseLines.push({ file: f, doc, n: i + 1, text });
    });
  }
  const spansOf = (l: ProseLine) => l.doc.codeSpansByLine.get(l.n) ?? [];
  const main = srcs[0]!;

  // Front-matter.
  const fm = main.doc.frontMatter;
  for (const key of ['name', 'description'] as const) {
    const v = fm?.data?.[key];
    if (typeof v === 'string' && v.trim() !== '') {
      facts[key] = { value: v.trim(), file: main.file, line: fm!.keyLines[key] ?? 1, rule: `front-matter.${key}` };
    }
  }

  // Tools.
  const tools = toolFacts(srcs, findings);
  if (tools.required) facts.requiredTools = tools.required;
  if (tools.optional) facts.optionalTools = tools.optional;

  // Default model and thinking: lines that say "default".
  const models: Candidate<string>[] = [];
  const thinking: Candidate<Thinking>[] = [];
  for (const l of proseLines) {
    const { file: f, n, text } = l;
    if (!/default/i.test(text)) continue;
    const spans = spansOf(l);
    const model = spans.find((s) => MODEL_ID.test(s.text));
    if (model) models.push({ value: model.text, file: f, line: n, rule: 'model.default-line', key: model.text, shown: `\`${model.text}\`` });
    const t =
      spans.map((s) => s.text.toLowerCase()).find((s): s is Thinking => (THINKING_VALUES as string[]).includes(s)) ??
      (new RegExp(`thinking\\W{0,3}(${THINKING_VALUES.join('|')})\\b`, 'i').exec(text)?.[1]?.toLowerCase() as Thinking | undefined);
    if (t) thinking.push({ value: t, file: f, line: n, rule: 'thinking.default-line', key: t, shown: `\`${t}\`` });
  }
  settle('defaultModel', models);
  settle('defaultThinking', thinking);

  // Heartbeat: rrules anywhere in the files first, then prose on heartbeat lines.
  const beats: Candidate<{ minutes: number; rrule: string }>[] = [];
  for (const { file: f, doc } of srcs) {
    doc.lines.forEach((text, i) => {
      if (!doc.prose[i] && f !== main.file) return;
      for (const m of text.matchAll(RRULE)) {
        const minutes = rruleMinutes(m[0]);
        if (minutes !== null)
          beats.push({
            value: { minutes, rrule: m[0] },
            file: f,
            line: i + 1,
            rule: 'heartbeat.rrule',
            key: String(minutes),
            shown: `every ${minutes} min (${m[0]})`,
          });
      }
    });
  }
  for (const { file: f, n, text } of proseLines) {
    if (!/heartbeat/i.test(text)) continue;
    const m = new RegExp(`\\b${NUM}[- ]minute\\b|\\bevery\\s+${NUM}\\s+minutes?\\b`, 'i').exec(text);
    if (!m) continue;
    const minutes = toNumber(m[1] ?? m[2]!);
    beats.push({
      value: { minutes, rrule: `FREQ=MINUTELY;INTERVAL=${minutes}` },
      file: f,
      line: n,
      rule: 'heartbeat.prose',
      key: String(minutes),
      shown: `every ${minutes} min`,
    });
  }
  settle('heartbeat', beats);

  // Stall passes.
  const stalls: Candidate<number>[] = [];
  for (const { file: f, n, text } of proseLines) {
    const m =
      new RegExp(`\\b${NUM}\\s+(?:[a-z-]+\\s+){0,2}?heartbeat\\s+passes\\b`, 'i').exec(text) ??
      (/stall|silent|quiet/i.test(text) ? new RegExp(`\\b${NUM}\\s+(?:[a-z-]+\\s+){0,2}?passes\\b`, 'i').exec(text) : null);
    if (!m) continue;
    const v = toNumber(m[1]!);
    stalls.push({ value: v, file: f, line: n, rule: 'stall.passes', key: String(v), shown: `${v} passes` });
  }
  settle('stallPasses', stalls);

  // Startup window.
  const startup: Candidate<number>[] = [];
  for (const { file: f, n, text } of proseLines) {
    if (!/start-?up/i.test(text)) continue;
    const m = new RegExp(`\\b${NUM}[- ]?(?:minutes?|mins?)\\b`, 'i').exec(text);
    if (!m) continue;
    const v = toNumber(m[1]!);
    startup.push({ value: v, file: f, line: n, rule: 'startup.window', key: String(v), shown: `${v} min` });
  }
  settle('startupWindowMinutes', startup);

  // Phases and worker steps (SKILL.md's structure).
  const phases = phaseList(main.doc);
  if (phases) {
    facts.phases = { value: phases.items, file: main.file, line: phases.line, rule: phases.rule };
    if (phases.items.length !== 6) {
      findings.push({
        file: main.file,
        line: phases.line,
        level: 'error',
        message: `expected six phases, found ${phases.items.length}: ${phases.items.join(', ')}`,
      });
    }
  }
  const steps: Candidate<string[]>[] = [];
  const listed = workerStepList(main.doc);
  if (listed)
    steps.push({
      value: listed.items,
      file: main.file,
      line: listed.line,
      rule: 'worker-steps.list',
      key: listed.items.join('|').toLowerCase(),
      shown: listed.items.join(' / '),
    });
  // Stryker disable next-line ArrayDeclaration: a name holding a space is a step already (step below)
  const listedNames = new Set((listed?.items ?? []).map((s) => s.toLowerCase()));
  for (const l of proseLines) {
    // "each worker tracks its work with `update_plan` using exactly: `A`, `B`, `C`"
    const spans = spansOf(l).map((s) => s.text.trim());
    if (!/worker/i.test(l.text) || !spans.includes('update_plan')) continue;
    // A one-word step (`Execute`) reads as a capitalised word or as a step of the list; tool
    // names, statuses (`in_progress`), signals and paths on the same line do not.
    const step = (s: string) => /\s/.test(s) || /^[A-Z][a-z]+(?:-[a-z]+)*$/.test(s) || listedNames.has(s.toLowerCase());
    const items = spans.filter((s) => s !== 'update_plan' && step(s) && !s.includes('<'));
    if (items.length >= 2)
      steps.push({ value: items, file: l.file, line: l.n, rule: 'worker-steps.update-plan', key: items.join('|').toLowerCase(), shown: items.join(' / ') });
  }
  settle('workerSteps', steps);

  // Code-span facts: header, journal path, worker files, signals.
  const headers: Candidate<string>[] = [];
  const partialHeaders: Candidate<string>[] = [];
  const journals: Candidate<string>[] = [];
  const notes: Candidate<string>[] = [];
  const reports: Candidate<string>[] = [];
  const completes: Candidate<string>[] = [];
  const blocks: Candidate<string>[] = [];
  for (const l of proseLines) {
    const { file: f, n, text } = l;
    for (const span of spansOf(l)) {
      const s = span.text.trim();
      const holes = holeSlots(s);
      if (/^From:/.test(s) && holes.length > 0) {
        const full = holes.includes('role') && holes.some((h) => h !== null && ID_SLOTS.has(h));
        const shape = normalizeHoles(s);
        (full ? headers : partialHeaders).push({ value: s, file: f, line: n, rule: 'header.from-span', key: shape, shown: `\`${s}\`` });
        continue;
      }
      if (/^\S+\.md$/.test(s) && !/^references\//.test(s) && !/template/i.test(basename(s))) {
        const base = basename(s);
        if (holes.length > 0 || s.includes('<')) {
          // Under .thread-team/ only a directory named by the leader's id makes a journal: a
          // worker's `.thread-team/<role>-notes.md` has a hole too.
          // Stryker disable next-line MethodExpression: the first folder is `.thread-team` itself and the file name ends in `.md`, so neither is a lone hole anyway
          const dirs = s.split('/').slice(1, -1);
          const byLeader = s.startsWith('.thread-team/') && dirs.some((d) => holeSlots(d).includes('leader-thread-id') && segments(d).length === 1);
          if (/state|journal/i.test(base) || byLeader) {
            journals.push({ value: s, file: f, line: n, rule: 'journal.path-span', key: normalizeHoles(s), shown: `\`${s}\`` });
          }
        } else if (/notes/i.test(base)) {
          notes.push({ value: s, file: f, line: n, rule: 'worker-files.notes-span', key: s, shown: `\`${s}\`` });
        } else if (/report/i.test(base)) {
          reports.push({ value: s, file: f, line: n, rule: 'worker-files.report-span', key: s, shown: `\`${s}\`` });
        }
        continue;
      }
      const kw = /^([A-Z][A-Z_]{2,})(?:\s|$)/.exec(s)?.[1];
      if (kw && !NOT_SIGNALS.has(kw)) {
        const which = signalKind(kw, text, span, spansOf(l));
        const cand = { value: kw, file: f, line: n, key: kw, shown: `\`${kw}\`` };
        if (which === 'complete') completes.push({ ...cand, rule: 'signal.completion-line' });
        if (which === 'blocked') blocks.push({ ...cand, rule: 'signal.blocked-line' });
      }
    }
  }
  settle('header', headers.length > 0 ? headers : partialHeaders.slice(0, 1));
  settle('journalPath', journals);
  settle('workerNotesPath', notes);
  settle('workerReportPath', reports);
  settle('completionSignal', completes);
  settle('blockedSignal', blocks);

  // Message size limit.
  const limits: Candidate<number>[] = [];
  for (const { file: f, n, text } of proseLines) {
    if (!/messag/i.test(text)) continue;
    const m = /\b(\d[\d,]*)\s*(?:characters|chars)\b/i.exec(text);
    if (!m) continue;
    const v = Number.parseInt(m[1]!.replace(/,/g, ''), 10);
    limits.push({ value: v, file: f, line: n, rule: 'message.limit', key: String(v), shown: `${v} characters` });
  }
  settle('messageLimit', limits);

  return { facts, findings };
}

const MODEL_ID = /^(gpt-[a-z0-9][\w.-]*|o\d[\w.-]*|codex-[\w.-]+)$/i;
const RRULE = /(?:\b[A-Z]+=[A-Za-z0-9,+-]+;)*\bFREQ=[A-Z]+(?:;[A-Z]+=[A-Za-z0-9,+-]+)*/g;
/** ALL-CAPS words that are automation vocabulary, not worker signals. */
const NOT_SIGNALS = new Set(['ACTIVE', 'PAUSED', 'NOTIFY', 'DONT_NOTIFY', 'TODO', 'README', 'HEAD']);

function rruleMinutes(rrule: string): number | null {
  const parts = Object.fromEntries(rrule.split(';').map((p) => p.split('=') as [string, string]));
  const interval = parts.INTERVAL ? Number.parseInt(parts.INTERVAL, 10) : 1;
  if (parts.FREQ === 'MINUTELY') return interval;
  if (parts.FREQ === 'HOURLY') return interval * 60;
  return null;
}

function shortLabel(name: FactName): string {
  // Stryker disable next-line Regex: a label is one line, so `.*` runs to its end anyway
  return FACT_LABELS[name].replace(/ \(.*$/, '');
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function holeSlots(s: string): ReturnType<typeof classifyHole>[] {
  return segments(s).flatMap((seg) => (seg.kind === 'hole' ? [classifyHole(seg.name)] : []));
}

/** A text with each hole replaced by `<its slot>`, so differently named equal holes compare equal. */
function normalizeHoles(s: string): string {
  return segments(s)
    .map((seg) => (seg.kind === 'lit' ? seg.text : `<${classifyHole(seg.name) ?? seg.name}>`))
    .join('');
}

/**
 * Completion or blocked: the keyword itself when it says which (COMPLET…/DONE/FINISH…,
 * BLOCK…/STUCK), else a word of the span's own clause (the line split at `;` and sentence
 * ends, code spans masked) that does (complet…/done/finish…, block…): the one it is labelled
 * with ("Blocked: `WAITING`"), else the nearest, counted between word and span, a word
 * before it winning a tie; null when the clause mentions neither.
 */
function signalKind(kw: string, line: string, span: CodeSpan, spans: readonly CodeSpan[]): 'complete' | 'blocked' | null {
  if (/COMPLET|DONE|FINISH/.test(kw)) return 'complete';
  if (/BLOCK|STUCK/.test(kw)) return 'blocked';
  // A word of the clause before ("`DONE <sha>` when finished; `HELP` when blocked") may sit
  // nearer than the span's own, and the DONE inside a span is no cue for the next one.
  const masked = maskSpans(line, spans);
  let from = 0;
  let to = masked.length;
  for (const m of masked.matchAll(/;|\.\s+/g)) {
    if (m.index < span.col) from = m.index + m[0].length;
    else if (m.index >= span.end) {
      to = m.index;
      break;
    }
  }
  let best: { d: number; before: boolean; kind: 'complete' | 'blocked' } | null = null;
  for (const [re, kind] of [
    [/\b(complet\w*|done|finish\w*)\b/gi, 'complete'],
    [/\bblock\w*\b/gi, 'blocked'],
  ] as const) {
    for (const m of masked.slice(from, to).matchAll(re)) {
      const at = from + m.index;
      const before = at < span.col;
      if (before && /^\s*:\s*$/.test(masked.slice(at + m[0].length, span.col))) return kind;
      const d = before ? span.col - (at + m[0].length) : at - span.end;
      if (!best || d < best.d || (d === best.d && before && !best.before)) best = { d, before, kind };
    }
  }
  return best?.kind ?? null;
}

/** The line with each code span blanked out (as x's, so columns stay), for reading its prose. */
function maskSpans(text: string, spans: readonly CodeSpan[]): string {
  let masked = text;
  for (const sp of spans) masked = masked.slice(0, sp.col) + 'x'.repeat(sp.end - sp.col) + masked.slice(sp.end);
  return masked;
}

const REQUIRED_WORDS = /\b(required|requires?|mandatory|must[- ]have|essential|unavailable|not available|is missing|are missing)\b|^\W*needs?\b/i;
const OPTIONAL_WORDS = /\b(optional(ly)?|complete the workflow|if available|nice[- ]to[- ]have|recommended)\b/i;

function clauseMode(text: string): 'required' | 'optional' | null {
  const r = REQUIRED_WORDS.exec(text);
  const o = OPTIONAL_WORDS.exec(text);
  if (r && (!o || r.index <= o.index)) return 'required';
  if (o) return 'optional';
  return null;
}

function ancestors(doc: MdDoc, line: number): Heading[] {
  // Stryker disable next-line ArrayDeclaration: its one reader takes only .text of each (a string has none) and the first as a section, whose change resets nothing the heading line does not set anew
  const out: Heading[] = [];
  let level = 7;
  for (let i = doc.headings.length - 1; i >= 0; i--) {
    const h = doc.headings[i]!;
    if (h.line > line || h.level >= level) continue;
    out.push(h);
    level = h.level;
  }
  return out;
}

/**
 * Tools: backticked known tool names (bare, `codex_app.x` or `mcp__codex_app__x`), in
 * clauses (a line split at `;` and sentence ends, code spans masked) that say
 * required/mandatory (or that the skill stops when they are unavailable or missing) or
 * optional/complete the workflow. Inside a section whose heading mentions tools, a clause
 * without such a word inherits the last one of the section (so "### Required" sub-headings and
 * wrapped list items work). When no clause says which tools are optional, the tools a tools
 * section lists that are not required are the optional ones; when none says which are
 * required, the front-matter description's "requires a, b, c" does.
 */
function toolFacts(srcs: FactSource[], findings: Finding[]): { required?: Fact<string[]>; optional?: Fact<string[]> } {
  const found: Record<'required' | 'optional', { tools: string[]; file: string; line: number; rule: string }> = {
    required: { tools: [], file: '', line: 0, rule: 'tools.required-clause' },
    optional: { tools: [], file: '', line: 0, rule: 'tools.optional-clause' },
  };
  const seenAt = new Map<string, { mode: 'required' | 'optional'; file: string; line: number }>();
  const listed: { tool: string; file: string; line: number }[] = [];
  const add = (m: 'required' | 'optional', tool: string, file: string, n: number) => {
    const prev = seenAt.get(tool);
    if (prev && prev.mode !== m) {
      findings.push({
        file,
        line: n,
        level: 'error',
        message: `tool \`${tool}\` is called ${m} here but ${prev.mode} at ${prev.file === file ? '' : `${prev.file} `}line ${prev.line}`,
      });
      return;
    }
    if (prev) return;
    seenAt.set(tool, { mode: m, file, line: n });
    const slot = found[m];
    slot.tools.push(tool);
    if (slot.line === 0) {
      slot.line = n;
      slot.file = file;
    }
  };
  for (const { file, doc } of srcs) {
    let mode: 'required' | 'optional' | null = null;
    let section: Heading | null = null;
    doc.lines.forEach((text, i) => {
      const n = i + 1;
      if (!doc.prose[i]) return;
      const heading = doc.headings.find((h) => h.line === n);
      const chain = ancestors(doc, n);
      const inTools = chain.some((h) => /tool/i.test(h.text));
      // Stryker disable next-line LogicalOperator: the owner changes only on a heading line, where the heading sets the mode anew anyway
      const owner = chain[0] ?? null;
      // Stryker disable next-line EqualityOperator,BlockStatement: the owner changes only on a heading line, where the heading sets the mode anew anyway
      if (owner !== section) {
        section = owner;
        mode = null;
      }
      if (heading) {
        mode = inTools ? clauseMode(heading.text) : null;
        return;
      }
      const spans = doc.codeSpansByLine.get(n) ?? [];
      const first = spans[0] && /^\s*([-*+]|\d+[.)])\s+$/.test(text.slice(0, spans[0].col)) ? toolName(spans[0].text) : null;
      if (inTools && first) listed.push({ tool: first, file, line: n });
      const masked = maskSpans(text, spans);
      const bounds = [0];
      for (const m of masked.matchAll(/;|\.\s+/g)) bounds.push(m.index + m[0].length);
      bounds.push(masked.length + 1);
      for (let c = 0; c + 1 < bounds.length; c++) {
        const from = bounds[c]!;
        const to = bounds[c + 1]!;
        const own = clauseMode(masked.slice(from, to));
        if (own && inTools) mode = own;
        const m = own ?? (inTools ? mode : null);
        if (!m) continue;
        for (const sp of spans) {
          if (sp.col < from || sp.col >= to) continue;
          const tool = toolName(sp.text);
          if (tool) add(m, tool, file, n);
        }
      }
    });
  }
  const main = srcs[0]!;
  if (found.required.tools.length === 0) {
    const fm = main.doc.frontMatter;
    const desc = typeof fm?.data?.description === 'string' ? fm.data.description : '';
    // Stryker disable next-line StringLiteral: a text with no tool name in it requires nothing, empty or not
    const req = /\brequir\w*\b([^.]*)/i.exec(desc)?.[1] ?? '';
    const tools = KNOWN_TOOLS.filter((t) => new RegExp(`\\b${t}\\b`).test(req)).sort((a, b) => req.indexOf(a) - req.indexOf(b));
    if (tools.length) Object.assign(found.required, { tools, file: main.file, line: fm!.keyLines.description ?? 1, rule: 'tools.description' });
  }
  if (found.optional.tools.length === 0) {
    const rest = listed.filter((l) => !found.required.tools.includes(l.tool));
    if (rest.length)
      Object.assign(found.optional, { tools: [...new Set(rest.map((l) => l.tool))], file: rest[0]!.file, line: rest[0]!.line, rule: 'tools.section-listed' });
  }
  const fact = (k: 'required' | 'optional'): Fact<string[]> | undefined =>
    found[k].tools.length > 0 ? { value: found[k].tools, file: found[k].file, line: found[k].line, rule: found[k].rule } : undefined;
  const out: { required?: Fact<string[]>; optional?: Fact<string[]> } = {};
  const r = fact('required');
  const o = fact('optional');
  if (r) out.required = r;
  if (o) out.optional = o;
  return out;
}

function toolName(span: string): string | null {
  const tool = span
    .trim()
    .replace(/^(codex_app\.|mcp__codex_app__)/, '')
    .replace(/\(.*$/, '');
  return KNOWN_TOOLS.includes(tool) ? tool : null;
}

/**
 * Phases: under the first heading mentioning "phase" that has them, either numbered
 * sub-headings (`### 1. Name`, `### Phase 1: Name`) or the items of an ordered list,
 * whichever comes first. A name is an item's bold lead or its text before a separator.
 */
function phaseList(doc: MdDoc): { items: string[]; line: number; rule: string } | null {
  const NUMBERED = /^(?:phase\s+)?\d{1,2}\s*[.):—–-]?\s+(.+)$/i;
  for (const h of doc.headings) {
    if (!/phase/i.test(h.text)) continue;
    const { from, to } = sectionRange(doc, h);
    const subs = doc.headings.filter((s) => s.line >= from && s.line <= to && NUMBERED.test(s.text));
    const list = firstList(doc, from, to);
    const firstSub = subs[0];
    if (firstSub && (!list || firstSub.line < list[0]!.line)) {
      const level = firstSub.level;
      const items = subs.filter((s) => s.level === level).map((s) => itemName(NUMBERED.exec(s.text)![1]!));
      return { items, line: firstSub.line, rule: 'phases.numbered-headings' };
    }
    if (list) return { items: list.map((i) => itemName(i.text)), line: list[0]!.line, rule: 'phases.ordered-list' };
  }
  return null;
}

/** Worker steps: the first list under a heading that mentions worker and steps/arc/workflow. */
function workerStepList(doc: MdDoc): { items: string[]; line: number } | null {
  for (const h of doc.headings) {
    if (!/worker/i.test(h.text) || !/step|arc\b|workflow|procedure|loop/i.test(h.text)) continue;
    const { from, to } = sectionRange(doc, h);
    const list = firstList(doc, from, to, { bullets: true });
    if (list) return { items: list.map((i) => itemName(i.text)), line: list[0]!.line };
  }
  return null;
}
