// The skill module: load any thread-team skill directory, derive its profile, read its
// templates as forms (fill them, read them back forgivingly), lint it. See README.md.

export * from './types.ts';
export { SkillDirError, loadSkill, readSkill, templateKindOf, TEMPLATE_NAMES, type SkillParts } from './load.ts';
export { lintSkill, atLeast, REQUIRED_SLOTS, MANDATORY_TOOLS } from './lint.ts';
export { RenderError, makeTemplate, segments, unfilledHoles } from './template.ts';
export { renderHeader, parseHeader } from './header.ts';
export { journalPathRegex } from './paths.ts';
export { classifyHole, classifyName, slotFor, SLOT_SYNONYMS } from './slots.ts';
export { extractFacts, KNOWN_TOOLS, THINKING_VALUES, FACT_LABELS, PROTOCOL_DEFAULTS, DEFAULT_SOURCE, type SkillFacts, type FactName } from './profile.ts';
export { type Form, type FormElement, type Piece, formOf, formHoles, formSlots, formSchema, parseForm } from './form.ts';
export { fillForm, type FillOptions, type FillRow, type FillValue, type FillValues } from './form-fill.ts';
export { readForm, readableLines, rowsOf, slotValue, type FormReading, type Row } from './form-read.ts';
export { composeMessage, templateHasHeader } from './compose.ts';
export { paraphrase, PARAPHRASES, type Paraphrase } from './paraphrase.ts';
export { listItems, plain, norm, labelled } from './lines.ts';
export * from './views.ts';
