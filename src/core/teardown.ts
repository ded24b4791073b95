// What must not outlive the command: scratch directories, child processes, a half-written
// file. Code that makes one registers how to undo it here for as long as it exists; when the
// user interrupts (Ctrl-C, SIGTERM) the CLI runs every registered undo before it exits, so an
// interrupted run leaves nothing behind. On a normal end each owner undoes its own in a
// `finally` and unregisters.

import { AsyncLocalStorage } from 'node:async_hooks';
import { type ChildProcess, type ChildProcessByStdio, type ExecFileOptions, execFile, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { descendants, killProcesses, processOf } from './process-tree.ts';

type Undo = () => void | Promise<void>;

const undos = new Map<number, { what: string; undo: Undo }>();
let next = 0;
let tearingDown = false;

/** Whether the command is being torn down (an interrupt): what fails now is its consequence, not news. */
export function isTearingDown(): boolean {
  return tearingDown;
}

/**
 * A part of the command (an explore job, a child it started) was stopped by a signal from
 * outside. Usually the whole process group got it, so the command's own interrupt follows.
 */
export class StoppedError extends Error {
  constructor(
    message: string,
    readonly signal: NodeJS.Signals,
  ) {
    super(message);
    this.name = 'StoppedError';
  }
}

/** Resolves true as soon as teardown starts, false after `ms` without one. */
export async function teardownStarts(ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!tearingDown && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return tearingDown;
}

/** Undos registered after the teardown began, run at once; the teardown waits for them. */
const late = new Set<Promise<boolean>>();

/** Runs an undo as the teardown's own (what it starts may start); true when it succeeded. */
function runUndo(undo: Undo): Promise<boolean> {
  return undoing
    .run(true, () => Promise.resolve().then(undo))
    .then(
      () => true,
      () => false,
    );
}

/** Whether `p` comes true within `ms`. */
async function within(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([p, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return ok;
}

/** Registers an undo; returns the function that unregisters it (call it once undone). */
export function onTeardown(what: string, undo: Undo): () => void {
  if (tearingDown) {
    // Made while the command is being torn down (a folder whose making was under way when the
    // interrupt came): the teardown has already taken its list, so this is undone now.
    const done = runUndo(undo);
    late.add(done);
    void done.then(() => late.delete(done));
    return () => {};
  }
  const id = next++;
  undos.set(id, { what, undo });
  return () => {
    undos.delete(id);
  };
}

/** Child processes started through `ownChild` that have not exited. */
const children = new Set<ChildProcess>();

/**
 * Counts a child process among those an interrupt stops, with every process it started, before
 * anything is undone. A git still running when its folder is removed works on in a folder that
 * is gone: one left by `git worktree add` (its `git reset --hard`) was found spinning at full
 * processor for minutes after an interrupted run.
 */
export function ownChild<T extends ChildProcess>(child: T): T {
  children.add(child);
  const forget = () => children.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** A child process not started because the command is being torn down. */
export class TearingDownError extends Error {
  override name = 'TearingDownError';
}

/** Set while an undo runs: what it starts (a `git worktree prune`) is the teardown's own. */
const undoing = new AsyncLocalStorage<true>();

/**
 * Whether a child process may start: always, except once the command is being torn down, when
 * only the undos may start one. The run goes on until its next step fails, and a git it started
 * then would work in folders being removed.
 */
export function mayStartProcess(): boolean {
  return !tearingDown || undoing.getStore() === true;
}

const execFileAsync = promisify(execFile);

/** `execFile` with text output, counted by `ownChild`; refused when `mayStartProcess` says no. */
export function execFileOwned(file: string, args: readonly string[], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
  if (!mayStartProcess()) return Promise.reject(new TearingDownError(`${file} not started: the command is being interrupted`));
  const running = execFileAsync(file, args, { ...options, encoding: 'utf8' });
  ownChild(running.child);
  return running;
}

/**
 * `spawn` with no input (stdin closed, so a command reading it ends) and its output piped,
 * counted by `ownChild`; refused when `mayStartProcess` says no.
 */
export function spawnOwned(file: string, args: readonly string[], options: Omit<SpawnOptions, 'stdio'> = {}): ChildProcessByStdio<null, Readable, Readable> {
  if (!mayStartProcess()) throw new TearingDownError(`${file} not started: the command is being interrupted`);
  return ownChild(spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** SIGKILLs every child counted by `ownChild` and every process below it, and waits until they are gone. */
async function stopChildren(): Promise<void> {
  const pids = [...children].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  // Found while they still hang together: once a parent dies, its children belong to init.
  const found = await Promise.all(pids.map(async (pid) => [await processOf(pid), ...(await descendants(pid))]));
  await killProcesses(found.flat().filter((p) => p !== null));
}

/**
 * Runs every registered undo, newest first (a child before the directory it works in), each
 * at most once, within `budgetMs` in all; returns what could not be undone in time. The child
 * processes counted by `ownChild` are stopped first.
 */
export async function teardownAll(budgetMs = 5_000): Promise<string[]> {
  tearingDown = true;
  await stopChildren();
  const pending = [...undos.entries()].reverse();
  undos.clear();
  const failed: string[] = [];
  const deadline = Date.now() + budgetMs;
  for (const [, { what, undo }] of pending) {
    const left = deadline - Date.now();
    if (left <= 0 || !(await within(runUndo(undo), left))) failed.push(what);
  }
  if (
    late.size &&
    !(await within(
      Promise.all(late).then((done) => done.every(Boolean)),
      Math.max(0, deadline - Date.now()),
    ))
  )
    failed.push('what was made during the teardown');
  return failed;
}

/** How many undos are registered (for tests: nothing left over after a command). */
export function pendingTeardowns(): string[] {
  return [...undos.values()].map((u) => u.what);
}

/**
 * Removes a folder tree. A process that was interrupted with us (Codex, a git it started) may
 * still be writing into it for a moment, which makes a plain removal fail with ENOTEMPTY or
 * EBUSY; retrying briefly outlasts it.
 */
export function removeTree(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

/**
 * A fresh scratch folder under the system's temporary folder, registered for removal at once
 * (an interrupt a moment later leaves nothing). `remove` deletes it; `keep` leaves it be.
 */
export async function scratchDir(prefix: string): Promise<{ path: string; remove(): Promise<void>; keep(): void }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const forget = onTeardown(`scratch folder ${path}`, () => removeTree(path));
  return {
    path,
    remove: async () => {
      await removeTree(path);
      forget();
    },
    keep: forget,
  };
}
