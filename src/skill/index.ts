// The skill module: load any thread-team skill directory, derive its profile, render and
// parse its templates, lint it. See README.md for the rules.

export * from './types.ts';
export { SkillDirError, loadSkill, readSkill, templateKindOf, TEMPLATE_NAMES, type SkillParts } from './load.ts';
export { lintSkill, REQUIRED_SLOTS, MANDATORY_TOOLS } from './lint.ts';
export { RenderError, renderTemplate, parseRendered, unfilledHoles, makeTemplate, templateSlots, segments, inlineSlots, foldInline } from './template.ts';
export { renderHeader, parseHeader } from './header.ts';
export { journalPathRegex } from './paths.ts';
export { classifyHole, SLOT_SYNONYMS } from './slots.ts';
export { extractFacts, KNOWN_TOOLS, THINKING_VALUES, FACT_LABELS, type SkillFacts, type FactName } from './profile.ts';
