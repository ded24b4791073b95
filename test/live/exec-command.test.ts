// Codex's own shell tool: parseExecOutput on texts the real Codex 0.163.0 sent back
// (committed verbatim below), and, with the real binary offline, the whole round trip: a
// scripted brain has Codex run commands, and the shell workspace runs the shared workspace
// suite with Codex executing every one of its scripts.
// The live parts are skipped, with a printed reason, when the codex binary is not installed.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_BINARY_ENV, findCodexBinary } from '../../src/live/codex-binary.ts';
import { EXEC_COMMAND_TOOL, ExecOutputError, execCommandCall, parseExecOutput, parseExecOutputDetails } from '../../src/live/exec-command.ts';
import { scriptedBrain } from '../../src/live/brains.ts';
import { assistantMessage, type ModelRequest, type OutputItem } from '../../src/live/model-server.ts';
import { startOfflineCodex, type OfflineCodex } from '../../src/live/offline-codex.ts';
import { createShellWorkspace, shellQuote } from '../../src/workspace/shell.ts';
import { workspaceSuite, type SuiteCommand } from '../support/workspace-suite.ts';
import { scratchDir, startCodexExec, type CodexExec, type CodexExecSession } from '../support/codex-exec.ts';

// ajv ships CommonJS: under NodeNext typing the default import is the module object, whose
// `.default` is the class (as in test/contract.test.ts).
const Ajv = AjvModule.default;

// ---- observed samples (codex-cli 0.163.0, function_call_output.output) ---------------------

const SAMPLES = {
  exit3: 'Chunk ID: 9dee9b\nWall time: 0.0000 seconds\nProcess exited with code 3\nOriginal token count: 1\nOutput:\na\nb',
  echo: 'Chunk ID: a6b390\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n',
  empty: 'Chunk ID: ef075f\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 0\nOutput:\n',
  blankLines: 'Chunk ID: d9f06d\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\n\n\n',
  stderr: 'Chunk ID: d5762c\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 4\nOutput:\nout\nout2\nerr\n',
  notFound:
    'Chunk ID: 2862b0\nWall time: 0.0000 seconds\nProcess exited with code 127\nOriginal token count: 14\nOutput:\n/bin/bash: line 1: nosuchcommand-xyz: command not found\n',
  killed: 'Chunk ID: 5e451c\nWall time: 0.0000 seconds\nProcess exited with code 137\nOriginal token count: 0\nOutput:\n',
  slept: 'Chunk ID: f0fff3\nWall time: 0.3622 seconds\nProcess exited with code 0\nOriginal token count: 2\nOutput:\nslept\n',
  crlf: 'Chunk ID: cf74fe\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 6\nOutput:\ncafé ✓ tab\there\r\nCRLF',
  running: 'Chunk ID: e19a37\nWall time: 0.2517 seconds\nProcess running with session ID 56878\nOriginal token count: 2\nOutput:\nstart\n',
  badWorkdir: 'exec_command failed: CreateProcess { message: "Rejected(\\"Failed to create unified exec process: No such file or directory (os error 2)\\")" }',
  rmRejected:
    'exec_command failed: CreateProcess { message: "Rejected(\\"`/bin/bash -lc \'touch a; rm -f a && echo removed\'` rejected: rm -f style commands are not permitted. Use a safer approach\\")" }',
  // `seq 1 200` with max_output_tokens 50: exec_command's own token budget.
  truncatedTokens:
    'Chunk ID: 6c6eed\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 173\nOutput:\nWarning: truncated output (original token count: 173)\nTotal output lines: 200\n\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n21\n22\n23\n24\n25\n26\n27\n28\n29\n30\n31\n32\n33\n34\n35\n36\n3…123 tokens truncated…176\n177\n178\n179\n180\n181\n182\n183\n184\n185\n186\n187\n188\n189\n190\n191\n192\n193\n194\n195\n196\n197\n198\n199\n200\n',
  // `seq 1 20000`, shortened here in the middle: what the model is shown of a long output.
  truncatedChars:
    'Chunk ID: 66d2d6\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 27224\nOutput:\nWarning: truncated output (original token count: 27224)\nTotal output lines: 20000\n\n1\n2\n3\n1219\n1220\n1221\n12…98894 chars truncated…7\n19168\n19999\n20000\n',
};

