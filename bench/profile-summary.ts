/**
 * npx tsx bench/profile-summary.ts <file.cpuprofile> — where a bot's CPU went, by owner: each npm
 * package, Node's own code, garbage collection, WebAssembly, Kuota's modules. Self time, so the
 * shares add up to the busy time (idle left out). Used for the cost breakdown in bench/README.md.
 */
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string }; hitCount?: number; children?: number[] };
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const top = Number(process.argv[3] ?? 25);

function owner(frame: Node['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  if (url.startsWith('wasm://')) return 'WebAssembly';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!.startsWith('.prisma') ? '@prisma/client' : pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const kuota = /\/(src|bench|test)\/(.*)$/.exec(url);
  if (kuota)
    return kuota[2]!.includes('adapters/db/generated')
      ? '@prisma/client (generated)'
      : `kuota ${kuota[1]}/${kuota[2]!.split('/').slice(0, 2).join('/')}`;
  return url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const time = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = byId.get(id)!.callFrame;
  if (frame.functionName === '(idle)') return;
  const dt = profile.timeDeltas[i] ?? 0;
  const key = owner(frame);
  time.set(key, (time.get(key) ?? 0) + dt);
  total += dt;
});
console.log(`busy ${(total / 1000).toFixed(0)} ms`);
for (const [key, us] of [...time].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
