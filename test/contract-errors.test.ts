/**
 * The exact one-line validation errors of `src/contract/errors.ts`.
 *
 * A leader that calls a tool with bad arguments reads nothing but this line, so its wording is
 * part of the contract. Every case below compares the WHOLE string: a change to any branch or
 * fragment of the formatter (the path, the root label, "required", the typo hint, the allowed
 * fields, the singular/plural noun, "(got …)") makes at least one case fail. Most cases build a
 * tiny zod schema inline and format the issues of a failed `safeParse`; the last groups go
 * through the real tool registry (`validateArgs` / `validateResult`). A few issue lists that zod
 * never produces are built by hand, to pin the formatter's defensive fallbacks.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeValue, formatIssues, formatPath, validateArgs, validateResult, type FormatOptions } from '../src/contract/index.js';

type Issue = z.core.$ZodIssue;
type Row = [label: string, schema: z.ZodType, raw: unknown, expected: string];

/** Parse `raw` with `schema` (which must reject it) and format the issues as validateArgs does. */
function fail(schema: z.ZodType, raw: unknown, options: FormatOptions = {}): string {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error('the schema accepted the value');
  return formatIssues('tool', result.error.issues, raw, { schema, ...options });
}

/** A hand-built issue (zod never produces these shapes; they exercise defensive branches). */
function issue(fields: Record<string, unknown>): Issue {
  return { message: 'zod message', ...fields } as unknown as Issue;
}

function failingArgs(name: string, raw: unknown): string {
  const result = validateArgs(name, raw);
  if (result.ok) throw new Error(`${name} accepted the arguments`);
  return result.error;
}

const checkRows = (rows: Row[]) =>
  it.each(rows)('%s', (_label, schema, raw, expected) => {
    expect(fail(schema, raw)).toBe(expected);
  });

// 46 characters: JSON-quoted it is exactly 48, the longest string shown whole.
const LEN_46 = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst';

// =======================================================================================
// The path and the root label
// =======================================================================================

describe('formatPath', () => {
  it.each<[label: string, path: PropertyKey[], rootLabel: string | undefined, expected: string]>([
    ['empty path, default label', [], undefined, 'arguments'],
    ['empty path, custom label', [], 'payload', 'payload'],
    ['one key (the label is not used)', ['prompt'], 'payload', 'prompt'],
    ['keys and array indices joined with dots', ['targets', 2, 'threadId'], undefined, 'targets.2.threadId'],
    ['symbol keys', [Symbol('meta'), 'x'], undefined, 'Symbol(meta).x'],
  ])('%s', (_label, path, rootLabel, expected) => {
    expect(rootLabel === undefined ? formatPath(path) : formatPath(path, rootLabel)).toBe(expected);
  });
});

describe('formatIssues: the line around the message', () => {
  it('no issues at all: the root is merely "invalid"', () => {
    expect(formatIssues('t', [], { any: 1 })).toBe('t: arguments: invalid');
  });

  it('no issues, custom root label', () => {
    expect(formatIssues('t', [], { any: 1 }, { rootLabel: 'payload' })).toBe('t: payload: invalid');
  });

  it('an issue about the whole value is reported at "arguments"', () => {
    expect(fail(z.object({}), 5)).toBe('tool: arguments: must be an object (got 5)');
  });

  it('an issue about the whole value is reported at the custom root label', () => {
    expect(fail(z.object({}), 5, { rootLabel: 'payload' })).toBe('tool: payload: must be an object (got 5)');
  });

  it('a symbol key in the path (a record keyed by symbols)', () => {
    const tag = Symbol('tag');
    const schema = z.object({ a: z.record(z.symbol(), z.string()) });
    expect(fail(schema, { a: { [tag]: 1 } })).toBe('tool: a.Symbol(tag): must be a string (got 1)');
  });

  it('only the first issue is reported', () => {
    expect(fail(z.object({ a: z.string(), b: z.string() }), {})).toBe('tool: a: required');
  });
});

// =======================================================================================
// invalid_type
// =======================================================================================

describe('invalid_type: a missing value is "required"', () => {
  checkRows([
    ['absent key', z.object({ name: z.string() }), {}, 'tool: name: required'],
    ['key present but undefined', z.object({ name: z.string() }), { name: undefined }, 'tool: name: required'],
    ['the whole value undefined', z.object({}), undefined, 'tool: arguments: required'],
    ['nested key', z.object({ inner: z.object({ name: z.string() }) }), { inner: {} }, 'tool: inner.name: required'],
    ['undefined array element', z.object({ items: z.array(z.string()) }), { items: ['a', undefined] }, 'tool: items.1: required'],
    ['nested object absent', z.object({ inner: z.object({ name: z.string() }) }), {}, 'tool: inner: required'],
    // zod reads the inherited Object.prototype.constructor; the formatter only counts own keys.
    ['a field named like an inherited member', z.object({ constructor: z.string() }), {}, 'tool: constructor: required'],
  ]);
});

