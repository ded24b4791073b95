// The HTML timeline in a real browser: headless Chromium (the system's, driven by
// playwright-core) opens the page of a failing run from a file:// URL and is clicked through as
// a person would. .ci/run installs Chromium from the OS packages when it is absent; where it
// cannot be had, the test is skipped with the reason printed. A screenshot of the page with a
// violation selected is kept in artifacts/ for a person to look at.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { main } from '../../app/cli/main.ts';
import { readTrace } from '../../src/trace/jsonl.ts';
import { capture } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = process.env.TTS_ARTIFACTS ?? join(ROOT, 'artifacts');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string =>
  Boolean(p && existsSync(p)),
);
if (!CHROMIUM) console.log('skipped: no Chromium here (/usr/bin/chromium; .ci/run installs the OS package chromium, or set CHROMIUM_PATH)');

describe.skipIf(!CHROMIUM)('the HTML timeline in headless Chromium', () => {
  let tmp: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let threads: string[];
  let violations: { rule: string; events: number[] }[];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'show-browser-'));
    // A failing run: the leader merges the next branch before verifying the last, and a
    // replacement (stalls-mid-task's ui#2) gives the page a lane more.
    const yaml = join(tmp, 'failing.yaml');
    const text = await readFile(join(ROOT, 'scenarios/stalls-mid-task.yaml'), 'utf8');
    await writeFile(yaml, text.replace(/^name: .*$/m, 'name: failing').replace(/^expect:/m, 'leader:\n  flaws: [merge-two-at-once]\nexpect:'));
    const trace = join(tmp, 'failing.jsonl');
    expect(await main(['run', yaml, '--trace', trace], capture(tmp))).toBe(1);
    const events = await readTrace(trace, 'failing.jsonl');
    const start = events[0]!;
    threads = [start.kind === 'run.start' ? start.leader : '', ...events.flatMap((e) => (e.kind === 'thread.created' ? [e.thread] : []))];
    const html = join(tmp, 'failing.html');
    expect(await main(['show', trace, '--html', html], capture(tmp))).toBe(0);
    violations = JSON.parse(/<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(await readFile(html, 'utf8'))![1]!).timeline.violations;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(html).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('loads with no console error and asks for nothing over the network', () => {
    expect(problems).toEqual([]);
  });

  it('gives every thread of the run a column, the replacement named as such', async () => {
    const heads = await page.$$eval('.lane-head[data-lane]', (els) =>
      els.map((e) => ({ lane: e.getAttribute('data-lane'), thread: e.getAttribute('data-thread') })),
    );
    expect(threads.length).toBe(5);
    for (const t of threads) expect(heads.map((h) => h.thread)).toContain(t);
    expect(heads.map((h) => h.lane)).toEqual(['user', 'leader', 'api', 'ui', 'db', 'ui#2']);
    expect(await page.textContent('.lane-head[data-lane="ui#2"]')).toContain('replaces ui');
  });

  it('lists the violations at the top; clicking one scrolls to its events and highlights them', async () => {
    expect(violations.length).toBeGreaterThan(0);
    expect(await page.$$eval('#violations li', (els) => els.length)).toBe(violations.length);
    const first = violations[0]!;
    expect(first.rule).toBe('R1');
    await page.click('#violations li:first-child button');
    const lit = await page.$$eval('.row.hl', (els) => els.map((e) => Number(e.getAttribute('data-i'))));
    expect(lit).toEqual(first.events);
    const box = await page.$eval(`#ev-${first.events[0]}`, (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.height);
    // The event's content is shown beside it: the merge, the rule broken, the journal then.
    const detail = await page.textContent('#detail');
    expect(detail).toMatch(new RegExp(`#${first.events[0]} · \\d\\d:\\d\\d · leader · ws merge`));
    expect(detail).toContain('R1 branch codex/');
    expect(detail).toMatch(/journal at this point \(written at #\d+/);
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'show-timeline.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the timeline with a violation selected: ${shot}`);
    expect(existsSync(shot)).toBe(true);
  });

  it('clicking a message shows its full text; the workspace operations can be shown', async () => {
    const dispatch = page.locator('.row.kind-message .ev', { hasText: 'dispatch:' }).first();
    await dispatch.click();
    const detail = await page.textContent('#detail');
    expect(detail).toContain('DISPATCH for');
    expect(detail).toMatch(/text\s*From: leader \(thread ID: /);
    const before = await page.$$eval('.row', (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
    await page.check('#show-all');
    const after = await page.$$eval('.row', (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
    expect(after).toBeGreaterThan(before);
    expect(after).toBe(await page.$$eval('.row', (els) => els.length));
    expect(problems).toEqual([]);
  });
});
