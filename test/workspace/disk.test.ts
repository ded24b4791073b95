import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { workspaceSuite, type SuiteCommand } from '../support/workspace-suite.ts';

const scratch: string[] = [];

afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function toShell(spec: SuiteCommand): string {
  const fail = quote(`FAIL: ${spec.file} does not contain ${spec.contains}`);
  return `grep -qF -- ${quote(spec.contains)} ${quote(spec.file)} 2>/dev/null && echo ok || { echo ${fail}; exit 1; }`;
}

workspaceSuite(
  'disk',
  async (commands) => {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    return createDiskWorkspace({
      root: join(dir, 'repo'),
      commands: Object.fromEntries(Object.entries(commands).map(([name, spec]) => [name, toShell(spec)])),
    });
  },
  async (_ws, path) => readFile(path, 'utf8').catch(() => null),
);