describe('invalid_type: a present value "must be <type> (got <value>)"', () => {
  checkRows([
    ['string, got a number', z.object({ s: z.string() }), { s: 5 }, 'tool: s: must be a string (got 5)'],
    ['number, got a string', z.object({ n: z.number() }), { n: '5' }, 'tool: n: must be a number (got "5")'],
    ['number, got Infinity', z.object({ n: z.number() }), { n: Infinity }, 'tool: n: must be a number (got Infinity)'],
    ['integer, got a fraction', z.object({ n: z.number().int() }), { n: 1.5 }, 'tool: n: must be an integer (got 1.5)'],
    ['boolean, got a string', z.object({ b: z.boolean() }), { b: 'yes' }, 'tool: b: must be true or false (got "yes")'],
    ['boolean, got null', z.object({ b: z.boolean() }), { b: null }, 'tool: b: must be true or false (got null)'],
    ['object, got null', z.object({ o: z.object({}) }), { o: null }, 'tool: o: must be an object (got null)'],
    ['object, got an array', z.object({ o: z.object({}) }), { o: [1, 2] }, 'tool: o: must be an object (got an array of 2)'],
    ['array, got an object', z.object({ a: z.array(z.string()) }), { a: {} }, 'tool: a: must be an array (got an object)'],
    ['array, got a string', z.object({ a: z.array(z.string()) }), { a: 'x' }, 'tool: a: must be an array (got "x")'],
    ['string, got true', z.object({ s: z.string() }), { s: true }, 'tool: s: must be a string (got true)'],
    ['string, got false', z.object({ s: z.string() }), { s: false }, 'tool: s: must be a string (got false)'],
    ['string, got an empty array', z.object({ s: z.string() }), { s: [] }, 'tool: s: must be a string (got an array of 0)'],
    ['string inside an array', z.object({ a: z.array(z.string()) }), { a: ['x', 7] }, 'tool: a.1: must be a string (got 7)'],
    ['date', z.object({ d: z.date() }), { d: 1 }, 'tool: d: must be a date (got 1)'],
    ['NaN', z.object({ n: z.nan() }), { n: 1 }, 'tool: n: must be NaN (got 1)'],
    // The article follows the first letter of the type name.
    ['undefined (an article before a vowel)', z.object({ u: z.undefined() }), { u: 1 }, 'tool: u: must be an undefined (got 1)'],
    ['string, got a bigint', z.object({ s: z.string() }), { s: 10n }, 'tool: s: must be a string (got 10)'],
    ['string, got a symbol', z.object({ s: z.string() }), { s: Symbol('x') }, 'tool: s: must be a string (got a symbol)'],
    ['string, got a function', z.object({ s: z.string() }), { s: () => 1 }, 'tool: s: must be a string (got a function)'],
    ['number, got a 46-character string (shown whole)', z.object({ n: z.number() }), { n: LEN_46 }, `tool: n: must be a number (got "${LEN_46}")`],
    [
      'number, got a 47-character string (cut to 48 characters with an ellipsis)',
      z.object({ n: z.number() }),
      { n: `${LEN_46}u` },
      `tool: n: must be a number (got "${LEN_46}…)`,
    ],
    ['number, got a string with quotes and a newline', z.object({ n: z.number() }), { n: 'a"b\nc' }, 'tool: n: must be a number (got "a\\"b\\nc")'],
  ]);
});

