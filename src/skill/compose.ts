// Writing a message from a template: the form filled in, and the header line first. Most
// skills put `From: <role> (thread ID: <id>)` at the top of their message templates; one that
// states the header only in its prose (every cross-thread message starts with it) gets it
// added above the template, as a careful leader would.

import { fillForm, type FillOptions, type FillValues } from './form-fill.ts';
import { formOf } from './form.ts';
import { parseHeader, renderHeader } from './header.ts';
import type { SkillProfile, TemplateKind } from './types.ts';

/** Whether a template's first line that says anything is the header (with holes for the sender). */
export function templateHasHeader(profile: Pick<SkillProfile, 'header' | 'templates'>, kind: TemplateKind): boolean {
  // parseHeader reads the first line that says anything, as a worker reads a message.
  return parseHeader(profile, profile.templates[kind].text) !== null;
}

export function composeMessage(
  profile: Pick<SkillProfile, 'header' | 'templates'>,
  kind: TemplateKind,
  values: FillValues,
  opts: FillOptions,
  from: { role: string; id: string } | null,
): string {
  const t = profile.templates[kind];
  const text = fillForm(formOf(kind, t.file, t.line, t.text), values, opts);
  return from && !templateHasHeader(profile, kind) ? `${renderHeader(profile, from.role, from.id)}\n\n${text}` : text;
}
