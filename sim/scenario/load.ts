import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../fixtures.ts';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema.ts';
import { fsReason } from '../../src/core/errors.ts';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Parse and validate scenario YAML; a problem is one line `FILE:LINE: field: what is wrong`. */
export function parseScenario(text: string, file = 'scenario.yaml'): Scenario {
  return parseYamlAs(
    scenarioSchema,
    text,
    file,
    'not a scenario: the file must hold a YAML mapping with name, task, repo and the rest (see the README, "Scenarios")',
  );
}

/** Parse YAML and validate it with `schema`; a problem is one line `FILE:LINE: field: what is wrong` (`notA` when it is not a mapping at all). */
export function parseYamlAs<S extends z.ZodType>(schema: S, text: string, file: string, notA: string, what = 'scenario'): z.output<S> {
  const lc = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  } catch (e) {
    // The YAML parser recurses on nesting: a pathological line can exhaust the stack.
    throw new ScenarioError(`${file}:1: not valid YAML: ${e instanceof RangeError ? 'nested too deeply to read' : (e as Error).message.split('\n')[0]}`);
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lc.linePos(e.pos[0]).line;
    throw new ScenarioError(`${file}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    // Aliases are expanded at most this often: a few lines of YAML must not become gigabytes.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ScenarioError(`${file}:1: not a usable ${what}: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = innermost(r.error.issues[0]!);
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key is reported at its parent: point at the key itself (its line, its name).
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  // The deepest node of the path that exists in the file gives the line.
  let line = 1;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      line = lc.linePos(node.range[0]).line;
      break;
    }
  }
  if (path.length === 0) throw new ScenarioError(`${file}:${line}: ${notA}`);
  throw new ScenarioError(`${file}:${line}: ${path.join('.')}: ${plainly(issue)}`);
}

/** zod's wording where a person would say it otherwise. */
function plainly(issue: Issue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `missing (required: ${issue.expected})`;
  return issue.message;
}

type Issue = z.core.$ZodIssue;

/**
 * A union that matched no branch says only "Invalid input" about the whole value: report the
 * branch that got furthest instead (the deepest first issue; the first branch on a tie), with
 * its path made absolute, so `workers.ui.1.kind` and its line are named, not `workers.ui`.
 */
function innermost(issue: Issue): Issue {
  let here = issue;
  while (here.code === 'invalid_union' && here.errors.length > 0) {
    let best: Issue | undefined;
    for (const branch of here.errors) {
      const first = branch[0];
      if (first && (!best || first.path.length > best.path.length)) best = first;
    }
    if (!best) break;
    here = { ...best, path: [...here.path, ...best.path] } as Issue;
  }
  return here;
}

/** The largest scenario file read: a scenario is a page of YAML, not a data dump. */
const MAX_BYTES = 4_000_000;

/** `shown` is the name errors use (a path relative to where the user stands). */
export async function loadScenario(path: string, shown = path, fixtures = join(FIXTURES_DIR, 'repos')): Promise<Scenario> {
  let text: string;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new ScenarioError(`${shown}: a folder, not a scenario file`);
    // A FIFO or a device would block the read, or never end it.
    if (!st.isFile()) throw new ScenarioError(`${shown}: not a plain file`);
    if (st.size > MAX_BYTES) throw new ScenarioError(`${shown}: ${st.size} bytes; a scenario file is at most ${MAX_BYTES} bytes`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`${shown}: cannot read it: ${fsReason(e)}`);
  }
  if (/^\{.*"kind":"run\.start"/.test(text.slice(0, 2_000)))
    throw new ScenarioError(`${shown}: a trace (JSONL), not a scenario: check it with thread-team-sim check ${shown}`);
  const s = parseScenario(text, shown);
  if (s.repo.fixture !== undefined) {
    const known = await fixtureNames(fixtures);
    if (!known.includes(s.repo.fixture)) {
      throw new ScenarioError(
        `${shown}:${lineOf(text, ['repo', 'fixture'])}: repo.fixture: no fixture repository "${s.repo.fixture}" (known: ${known.join(', ') || 'none'})`,
      );
    }
  }
  return s;
}

/** The fixture repositories there are: the folders of the fixtures directory. */
async function fixtureNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The line a key path starts on in a YAML text (1 when it cannot be found). */
function lineOf(text: string, path: string[]): number {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const node = doc.getIn(path, true);
  return isNode(node) && node.range ? lc.linePos(node.range[0]).line : 1;
}