describe('describeValue: the "(got …)" part', () => {
  it.each<[label: string, value: unknown, expected: string]>([
    ['undefined', undefined, 'nothing'],
    ['null', null, 'null'],
    ['empty array', [], 'an array of 0'],
    ['array', [1, 2, 3], 'an array of 3'],
    ['string (JSON-quoted)', 'hi', '"hi"'],
    ['empty string', '', '""'],
    ['48 characters once quoted', LEN_46, `"${LEN_46}"`],
    ['49 characters once quoted', `${LEN_46}u`, `"${LEN_46}…`],
    ['number', 3, '3'],
    ['negative fraction', -0.5, '-0.5'],
    ['boolean', false, 'false'],
    ['bigint', 10n, '10'],
    ['object', { a: 1 }, 'an object'],
    ['date (an object)', new Date(0), 'an object'],
    ['symbol', Symbol('s'), 'a symbol'],
    ['function', () => 1, 'a function'],
  ])('%s', (_label, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});

// =======================================================================================
// The typo hint on a missing required field
// =======================================================================================

describe('invalid_type: the typo hint on a missing field', () => {
  const strict = z.strictObject({ prompt: z.string(), size: z.number().optional() });
  checkRows([
    ['a near-miss key was sent instead', strict, { promt: 'x' }, 'tool: prompt: required (got unknown field "promt"; a typo?)'],
    ['a case-only difference', z.strictObject({ threadId: z.string() }), { threadID: 't' }, 'tool: threadId: required (got unknown field "threadID"; a typo?)'],
    ['an unrelated unknown key gives no hint', strict, { zzz: 'x' }, 'tool: prompt: required'],
    ['the near-miss is found among several unknown keys', strict, { aaa: 1, promt: 'x' }, 'tool: prompt: required (got unknown field "promt"; a typo?)'],
    [
      'the near-miss inside a nested object',
      z.strictObject({ inner: z.strictObject({ prompt: z.string() }) }),
      { inner: { promt: 'x' } },
      'tool: inner.prompt: required (got unknown field "promt"; a typo?)',
    ],
    [
      'a near-miss on ANOTHER object gives no hint',
      z.strictObject({ inner: z.object({ prompt: z.string() }) }),
      { inner: {}, promt: 'x' },
      'tool: inner.prompt: required',
    ],
    [
      'a near-miss on a sibling object at the same depth gives no hint',
      z.strictObject({ inner: z.object({ prompt: z.string() }), other: z.strictObject({}) }),
      { inner: {}, other: { promt: 'x' } },
      'tool: inner.prompt: required',
    ],
    [
      'a near-miss inside a union branch (paths relative to the union)',
      z.object({
        t: z.union([z.strictObject({ prompt: z.string() }), z.strictObject({ id: z.number() })]),
      }),
      { t: { promt: 'x' } },
      'tool: t.prompt: required (got unknown field "promt"; a typo?)',
    ],
  ]);
});

// A prefault value is parsed like an input, so it can fail where the raw input has nothing.
describe('a value filled in by prefault: the formatter still reads the raw input', () => {
  const emptyB = {} as { b: string };
  checkRows([
    ['inside an absent object', z.object({ a: z.object({ b: z.string() }).prefault(emptyB) }), {}, 'tool: a.b: required'],
    ['an absent array', z.object({ tags: z.array(z.string()).min(1).prefault([]) }), {}, 'tool: tags: at least 1 tag (got nothing)'],
    ['an absent string', z.object({ s: z.string().min(3).prefault('') }), {}, 'tool: s: must be at least 3 characters (got nothing)'],
  ]);
});

// =======================================================================================
// too_small / too_big
// =======================================================================================

describe('too_small', () => {
  checkRows([
    ['string min 1', z.object({ s: z.string().min(1) }), { s: '' }, 'tool: s: must not be empty'],
    ['string min 3', z.object({ s: z.string().min(3) }), { s: 'ab' }, 'tool: s: must be at least 3 characters (got 2)'],
    ['string of exact length, too short', z.object({ s: z.string().length(3) }), { s: 'ab' }, 'tool: s: must be at least 3 characters (got 2)'],
    ['array min 1, singular of the field name', z.object({ targets: z.array(z.number()).min(1) }), { targets: [] }, 'tool: targets: at least 1 target (got 0)'],
    ['array min 2, plural field name', z.object({ tags: z.array(z.number()).min(2) }), { tags: [1] }, 'tool: tags: at least 2 tags (got 1)'],
    ['camelCase plural field', z.object({ threadIds: z.array(z.number()).min(2) }), { threadIds: [1] }, 'tool: threadIds: at least 2 threadIds (got 1)'],
    [
      'camelCase plural field, singular',
      z.object({ threadIds: z.array(z.number()).min(1) }),
      { threadIds: [] },
      'tool: threadIds: at least 1 threadId (got 0)',
    ],
    ['field not ending in s', z.object({ list: z.array(z.number()).min(2) }), { list: [1] }, 'tool: list: at least 2 items (got 1)'],
    ['field ending in s after a non-letter', z.object({ x_ids: z.array(z.number()).min(2) }), { x_ids: [1] }, 'tool: x_ids: at least 2 items (got 1)'],
    ['field with an inner s only', z.object({ idsList: z.array(z.number()).min(2) }), { idsList: [1] }, 'tool: idsList: at least 2 items (got 1)'],
    ['array at the root', z.array(z.number()).min(2), [1], 'tool: arguments: at least 2 items (got 1)'],
    ['set min 2: its size', z.object({ tags: z.set(z.number()).min(2) }), { tags: new Set([1]) }, 'tool: tags: at least 2 tags (got 1)'],
    ['array under an index', z.array(z.array(z.number()).min(2)), [[1]], 'tool: 0: at least 2 items (got 1)'],
    ['array under an index, singular', z.object({ groups: z.array(z.array(z.number()).min(1)) }), { groups: [[]] }, 'tool: groups.0: at least 1 item (got 0)'],
    ['tuple too short', z.tuple([z.string(), z.string()]), ['a'], 'tool: arguments: at least 2 items (got 1)'],
    ['number min, inclusive', z.object({ n: z.number().min(5) }), { n: 3 }, 'tool: n: must be at least 5 (got 3)'],
    ['number nonnegative', z.object({ n: z.number().nonnegative() }), { n: -1 }, 'tool: n: must be at least 0 (got -1)'],
    ['number gt, exclusive', z.object({ n: z.number().gt(0) }), { n: 0 }, 'tool: n: must be greater than 0 (got 0)'],
    ['number positive, exclusive', z.object({ n: z.number().positive() }), { n: -2 }, 'tool: n: must be greater than 0 (got -2)'],
    ['bigint min', z.object({ n: z.bigint().min(5n) }), { n: 3n }, 'tool: n: must be at least 5 (got 3)'],
  ]);
});

describe('too_big', () => {
  checkRows([
    ['string max', z.object({ s: z.string().max(5) }), { s: 'abcdefg' }, 'tool: s: must be at most 5 characters (got 7)'],
    ['string max 1, singular', z.object({ s: z.string().max(1) }), { s: 'ab' }, 'tool: s: must be at most 1 character (got 2)'],
    ['string of exact length, too long', z.object({ s: z.string().length(3) }), { s: 'abcd' }, 'tool: s: must be at most 3 characters (got 4)'],
    ['array max, plural', z.object({ tags: z.array(z.number()).max(2) }), { tags: [1, 2, 3] }, 'tool: tags: at most 2 tags (got 3)'],
    ['array max 1, singular', z.object({ tags: z.array(z.number()).max(1) }), { tags: [1, 2] }, 'tool: tags: at most 1 tag (got 2)'],
    ['array at the root, singular', z.array(z.number()).max(1), [1, 2], 'tool: arguments: at most 1 item (got 2)'],
    ['set max 1, singular: its size', z.object({ tags: z.set(z.number()).max(1) }), { tags: new Set([1, 2]) }, 'tool: tags: at most 1 tag (got 2)'],
    [
      'array under an index, plural',
      z.object({ groups: z.array(z.array(z.number()).max(2)) }),
      { groups: [[1, 2, 3]] },
      'tool: groups.0: at most 2 items (got 3)',
    ],
    ['number max, inclusive', z.object({ n: z.number().max(10) }), { n: 11 }, 'tool: n: must be at most 10 (got 11)'],
    ['number lt, exclusive', z.object({ n: z.number().lt(10) }), { n: 10 }, 'tool: n: must be less than 10 (got 10)'],
    ['bigint max', z.object({ n: z.bigint().max(5n) }), { n: 6n }, 'tool: n: must be at most 5 (got 6)'],
  ]);
});

// =======================================================================================
// invalid_value
// =======================================================================================

describe('invalid_value', () => {
  checkRows([
    ['enum, wrong value', z.object({ e: z.enum(['a', 'b']) }), { e: 'c' }, 'tool: e: must be one of "a" | "b" (got "c")'],
    ['enum, null', z.object({ e: z.enum(['a', 'b']) }), { e: null }, 'tool: e: must be one of "a" | "b" (got null)'],
    ['enum, missing', z.object({ e: z.enum(['a', 'b']) }), {}, 'tool: e: required (one of "a" | "b")'],
    ['string literal, wrong value', z.object({ l: z.literal('x') }), { l: 'y' }, 'tool: l: must be "x" (got "y")'],
    ['string literal, missing', z.object({ l: z.literal('x') }), {}, 'tool: l: required ("x")'],
    ['number literal, given as a string', z.object({ l: z.literal(4) }), { l: '4' }, 'tool: l: must be 4 (got "4")'],
    ['null literal', z.object({ l: z.literal(null) }), { l: 0 }, 'tool: l: must be null (got 0)'],
    ['bigint literal', z.object({ l: z.literal(10n) }), { l: 5n }, 'tool: l: must be 10 (got 5)'],
    ['mixed literals', z.object({ l: z.literal(['a', 1, true]) }), { l: 'x' }, 'tool: l: must be one of "a" | 1 | true (got "x")'],
  ]);
});

// =======================================================================================
// unrecognized_keys
// =======================================================================================

describe('unrecognized_keys: what follows "unknown field"', () => {
  const opt = z.string().optional();
  checkRows([
    [
      'a near-miss: a suggestion',
      z.strictObject({ threadId: z.string() }),
      { threadId: 't', threadID: 't' },
      'tool: threadID: unknown field (did you mean "threadId"?)',
    ],
    ['no near-miss: the allowed fields', z.strictObject({ name: opt, size: opt }), { zzz: 1 }, 'tool: zzz: unknown field (allowed: name, size)'],
    ['an object without fields', z.strictObject({}), { extra: 1 }, 'tool: extra: unknown field (this object takes no fields)'],
    ['several unknown keys', z.strictObject({}), { a: 1, b: 2, c: 3 }, 'tool: a: unknown field (this object takes no fields); also unknown: "b", "c"'],
    [
      'several unknown keys, the first a near-miss',
      z.strictObject({ name: opt }),
      { nme: 1, zzz: 2 },
      'tool: nme: unknown field (did you mean "name"?); also unknown: "zzz"',
    ],
    ['in a nested object', z.strictObject({ inner: z.strictObject({ keep: opt }) }), { inner: { zz: 1 } }, 'tool: inner.zz: unknown field (allowed: keep)'],
    [
      'in an array element',
      z.strictObject({ list: z.array(z.strictObject({ keep: opt })) }),
      { list: [{}, { kep: 1 }] },
      'tool: list.1.kep: unknown field (did you mean "keep"?)',
    ],
  ]);

  it('without the schema, no hint at all', () => {
    const schema = z.strictObject({ name: opt });
    const raw = { nme: 1, zzz: 2 };
    const result = schema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(formatIssues('tool', result.error?.issues ?? [], raw)).toBe('tool: nme: unknown field; also unknown: "zzz"');
  });
});

describe('unrecognized_keys: near-miss rules (case-insensitive edit distance, at most 2, at most a third of the length)', () => {
  const only = (...keys: string[]) => z.strictObject(Object.fromEntries(keys.map((k) => [k, z.string().optional()])));
  checkRows([
    ['one letter missing', only('prompt'), { promt: 1 }, 'tool: promt: unknown field (did you mean "prompt"?)'],
    ['two letters missing from a 6-letter name', only('prompt'), { prom: 1 }, 'tool: prom: unknown field (did you mean "prompt"?)'],
    ['two letters swapped in a 6-letter name', only('prompt'), { promtp: 1 }, 'tool: promtp: unknown field (did you mean "prompt"?)'],
    ['one letter changed', only('threadId'), { threadIb: 1 }, 'tool: threadIb: unknown field (did you mean "threadId"?)'],
    ['one letter changed in a 4-letter name', only('name'), { nane: 1 }, 'tool: nane: unknown field (did you mean "name"?)'],
    ['one letter missing from a 4-letter name', only('name'), { nam: 1 }, 'tool: nam: unknown field (did you mean "name"?)'],
    ['two letters missing from a 4-letter name: too far', only('name'), { nm: 1 }, 'tool: nm: unknown field (allowed: name)'],
    ['two letters swapped in a 4-letter name: too far', only('name'), { nmae: 1 }, 'tool: nmae: unknown field (allowed: name)'],
    ['three extra leading letters: too far', only('name'), { xyzname: 1 }, 'tool: xyzname: unknown field (allowed: name)'],
    ['one extra letter on a 2-letter name', only('id'), { ids: 1 }, 'tool: ids: unknown field (did you mean "id"?)'],
    ['case only, even when short', only('id'), { ID: 1 }, 'tool: ID: unknown field (did you mean "id"?)'],
    ['case only, the field in capitals', only('ID'), { id: 1 }, 'tool: id: unknown field (did you mean "ID"?)'],
    ['one letter changed in a 1-letter name: too far', only('y'), { x: 1 }, 'tool: x: unknown field (allowed: y)'],
    ['three extra letters on a long name: over the cap of 2', only('threadId'), { threadIdxyz: 1 }, 'tool: threadIdxyz: unknown field (allowed: threadId)'],
    ['the nearest of two candidates wins', only('prompts', 'prompt'), { promt: 1 }, 'tool: promt: unknown field (did you mean "prompt"?)'],
    ['a tie goes to the first candidate', only('abcd', 'abce'), { abc: 1 }, 'tool: abc: unknown field (did you mean "abcd"?)'],
    // Both candidates are one edit away once lower-cased, so the first one wins.
    ['ties are judged ignoring the case of the key', only('abcdx', 'abce'), { abcD: 1 }, 'tool: abcD: unknown field (did you mean "abcdx"?)'],
    ['ties are judged ignoring the case of the field', only('abcDx', 'abce'), { abcd: 1 }, 'tool: abcd: unknown field (did you mean "abcDx"?)'],
  ]);
});

describe('unrecognized_keys: finding the allowed fields through wrappers and unions', () => {
  const inner = z.strictObject({ keep: z.string().optional() });
  const raw = { a: { zz: 1 } };
  const expected = 'tool: a.zz: unknown field (allowed: keep)';
  checkRows([
    ['optional', z.object({ a: inner.optional() }), raw, expected],
    ['nullable', z.object({ a: inner.nullable() }), raw, expected],
    ['default', z.object({ a: inner.default({}) }), raw, expected],
    ['prefault', z.object({ a: inner.prefault({}) }), raw, expected],
    ['readonly', z.object({ a: inner.readonly() }), raw, expected],
    ['nonoptional', z.object({ a: inner.optional().nonoptional() }), raw, expected],
    ['transform (a pipe)', z.object({ a: inner.transform((v) => v) }), raw, expected],
    ['a single-branch union', z.object({ a: z.union([inner]) }), raw, expected],
    ['record values', z.record(z.string(), inner), raw, expected],
    ['array elements', z.object({ a: z.array(inner) }), { a: [{ zz: 1 }] }, 'tool: a.0.zz: unknown field (allowed: keep)'],
    // A key outside the shape (a catchall) or inside a tuple: no known fields, the key is still reported.
    ['a catchall key', z.object({}).catchall(inner), raw, 'tool: a.zz: unknown field'],
    ['a tuple element', z.object({ a: z.tuple([inner]) }), { a: [{ zz: 1 }] }, 'tool: a.0.zz: unknown field'],
    // Two plain branches: no way to tell which one was meant.
    [
      'a plain union of two objects',
      z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })]),
      { a: 'x', zz: 1 },
      'tool: zz: unknown field',
    ],
  ]);

  it('catch (its parse never fails, so the issues come from the same object without it)', () => {
    const issues = z.object({ a: inner }).safeParse(raw).error?.issues ?? [];
    const schema = z.object({ a: inner.catch({}) });
    expect(formatIssues('tool', issues, raw, { schema })).toBe(expected);
  });

  const alpha = z.strictObject({ kind: z.literal('a'), alpha: z.string() });
  const beta = z.strictObject({ kind: z.literal('b'), beta: z.string() });
  const gamma = z.strictObject({ kind: z.literal('c'), gamma: z.string() });
  checkRows([
    [
      'discriminated union: the branch named by the discriminator',
      z.discriminatedUnion('kind', [alpha, beta]),
      { kind: 'b', beta: 'x', zz: 1 },
      'tool: zz: unknown field (allowed: kind, beta)',
    ],
    [
      'discriminated union nested in a discriminated union',
      z.discriminatedUnion('kind', [z.discriminatedUnion('kind', [alpha, beta]), gamma]),
      { kind: 'b', beta: 'x', zz: 1 },
      'tool: zz: unknown field (allowed: kind, beta)',
    ],
    [
      'discriminated union keyed by an enum',
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.enum(['a', 'A']), alpha: z.string() }),
        z.strictObject({ kind: z.enum(['b', 'B']), beta: z.string() }),
      ]),
      { kind: 'B', beta: 'x', zz: 1 },
      'tool: zz: unknown field (allowed: kind, beta)',
    ],
    [
      'discriminated union under a key',
      z.object({ t: z.discriminatedUnion('kind', [alpha, beta]) }),
      { t: { kind: 'a', alpha: 'x', alpa: 1 } },
      'tool: t.alpa: unknown field (did you mean "alpha"?)',
    ],
  ]);
});

