// The message header (M1), built from the profile's header fact.

import { readableLines } from './form-read.ts';
import { escapeRegExp, plain } from './lines.ts';
import { RenderError, segments } from './template.ts';
import { ID_SLOTS, classifyHole } from './slots.ts';
import type { SkillProfile } from './types.ts';

type HeaderSource = Pick<SkillProfile, 'header'>;

function holeRole(name: string): 'role' | 'id' | null {
  const slot = classifyHole(name);
  if (slot === 'role') return 'role';
  if (slot && ID_SLOTS.has(slot)) return 'id';
  return null;
}

/** The header line for a role and thread id, e.g. `From: backend (thread ID: t-2)`. */
export function renderHeader(profile: HeaderSource, role: string, threadId: string): string {
  let out = '';
  for (const s of segments(profile.header.value)) {
    if (s.kind === 'lit') {
      out += s.text;
      continue;
    }
    const what = holeRole(s.name);
    if (!what) throw new RenderError(`${profile.header.file}:${profile.header.line}: header hole <${s.name}> is neither a role nor a thread id`);
    out += what === 'role' ? role : threadId;
  }
  return out;
}

/**
 * Reads the header off the first line of a message (unwrapping a delegation envelope
 * first), or null when that line does not have the header's shape.
 */
export function parseHeader(profile: HeaderSource, text: string): { role: string; threadId: string } | null {
  // The first line that says anything, bold or code marks aside (a fence line says nothing;
  // readable lines carry no trailing blanks, so a line of spaces is already empty).
  const first = plain(readableLines(text).find((l) => l !== '') ?? '');
  let src = '^';
  const order: ('role' | 'id' | null)[] = [];
  for (const s of segments(profile.header.value)) {
    if (s.kind === 'lit') {
      src += escapeRegExp(s.text).replace(/ /g, '\\s+');
      continue;
    }
    order.push(holeRole(s.name));
    src += '(.+?)';
  }
  const m = new RegExp(`${src}\\s*$`).exec(first);
  if (!m) return null;
  let role: string | undefined;
  let threadId: string | undefined;
  order.forEach((what, i) => {
    const v = m[i + 1]!.trim();
    if (what === 'role') role ??= v;
    if (what === 'id') threadId ??= v;
  });
  if (!role || !threadId) return null;
  return { role, threadId };
}
