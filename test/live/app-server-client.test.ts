// The app-server client against a tiny fake server (a Node script speaking the same
// line-delimited JSON-RPC), so its timeouts, exits, stderr capture and server-request
// answers are tested without the 300 MB codex binary.

import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppServer } from '../../src/live/app-server.ts';
import { running } from '../support/processes.ts';

const FAKE = String.raw`#!/usr/bin/env node
// Fake codex: argv[2] must be "app-server".
if (process.argv[2] !== 'app-server') { console.error('usage: fake app-server'); process.exit(2); }
const out = (m) => process.stdout.write(JSON.stringify(m) + '\n');
let buf = '';
const waiting = new Map();
let serverId = 0;
function ask(method, params, replyTo) { const id = serverId++; waiting.set(id, replyTo); out({ id, method, params }); }
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const msg = JSON.parse(buf.slice(0, i)); buf = buf.slice(i + 1);
    if (msg.method === undefined) { const to = waiting.get(msg.id); waiting.delete(msg.id); out({ id: to, result: msg.result ?? null, error: msg.error }); continue; }
    if (msg.id === undefined) continue; // notification
    switch (msg.method) {
      case 'initialize': out({ id: msg.id, result: { userAgent: 'fake/0', codexHome: '/x', platformFamily: 'unix', platformOs: 'linux', caps: msg.params.capabilities } }); break;
      case 'slow': break;
      // A command in a session of its own, as Codex runs one in a terminal: outside our process group.
      case 'session-child': { const c = require('node:child_process').spawn('sleep', ['30'], { detached: true, stdio: 'ignore' }); out({ id: msg.id, result: { pid: c.pid } }); break; }
      case 'fail': out({ id: msg.id, error: { code: -32600, message: 'bad params' } }); break;
      case 'die': console.error('boom: fatal'); process.exit(3);
      case 'burst': process.stdout.write(JSON.stringify({ method: 'turn/completed', params: { threadId: 't', turn: { id: 'u1', status: 'completed', items: [] } } }) + '\n' + JSON.stringify({ id: msg.id, result: { turn: { id: 'u1', status: 'inProgress', items: [] } } }) + '\n'); break;
      case 'turn/start': process.stdout.write(JSON.stringify({ id: msg.id, result: { turn: { id: 'u1', status: 'inProgress', items: [] } } }) + '\n' + JSON.stringify({ method: 'item/completed', params: { threadId: 't', turnId: 'u1', item: { type: 'agentMessage', id: 'm', text: 'hi' } } }) + '\n' + JSON.stringify({ method: 'turn/completed', params: { threadId: 't', turn: { id: 'u1', status: 'completed', items: [] } } }) + '\n'); break;
      default: ask(msg.method, msg.params, msg.id); // echo as a server->client request
    }
  }
});
process.stdin.on('end', () => process.exit(0));
`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-codex-'));
const binary = path.join(dir, 'codex');
writeFileSync(binary, FAKE);
chmodSync(binary, 0o755);

describe('AppServer client (fake server)', () => {
  const servers: AppServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (opts: Partial<Parameters<typeof AppServer.start>[0]> = {}) => {
    const s = await AppServer.start({ binary, cwd: dir, env: { PATH: process.env.PATH }, requestTimeoutMs: 2_000, ...opts });
    servers.push(s);
    return s;
  };

  it('initializes with experimentalApi and answers requests', async () => {
    const s = await start();
    const r = await s.request<{ userAgent: string }>('initialize', {
      clientInfo: { name: 'x', title: null, version: '0' },
      capabilities: { experimentalApi: true },
    });
    expect(r.userAgent).toBe('fake/0');
  });

  it('times out a request with a clear error and reports JSON-RPC errors', async () => {
    const s = await start();
    await expect(s.request('slow', {}, { timeoutMs: 100 })).rejects.toThrow(/no answer to slow \(id \d+\) within 100 ms/);
    await expect(s.request('fail', {})).rejects.toThrow('app-server: fail failed: -32600 bad params');
  });

  it('keeps a notification that arrives with the response, and collects a turn', async () => {
    const s = await start();
    const from = s.notifications.length;
    await s.request('burst');
    await expect(s.waitForNotification((n) => n.method === 'turn/completed', { from, timeoutMs: 100 })).resolves.toBeTruthy();
    const turn = await s.runTurn('t', 'hello');
    expect(turn.turn.status).toBe('completed');
    expect(turn.items).toEqual([{ type: 'agentMessage', id: 'm', text: 'hi' }]);
  });

  it('answers tool calls, declines approvals by default, refuses unknown requests', async () => {
    const s = await start({ onToolCall: (c) => ({ contentItems: [{ type: 'inputText', text: `got ${c.tool}` }], success: true }) });
    await expect(s.request('item/tool/call', { namespace: 'codex_app', tool: 'list_threads', arguments: {} })).resolves.toEqual({
      contentItems: [{ type: 'inputText', text: 'got list_threads' }],
      success: true,
    });
    await expect(s.request('item/commandExecution/requestApproval', {})).resolves.toEqual({ decision: 'decline' });
    await expect(s.request('execCommandApproval', {})).resolves.toEqual({ decision: { denied: { rejection: 'declined by the test harness' } } });
    // The fake relays our error back as its own error answer.
    await expect(s.request('something/unknown', {})).rejects.toThrow('client does not handle something/unknown');
    const accepting = await start({ approvals: 'accept' });
    await expect(accepting.request('item/fileChange/requestApproval', {})).resolves.toEqual({ decision: 'accept' });
  });

  it('rejects pending requests with stderr when the server dies, and close() is idempotent', async () => {
    const s = await start();
    await expect(s.request('die')).rejects.toThrow(/exited \(code 3.*before answering die[\s\S]*boom: fatal/);
    await expect(s.request('initialize')).rejects.toThrow(/has exited/);
    expect(await s.close()).toEqual({ code: 3, signal: null });
    expect(await s.close()).toEqual({ code: 3, signal: null });
  });

  it.skipIf(!existsSync('/proc/self/stat'))('close() also stops a command the server started in a session of its own', async () => {
    const s = await start();
    const { pid } = await s.request<{ pid: number }>('session-child');
    expect(running(pid)).toBe(true);
    await s.close();
    expect(running(pid)).toBe(false);
  });

  it("fails start() with the child's stderr when the handshake cannot happen", async () => {
    const broken = path.join(dir, 'broken-codex');
    writeFileSync(broken, '#!/bin/sh\necho "error: unrecognized subcommand" >&2\nexit 2\n');
    chmodSync(broken, 0o755);
    await expect(AppServer.start({ binary: broken, cwd: dir, env: {}, requestTimeoutMs: 2_000 })).rejects.toThrow(
      /exited \(code 2, signal null\) before answering initialize[\s\S]*unrecognized subcommand/,
    );
  });
});