// =======================================================================================
// invalid_union
// =======================================================================================

describe('invalid_union: a discriminator that matches no branch', () => {
  const target = z.discriminatedUnion('type', [z.object({ type: z.literal('a') }), z.object({ type: z.literal('b') })]);
  checkRows([
    ['missing', z.object({ target }), { target: {} }, 'tool: target.type: required (one of "a" | "b")'],
    ['wrong', z.object({ target }), { target: { type: 'c' } }, 'tool: target.type: must be one of "a" | "b" (got "c")'],
    ['wrong type', z.object({ target }), { target: { type: 1 } }, 'tool: target.type: must be one of "a" | "b" (got 1)'],
    [
      'numeric discriminator',
      z.discriminatedUnion('v', [z.object({ v: z.literal(1) }), z.object({ v: z.literal(2) })]),
      { v: 3 },
      'tool: v: must be one of 1 | 2 (got 3)',
    ],
    ['not an object at all', z.object({ target }), { target: 'a' }, 'tool: target: must be an object (got "a")'],
  ]);
});

describe('invalid_union: the branch that got furthest is described', () => {
  const flat = z.object({ kind: z.literal('x') });
  const deep = z.object({ inner: z.object({ n: z.number() }) });
  checkRows([
    ['the deeper first issue wins (deep branch second)', z.union([flat, deep]), { inner: { n: 'one' } }, 'tool: inner.n: must be a number (got "one")'],
    ['the deeper first issue wins (deep branch first)', z.union([deep, flat]), { inner: { n: 'one' } }, 'tool: inner.n: must be a number (got "one")'],
    [
      'depth beats the number of issues',
      z.union([z.object({ x: z.string() }), z.object({ inner: z.object({ p: z.string(), q: z.string() }), r: z.string() })]),
      { inner: {} },
      'tool: inner.p: required',
    ],
    [
      'depth beats the number of issues (deeper first)',
      z.union([z.object({ inner: z.object({ p: z.string(), q: z.string() }), r: z.string() }), z.object({ x: z.string() })]),
      { inner: {} },
      'tool: inner.p: required',
    ],
    [
      'same depth: the fewest issues win (fewer second)',
      z.union([z.object({ a: z.string(), b: z.string() }), z.object({ c: z.string() })]),
      {},
      'tool: c: required',
    ],
    [
      'same depth: the fewest issues win (fewer first)',
      z.union([z.object({ c: z.string() }), z.object({ a: z.string(), b: z.string() })]),
      {},
      'tool: c: required',
    ],
    ['same depth and count: the first branch', z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]), {}, 'tool: a: required'],
    ['primitives at the root', z.union([z.string(), z.number()]), true, 'tool: arguments: must be a string (got true)'],
    [
      'a union inside the chosen branch, under a key',
      z.object({ u: z.union([z.object({ v: z.union([z.string(), z.number()]) }), z.null()]) }),
      { u: { v: true } },
      'tool: u.v: must be a string (got true)',
    ],
    ['no branch at all', z.union([]), 5, 'tool: arguments: does not match any allowed shape (got 5)'],
    ['no branch at all, value missing', z.object({ u: z.union([]) }), {}, 'tool: u: does not match any allowed shape (got nothing)'],
  ]);
});

