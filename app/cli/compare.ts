// `thread-team-sim compare BASE HEAD`: what a skill edit changes, and whether it regressed.

import type { Command } from 'commander';
import { onTeardown } from '../../src/core/teardown.ts';
import { SkillDirError, lintSkill } from '../../src/skill/index.ts';
import { ScenarioError, loadScenario } from '../../sim/scenario/load.ts';
import { type Comparison, type SideInput, compareSkills } from '../compare/compare.ts';
import { type ResolvedSide, SideError, resolveSide } from '../compare/sides.ts';
import { parseSeed, scenarioFiles } from './common.ts';
import { type CliIO, InputError, UsageError } from './io.ts';
import { outputFile, shownPath, writeOutput } from './outputs.ts';
import { newJunit } from './reports.ts';

interface CompareOpts {
  scenarios?: string[];
  runs: string;
  seed: string;
  json?: boolean;
  markdown?: string;
  junit?: string;
  failOn: string;
  force?: boolean;
}

export function registerCompare(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description('compare two versions of a skill: facts, rendered messages, lint, every scenario and an exploration, on the same seeds')
    .argument('<base>', 'the skill before: a folder, or git:REV[:PATH] (PATH defaults to skill/)')
    .argument('<head>', 'the skill after: a folder, or git:REV[:PATH]')
    .option('--scenarios <paths...>', 'scenario files or folders (default: ./scenarios/ when it holds some, else the catalogue that comes with the harness)')
    .option('--runs <n>', 'explored runs on each side, same seed (0: none)', '50')
    .option('--seed <n>', 'seed of the exploration', '1')
    .option('--fail-on <what>', 'regressed (default) or changed: exit 1 on any change too, for maintainers who review every message change', 'regressed')
    .option('--json', 'print the comparison as JSON')
    .option('--markdown <file>', 'also write the report as Markdown (a PR comment or job summary)')
    .option('--junit <file>', 'also write JUnit XML: one testcase per scenario and side')
    .option('--force', 'replace an existing --markdown or --junit file')
    .addHelpText(
      'after',
      [
        '',
        'Verdict: regressed (a scenario that held on BASE fails on HEAD, a new violation on HEAD, a',
        'new lint error, a field a protocol rule asks for lost), changed (only message text, facts',
        'or counts), same. Here: 0 unless regressed (or changed, with --fail-on changed); 1 then;',
        '2 bad input. git:REV[:PATH] is read with git archive: nothing is checked out.',
      ].join('\n'),
    )
    .action(async (baseSpec: string, headSpec: string, opts: CompareOpts) => {
      if (opts.failOn !== 'regressed' && opts.failOn !== 'changed') throw new UsageError(`--fail-on: expected regressed or changed, got "${opts.failOn}"`);
      if (!/^\d+$/.test(opts.runs) || Number(opts.runs) > 100_000) throw new UsageError(`--runs: expected a whole number from 0 to 100000, got "${opts.runs}"`);
      const runs = Number(opts.runs);
      const seed = parseSeed(opts.seed)!;
      // Every input is read before anything runs.
      const files = await scenarioFiles(opts.scenarios ?? [], io);
      const scenarios: { name: string; scenario: Awaited<ReturnType<typeof loadScenario>> }[] = [];
      for (const file of files) {
        try {
          const scenario = await loadScenario(file, shownPath(io, file));
          scenarios.push({ name: scenario.name, scenario });
        } catch (e) {
          if (e instanceof ScenarioError) throw new InputError(e.message, 2);
          throw e;
        }
      }
      const force = Boolean(opts.force);
      const markdownFile = opts.markdown ? await outputFile('--markdown', opts.markdown, io, { inputs: files, force }) : undefined;
      const junitFile = opts.junit ? await outputFile('--junit', opts.junit, io, { inputs: files, force }) : undefined;
      const sides: ResolvedSide[] = [];
      const forget = onTeardown('compare scratch folders', async () => {
        for (const s of sides) await s.dispose();
      });
      try {
        for (const [spec, flag] of [
          [baseSpec, 'BASE'],
          [headSpec, 'HEAD'],
        ] as const) {
          try {
            sides.push(await resolveSide(spec, io.cwd, flag));
          } catch (e) {
            if (e instanceof SideError) throw new InputError(e.message, 2);
            throw e;
          }
        }
        const inputs: SideInput[] = [];
        for (const s of sides) {
          try {
            const { profile, findings } = await lintSkill(s.dir);
            inputs.push({ label: s.label, profile, findings });
          } catch (e) {
            if (e instanceof SkillDirError) throw new InputError(`${s.label}: ${e.message}`, 2);
            throw e;
          }
        }
        const result = await compareSkills(inputs[0]!, inputs[1]!, { scenarios, runs, seed, onProgress: (what) => io.progress(what) });
        io.progress(null);
        if (opts.json) io.out(JSON.stringify(result, null, 2));
        else for (const line of terminal(result)) io.out(line);
        if (markdownFile) await writeOutput('--markdown', markdownFile, markdown(result));
        if (junitFile) await writeOutput('--junit', junitFile, junitXml(result));
        setExit(result.verdict === 'regressed' || (opts.failOn === 'changed' && result.verdict === 'changed') ? 1 : 0);
      } finally {
        for (const s of sides) await s.dispose();
        forget();
      }
    });
}

