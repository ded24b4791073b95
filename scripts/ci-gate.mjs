// `npm run ci:gate`: see app/cli/ci-gate.ts. A plain module that loads the TypeScript through
// tsx (found from here, so it runs from any working directory).
import { register } from 'tsx/esm/api';

register();
const { ciGate } = await import('../app/cli/ci-gate.ts');
const code = await ciGate(process.argv.slice(2), {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  isTTY: false,
  progress: () => {},
  cwd: process.cwd(),
});
process.exit(code);