// =======================================================================================
// invalid_format, not_multiple_of, custom and the rest
// =======================================================================================

describe('invalid_format', () => {
  checkRows([
    ['regex: the pattern is shown', z.object({ s: z.string().regex(/^a+$/) }), { s: 'b' }, 'tool: s: must match /^a+$/'],
    ['email', z.object({ s: z.email() }), { s: 'nope' }, 'tool: s: must be a valid email (got "nope")'],
    ['url', z.object({ s: z.url() }), { s: 'nope' }, 'tool: s: must be a valid url (got "nope")'],
    ['uuid', z.object({ s: z.uuid() }), { s: 'nope' }, 'tool: s: must be a valid uuid (got "nope")'],
    ['ISO datetime', z.object({ s: z.iso.datetime() }), { s: 'nope' }, 'tool: s: must be a valid datetime (got "nope")'],
  ]);
});

describe('not_multiple_of', () => {
  checkRows([
    ['integer step', z.object({ n: z.number().multipleOf(5) }), { n: 7 }, 'tool: n: must be a multiple of 5 (got 7)'],
    ['fractional step', z.object({ n: z.number().multipleOf(0.5) }), { n: 0.3 }, 'tool: n: must be a multiple of 0.5 (got 0.3)'],
    ['bigint step', z.object({ n: z.bigint().multipleOf(5n) }), { n: 7n }, 'tool: n: must be a multiple of 5 (got 7)'],
  ]);
});

