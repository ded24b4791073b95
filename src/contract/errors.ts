/**
 * Turning zod issues into ONE human line: `<tool>: <field.path>: <what is wrong>`.
 *
 *   create_thread: prompt: required
 *   wait_threads: targets: at most 8 targets (got 9)
 *   wait_threads: timeoutMs: must be at most 120000 (got 200000)
 *   create_thread: target.type: must be one of "project" | "projectless" (got "cloud")
 *   send_message_to_thread: threadID: unknown field (did you mean "threadId"?)
 *
 * The path is joined with '.', array indices included (`targets.2.threadId`); an issue about
 * the whole value is reported at `arguments` (or the given root label).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

export interface FormatOptions {
  /** What to call the value itself when the issue is at its root. Default "arguments". */
  rootLabel?: string;
  /** The schema that was parsed; used to name the allowed fields of an unknown key. */
  schema?: z.ZodType;
}

/** Format the first (most relevant) issue of a failed parse as one line. */
export function formatIssues(tool: string, issues: readonly Issue[], raw: unknown, options: FormatOptions = {}): string {
  const first = issues[0];
  if (!first) return `${tool}: ${options.rootLabel ?? 'arguments'}: invalid`;
  const { path, message } = describeIssue(first, [], raw, issues, options);
  return `${tool}: ${formatPath(path, options.rootLabel ?? 'arguments')}: ${oneLine(message)}`;
}

/** `a.b.0.c`; the root label when empty. */
export function formatPath(path: readonly PathKey[], rootLabel = 'arguments'): string {
  if (path.length === 0) return rootLabel;
  return path.map(String).join('.');
}

// ---------------------------------------------------------------------------------------

interface Described {
  path: PathKey[];
  message: string;
}

function describeIssue(issue: Issue, prefix: readonly PathKey[], raw: unknown, siblings: readonly Issue[], options: FormatOptions): Described {
  const path = [...prefix, ...issue.path];
  const value = valueAt(raw, path);
  const present = hasValueAt(raw, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (!present) return { path, message: `required${typoHint(path, siblings, prefix)}` };
      return { path, message: `must be ${typeName(issue.expected)} (got ${describeValue(value)})` };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        if (min <= 1) return { path, message: 'must not be empty' };
        return { path, message: `must be at least ${min} characters (got ${lengthOf(value)})` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { path, message: `at least ${min} ${noun(path, min)} (got ${lengthOf(value)})` };
      }
      const word = issue.inclusive === false ? 'greater than' : 'at least';
      return { path, message: `must be ${word} ${min} (got ${describeValue(value)})` };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        return { path, message: `must be at most ${max} character${max === 1 ? '' : 's'} (got ${lengthOf(value)})` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { path, message: `at most ${max} ${noun(path, max)} (got ${lengthOf(value)})` };
      }
      const word = issue.inclusive === false ? 'less than' : 'at most';
      return { path, message: `must be ${word} ${max} (got ${describeValue(value)})` };
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => jsonish(v));
      const want = allowed.length === 1 ? allowed[0]! : `one of ${allowed.join(' | ')}`;
      if (!present) return { path, message: `required (${want})` };
      return { path, message: `must be ${want} (got ${describeValue(value)})` };
    }
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '?';
      const keyPath = [...path, key];
      const allowed = options.schema ? allowedKeysAt(options.schema, path, raw) : undefined;
      let message = 'unknown field';
      const suggestion = allowed ? closest(key, allowed) : undefined;
      if (suggestion) message += ` (did you mean ${JSON.stringify(suggestion)}?)`;
      else if (allowed) message += allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (this object takes no fields)';
      if (issue.keys.length > 1) {
        message += `; also unknown: ${issue.keys
          .slice(1)
          .map((k) => JSON.stringify(k))
          .join(', ')}`;
      }
      return { path: keyPath, message };
    }
    case 'invalid_union': {
      // zod's no-match issue (its type lives apart from the union issue's) lists the discriminator's values.
      const noMatch = issue as { note?: string; options?: unknown[] };
      if (noMatch.note === 'No matching discriminator') {
        const list = (noMatch.options ?? []).map((v) => jsonish(v)).join(' | ');
        if (!present) return { path, message: `required (one of ${list})` };
        return { path, message: `must be one of ${list} (got ${describeValue(value)})` };
      }
      const best = bestBranch(issue.errors);
      if (best) return describeIssue(best[0]!, path, raw, best, options);
      return { path, message: `does not match any allowed shape (got ${describeValue(value)})` };
    }
    case 'invalid_format': {
      if (issue.format === 'regex') return { path, message: `must match ${issue.pattern ?? 'the expected pattern'}` };
      return { path, message: `must be a valid ${issue.format} (got ${describeValue(value)})` };
    }
    case 'not_multiple_of':
      return { path, message: `must be a multiple of ${String(issue.divisor)} (got ${describeValue(value)})` };
    default:
      // custom refinements and anything newer: zod's own message
      return { path, message: issue.message };
  }
}

