// lint = load + the checks on what the templates must carry and how facts and templates fit
// together. Each finding points at the most precise line: a hole's line, the first line of a
// template for the header, the opening fence line for what a template lacks as a whole.

import { parseHeader } from './header.ts';
import { profileOf, readSkill, sortFindings, TEMPLATE_NAMES } from './load.ts';
import { ID_SLOTS, classifyHole } from './slots.ts';
import { segments, templateSlots } from './template.ts';
import type { Finding, SkillProfile, Slot, TemplateKind } from './types.ts';

/** The slots each template must have a hole for, with the protocol rule that asks for it. */
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
  state: {
    slots: ['leader-thread-id', 'status', 'phase', 'roster', 'heartbeat', 'merges', 'decisions', 'next-action'],
    rule: 'J4',
  },
  final: { slots: ['outcome', 'merges', 'excluded', 'journal-path'], rule: 'L2' },
};

/** Templates that are messages and so must start with the header (M1). */
const MESSAGE_TEMPLATES: TemplateKind[] = ['registration', 'dispatch'];

/** The tools without which no team may run (T1). */
export const MANDATORY_TOOLS = ['create_thread', 'send_message_to_thread', 'read_thread'];

export async function lintSkill(dir: string): Promise<{ profile: SkillProfile | null; findings: Finding[] }> {
  const parts = await readSkill(dir);
  const findings = [...parts.findings];
  const { facts, templates } = parts;

  for (const t of Object.values(templates)) {
    const fenceLine = t.line - 1;
    const label = TEMPLATE_NAMES[t.kind].label;
    for (const h of t.holes) {
      if (!h.slot) findings.push({ file: t.file, line: h.line, message: `hole <${h.name}> fits no slot (see the synonym table in src/skill/README.md)` });
    }
    let prev: string | null = null;
    for (const seg of segments(t.text)) {
      if (seg.kind === 'lit') {
        if (seg.text.trim() !== '') prev = null;
        continue;
      }
      if (prev !== null) {
        const line = t.line + (t.text.slice(0, seg.index).match(/\n/g)?.length ?? 0);
        findings.push({ file: t.file, line, message: `holes <${prev}> and <${seg.name}> are separated by whitespace only, so a rendered text cannot be read back` });
      }
      prev = seg.name;
    }
    const have = templateSlots(t);
    const { slots, rule } = REQUIRED_SLOTS[t.kind];
    for (const slot of slots) {
      if (!have.includes(slot)) findings.push({ file: t.file, line: fenceLine, message: `${label} has no hole for ${slot.replace(/-/g, ' ')} (${rule})` });
    }
  }

  const header = facts.header;
  if (header) {
    const slots = segments(header.value).flatMap((s) => (s.kind === 'hole' ? [classifyHole(s.name)] : []));
    if (!slots.includes('role')) findings.push({ file: header.file, line: header.line, message: `header \`${header.value}\` has no role hole` });
    if (!slots.some((s) => s !== null && ID_SLOTS.has(s))) {
      findings.push({ file: header.file, line: header.line, message: `header \`${header.value}\` has no thread id hole` });
    }
    for (const kind of MESSAGE_TEMPLATES) {
      const t = templates[kind];
      if (!t) continue;
      const first = t.text.split('\n')[0] ?? '';
      const parsed = parseHeader({ header }, first);
      const idIsHole = parsed !== null && segments(parsed.threadId).some((s) => s.kind === 'hole');
      if (!parsed || !idIsHole) {
        findings.push({
          file: t.file,
          line: t.line,
          message: `first line of the ${TEMPLATE_NAMES[kind].label} does not match the header \`${header.value}\` with a thread id hole (M1)`,
        });
      }
    }
  }

  const journal = facts.journalPath;
  if (journal) {
    const slots = segments(journal.value).flatMap((s) => (s.kind === 'hole' ? [classifyHole(s.name)] : []));
    if (!slots.includes('leader-thread-id')) {
      findings.push({ file: journal.file, line: journal.line, message: `journal path \`${journal.value}\` is not keyed by a leader thread id hole (J2)` });
    }
  }

  const required = facts.requiredTools;
  if (required) {
    const missing = MANDATORY_TOOLS.filter((t) => !required.value.includes(t));
    if (missing.length > 0) {
      findings.push({ file: required.file, line: required.line, message: `required tools lack ${missing.map((t) => `\`${t}\``).join(', ')} (T1)` });
    }
  }

  return { profile: profileOf(parts), findings: sortFindings(findings) };
}