describe('custom issues and other codes: the message itself, on one line', () => {
  checkRows([
    ['refine message', z.object({ n: z.number().refine((n) => n % 2 === 0, 'must be even') }), { n: 3 }, 'tool: n: must be even'],
    [
      'superRefine issue with its own path',
      z.object({ a: z.object({}).superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', path: ['b'], message: 'b is off' })) }),
      { a: {} },
      'tool: a.b: b is off',
    ],
    ['several line breaks', z.string().refine(() => false, 'one\ntwo\nthree'), 'x', 'tool: arguments: one two three'],
    ['blank lines and indentation around a break', z.string().refine(() => false, 'one  \n\n   two'), 'x', 'tool: arguments: one two'],
    // Codes the formatter has no wording for fall back to zod's own message.
    ['a record key of the wrong shape (invalid_key)', z.record(z.string().min(2), z.string()), { a: 'x' }, 'tool: a: Invalid key in record'],
  ]);
});

// =======================================================================================
// Issue lists zod does not produce: the formatter's fallbacks
// =======================================================================================

describe('hand-built issues (defensive fallbacks)', () => {
  it.each<[label: string, issues: Issue[], raw: unknown, expected: string]>([
    ['unrecognized_keys without keys', [issue({ code: 'unrecognized_keys', keys: [], path: [] })], {}, 't: ?: unknown field'],
    [
      'no-match discriminator without options',
      [issue({ code: 'invalid_union', errors: [], note: 'No matching discriminator', path: ['type'] })],
      { type: 'c' },
      't: type: must be one of  (got "c")',
    ],
    ['regex without a pattern', [issue({ code: 'invalid_format', format: 'regex', path: ['s'] })], { s: 'x' }, 't: s: must match the expected pattern'],
    [
      'a missing root next to an unknown key (no typo hint without a field name)',
      [issue({ code: 'invalid_type', expected: 'object', path: [] }), issue({ code: 'unrecognized_keys', keys: ['x'], path: [] })],
      undefined,
      't: arguments: required',
    ],
    [
      'an unknown key spelled exactly like the missing one is no typo',
      [issue({ code: 'invalid_type', expected: 'string', path: ['prompt'] }), issue({ code: 'unrecognized_keys', keys: ['prompt'], path: [] })],
      {},
      't: prompt: required',
    ],
    [
      'an issue of another kind on the parent object is not read for a typo',
      [issue({ code: 'invalid_type', expected: 'string', path: ['prompt'] }), issue({ code: 'custom', path: [] })],
      {},
      't: prompt: required',
    ],
    [
      'a union branch without issues is skipped',
      [issue({ code: 'invalid_union', path: [], errors: [[], [issue({ code: 'invalid_type', expected: 'string', path: ['a'] })]] })],
      {},
      't: a: required',
    ],
    [
      'a union whose only branch has no issues',
      [issue({ code: 'invalid_union', path: [], errors: [[]] })],
      {},
      't: arguments: does not match any allowed shape (got an object)',
    ],
    ['a path through null: required', [issue({ code: 'invalid_type', expected: 'string', path: ['a', 'b'] })], { a: null }, 't: a.b: required'],
    ['a path through a string: required', [issue({ code: 'invalid_type', expected: 'string', path: ['a', 'length'] })], { a: 'xy' }, 't: a.length: required'],
    ['an unknown code: its message, on one line', [issue({ code: 'mystery', path: ['m'], message: 'first\n  second' })], {}, 't: m: first second'],
  ])('%s', (_label, issues, raw, expected) => {
    expect(formatIssues('t', issues, raw)).toBe(expected);
  });
});

// =======================================================================================
// Through the real tools
// =======================================================================================

describe('validateArgs: the real tools', () => {
  const local = { type: 'project', projectId: 'p1', environment: { type: 'local' } };
  const target = (i: number) => ({ threadId: `t${i}` });
  const create = { mode: 'create', kind: 'heartbeat', name: 'n', prompt: 'p', rrule: 'FREQ=MINUTELY;INTERVAL=5' };

  it.each<[label: string, tool: string, raw: unknown, expected: string]>([
    // list_projects: an object that takes no fields
    ['list_projects, one extra key', 'list_projects', { x: 1 }, 'list_projects: x: unknown field (this object takes no fields)'],
    [
      'list_projects, several extra keys',
      'list_projects',
      { a: 1, b: 2, c: 3 },
      'list_projects: a: unknown field (this object takes no fields); also unknown: "b", "c"',
    ],
    ['list_projects, null', 'list_projects', null, 'list_projects: arguments: must be an object (got null)'],
    ['list_projects, an array', 'list_projects', [], 'list_projects: arguments: must be an object (got an array of 0)'],
    ['list_projects, no arguments', 'list_projects', undefined, 'list_projects: arguments: required'],

    // create_thread
    ['create_thread, empty', 'create_thread', {}, 'create_thread: prompt: required'],
    ['create_thread, qualified name', 'codex_app.create_thread', {}, 'create_thread: prompt: required'],
    ['create_thread, prompt misspelt', 'create_thread', { promt: 'hi', target: local }, 'create_thread: prompt: required (got unknown field "promt"; a typo?)'],
    ['create_thread, empty prompt', 'create_thread', { prompt: '', target: local }, 'create_thread: prompt: must not be empty'],
    ['create_thread, no target', 'create_thread', { prompt: 'p' }, 'create_thread: target: required'],
    [
      'create_thread, target without type',
      'create_thread',
      { prompt: 'p', target: {} },
      'create_thread: target.type: required (one of "project" | "projectless")',
    ],
    [
      'create_thread, unknown target type',
      'create_thread',
      { prompt: 'p', target: { type: 'cloud' } },
      'create_thread: target.type: must be one of "project" | "projectless" (got "cloud")',
    ],
    [
      'create_thread, projectId misspelt',
      'create_thread',
      { prompt: 'p', target: { type: 'project', projectID: 'p1', environment: { type: 'local' } } },
      'create_thread: target.projectId: required (got unknown field "projectID"; a typo?)',
    ],
    [
      'create_thread, branch without branchName',
      'create_thread',
      { prompt: 'p', target: { ...local, environment: { type: 'worktree', startingState: { type: 'branch' } } } },
      'create_thread: target.environment.startingState.branchName: required',
    ],
    [
      'create_thread, a misspelt field two unions deep',
      'create_thread',
      { prompt: 'p', target: { ...local, environment: { type: 'worktree', startingstate: { type: 'working-tree' } } } },
      'create_thread: target.environment.startingstate: unknown field (did you mean "startingState"?)',
    ],
    [
      'create_thread, extra key on a projectless target',
      'create_thread',
      { prompt: 'p', target: { type: 'projectless', folder: 'x' } },
      'create_thread: target.folder: unknown field (allowed: type, directoryName)',
    ],
    [
      'create_thread, unknown thinking level',
      'create_thread',
      { prompt: 'p', target: local, thinking: 'extreme' },
      'create_thread: thinking: must be one of "low" | "medium" | "high" | "xhigh" | "max" | "ultra" (got "extreme")',
    ],
    ['create_thread, model not a string', 'create_thread', { prompt: 'p', target: local, model: 5 }, 'create_thread: model: must be a string (got 5)'],

    // send_message_to_thread
    [
      'send_message_to_thread, threadId misspelt',
      'send_message_to_thread',
      { threadID: 't', prompt: 'p' },
      'send_message_to_thread: threadId: required (got unknown field "threadID"; a typo?)',
    ],
    [
      'send_message_to_thread, threadId plus a misspelt copy',
      'send_message_to_thread',
      { threadId: 't', threadID: 't', prompt: 'p' },
      'send_message_to_thread: threadID: unknown field (did you mean "threadId"?)',
    ],
    [
      'send_message_to_thread, two unrelated extra keys',
      'send_message_to_thread',
      { threadId: 't', prompt: 'p', foo: 1, bar: 2 },
      'send_message_to_thread: foo: unknown field (allowed: threadId, prompt, hostId, model, thinking); also unknown: "bar"',
    ],

    // wait_threads
    [
      'wait_threads, too many targets',
      'wait_threads',
      { targets: Array.from({ length: 9 }, (_, i) => target(i)), timeoutMs: 0 },
      'wait_threads: targets: at most 8 targets (got 9)',
    ],
    ['wait_threads, no targets', 'wait_threads', { targets: [], timeoutMs: 0 }, 'wait_threads: targets: at least 1 target (got 0)'],
    ['wait_threads, targets not an array', 'wait_threads', { targets: 't1', timeoutMs: 0 }, 'wait_threads: targets: must be an array (got "t1")'],
    [
      'wait_threads, timeout too large',
      'wait_threads',
      { targets: [target(1)], timeoutMs: 200_000 },
      'wait_threads: timeoutMs: must be at most 120000 (got 200000)',
    ],
    ['wait_threads, negative timeout', 'wait_threads', { targets: [target(1)], timeoutMs: -1 }, 'wait_threads: timeoutMs: must be at least 0 (got -1)'],
    ['wait_threads, fractional timeout', 'wait_threads', { targets: [target(1)], timeoutMs: 1.5 }, 'wait_threads: timeoutMs: must be an integer (got 1.5)'],
    ['wait_threads, timeout as a string', 'wait_threads', { targets: [target(1)], timeoutMs: '100' }, 'wait_threads: timeoutMs: must be a number (got "100")'],
    [
      'wait_threads, a target without threadId',
      'wait_threads',
      { targets: [target(0), target(1), {}], timeoutMs: 0 },
      'wait_threads: targets.2.threadId: required',
    ],
    [
      'wait_threads, a target with threadId misspelt',
      'wait_threads',
      { targets: [{ threadid: 't' }], timeoutMs: 0 },
      'wait_threads: targets.0.threadId: required (got unknown field "threadid"; a typo?)',
    ],
    [
      'wait_threads, a target with an extra misspelt key',
      'wait_threads',
      { targets: [{ threadId: 't', aftercursor: 'c' }], timeoutMs: 0 },
      'wait_threads: targets.0.aftercursor: unknown field (did you mean "afterCursor"?)',
    ],

    // the other thread tools
    ['read_thread, turnLimit 0', 'read_thread', { threadId: 't', turnLimit: 0 }, 'read_thread: turnLimit: must be greater than 0 (got 0)'],
    [
      'read_thread, includeOutputs not a boolean',
      'read_thread',
      { threadId: 't', includeOutputs: 'yes' },
      'read_thread: includeOutputs: must be true or false (got "yes")',
    ],
    [
      'fork_thread, unknown environment type',
      'fork_thread',
      { environment: { type: 'elsewhere' } },
      'fork_thread: environment.type: must be one of "same-directory" | "worktree" (got "elsewhere")',
    ],
    ['set_thread_archived, no archived', 'set_thread_archived', {}, 'set_thread_archived: archived: required'],
    ['set_thread_title, empty title', 'set_thread_title', { threadId: 't', title: '' }, 'set_thread_title: title: must not be empty'],

    // automation_update: a union discriminated by mode
    ['automation_update, no mode', 'automation_update', {}, 'automation_update: mode: required (one of "create" | "update" | "delete" | "view")'],
    [
      'automation_update, unknown mode',
      'automation_update',
      { mode: 'remove' },
      'automation_update: mode: must be one of "create" | "update" | "delete" | "view" (got "remove")',
    ],
    [
      'automation_update create, no rrule',
      'automation_update',
      { mode: 'create', kind: 'heartbeat', name: 'n', prompt: 'p' },
      'automation_update: rrule: required',
    ],
    [
      'automation_update create, prompt misspelt',
      'automation_update',
      { mode: 'create', kind: 'heartbeat', name: 'n', promt: 'p', rrule: 'FREQ=DAILY' },
      'automation_update: prompt: required (got unknown field "promt"; a typo?)',
    ],
    [
      'automation_update create, bad rrule',
      'automation_update',
      { ...create, rrule: 'FREQ=YEARLY' },
      'automation_update: rrule: FREQ must be one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY (got "YEARLY")',
    ],
    [
      'automation_update create, unknown kind',
      'automation_update',
      { ...create, kind: 'hourly' },
      'automation_update: kind: must be one of "heartbeat" | "cron" (got "hourly")',
    ],
    [
      'automation_update create, heartbeat with a cron-only field',
      'automation_update',
      { ...create, cwds: ['/tmp'] },
      'automation_update: cwds: only allowed when kind is "cron" (this is a heartbeat)',
    ],
    [
      'automation_update update, misspelt field',
      'automation_update',
      { mode: 'update', id: 'a1', nme: 'x' },
      'automation_update: nme: unknown field (did you mean "name"?)',
    ],
    ['automation_update update, no id', 'automation_update', { mode: 'update' }, 'automation_update: id: required'],
    [
      'automation_update delete, a field it does not take',
      'automation_update',
      { mode: 'delete', id: 'a1', name: 'n' },
      'automation_update: name: unknown field (allowed: mode, id, kind)',
    ],
    [
      'automation_update view, plural of a field',
      'automation_update',
      { mode: 'view', kinds: 'cron' },
      'automation_update: kinds: unknown field (did you mean "kind"?)',
    ],
  ])('%s', (_label, tool, raw, expected) => {
    expect(failingArgs(tool, raw)).toBe(expected);
  });
});

describe('validateResult: the root is called "payload"', () => {
  it.each<[label: string, tool: string, payload: unknown, expected: string]>([
    ['list_projects, not an array', 'list_projects', {}, 'list_projects result: payload: must be an array (got an object)'],
    [
      'list_projects, a bad project',
      'list_projects',
      [{ projectId: 'p', projectKind: 'cloud', hostId: 'h', path: '/p' }],
      'list_projects result: 0.projectKind: must be one of "local" | "remote" (got "cloud")',
    ],
    ['create_thread, no branch matches', 'create_thread', {}, 'create_thread result: threadId: required'],
  ])('%s', (_label, tool, payload, expected) => {
    const result = validateResult(tool, payload);
    expect(result.ok ? 'accepted' : result.error).toBe(expected);
  });
});
