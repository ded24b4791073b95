// `thread-team-sim show TRACE.jsonl | SCENARIO.yaml`: a run as a timeline, in the terminal or
// as one self-contained HTML file. A scenario is run first (the reference leader, with the
// scenario's own flaws), exactly as `run` would run it.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { outputFile, shownPath, writeOutput } from './outputs.ts';
import { parseJournalPattern, parseSeed, profileFor, simulate, withJournal } from './common.ts';
import { readTrace, TraceFormatError } from '../../src/trace/jsonl.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { fsReason } from '../../src/core/errors.ts';
import { HOSTS, type HostName } from '../../src/contract/hosts.ts';
import { ScenarioError, loadScenario } from '../../sim/scenario/load.ts';
import { fixtureSkillDir } from '../../sim/fixtures.ts';
import { timelineOf, type Timeline } from '../show/timeline.ts';
import { terminalLines } from '../show/terminal.ts';
import { timelineHtml } from '../show/html.ts';

interface ShowOpts {
  seed?: string;
  host?: string;
  skill?: string;
  around?: string;
  html?: string;
  all?: boolean;
  force?: boolean;
  journal?: string;
}

const isScenario = (file: string) => /\.ya?ml$/i.test(file);

export function registerShow(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('show')
    .description('show a run as a timeline: one line per protocol event, lanes by role, violations marked; or as an HTML sequence diagram')
    .argument('<run>', 'a JSONL trace (run --trace, live, import --out), or a scenario file (*.yaml) to run first')
    .option('--seed <n>', "scenario: the seed to run it with (default: the scenario's own)")
    .option('--host <name>', `scenario: whose thread tools the world answers as (${HOSTS.join(', ')}; default: the scenario's world.host)`)
    .option('--skill <dir>', "scenario: the skill the leader follows (default: the scenario's pinned skill, else the project's skill/)")
    .option('--journal <pattern>', "trace: where the run's skill keeps its state, instead of the path the trace names (as check takes it)")
    .option('--around <event>', 'show only the neighbourhood of this event index (the numbers violations name)')
    .option('--all', 'also show the workspace internals (file reads and writes, ref lookups) and message deliveries')
    .option('--html <file>', 'write one self-contained HTML file (no network): a sequence diagram, click an event for its content')
    .option('--force', 'replace an existing --html file')
    .addHelpText(
      'after',
      [
        '',
        'Each line: simulated time (mm:ss), event index, the lane (leader, a worker by its role, api#2 for',
        "a role's replacement, user), an arrow to the receiving lane for messages, what happened, and ◀ RULE",
        'on the events a violation names. The violations and their events come first.',
        'Examples:  thread-team-sim show out.jsonl --around 212',
        '           thread-team-sim show found/explored-0-R1.yaml --html run.html',
        'Here: 0 means the run was shown (whatever it broke); 2 bad input (nothing is written).',
      ].join('\n'),
    )
    .action(async (file: string, opts: ShowOpts) => {
      const path = resolve(io.cwd, file);
      const scenario = isScenario(file);
      if (!scenario && (opts.seed !== undefined || opts.host !== undefined || opts.skill !== undefined))
        throw new UsageError('--seed, --host and --skill run a scenario: they do not apply to a trace');
      if (scenario && opts.journal !== undefined) throw new UsageError("--journal applies to a trace: a scenario's run names its own journal");
      const journal = opts.journal === undefined ? undefined : parseJournalPattern(opts.journal);
      if (opts.host !== undefined && !(HOSTS as readonly string[]).includes(opts.host))
        throw new UsageError(`--host: unknown host "${opts.host}" (known: ${HOSTS.join(', ')})`);
      const seed = parseSeed(opts.seed);
      if (opts.around !== undefined && !/^\d{1,9}$/.test(opts.around))
        throw new UsageError(`--around: expected an event index (a whole number), got "${opts.around.slice(0, 40)}"`);
      const html = opts.html !== undefined ? await outputFile('--html', opts.html, io, { inputs: [path], force: Boolean(opts.force) }) : undefined;
      const events = scenario
        ? await runIt(path, io, { seed, host: opts.host as HostName | undefined, skill: opts.skill })
        : withJournal(await traceOf(path, file, io), journal);
      let tl: Timeline;
      try {
        tl = timelineOf(events);
      } catch (e) {
        throw new InputError(`${file}: not a showable trace: ${(e as Error).message}`, 2);
      }
      const around = opts.around === undefined ? undefined : Number(opts.around);
      if (around !== undefined && around >= tl.rows.length) throw new UsageError(`--around: the run has events 0 to ${tl.rows.length - 1}, not ${around}`);
      if (html) {
        await writeOutput('--html', html, timelineHtml(tl, events));
        io.out(
          `wrote ${shownPath(io, html)}: ${tl.rows.length} events on ${tl.lanes.length} lanes, ${tl.violations.length} violation${tl.violations.length === 1 ? '' : 's'}`,
        );
      } else for (const l of terminalLines(tl, { all: Boolean(opts.all), ...(around !== undefined ? { around } : {}) })) io.out(l);
      setExit(0);
    });
}

async function traceOf(path: string, file: string, io: CliIO): Promise<TraceEvent[]> {
  try {
    return await readTrace(path, shownPath(io, path));
  } catch (e) {
    if (e instanceof TraceFormatError) throw new InputError(e.message, 2);
    throw new InputError(`${file}: cannot read it: ${fsReason(e)}`, 2);
  }
}

async function runIt(
  path: string,
  io: CliIO,
  opts: { seed: number | undefined; host: HostName | undefined; skill: string | undefined },
): Promise<TraceEvent[]> {
  const shown = shownPath(io, path);
  let scenario;
  try {
    scenario = await loadScenario(path, shown);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(e.message, 2);
    throw e;
  }
  const skill = opts.skill ?? (scenario.skill ? fixtureSkillDir(scenario.skill) : undefined);
  const { profile } = await profileFor(skill, io);
  const r = await simulate(scenario, profile, {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  });
  return r.events;
}
