import { describe, expect, it } from 'vitest';
import { parseReasons, reasonFor, unusedReasons } from '../scripts/survivor-reasons.ts';

const text = `
src/a.ts:
  - line: "if (x  &&  y)"
    mutators: [ConditionalExpression, LogicalOperator]
    why: defensive
  - line: "return 'label'"
    mutators: StringLiteral
    why: wording nobody reads
`;

describe('survivor reasons (mutation/survivors.yaml)', () => {
  it('reads entries, a single mutator name as a list of one', () => {
    const r = parseReasons(text);
    expect(r).toEqual([
      { path: 'src/a.ts', line: 'if (x  &&  y)', mutators: ['ConditionalExpression', 'LogicalOperator'], why: 'defensive' },
      { path: 'src/a.ts', line: "return 'label'", mutators: ['StringLiteral'], why: 'wording nobody reads' },
    ]);
    expect(parseReasons('{}')).toEqual([]);
    expect(parseReasons('')).toEqual([]);
  });

  it('explains a survivor by file, line text (spacing aside) and mutator; nothing else', () => {
    const r = parseReasons(text);
    expect(reasonFor({ path: 'src/a.ts', text: '    if (x && y) {', mutator: 'LogicalOperator' }, r)?.why).toBe('defensive');
    expect(reasonFor({ path: 'src/a.ts', text: '    if (x && y) {', mutator: 'StringLiteral' }, r)).toBeUndefined();
    expect(reasonFor({ path: 'src/b.ts', text: '    if (x && y) {', mutator: 'LogicalOperator' }, r)).toBeUndefined();
    expect(reasonFor({ path: 'src/a.ts', text: '    if (x || y) {', mutator: 'LogicalOperator' }, r)).toBeUndefined();
  });

  it('names the reasons no survivor needs any more, only among the files measured', () => {
    const r = parseReasons(text);
    const s = [{ path: 'src/a.ts', text: 'if (x && y)', mutator: 'ConditionalExpression' }];
    expect(unusedReasons(s, r, new Set(['src/a.ts'])).map((x) => x.line)).toEqual(["return 'label'"]);
    expect(unusedReasons(s, r, new Set(['src/c.ts']))).toEqual([]);
  });

  it.each([
    ['[1, 2]', 'expected a map from file paths to lists of reasons'],
    ['src/a.ts: 3', 'src/a.ts: expected a list of reasons'],
    ['src/a.ts: [3]', 'src/a.ts[0]: expected {line, mutators, why}'],
    ['src/a.ts: [{mutators: [X], why: w}]', 'src/a.ts[0].line: expected the text'],
    ['src/a.ts: [{line: a, why: w}]', 'src/a.ts[0].mutators: expected a mutator name'],
    ['src/a.ts: [{line: a, mutators: ["not a name"], why: w}]', 'src/a.ts[0].mutators: expected a mutator name'],
    ['src/a.ts: [{line: a, mutators: [X]}]', 'src/a.ts[0].why: expected the reason'],
    ['a: [', 'not YAML'],
  ])('%s: one line naming the place', (bad, message) => {
    expect(() => parseReasons(bad, 'f.yaml')).toThrow(`f.yaml: ${message}`);
  });
});
