// npm start's build step: compiles src/ to dist/ only when a source or a tsconfig is newer than the
// last build. A no-op `tsc --incremental` still costs 6-12 s of type-checking here; this costs a
// directory walk. Plain JavaScript, so it needs neither tsx nor a compile of its own.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const STAMP = 'dist/.built';

function newest(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

let built = 0;
try {
  built = statSync(STAMP).mtimeMs;
} catch {
  // Never built (a fresh clone): build.
}
const sources = Math.max(newest('src'), ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map(newest));
if (sources <= built) process.exit(0);

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
