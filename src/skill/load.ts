// Loading a skill directory: SKILL.md (front-matter, facts), agents/openai.yaml, and the five
// templates of references/, identified by structure rather than by our file names.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseMarkdown, type MdDoc } from './markdown.ts';
import { DEFAULT_SOURCE, FACT_LABELS, PROTOCOL_DEFAULTS, extractFacts, type FactName, type FactSource, type SkillFacts } from './profile.ts';
import { makeTemplate } from './template.ts';
import { TEMPLATE_KINDS, type Finding, type SkillProfile, type Template, type TemplateKind } from './types.ts';

/** The skill directory itself is missing or unreadable (one line). */
export class SkillDirError extends Error {
  override name = 'SkillDirError';
}

export const SKILL_FILE = 'SKILL.md';
export const AGENT_FILE = 'agents/openai.yaml';
export const REFERENCES_DIR = 'references';

/** What each template kind is called, and the file name a missing one is reported under. */
export const TEMPLATE_NAMES: Record<TemplateKind, { label: string; file: string }> = {
  registration: { label: 'worker registration template', file: 'references/worker-registration-template.md' },
  dispatch: { label: 'worker dispatch template', file: 'references/worker-dispatch-template.md' },
  report: { label: 'worker report template', file: 'references/worker-report-template.md' },
  state: { label: 'leader state template', file: 'references/leader-state-template.md' },
  final: { label: 'final report template', file: 'references/final-report-template.md' },
};

/**
 * Which template a file is, from a name: registration (regist…), dispatch, final, worker
 * report (report and worker), state (state or journal); checked in that order, so
 * "final-report" is final and "worker-report" is report.
 */
export function templateKindOf(name: string): TemplateKind | null {
  const n = name.toLowerCase();
  if (/regist/.test(n)) return 'registration';
  if (/dispatch/.test(n)) return 'dispatch';
  if (/final/.test(n)) return 'final';
  if (/report/.test(n) && /worker/.test(n)) return 'report';
  if (/state|journal/.test(n)) return 'state';
  return null;
}

/** Everything read from a skill directory, complete or not (lint works on partial skills). */
export interface SkillParts {
  dir: string;
  skill: MdDoc | null;
  facts: Partial<SkillFacts>;
  templates: Partial<Record<TemplateKind, Template>>;
  /** Every reference file that is a template, with its parsed markdown. */
  templateDocs: Partial<Record<TemplateKind, MdDoc>>;
  /** Facts the skill does not state, standing in with the protocol's defaults. */
  defaulted: FactName[];
  findings: Finding[];
}

/** Far larger than any skill file written by hand (the public skill's largest is 18 KB). */
const MAX_SKILL_FILE = 512 * 1024;

/**
 * The markdown parser is quadratic or worse on a few shapes no person writes (thousands of
 * emphasis marks in one paragraph, lists or quotes nested hundreds deep) and overflows the
 * stack on deep nesting: such a file is refused by its line before it is parsed.
 */
function pathological(text: string): { line: number; what: string } | null {
  const lines = text.split('\n');
  let marks = 0;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') {
      marks = 0;
      start = i + 1;
      continue;
    }
    // Stryker disable next-line Regex: a pattern that may match nothing matches at the start anyway
    const lead = /^[\s>]*/.exec(l)![0];
    const quotes = lead.split('>').length - 1;
    if (quotes > 32) return { line: i + 1, what: `quotes nested ${quotes} deep (at most 32)` };
    const indent = lead.replace(/>/g, '').replace(/\t/g, '    ').length;
    if (indent > 128) return { line: i + 1, what: `indented ${indent} columns (at most 128)` };
    for (const c of l) if (c === '*' || c === '_' || c === '~') marks++;
    if (marks > 4000) return { line: start + 1, what: `a paragraph with more than 4000 emphasis marks (*, _, ~)` };
  }
  return null;
}