/** The union branch that got furthest: the deepest first issue, then the fewest issues; never an empty branch. */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    const first = branch[0];
    if (!first) continue;
    const depth = first.path.length;
    if (depth > bestDepth || (depth === bestDepth && branch.length < best!.length)) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

/** " (got unknown field "promt"; a typo?)" when a required key's near-twin was sent instead. */
function typoHint(path: readonly PathKey[], siblings: readonly Issue[], prefix: readonly PathKey[]): string {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return '';
  const parent = path.slice(0, -1);
  for (const other of siblings) {
    if (other.code !== 'unrecognized_keys') continue;
    const otherPath = [...prefix, ...other.path];
    if (!samePath(otherPath, parent)) continue;
    const near = other.keys.find((k) => isNear(k, key));
    if (near !== undefined) return ` (got unknown field ${JSON.stringify(near)}; a typo?)`;
  }
  return '';
}

// ---- schema walking (for the fields an object allows) ---------------------------------

interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  discriminator?: string;
}

function defOf(schema: unknown): ZodDefLike | undefined {
  const zod = (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod;
  return zod?.def;
}

/** The schema reached by `path` (unwrapping optional/nullable, picking union branches). */
function defAt(schema: unknown, path: readonly PathKey[], raw: unknown): ZodDefLike | undefined {
  let def = defOf(schema);
  let i = 0;
  let here: unknown = raw;
  // Each step unwraps one wrapper or consumes one path key, so this ends.
  while (def) {
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) {
      def = defOf(def.innerType);
      continue;
    }
    if (def.type === 'pipe') {
      def = defOf(def.in);
      continue;
    }
    if (def.type === 'union') {
      def = pickBranch(def, here);
      continue;
    }
    if (i === path.length) return def;
    const key = path[i++]!;
    here = valueAt(here, [key]);
    // A key outside an object's shape (a catchall) ends the walk, as does anything but an
    // object, an array or a record (only a record has a valueType): no known fields.
    if (def.type === 'object') def = defOf(def.shape![String(key)]);
    else if (def.type === 'array') def = defOf(def.element);
    else def = defOf(def.valueType);
  }
  return undefined;
}

function pickBranch(union: ZodDefLike, value: unknown): ZodDefLike | undefined {
  const branches = union.options!.map(defOf) as ZodDefLike[];
  const disc = union.discriminator;
  if (disc) {
    const want = valueAt(value, [disc]);
    for (const branch of branches) {
      const found = branchMatches(branch, disc, want);
      if (found) return found;
    }
  }
  return branches.length === 1 ? branches[0] : undefined;
}

/** The object def inside `branch` whose literal `disc` admits `want` (nested unions allowed). */
function branchMatches(branch: ZodDefLike, disc: string, want: unknown): ZodDefLike | undefined {
  if (branch.type === 'union') {
    for (const inner of branch.options!) {
      const found = branchMatches(defOf(inner)!, disc, want);
      if (found) return found;
    }
    return undefined;
  }
  // zod admits only object branches (or unions of them) keyed by a literal or an enum.
  return discriminatorValues(defOf(branch.shape![disc])!).includes(want) ? branch : undefined;
}

function discriminatorValues(def: ZodDefLike & { values?: unknown[]; entries?: Record<string, unknown> }): unknown[] {
  if (def.type === 'enum') return Object.values(def.entries!);
  return def.values!;
}

function allowedKeysAt(schema: z.ZodType, path: readonly PathKey[], raw: unknown): string[] | undefined {
  const shape = defAt(schema, path, raw)?.shape;
  return shape && Object.keys(shape);
}

// ---- small helpers --------------------------------------------------------------------

function valueAt(raw: unknown, path: readonly PathKey[]): unknown {
  let here: unknown = raw;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

function hasValueAt(raw: unknown, path: readonly PathKey[]): boolean {
  if (path.length === 0) return raw !== undefined;
  const parent = valueAt(raw, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return false;
  const key = path[path.length - 1]!;
  return Object.hasOwn(parent, key) && (parent as Record<PropertyKey, unknown>)[key] !== undefined;
}

function samePath(a: readonly PathKey[], b: readonly PathKey[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'nan':
      return 'NaN';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

/** Short description of a received value for "(got …)". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return truncate(JSON.stringify(value), 48);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function lengthOf(value: unknown): number | string {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Set) return value.size;
  return describeValue(value);
}

function jsonish(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** "targets" → "target"/"targets" by count; "items" when the path ends in an index. */
function noun(path: readonly PathKey[], count: number): string {
  const last = path[path.length - 1];
  const plural = /^[A-Za-z]+s$/.test(String(last)) ? String(last) : 'items';
  return count === 1 ? plural.slice(0, -1) : plural;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    if (!isNear(key, candidate)) continue;
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function isNear(a: string, b: string): boolean {
  if (a === b) return false;
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  // Same letters in another case are distance 0, within every limit.
  const limit = Math.min(2, Math.floor(Math.max(la.length, lb.length) / 3));
  return distance(la, lb) <= limit;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