function scenarioLine(s: Comparison['scenarios'][number]): string {
  const side = (x: typeof s.base) => (x ? `${x.ok ? 'held' : 'FAILED'} ${x.outcome}${x.rules.length ? ` (${x.rules.join(', ')})` : ''}` : 'not run');
  return `${s.name}: ${side(s.base)} → ${side(s.head)}`;
}

function terminal(c: Comparison): string[] {
  const lines = [`compare ${c.base} → ${c.head}: ${c.verdict.toUpperCase()}`];
  for (const r of c.reasons.slice(0, 20)) lines.push(`  ${r}`);
  if (c.reasons.length > 20) lines.push(`  … and ${c.reasons.length - 20} more`);
  const same = c.scenarios.filter((s) => s.base && s.head && s.base.ok === s.head.ok && s.base.rules.join() === s.head.rules.join());
  lines.push(`  scenarios: ${same.length} of ${c.scenarios.length} alike on both sides`);
  for (const s of c.scenarios.filter((x) => !same.includes(x))) lines.push(`    ${scenarioLine(s)}`);
  if (c.explore)
    lines.push(
      `  explore (${c.explore.runs} runs each, seed ${c.explore.seed}): BASE ${Object.keys(c.explore.base).join(', ') || 'nothing found'}; HEAD ${Object.keys(c.explore.head).join(', ') || 'nothing found'}`,
    );
  lines.push(`  messages: ${c.messages.map((m) => `${m.kind} ${m.changed ? 'changed' : 'same'}`).join(', ') || 'not rendered'}`);
  for (const m of c.messages.filter((x) => x.changed)) lines.push('', ...m.diff.trimEnd().split('\n'));
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(c: Comparison): string {
  const lines = [`### thread-team-sim compare: **${c.verdict}**`, '', `\`${cell(c.base)}\` → \`${cell(c.head)}\``, ''];
  if (c.reasons.length) lines.push(...c.reasons.map((r) => `- ${r}`), '');
  lines.push('| scenario | BASE | HEAD |', '|---|---|---|');
  const side = (x: Comparison['scenarios'][number]['base']) =>
    x ? `${x.ok ? 'held' : '**failed**'} ${x.outcome}${x.rules.length ? ` (${x.rules.join(', ')})` : ''}` : 'not run';
  for (const s of c.scenarios) lines.push(`| ${cell(s.name)} | ${side(s.base)} | ${side(s.head)} |`);
  if (c.facts.length) lines.push('', '| fact | BASE | HEAD |', '|---|---|---|', ...c.facts.map((f) => `| ${f.name} | ${cell(f.base)} | ${cell(f.head)} |`));
  for (const m of c.messages.filter((x) => x.changed))
    lines.push('', `<details><summary>${m.kind}: changed</summary>`, '', '```diff', m.diff.trimEnd(), '```', '', '</details>');
  return `${lines.join('\n')}\n`;
}

function junitXml(c: Comparison): string {
  const b = newJunit();
  for (const [side, pick] of [
    ['BASE', (s: Comparison['scenarios'][number]) => s.base],
    ['HEAD', (s: Comparison['scenarios'][number]) => s.head],
  ] as const) {
    const suite = b.testSuite().name(`compare ${side} (${side === 'BASE' ? c.base : c.head})`);
    for (const s of c.scenarios) {
      const x = pick(s);
      const tc = suite.testCase().className(`compare.${side.toLowerCase()}`).name(s.name);
      if (!x) tc.skipped();
      else if (!x.ok) tc.failure([...x.unmet, ...x.rules].join('; ') || 'failed', 'thread-team-sim');
    }
  }
  return b.build();
}
