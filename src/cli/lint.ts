// `thread-team-sim lint`: load a skill directory, print its profile or its findings.

import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CliIO, InputError } from './io.ts';
import { SkillDirError, lintSkill, type Finding, type SkillProfile } from '../skill/index.ts';

/** The project's own skill/, found from this file rather than from the working directory. */
export const DEFAULT_SKILL_DIR = fileURLToPath(new URL('../../skill/', import.meta.url));

export function registerLint(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('check a thread-team skill: its profile facts, its five templates and their holes')
    .option('--skill <dir>', "skill directory to check (default: the project's skill/)")
    .option('--json', 'print {ok, dir, profile, findings} as JSON instead of text')
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 the skill is sound (a profile summary is printed);',
        '             1 findings, one line each: FILE:LINE: what is wrong;',
        '             2 the directory cannot be read, or a bad flag.',
        'FILE is relative to the current directory when inside it, else absolute.',
        'The rules that find each fact are listed in src/skill/README.md.',
      ].join('\n'),
    )
    .action(async (opts: { skill?: string; json?: boolean }) => {
      const dir = opts.skill === undefined ? DEFAULT_SKILL_DIR : resolve(io.cwd, opts.skill);
      let result: { profile: SkillProfile | null; findings: Finding[] };
      try {
        result = await lintSkill(dir);
      } catch (e) {
        if (e instanceof SkillDirError) throw new InputError(e.message, 2);
        throw e;
      }
      const { profile, findings } = result;
      const ok = findings.length === 0;
      setExit(ok ? 0 : 1);
      if (opts.json) {
        io.out(JSON.stringify({ ok, dir: resolve(dir), profile, findings }, null, 2));
        return;
      }
      const show = (file: string): string => {
        const abs = join(dir, file);
        const rel = relative(io.cwd, abs);
        return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
      };
      if (!ok) {
        for (const f of findings) io.out(`${show(f.file)}:${f.line}: ${f.message}`);
        io.err(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${show('.')}`);
        return;
      }
      for (const line of summary(profile!, show('.'))) io.out(line);
    });
}

function summary(p: SkillProfile, where: string): string[] {
  const templates = Object.values(p.templates).map((t) => `${t.kind} ${t.file} (${t.holes.length} holes)`);
  return [
    `skill ${p.name.value} (${where}): ok`,
    `  workers: model ${p.defaultModel.value}, thinking ${p.defaultThinking.value}`,
    `  heartbeat: every ${p.heartbeat.value.minutes} min (${p.heartbeat.value.rrule}); stall after ${p.stallPasses.value} silent passes; startup window ${p.startupWindowMinutes.value} min`,
    `  tools: required ${p.requiredTools.value.join(', ')}; optional ${p.optionalTools.value.join(', ')}`,
    `  phases: ${p.phases.value.map((s, i) => `${i + 1}. ${s}`).join(' | ')}`,
    `  worker steps: ${p.workerSteps.value.join(' | ')}`,
    `  messages: header ${p.header.value}; signals ${p.completionSignal.value} / ${p.blockedSignal.value}; at most ${p.messageLimit.value} characters`,
    `  files: journal ${p.journalPath.value}; worker notes ${p.workerNotesPath.value}; worker report ${p.workerReportPath.value}`,
    `  templates: ${templates.join('; ')}`,
  ];
}
