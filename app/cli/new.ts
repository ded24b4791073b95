// `thread-team-sim new NAME`: writes a scenario file to start from, every field commented, with
// the worker behaviours and faults asked for. The run is deterministic, so `new` runs it once
// and writes what it did as the `expect:` block: the file holds as written, and says what a
// change to it changes.

import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { type CliIO, InputError, UsageError } from './io.ts';
import { outputFile, shownPath } from './outputs.ts';
import { profileFor, simulate } from './common.ts';
import { BEHAVIOURS } from '../../sim/workers/behaviours.ts';
import { ScenarioError, parseScenario } from '../../sim/scenario/load.ts';
import { checkRun } from '../../src/invariants/index.ts';
import { SCENARIO_SCHEMA_PATH } from '../../sim/scenario/json-schema.ts';
import { FAULT_EXAMPLES } from '../../sim/scenario/examples.ts';
import { projectPath } from '../../src/core/project.ts';

type Raw = Record<string, unknown>;

/** The scenario `new` starts from without --from: three independent areas of the webapp fixture. */
const BASE: Raw = {
  description: '',
  seed: 1,
  repo: { fixture: 'webapp', verify: { command: 'npm test', failOn: ['<<<<<<<', '// BUG'] } },
  task: {
    prompt: 'Use $thread-team to implement the billing settings page. Split the API, the UI page and the database work across workers.',
    shape: 'independent',
    shared: [],
    areas: [
      { role: 'api', scope: 'Add the billing settings endpoint', owns: ['src/api/billing.ts'] },
      { role: 'ui', scope: 'Build the billing settings page', owns: ['src/ui/settings-page.tsx'] },
      { role: 'db', scope: 'Add the billing migration and seed data', owns: ['db/migrations.sql', 'db/seed.sql'] },
    ],
  },
  workers: {},
  user: { confirm: true, status: [], keepWorktrees: false },
  world: { latency: '2s', step: '1s', delivery: 'next-turn', host: 'desktop', without: [] },
  faults: [],
  leader: { flaws: [] },
  horizon: '12h',
};

/** Each field's comment, in the order the file lists them. */
const FIELDS: [key: string, comment: string][] = [
  ['name', 'kebab-case; what `run` prints'],
  ['description', 'what the scenario is about'],
  ['skill', 'a fixture skill (fixtures/skills/NAME) this scenario is about; run --skill overrides it'],
  ['seed', "the run's seed (explore varies it)"],
  ['repo', 'fixture: a repository under fixtures/repos/ (or files: inline); verify: the verdict over the tree'],
  ['task', "the person's task: prompt, shape (independent | core-refactor), shared registries, one area per worker"],
  ['workers', 'behaviour per role (diligent when absent); a list gives one per incarnation (replacements)'],
  ['user', 'the person: confirm, settings {model, thinking}, status questions at times, cancel at a time, keepWorktrees'],
  ['world', 'the host: latency and model step, delivery (next-turn | steer), host (desktop | tui), tools it lacks (without)'],
  ['faults', 'what goes wrong, in order'],
  ['leader', 'flaws: deliberate defects of the reference leader (mutation testing)'],
  ['expect', 'what the run did when `new` wrote this file (same seed, same run); edit it to what must happen'],
  ['horizon', 'virtual time after which a run still going is called stuck'],
];

/** A value in YAML flow style, on one line. */
const flow = (v: unknown) => stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();

/** One field, its value in YAML flow style, and its comment; lists of several items one item a line. */
function fieldText(key: string, value: unknown, comment: string): string {
  if (Array.isArray(value) && value.length > 1) return [`${key}:  # ${comment}`, ...value.map((v) => `  - ${flow(v)}`)].join('\n');
  if (key === 'task') {
    const lines = [`task:  # ${comment}`];
    for (const [k, v] of Object.entries(value as Raw)) {
      if (k === 'areas' && Array.isArray(v)) lines.push('  areas:', ...v.map((a) => `    - ${flow(a)}`));
      else lines.push(`  ${k}: ${flow(v)}`);
    }
    return lines.join('\n');
  }
  return `${key}: ${flow(value)}  # ${comment}`;
}

/** The file's text: the schema line, a note, then every field with its comment. */
export function scenarioText(raw: Raw, schemaRef: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '# Written by `thread-team-sim new`. Fields are listed in the README ("Scenarios"); durations are',
    '# minutes as numbers, or strings such as 90s, 15m, 2h.',
  ];
  for (const [key, comment] of FIELDS) if (raw[key] !== undefined) lines.push(fieldText(key, raw[key], comment));
  return `${lines.join('\n')}\n`;
}

