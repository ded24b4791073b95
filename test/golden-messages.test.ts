// Golden messages: every template of skill/ as the reference leader and a diligent worker fill
// it in the catalogue's happy path, stored under test/golden/. A template edit shows here as a
// failing test with the diff of what workers (or the leader's journal, or the person) will now
// read, until the author accepts it: `npx vitest run test/golden-messages.test.ts -u`.

import { describe, expect, it } from 'vitest';
import { canonicalMessages } from '../app/compare/canonical.ts';
import { lazy } from './support/lazy.ts';
import { skillProfile } from './support/scripted-leader.ts';

const run = lazy(async () => canonicalMessages(await skillProfile()));

describe('golden messages of skill/ (the happy path, worker api)', () => {
  for (const kind of ['registration', 'dispatch', 'report', 'state', 'final'] as const) {
    it(`${kind}`, async () => {
      const text = (await run())[kind];
      expect(text.length).toBeGreaterThan(100);
      await expect(text.endsWith('\n') ? text : `${text}\n`).toMatchFileSnapshot(`golden/${kind}.md`);
    });
  }
});