async function readText(dir: string, rel: string): Promise<string | null> {
  const path = join(dir, rel);
  try {
    // A FIFO or device would block the read forever, and a huge file would only waste it.
    const st = await stat(path);
    if (!st.isFile()) throw new SkillDirError(`${path}: not a plain file`);
    // Rounded up: a file a byte over the limit must not read as "512 KB … (at most 512 KB)".
    if (st.size > MAX_SKILL_FILE) throw new SkillDirError(`${path}: ${Math.ceil(st.size / 1024)} KB is too large for a skill file (at most 512 KB)`);
    const text = await readFile(path, 'utf8');
    const odd = pathological(text);
    if (odd) throw new SkillDirError(`${path}:${odd.line}: ${odd.what}: not a skill file a model could follow`);
    return text;
  } catch (e) {
    if (e instanceof SkillDirError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw new SkillDirError(`cannot read ${join(dir, rel)}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The reference files' names (none when references/ cannot be listed), sorted. */
async function referenceNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, REFERENCES_DIR))).filter((n) => n.endsWith('.md')).sort();
  } catch {
    return [];
  }
}

/** The values of settled reads, or the first failure among them in their order. */
function inOrder<T extends unknown[]>(settled: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  }) as T;
}

export async function readSkill(dirIn: string): Promise<SkillParts> {
  const dir = resolve(dirIn);
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new SkillDirError(`skill directory not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new SkillDirError(`not a directory: ${dir}`);
  try {
    await readdir(dir);
  } catch (e) {
    throw new SkillDirError(`cannot read skill directory ${dir}: ${(e as Error).message.split('\n')[0]}`);
  }

  const findings: Finding[] = [];
  const parts: SkillParts = { dir, skill: null, facts: {}, templates: {}, templateDocs: {}, defaulted: [], findings };

  // The files are read concurrently (each read is a few file-system round trips, and a suite
  // loads hundreds of skills), and their failures are raised in the order a one-by-one read
  // would meet them: SKILL.md, agents/openai.yaml, then the reference files by name.
  const [skillText, agentText, names] = inOrder(await Promise.allSettled([readText(dir, SKILL_FILE), readText(dir, AGENT_FILE), referenceNames(dir)]));
  const referenceTexts = inOrder(await Promise.allSettled(names.map((name) => readText(dir, `${REFERENCES_DIR}/${name}`))));

  // SKILL.md (its facts are read once the reference files are in, below)
  if (skillText === null) {
    findings.push({ file: SKILL_FILE, line: 1, level: 'error', message: 'missing SKILL.md' });
  } else {
    const doc = parseMarkdown(skillText);
    parts.skill = doc;
    if (!doc.frontMatter) {
      findings.push({ file: SKILL_FILE, line: 1, level: 'error', message: 'no YAML front-matter (a --- block with name and description)' });
    } else if (doc.frontMatter.error) {
      findings.push({
        file: SKILL_FILE,
        line: doc.frontMatter.error.line,
        level: 'error',
        message: `front-matter is not valid YAML: ${doc.frontMatter.error.message}`,
      });
    }
  }

  // agents/openai.yaml
  if (agentText === null) {
    findings.push({ file: AGENT_FILE, line: 1, level: 'warning', message: 'missing agents/openai.yaml' });
  } else {
    findings.push(...checkAgentFile(agentText));
  }

  // references/*.md
  const byKind: Partial<Record<TemplateKind, string>> = {};
  // A reference file's prose (outside its fenced template) states facts too.
  const referenceDocs: FactSource[] = [];
  for (const [i, name] of names.entries()) {
    const rel = `${REFERENCES_DIR}/${name}`;
    // A link to nowhere reads as an empty file (its template is then reported without a block).
    // Stryker disable next-line StringLiteral: any text without a heading, a fence or a fact reads as the empty one does
    const text = referenceTexts[i] ?? '';
    const doc = parseMarkdown(text, { frontMatter: false });
    referenceDocs.push({ file: rel, doc });
    // The name's `.md` needs no trimming: it holds none of the words a kind is known by.
    const kind = templateKindOf(name) ?? (doc.headings[0] ? templateKindOf(doc.headings[0].text) : null);
    if (!kind) continue;
    const first = byKind[kind];
    if (first) {
      findings.push({ file: rel, line: 1, level: 'error', message: `a second ${TEMPLATE_NAMES[kind].label} (the first is ${first})` });
      continue;
    }
    byKind[kind] = rel;
    parts.templateDocs[kind] = doc;
    const fences = doc.fences;
    if (fences.length === 0) {
      findings.push({
        file: rel,
        line: 1,
        level: 'error',
        message: `${TEMPLATE_NAMES[kind].label} has no fenced block (the verbatim text goes in one \`\`\` block)`,
      });
      continue;
    }
    if (fences.length > 1) {
      findings.push({
        file: rel,
        line: fences[1]!.open,
        level: 'error',
        message: `${TEMPLATE_NAMES[kind].label} has ${fences.length} fenced blocks; it must have exactly one (the first is at line ${fences[0]!.open})`,
      });
      continue;
    }
    const fence = fences[0]!;
    if (fence.close === null) {
      findings.push({ file: rel, line: fence.open, level: 'error', message: `the fenced block of the ${TEMPLATE_NAMES[kind].label} is never closed` });
      continue;
    }
    parts.templates[kind] = makeTemplate(kind, rel, fence.open + 1, fence.text);
  }
  for (const kind of TEMPLATE_KINDS) {
    if (!byKind[kind]) {
      findings.push({
        file: TEMPLATE_NAMES[kind].file,
        line: 1,
        level: 'error',
        message: `missing ${TEMPLATE_NAMES[kind].label} (no references/*.md named or headed like it)`,
      });
    }
  }
  if (parts.skill) {
    const { facts, findings: factFindings } = extractFacts([{ file: SKILL_FILE, doc: parts.skill }, ...referenceDocs]);
    parts.facts = facts;
    findings.push(...factFindings);
    const fm = parts.skill.frontMatter;
    for (const name of Object.keys(FACT_LABELS) as FactName[]) {
      if (facts[name]) continue;
      if (name === 'name' || name === 'description') {
        if (fm && !fm.error) findings.push({ file: SKILL_FILE, line: 1, level: 'error', message: `no ${FACT_LABELS[name]}` });
        continue;
      }
      // The protocol's own value stands in, and the author hears of it.
      const value = PROTOCOL_DEFAULTS[name];
      (parts.facts as Record<string, unknown>)[name] = { value, ...DEFAULT_SOURCE };
      parts.defaulted.push(name);
      findings.push({ file: SKILL_FILE, line: 1, level: 'warning', message: `no ${FACT_LABELS[name]}; using the protocol default ${shown(value)}` });
    }
  }
  return parts;
}

function shown(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => `\`${String(x)}\``).join(', ');
  if (v && typeof v === 'object' && 'minutes' in v) return `every ${(v as { minutes: number }).minutes} min`;
  return `\`${String(v)}\``;
}

function checkAgentFile(text: string): Finding[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    // A syntax error has a position; an alias bomb refused (a ReferenceError) has none.
    // Stryker disable next-line OptionalChaining: a position list is never empty
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    return [{ file: AGENT_FILE, line, level: 'error', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` }];
  }
  const iface = (data as { interface?: Record<string, unknown> } | null)?.interface;
  const out: Finding[] = [];
  for (const key of ['display_name', 'short_description', 'default_prompt']) {
    const v = iface?.[key];
    if (typeof v !== 'string' || v.trim() === '') {
      out.push({ file: AGENT_FILE, line: 1, level: 'warning', message: `no interface.${key}` });
    }
  }
  return out;
}

/** The profile, when every fact and every template was found. */
export function profileOf(parts: SkillParts): SkillProfile | null {
  for (const name of Object.keys(FACT_LABELS) as FactName[]) if (!parts.facts[name]) return null;
  for (const kind of TEMPLATE_KINDS) if (!parts.templates[kind]) return null;
  const templates = Object.fromEntries(TEMPLATE_KINDS.map((k) => [k, parts.templates[k]!])) as Record<TemplateKind, Template>;
  return { dir: parts.dir, ...(parts.facts as SkillFacts), templates };
}

/** By file, line and message; findings equal in all three keep their order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    // Stryker disable next-line EqualityOperator: the files differ here
    if (a.file !== b.file) return a.file < b.file ? -1 : 1;
    if (a.line !== b.line) return a.line - b.line;
    if (a.message < b.message) return -1;
    // V8's sort (a port of Python's timsort) only asks whether a comparison is below zero:
    // "equal" and "after" read the same to it.
    // Stryker disable next-line all: 0 and 1 both keep the pair in order
    return a.message > b.message ? 1 : 0;
  });
}

/**
 * Reads a skill directory. `profile` is null when a fact or a template is missing (the
 * findings say which). Throws SkillDirError when the directory cannot be read.
 */
export async function loadSkill(dir: string): Promise<{ profile: SkillProfile | null; findings: Finding[] }> {
  const parts = await readSkill(dir);
  return { profile: profileOf(parts), findings: sortFindings(parts.findings) };
}