describe('parseExecOutput (texts Codex 0.163.0 sent back)', () => {
  it('reads the exit code and the output exactly', () => {
    expect(parseExecOutput(SAMPLES.exit3)).toEqual({ exitCode: 3, output: 'a\nb' });
    expect(parseExecOutput(SAMPLES.echo)).toEqual({ exitCode: 0, output: 'hi\n' });
    expect(parseExecOutput(SAMPLES.empty)).toEqual({ exitCode: 0, output: '' });
    expect(parseExecOutput(SAMPLES.blankLines)).toEqual({ exitCode: 0, output: '\n\n' });
    expect(parseExecOutput(SAMPLES.stderr)).toEqual({ exitCode: 0, output: 'out\nout2\nerr\n' });
    expect(parseExecOutput(SAMPLES.notFound)).toEqual({ exitCode: 127, output: '/bin/bash: line 1: nosuchcommand-xyz: command not found\n' });
    expect(parseExecOutput(SAMPLES.killed)).toEqual({ exitCode: 137, output: '' });
    expect(parseExecOutput(SAMPLES.crlf)).toEqual({ exitCode: 0, output: 'café ✓ tab\there\r\nCRLF' });
  });

  it('keeps an output that itself looks like a header', () => {
    const inner = 'Output:\nChunk ID: x\nProcess exited with code 9\n';
    expect(parseExecOutput(`Chunk ID: 000000\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 5\nOutput:\n${inner}`)).toEqual({
      exitCode: 0,
      output: inner,
    });
  });

  it('tolerates the optional lines missing', () => {
    expect(parseExecOutput('Wall time: 1.5000 seconds\nProcess exited with code 2\nOutput:\nx')).toEqual({ exitCode: 2, output: 'x' });
  });

  it('gives every field in the details', () => {
    expect(parseExecOutputDetails(SAMPLES.slept)).toEqual({
      chunkId: 'f0fff3',
      wallTimeSeconds: 0.3622,
      exitCode: 0,
      sessionId: null,
      originalTokenCount: 2,
      truncated: false,
      output: 'slept\n',
    });
    expect(parseExecOutputDetails(SAMPLES.running)).toMatchObject({ exitCode: null, sessionId: 56878, output: 'start\n' });
    expect(parseExecOutputDetails(SAMPLES.truncatedTokens)).toMatchObject({ exitCode: 0, truncated: true, originalTokenCount: 173 });
    expect(parseExecOutputDetails(SAMPLES.truncatedChars)).toMatchObject({ exitCode: 0, truncated: true, originalTokenCount: 27224 });
  });

  function problemOf(text: string): string | undefined {
    try {
      parseExecOutput(text);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(ExecOutputError);
      expect((err as ExecOutputError).text).toBe(text);
      return (err as ExecOutputError).problem;
    }
  }

  it('refuses what is not a finished, whole result, saying why', () => {
    expect(problemOf(SAMPLES.running)).toBe('still-running');
    expect(problemOf(SAMPLES.badWorkdir)).toBe('not-started');
    expect(problemOf(SAMPLES.rmRejected)).toBe('not-started');
    expect(problemOf(SAMPLES.truncatedTokens)).toBe('truncated');
    expect(problemOf(SAMPLES.truncatedChars)).toBe('truncated');
    expect(problemOf('')).toBe('unrecognized');
    expect(problemOf('hello')).toBe('unrecognized');
    expect(problemOf('{"exitCode":0}')).toBe('unrecognized');
    expect(problemOf('Wall time: 0.0000 seconds\nOutput:\n')).toBe('unrecognized');
    expect(() => parseExecOutput(SAMPLES.rmRejected)).toThrow(/did not run the command.*rm -f style/);
  });
});

