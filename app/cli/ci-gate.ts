// The pull-request gate of a skill (`npm run ci:gate -- --base REV [--skill PATH] [--runs N]`),
// the same for CI and for a person before pushing. When the change since REV touches the skill,
// it compares git:REV:PATH with git:HEAD:PATH over the catalogue (and N explored runs), writes
// reports/compare.md (also appended to $GITHUB_STEP_SUMMARY when set) and reports/compare.xml,
// and exits as compare does: 1 on a regression.

import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { CliIO } from './io.ts';
import { main } from './main.ts';

const git = promisify(execFile);
export const CI_GATE_USAGE = 'usage: npm run ci:gate -- --base REV [--skill PATH] [--runs N]';

export async function ciGate(args: string[], io: CliIO, summary = process.env.GITHUB_STEP_SUMMARY): Promise<number> {
  let flags: { base?: string; skill?: string; runs?: string; help?: boolean };
  try {
    flags = parseArgs({
      args,
      options: { base: { type: 'string' }, skill: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (e) {
    io.err(`ci:gate: ${(e as Error).message}; ${CI_GATE_USAGE}`);
    return 2;
  }
  if (flags.help) {
    io.out(CI_GATE_USAGE);
    return 0;
  }
  const base = flags.base;
  const skill = (flags.skill ?? 'skill').replace(/\/+$/, '');
  const runs = flags.runs ?? '50';
  if (!base || base.startsWith('-')) {
    io.err(`ci:gate: --base REV is required; ${CI_GATE_USAGE}`);
    return 2;
  }
  let touched: string;
  try {
    touched = (await git('git', ['diff', '--name-only', `${base}...HEAD`, '--', skill], { cwd: io.cwd })).stdout.trim();
  } catch {
    io.err(`ci:gate: --base: ${base} is not a revision git can compare with HEAD here`);
    return 2;
  }
  if (!touched) {
    io.out(`ci:gate: nothing under ${skill}/ changed since ${base}: no comparison needed`);
    return 0;
  }
  const reports = join(io.cwd, 'reports');
  await mkdir(reports, { recursive: true });
  const markdown = join(reports, 'compare.md');
  await rm(markdown, { force: true });
  const code = await main(
    ['compare', `git:${base}:${skill}`, `git:HEAD:${skill}`, '--runs', runs, '--markdown', markdown, '--junit', join(reports, 'compare.xml'), '--force'],
    io,
  );
  // With bad input no report was written: the log says why.
  const text = await readFile(markdown, 'utf8').catch(() => null);
  if (summary && text !== null) await appendFile(summary, text);
  return code;
}
