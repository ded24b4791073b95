// lint = load + what the templates must carry and how facts and templates fit together, at
// three levels: error (the skill cannot be run as written), warning (it runs, but on a
// protocol default or without something the protocol asks for), info (worth knowing). Each
// finding points at the most precise line: a hole's, a template's first line, the opening
// fence line for what a template lacks as a whole.

import { TEAM_TOOLS } from '../contract/registry.ts';
import { type Form, formHoles, formOf, formPieces, formSlots } from './form.ts';
import { profileOf, readSkill, sortFindings, TEMPLATE_NAMES } from './load.ts';
import { ID_SLOTS, classifyHole } from './slots.ts';
import { segments } from './template.ts';
import { templateHasHeader } from './compose.ts';
import type { Finding, SkillProfile, Slot, Template, TemplateKind } from './types.ts';

/** The slots each template should have a place for, with the protocol rule that asks for it. */
export const REQUIRED_SLOTS: Record<TemplateKind, { slots: Slot[]; rule: string }> = {
  registration: { slots: ['leader-thread-id', 'role', 'worker-thread-id', 'branch', 'working-directory'], rule: 'M2' },
  dispatch: {
    slots: [
      'leader-thread-id',
      'worker-thread-id',
      'scope',
      'working-directory',
      'base-commit',
      'owned-files',
      'not-owned-files',
      'acceptance-criteria',
      'verification-commands',
      'invariants',
      'report-format',
      'roster',
    ],
    rule: 'M3',
  },
  report: { slots: ['commit-sha', 'summary', 'files-changed', 'verification-results'], rule: 'R1' },
  state: { slots: ['leader-thread-id', 'status', 'phase', 'roster', 'heartbeat', 'merges', 'decisions', 'next-action'], rule: 'J4' },
  final: { slots: ['outcome', 'merges', 'excluded', 'journal-path'], rule: 'L2' },
};

/** Other ways a form can carry a slot: a who-owns-what map carries owned and not-owned files. */
const CARRIED_BY: Partial<Record<Slot, Slot[]>> = {
  'owned-files': ['ownership', 'scope'],
  'not-owned-files': ['ownership'],
};

/** Templates that are messages to a worker: they start with the header, or get it added (M1). */
const MESSAGE_TEMPLATES: TemplateKind[] = ['registration', 'dispatch'];

function formOfTemplate(t: Template): Form {
  return formOf(t.kind, t.file, t.line, t.text);
}

/** Whether a form offers `excluded` as a choice (a table's `integrated/excluded` column). */
function choosesExcluded(form: Form): boolean {
  // A literal has no options, so no test of the piece's kind: any such test would change nothing.
  return formPieces(form).some(({ piece }) => (piece as { options?: string[] | null }).options?.includes('excluded'));
}

