// Where the project's own files are (skill/, scenarios/, fixtures/, the page script of show):
// found from this module's place, which is src/core/ in the sources and dist/ in the built CLI
// (`npm run build`, which bundles every module into dist/). Code that names a project file goes
// through here, so it finds it from either.

import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = basename(here) === 'dist' ? resolve(here, '..') : resolve(here, '../..');

/** A path inside the project, from its root. */
export const projectPath = (...segments: string[]): string => join(PROJECT_ROOT, ...segments);

/** True when this code runs from the built bundle rather than from the TypeScript sources. */
export const BUILT = basename(here) === 'dist';
