// The skill module: load any thread-team skill directory, derive its profile, read its
// templates as forms (fill them, read them back forgivingly), lint it. See README.md.

export * from './types.ts';
export { SkillDirError, loadSkill, readSkill, templateKindOf } from './load.ts';
export { lintSkill, atLeast } from './lint.ts';
export { RenderError } from './template.ts';
export { renderHeader, parseHeader } from './header.ts';
export { journalPathRegex } from './paths.ts';
export { classifyHole, slotFor, SLOT_SYNONYMS } from './slots.ts';
export { extractFacts, DEFAULT_SOURCE, type FactName } from './profile.ts';
export { type Form, formOf, formSlots, formSchema, parseForm } from './form.ts';
export { fillForm, type FillRow, type FillValue, type FillValues } from './form-fill.ts';
export { readForm, rowsOf, type FormReading } from './form-read.ts';
export { composeMessage } from './compose.ts';
export { paraphrase, PARAPHRASES, type Paraphrase } from './paraphrase.ts';
export { listItems } from './lines.ts';
export * from './views.ts';
