// The scenario the README shows (under "Scenarios") runs as written and holds: an example a
// reader copies must not fail.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { capture } from '../support/cli.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const scratch = scratchFolder('readme-example-');

describe("the README's example scenario", () => {
  it('runs as written and holds', { timeout: 60_000 }, async () => {
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Scenarios\n'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'a yaml block under "## Scenarios"').toBeDefined();
    const file = join(scratch(), 'example.yaml');
    await writeFile(file, block!);
    const io = capture(process.cwd());
    const code = await main(['run', file], io);
    expect(code, io.outs.join('\n')).toBe(0);
    expect(io.outs.join('\n')).toMatch(/^ok {3}stalls-mid-task .* complete /m);
  });
});