function templateFindings(t: Template, profile: Pick<SkillProfile, 'header' | 'templates'> | null): Finding[] {
  const out: Finding[] = [];
  const form = formOfTemplate(t);
  const label = TEMPLATE_NAMES[t.kind].label;
  const fenceLine = t.line - 1;
  for (const h of formHoles(form)) {
    if (!h.slot && !h.options)
      out.push({
        file: t.file,
        line: h.line,
        level: 'info',
        message: `hole <${h.name}> is free text (it fits no slot): the reference leader fills it with plain text from its plan`,
      });
  }
  // Holes a reader could not tell apart: two on one line with nothing or only spaces between
  // them, or two bodies (holes alone on their lines) with no label or fixed line between them.
  t.text.split('\n').forEach((line, i) => {
    const segs = segments(line);
    for (let k = 1; k < segs.length; k++) {
      const [a, b] = [segs[k - 1]!, segs[k]!];
      if (a.kind !== 'hole') continue;
      if (b.kind === 'hole') {
        out.push({
          file: t.file,
          line: t.line + i,
          level: 'error',
          message: `holes <${a.name}> and <${b.name}> have nothing between them, so a filled-in text cannot be read back`,
        });
      }
      const c = segs[k + 1];
      if (b.kind === 'lit' && b.text.trim() === '' && c?.kind === 'hole') {
        out.push({
          file: t.file,
          line: t.line + i,
          level: 'error',
          message: `holes <${a.name}> and <${c.name}> are separated by spaces only, so a filled-in text cannot be read back`,
        });
      }
    }
  });
  form.elements.forEach((el, k) => {
    const prev = form.elements[k - 1];
    // A table brings its own anchor (its header row); a hole or list right after a body does not.
    const body = (e: typeof el | undefined) => e !== undefined && (e.kind === 'block' || e.kind === 'list' || e.kind === 'table');
    if (body(el) && el.kind !== 'table' && body(prev)) {
      out.push({
        file: t.file,
        line: el.line,
        level: 'error',
        message: `this body follows another with no label or fixed line between them, so a filled-in text cannot be split between the two`,
      });
    }
  });
  if (!form.elements.some((e) => e.kind === 'literal' || e.kind === 'field' || e.kind === 'pattern' || e.kind === 'table')) {
    out.push({ file: t.file, line: fenceLine, level: 'error', message: `the ${label} has no fixed text or labels, so a filled-in text cannot be recognised` });
  }
  const have = formSlots(form);
  const { slots, rule } = REQUIRED_SLOTS[t.kind];
  for (const slot of slots) {
    // Stryker disable next-line ArrayDeclaration: a form has no slot named like the stand-in
    if (have.has(slot) || (CARRIED_BY[slot] ?? []).some((s) => have.has(s))) continue;
    if (slot === 'excluded' && choosesExcluded(form)) continue;
    out.push({ file: t.file, line: fenceLine, level: 'warning', message: `${label} has no place for ${slot.replace(/-/g, ' ')} (${rule})` });
  }
  if (profile && MESSAGE_TEMPLATES.includes(t.kind) && !templateHasHeader(profile, t.kind)) {
    out.push({
      file: t.file,
      line: t.line,
      level: 'info',
      message: `the ${label} does not start with the header \`${profile.header.value}\`: the leader adds it above (M1)`,
    });
  }
  return out;
}

export async function lintSkill(dir: string): Promise<{ profile: SkillProfile | null; findings: Finding[] }> {
  const parts = await readSkill(dir);
  const findings = [...parts.findings];
  const { facts, templates } = parts;
  const profile = profileOf(parts);

  for (const t of Object.values(templates)) findings.push(...templateFindings(t, profile));

  const header = facts.header;
  if (header) {
    const slots = segments(header.value)
      .filter((s) => s.kind === 'hole')
      .map((s) => classifyHole(s.name));
    if (!slots.includes('role'))
      findings.push({ file: header.file, line: header.line, level: 'error', message: `header \`${header.value}\` has no role hole` });
    if (![...ID_SLOTS].some((s) => slots.includes(s))) {
      findings.push({ file: header.file, line: header.line, level: 'error', message: `header \`${header.value}\` has no thread id hole` });
    }
  }

  const journal = facts.journalPath;
  if (journal) {
    const slots = segments(journal.value)
      .filter((s) => s.kind === 'hole')
      .map((s) => classifyHole(s.name));
    if (!slots.includes('leader-thread-id')) {
      findings.push({
        file: journal.file,
        line: journal.line,
        level: 'warning',
        message: `journal path \`${journal.value}\` is not keyed by a leader thread id hole (J2)`,
      });
    }
  }

  const required = facts.requiredTools;
  if (required) {
    const missing = TEAM_TOOLS.filter((t) => !required.value.includes(t));
    if (missing.length > 0) {
      findings.push({
        file: required.file,
        line: required.line,
        level: 'warning',
        message: `required tools lack ${missing.map((t) => `\`${t}\``).join(', ')} (T1)`,
      });
    }
  }

  return { profile, findings: sortFindings(findings) };
}

/** Findings at a level or worse. */
export function atLeast(findings: Finding[], level: 'error' | 'warning'): Finding[] {
  return findings.filter((f) => f.level === 'error' || (level === 'warning' && f.level === 'warning'));
}