interface NewOpts {
  from?: string;
  behaviour: string[];
  fault: string[];
  out?: string;
  force?: boolean;
}

export function registerNew(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('new')
    .description('write a scenario file to start from: every field commented, its expect: block what its run did')
    .argument('<name>', 'the scenario name (kebab-case); the file is NAME.yaml unless --out says otherwise')
    .option('--from <scenario>', 'start from this scenario file instead of three diligent workers on the webapp fixture')
    .option(
      '--behaviour <role=kind>',
      `a worker's behaviour (repeatable; kinds: ${BEHAVIOURS.join(', ')})`,
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--fault <kind>',
      `add a fault with parameters that make it strike (repeatable; kinds: ${Object.keys(FAULT_EXAMPLES).join(', ')})`,
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--out <file>', 'where to write it (default: NAME.yaml here)')
    .option('--force', 'replace an existing file')
    .addHelpText(
      'after',
      '\nHere: 1 the file was written but the reference leader broke a rule in its run (said on stderr); 2 bad input (one line), nothing written.',
    )
    .action(async (name: string, opts: NewOpts) => {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || name.length > 80) throw new UsageError(`new: "${name.slice(0, 40)}": expected a kebab-case name (a-z, 0-9, -)`);
      let raw: Raw = structuredClone(BASE);
      if (opts.from !== undefined) {
        const from = resolve(io.cwd, opts.from);
        const text = await readFile(from, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw new InputError(`--from: cannot read ${shownPath(io, from)} (${e.code ?? e.message})`, 2);
        });
        try {
          parseScenario(text, shownPath(io, from));
        } catch (e) {
          if (e instanceof ScenarioError) throw new InputError(`--from: ${e.message}`, 2);
          throw e;
        }
        raw = parse(text) as Raw;
        delete raw.expect;
      }
      raw = { ...raw, name };
      const roles = ((raw.task as Raw).areas as Raw[]).map((a) => String(a.role));
      const workers = { ...((raw.workers as Raw | undefined) ?? {}) };
      for (const b of opts.behaviour) {
        const m = /^([^=]+)=(.+)$/.exec(b);
        if (!m) throw new UsageError(`--behaviour: "${b.slice(0, 40)}": expected ROLE=KIND, e.g. ui=stalls-mid-task`);
        if (!roles.includes(m[1]!)) throw new UsageError(`--behaviour: no area has role "${m[1]}" (roles: ${roles.join(', ')})`);
        if (!(BEHAVIOURS as readonly string[]).includes(m[2]!)) throw new UsageError(`--behaviour: unknown kind "${m[2]}" (kinds: ${BEHAVIOURS.join(', ')})`);
        workers[m[1]!] = m[2];
      }
      raw.workers = workers;
      const faults = [...((raw.faults as Raw[] | undefined) ?? [])];
      for (const f of opts.fault) {
        const d = FAULT_EXAMPLES[f];
        if (!d) throw new UsageError(`--fault: unknown kind "${f.slice(0, 40)}" (kinds: ${Object.keys(FAULT_EXAMPLES).join(', ')})`);
        // The fault strikes the last area's worker, or the leader's turns.
        faults.push(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v === 'ROLE' ? roles.at(-1) : v])));
      }
      raw.faults = faults;
      const out = await outputFile('--out', opts.out ?? `${name}.yaml`, io, { force: Boolean(opts.force) });
      const schemaRef = relative(dirname(out), projectPath(SCENARIO_SCHEMA_PATH));
      // Run it once (deterministic), and say what it did.
      const scenario = parseScenario(scenarioText({ ...raw, expect: {} }, schemaRef), shownPath(io, out));
      const { profile } = await profileFor(undefined, io);
      const r = await simulate(scenario, profile);
      const check = checkRun(r.events, {});
      const workerViolations = [...new Set(check.failures.filter((v) => v.by === 'worker').map((v) => v.rule))].sort();
      const leaderBroke = check.failures.filter((v) => v.by === 'leader');
      raw.expect = { outcome: r.outcome, ...r.counts, workerViolations };
      await writeFile(out, scenarioText(raw, schemaRef));
      io.out(`wrote ${shownPath(io, out)}: ${r.outcome}, workers ${r.counts.workers}, replacements ${r.counts.replacements}, merges ${r.counts.merges}`);
      for (const v of leaderBroke) io.err(`new: the reference leader broke ${v.rule} in this scenario: ${v.message} (run it to see)`);
      setExit(leaderBroke.length ? 1 : 0);
    });
}
