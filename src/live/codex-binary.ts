// Where the real `codex` executable is, found on disk only (no network, no PATH guessing).
//
// npm `@openai/codex` ships only a Node launcher (`@openai/codex/bin/codex.js`); the native binary comes
// from an optional platform dependency installed under an npm alias, e.g.
// `@openai/codex-linux-x64` = `npm:@openai/codex@0.163.0-linux-x64`, holding
// `vendor/<target-triple>/bin/codex` (a ~300 MB static musl binary on Linux). The launcher
// resolves it the same way and falls back to `@openai/codex/vendor/…` (older layout). We
// spawn the native binary directly rather than the launcher: one process fewer, and a kill
// reaches the process that actually holds the app-server.

import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Overrides the search with an explicit executable path (e.g. a codex built from source). */
export const CODEX_BINARY_ENV = 'THREAD_TEAM_CODEX_BINARY';

const TARGETS: Record<string, { triple: string; pkg: string }> = {
  'linux-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'linux-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'android-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'android-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'darwin-x64': { triple: 'x86_64-apple-darwin', pkg: '@openai/codex-darwin-x64' },
  'darwin-arm64': { triple: 'aarch64-apple-darwin', pkg: '@openai/codex-darwin-arm64' },
  'win32-x64': { triple: 'x86_64-pc-windows-msvc', pkg: '@openai/codex-win32-x64' },
  'win32-arm64': { triple: 'aarch64-pc-windows-msvc', pkg: '@openai/codex-win32-arm64' },
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Directory of an installed package, or null; resolved like Node would from `from`. */
function packageDir(req: NodeJS.Require, name: string): string | null {
  try {
    return path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/**
 * Absolute path of the native `codex` binary, or null when it is not installed (the
 * optional dependency was skipped, or this platform has no build). Never throws.
 */
export function findCodexBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env[CODEX_BINARY_ENV];
  if (override) return isExecutable(override) ? path.resolve(override) : null;

  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (!target) return null;
  const exe = process.platform === 'win32' ? 'codex.exe' : 'codex';

  const fromHere = createRequire(import.meta.url);
  const launcherDir = packageDir(fromHere, '@openai/codex');
  // The platform package is a dependency of the launcher: resolve it from there first
  // (nested installs), then from here (hoisted installs).
  const fromLauncher = launcherDir ? createRequire(path.join(launcherDir, 'package.json')) : null;
  const platformDir = (fromLauncher && packageDir(fromLauncher, target.pkg)) ?? packageDir(fromHere, target.pkg);

  const candidates = [
    platformDir && path.join(platformDir, 'vendor', target.triple, 'bin', exe),
    launcherDir && path.join(launcherDir, 'vendor', target.triple, 'bin', exe),
    launcherDir && path.join(launcherDir, 'vendor', target.triple, 'codex', exe),
  ];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return null;
}
