// The newest modification time among what the built CLI is made of: the sources (app/, src/,
// sim/) and the package files. dist/ is trusted only while it was built after all of them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} root the project's root folder */
export function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|js)$/.test(e.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of ['app', 'src', 'sim']) walk(join(root, d));
  for (const f of ['package.json', 'package-lock.json']) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}
