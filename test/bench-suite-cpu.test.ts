// The bench's account of the suite's processor time by file (bench/suite-cpu.ts): costliest
// first, the real-Codex files apart from the rest, and a line it cannot read named by number.

import { describe, expect, it } from 'vitest';
import { suiteCpu } from '../bench/suite-cpu.ts';

const line = (file: string, own: number, children: number, wall = 1) => JSON.stringify({ file, own, children, wall });

describe('suiteCpu', () => {
  it('orders files by their own and their processes’ time together, and totals live/ apart', () => {
    const r = suiteCpu(
      [line('test/a.test.ts', 3, 0), line('test/live/codex.test.ts', 1, 9), '', line('test/b.test.ts', 0.5, 2.5), line('test/live/x.test.ts', 0.25, 0)].join(
        '\n',
      ),
    );
    expect(r.files.map((f) => f.file)).toEqual(['test/live/codex.test.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/live/x.test.ts']);
    expect(r.groups).toEqual([
      { name: 'test/live/ (the real Codex)', files: 2, own: 1.25, children: 9 },
      { name: 'every other file', files: 2, own: 3.5, children: 2.5 },
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => suiteCpu(`${line('test/a.test.ts', 1, 0)}\n{"file":"test/b.test.ts"`)).toThrow('cpu log line 2: not JSON');
    expect(() => suiteCpu(JSON.stringify({ file: 'test/a.test.ts', own: 1, children: '2', wall: 1 }))).toThrow('cpu log line 1: children: expected a number');
    expect(() => suiteCpu(JSON.stringify({ own: 1, children: 2, wall: 1 }))).toThrow('cpu log line 1: file: expected a path');
  });
});