describe('execCommandCall', () => {
  it('is a plain exec_command function call whose arguments fit the observed schema', () => {
    const item = execCommandCall(`printf 'a\\nb'; exit 3`, '/tmp/x', 'call_1') as { arguments: string };
    expect(item).toEqual({
      type: 'function_call',
      call_id: 'call_1',
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: `printf 'a\\nb'; exit 3`, workdir: '/tmp/x', shell: '/bin/sh', login: false, yield_time_ms: 30_000 }),
    });
    expect('namespace' in item).toBe(false);
    const validate = new Ajv({ strict: false }).compile(EXEC_COMMAND_TOOL.parameters);
    expect(validate(JSON.parse(item.arguments)), JSON.stringify(validate.errors)).toBe(true);
    const more = execCommandCall('ls', '/', 'c2', { max_output_tokens: 50_000, login: true }) as { arguments: string };
    expect(JSON.parse(more.arguments)).toMatchObject({ cmd: 'ls', max_output_tokens: 50_000, login: true });
    expect(validate(JSON.parse(more.arguments))).toBe(true);
  });
});

// ---- the real binary ------------------------------------------------------------------------

const binary = findCodexBinary();
if (!binary) {
  console.log(
    `[live] skipping exec_command tests against codex: no codex binary (the optional dependency @openai/codex has no binary installed for ${process.platform}-${process.arch}, or ${CODEX_BINARY_ENV} names a missing file)`,
  );
}

type InputItem = { type?: string; call_id?: string; output?: unknown };

function outputOf(request: ModelRequest, callId: string): string {
  const item = (request.input as InputItem[]).find((i) => i.type === 'function_call_output' && i.call_id === callId);
  if (!item) throw new Error(`request ${request.index} has no output for ${callId}`);
  if (typeof item.output !== 'string') throw new Error(`output of ${callId} is not a string: ${JSON.stringify(item.output)}`);
  return item.output;
}

describe.skipIf(!binary)('codex exec_command, offline, for real', () => {
  const running: OfflineCodex[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** A thread in a fresh temp dir, danger-full-access, approval never; the brain runs `steps(dir)`. */
  async function start(steps: (dir: string) => Array<(r: ModelRequest) => OutputItem[]>) {
    const dir = await scratchDir('codex-exec-');
    dirs.push(dir);
    const codex = await startOfflineCodex({ binary: binary!, brain: scriptedBrain(steps(dir)), requestTimeoutMs: 60_000 });
    running.push(codex);
    const { thread } = await codex.app.threadStart({ cwd: dir, sandbox: 'danger-full-access', approvalPolicy: 'never' });
    return { codex, dir, threadId: thread.id };
  }

  it('runs commands without approval and gives back what parseExecOutput reads', async () => {
    const seen: Record<string, string> = {};
    const { codex, dir, threadId } = await start((cwd) => [
      () => [execCommandCall(`printf 'a\\nb'; exit 3`, cwd, 'call_exit3')],
      (r) => {
        seen.exit3 = outputOf(r, 'call_exit3');
        return [execCommandCall('echo $HOME; pwd', cwd, 'call_home')];
      },
      (r) => {
        seen.home = outputOf(r, 'call_home');
        return [execCommandCall(`printf '%s\\n' "it's \\$written" > made.txt; echo oops >&2`, cwd, 'call_write')];
      },
      (r) => {
        seen.write = outputOf(r, 'call_write');
        // No workdir: the turn cwd.
        return [{ type: 'function_call', call_id: 'call_default', name: 'exec_command', arguments: JSON.stringify({ cmd: 'pwd' }) }];
      },
      (r) => {
        seen.default = outputOf(r, 'call_default');
        return [assistantMessage('done')];
      },
    ]);
    const result = await codex.app.runTurn(threadId, 'Run the commands.', { timeoutMs: 120_000 });
    expect(result.turn.status, JSON.stringify(result.turn.error)).toBe('completed');
    expect(codex.model.errors).toEqual([]);

    expect(parseExecOutput(seen.exit3!)).toEqual({ exitCode: 3, output: 'a\nb' });
    expect(parseExecOutput(seen.home!)).toEqual({ exitCode: 0, output: `${codex.home.env.HOME}\n${dir}\n` });
    expect(parseExecOutput(seen.write!)).toEqual({ exitCode: 0, output: 'oops\n' });
    expect(await readFile(join(dir, 'made.txt'), 'utf8')).toBe("it's $written\n");
    expect(parseExecOutput(seen.default!)).toEqual({ exitCode: 0, output: `${dir}\n` });
    expect(parseExecOutputDetails(seen.exit3!).chunkId).toMatch(/^[0-9a-f]{6}$/);

    // The tool offered is exactly the one documented in exec-command.ts.
    const tools = codex.model.requests[0]!.tools as Array<{ name?: string }>;
    expect(tools.find((t) => t.name === 'exec_command')).toEqual(EXEC_COMMAND_TOOL);
    expect(tools.some((t) => t.name === 'write_stdin')).toBe(true);

    // No approval asked: no server→client request at all.
    expect(codex.app.serverRequests).toEqual([]);

    // Each command is a commandExecution item: started, then completed with the full output.
    const started = result.notifications.filter(
      (n) => n.method === 'item/started' && (n.params as { item: { type: string } }).item.type === 'commandExecution',
    );
    expect(started).toHaveLength(4);
    const items = result.items.filter((i) => i.type === 'commandExecution') as unknown as Array<Record<string, unknown>>;
    expect(items.map((i) => i.id)).toEqual(['call_exit3', 'call_home', 'call_write', 'call_default']);
    expect(items[0]).toMatchObject({
      type: 'commandExecution',
      id: 'call_exit3',
      command: `/usr/bin/sh -c "printf 'a\\\\nb'; exit 3"`,
      cwd: dir,
      status: 'failed',
      exitCode: 3,
      aggregatedOutput: 'a\nb',
      source: 'unifiedExecStartup',
      commandActions: [{ type: 'unknown', command: `printf 'a\\nb'; exit 3` }],
    });
    expect(typeof items[0]!.durationMs).toBe('number');
    // Without shell/login: the user's shell as a login shell (`/bin/bash -lc …` here).
    expect(items[3]).toMatchObject({ status: 'completed', exitCode: 0, command: expect.stringMatching(/ -lc /) });
  }, 180_000);

  it('truncates long outputs, refuses `rm -f`, and says when a command is still running', async () => {
    const seen: Record<string, string> = {};
    const steps: Array<[string, string, Record<string, unknown>]> = [
      ['long', 'seq 1 20000', {}],
      ['fits', 'head -c 7000 /dev/zero | tr "\\0" x', {}],
      ['rm', 'touch gone.txt; rm -f gone.txt', {}],
      ['rmPlain', 'touch gone.txt; rm -- gone.txt; echo removed', {}],
      ['slow', 'echo start; sleep 2; echo end', { yield_time_ms: 250 }],
    ];
    const { codex, threadId } = await start((dir) => [
      ...steps.map(([, cmd, extra], i) => (r: ModelRequest) => {
        if (i > 0) seen[steps[i - 1]![0]] = outputOf(r, `call_${i - 1}`);
        return [execCommandCall(cmd, dir, `call_${i}`, extra)];
      }),
      (r) => {
        seen[steps.at(-1)![0]] = outputOf(r, `call_${steps.length - 1}`);
        return [assistantMessage('done')];
      },
    ]);
    const result = await codex.app.runTurn(threadId, 'Run the commands.', { timeoutMs: 120_000 });
    expect(result.turn.status, JSON.stringify(result.turn.error)).toBe('completed');

    // 108 894 bytes: the model is shown ~10 000 of them (head and tail), flagged.
    const long = parseExecOutputDetails(seen.long!);
    expect(long).toMatchObject({ exitCode: 0, truncated: true, originalTokenCount: 27224 });
    expect(long.output.length).toBeLessThan(10_200);
    expect(long.output).toMatch(/…\d+ chars truncated…/);
    expect(() => parseExecOutput(seen.long!)).toThrow(ExecOutputError);
    // ...while the app-server's item/completed carries all of it.
    const longItem = result.items.find((i) => i.id === 'call_0') as unknown as { aggregatedOutput: string };
    expect(longItem.aggregatedOutput.length).toBe(108_894);

    expect(parseExecOutput(seen.fits!)).toEqual({ exitCode: 0, output: 'x'.repeat(7000) });
    expect(() => parseExecOutput(seen.rm!)).toThrow(/rm -f style commands are not permitted/);
    expect(parseExecOutput(seen.rmPlain!)).toEqual({ exitCode: 0, output: 'removed\n' });
    expect(parseExecOutputDetails(seen.slow!)).toMatchObject({ exitCode: null, sessionId: expect.any(Number), output: 'start\n' });
    expect(() => parseExecOutput(seen.slow!)).toThrow(/still running/);
  }, 180_000);
});

// ---- the shell workspace, every script run by Codex ----------------------------------------

function toShell(spec: SuiteCommand): string {
  const fail = shellQuote(`FAIL: ${spec.file} does not contain ${spec.contains}`);
  return `grep -qF -- ${shellQuote(spec.contains)} ${shellQuote(spec.file)} 2>/dev/null && echo ok || { echo ${fail}; exit 1; }`;
}

describe.skipIf(!binary)('shell workspace through codex exec_command', () => {
  let cx: CodexExec;
  let session: CodexExecSession | null = null;
  const dirs: string[] = [];
  beforeAll(async () => {
    cx = await startCodexExec(binary!);
  }, 60_000);
  afterAll(async () => {
    await cx?.close();
  });
  afterEach(async () => {
    const ended = await session?.end();
    session = null;
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    if (ended) expect(ended.turn.status, JSON.stringify(ended.turn.error)).toBe('completed');
  }, 60_000);

  async function open() {
    const dir = await scratchDir('codex-shell-ws-');
    dirs.push(dir);
    session = await cx.session(dir);
    return { dir, session };
  }

  workspaceSuite(
    'shell via codex',
    async (commands) =>
      createShellWorkspace({
        root: join((await open()).dir, 'repo'),
        exec: session!.exec,
        commands: Object.fromEntries(Object.entries(commands).map(([n, spec]) => [n, toShell(spec)])),
      }),
    async (_ws, path) => readFile(path, 'utf8').catch(() => null),
  );

  it('round-trips awkward contents and a file far over the output budget, with the same SHAs as locally', async () => {
    const { dir, session: s } = await open();
    const ws = createShellWorkspace({ root: join(dir, 'repo'), exec: s.exec, clock: () => 1_700_000_000, allowExec: true });
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i}: ' " $ \` ✓\n`).join('');
    const files = {
      'quotes.txt': `single ' double " back \` dollar $HOME $(id) '\\'' \\`,
      'no-newline.txt': 'last line without newline',
      'crlf.txt': 'windows\r\nline\r\n',
      'unicode.txt': 'café ✓ 日本語 🧪\n',
      "dir with space/it's.txt": 'path\n',
      'big.txt': big,
    };
    const sha = await ws.init(files, 'main');
    // The same init at the same clock, locally, gives the same commit.
    const { localExec } = await import('../support/shell-exec.ts');
    const local = createShellWorkspace({ root: join(dir, 'local-repo'), exec: localExec(), clock: () => 1_700_000_000 });
    expect(await local.init(files, 'main')).toBe(sha);

    for (const [p, c] of Object.entries(files)) expect(await ws.readFile(ws.root, p), p).toBe(c);
    // Every answer was whole: none was truncated by Codex.
    for (const text of s.texts) expect(parseExecOutputDetails(text).truncated).toBe(false);

    // A verbose command: its head and tail, and its exit code, through Codex.
    const verbose = await ws.run(ws.root, 'seq 1 20000; exit 1');
    expect(verbose.exitCode).toBe(1);
    expect(verbose.output).toMatch(/^1\n2\n[\s\S]*bytes of output cut by the shell workspace[\s\S]*\n19999\n20000\n$/);

    // Without sliced reads Codex cuts the middle out, and the transport says so.
    const unsliced = createShellWorkspace({ root: join(dir, 'repo'), exec: s.exec, maxOutputBytes: Number.POSITIVE_INFINITY });
    await expect(unsliced.readFile(join(dir, 'repo'), 'big.txt')).rejects.toMatchObject({ problem: 'truncated' });
  }, 180_000);
});
