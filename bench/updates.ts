/**
 * npm run bench:updates — a burst of updates, as after a reminder wave: a bare grammY bot (grammY
 * and its runner, one reply per update) and Kuota fed the same updates through the same Bot API
 * fake, interleaved, several rounds. Each bot runs in a process of its own, as does the fake.
 * Prints per subject: updates/s in the burst and its ratio to the bare bot's, CPU per update,
 * p50/p99 at light load (a few travellers, each waiting for the answer before the next tap),
 * RSS idle and in the burst, and the time from start to the first getUpdates.
 *
 * BENCH_UPDATES (8000), BENCH_TRAVELLERS (2000), BENCH_ROUNDS (3), BENCH_LIGHT_USERS (20) and
 * BENCH_LIGHT_UPDATES (25 per user) size it. PostgreSQL runs when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL is set, with one instance by long polling and with three behind one webhook.
 * The floor subjects are Kuota's stack without Kuota (bench/updates-bot-process.ts): floor-calls makes
 * Kuota's Bot API calls for each kind of update, floor-conv adds sequentialize, auto-retry and the
 * conversations plugin, floor adds i18next: what Kuota would cost if its database and code cost nothing.
 * BENCH_SUBJECTS=bare,floor-calls,floor-conv,floor,sqlite,pg,pg-webhook,pg-webhook-3 picks subjects. The bots run from compiled
 * JavaScript, as production does (`npm start`): compiled into a temporary directory first, or from
 * BENCH_COMPILED=<dir> when given; BENCH_TSX=1 runs them through tsx instead.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../test/helpers/database.js';
import { freePort } from '../test/fakes/http.js';
import { machine } from './machine.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const UPDATES = env('BENCH_UPDATES', 8000);
const TRAVELLERS = env('BENCH_TRAVELLERS', 2000);
const ROUNDS = env('BENCH_ROUNDS', 3);
const LIGHT_USERS = env('BENCH_LIGHT_USERS', 20);
const LIGHT_UPDATES = env('BENCH_LIGHT_UPDATES', 25);
const FIRST_TRAVELLER = 5_000_000;
// Kuota's node runs with the flags `npm start` gives it; the bare bot with node's defaults.
const startFlags = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((a) => a.startsWith('--'));
const compiled = process.env.BENCH_TSX ? undefined : (process.env.BENCH_COMPILED ?? compile());

/** Compiles the bots (and Kuota) into a temporary directory laid out as the repository is. */
function compile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuota-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', dir, '--noEmit', 'false', '--incremental', 'false'],
    { stdio: 'inherit' },
  );
  for (const linked of ['node_modules', 'locales', 'data', 'prisma', 'public'])
    symlinkSync(path.resolve(linked), path.join(dir, linked));
  return dir;
}

type Subject = {
  name: string;
  kind: 'bare' | 'floor' | 'kuota';
  floor?: 'calls' | 'conversations' | 'stack';
  db?: 'sqlite' | 'postgresql';
  instances: number;
  webhook: boolean;
};
const allSubjects: Subject[] = [
  { name: 'bare', kind: 'bare', instances: 1, webhook: false },
  { name: 'floor-calls', kind: 'floor', floor: 'calls', instances: 1, webhook: false },
  { name: 'floor-conv', kind: 'floor', floor: 'conversations', instances: 1, webhook: false },
  { name: 'floor', kind: 'floor', floor: 'stack', instances: 1, webhook: false },
  { name: 'sqlite', kind: 'kuota', db: 'sqlite', instances: 1, webhook: false },
  { name: 'pg', kind: 'kuota', db: 'postgresql', instances: 1, webhook: false },
  { name: 'pg-webhook', kind: 'kuota', db: 'postgresql', instances: 1, webhook: true },
  { name: 'pg-webhook-3', kind: 'kuota', db: 'postgresql', instances: 3, webhook: true },
];
const wanted = process.env.BENCH_SUBJECTS?.split(',');
const subjects = allSubjects.filter((s) => (wanted ? wanted.includes(s.name) : s.db !== 'postgresql' || postgresUrl));

// What travellers do after a reminder: open the menu, tap, type "renew" in their language, ask the price.
const LANGUAGES = ['en', 'zh-hans', 'id', 'ru', 'ko'];
const ACTIONS: Array<{ text: string } | { tap: string }> = [
  { text: '/start' },
  { tap: 'm:home' },
  { text: 'renew' },
  { text: '续费' },
  { tap: 'm:numbers' },
  { tap: 'm:help' },
  { tap: 'm:history' },
  { text: 'how much' },
];

let nextUpdateId = 1;
function updateFor(traveller: number, step: number): Update {
  return updateOf(traveller, ACTIONS[(traveller + step) % ACTIONS.length]!);
}

function updateOf(traveller: number, action: (typeof ACTIONS)[number]): Update {
  const id = FIRST_TRAVELLER + traveller;
  const from = { id, is_bot: false, first_name: 'T', language_code: LANGUAGES[traveller % LANGUAGES.length] };
  const chat = { id, type: 'private' as const, first_name: 'T' };
  const date = Math.floor(Date.now() / 1000);
  if ('tap' in action) {
    return {
      update_id: nextUpdateId++,
      callback_query: {
        id: String(nextUpdateId),
        from,
        chat_instance: String(id),
        data: action.tap,
        message: { message_id: 1, date, chat, text: 'menu' },
      },
    };
  }
  const command = action.text.startsWith('/')
    ? { entities: [{ type: 'bot_command' as const, offset: 0, length: action.text.length }] }
    : {};
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextUpdateId, date, chat, from, text: action.text, ...command },
  };
}

/** The burst, interleaved: every traveller's first update, then every traveller's second, … */
function burst(): Update[] {
  const perTraveller = Math.ceil(UPDATES / TRAVELLERS);
  const updates: Update[] = [];
  for (let step = 0; step < perTraveller; step++)
    for (let t = 0; t < TRAVELLERS && updates.length < UPDATES; t++) updates.push(updateFor(t, step));
  return updates;
}

async function startFake() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/telegram-fake-process.ts'], {
    env: { ...process.env, LEAN: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  const post = async (what: string, body: unknown) =>
    (await fetch(`${url}/${what}`, { method: 'POST', body: JSON.stringify(body) })).json();
  return {
    url,
    child,
    calls: async () => ((await post('__stats', {})) as { methods: Record<string, number> }).methods,
    enqueue: (updates: Update[]) => post('__enqueue', updates),
    balance: (urls: string[]) => post('__balance', urls),
    stop: () => child.kill('SIGTERM'),
  };
}

/** A bot process: resolves when it is ready; tracks which updates it handled. */
class BotProcess {
  readonly child: ChildProcess;
  readonly spawnedAt = performance.now();
  firstGetUpdatesMs = Number.NaN;
  startCpuMs = Number.NaN;
  private ready!: Promise<void>;
  private replies: Array<(m: any) => void> = [];

  constructor(subject: Subject, extraEnv: Record<string, string>, onHandled: (ids: number[]) => void) {
    const script = compiled ? path.join(compiled, 'bench/updates-bot-process.js') : 'bench/updates-bot-process.ts';
    this.child = fork(script, [], {
      // BENCH_NODE_FLAGS: flags for the bots' node (e.g. to try a heap setting before putting it in `npm start`).
      execArgv: [
        ...(compiled ? [] : ['--import', 'tsx']),
        ...(subject.kind !== 'bare' ? startFlags : []),
        ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
        ...(process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []),
      ],
      env: {
        ...process.env,
        SUBJECT: subject.kind,
        ...(subject.floor ? { FLOOR_LEVEL: subject.floor } : {}),
        ...extraEnv,
      },
      // BENCH_LOG=<file> keeps the bots' own logs (warnings and errors) there.
      stdio: ['ignore', process.env.BENCH_LOG ? openSync(process.env.BENCH_LOG, 'a') : 'ignore', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`${subject.name} exited with ${code}`)));
      this.child.on('message', (m: any) => {
        if (m.handled) onHandled(m.handled);
        else if (m.firstGetUpdates) {
          this.firstGetUpdatesMs = performance.now() - this.spawnedAt;
          this.startCpuMs = m.cpuMs;
        } else if (m.ready) resolve();
        else this.replies.shift()?.(m);
      });
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  ask(what: string): Promise<any> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.child.send({ ask: what });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ ask: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.child.kill('SIGKILL');
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Breakdown = Array<{ action: string; cpuMs: number; statements: number; apiCalls: string }>;
type Result = {
  burstMemory: string;
  startCpuMs: number;
  idleMemory: string;
  rate: number;
  cpuPerUpdate: number;
  statementsPerUpdate: number;
  p50: number;
  p99: number;
  idleRss: number;
  burstRss: number;
  startMs: number;
  breakdown: Breakdown;
};

async function measure(subject: Subject, database: TestDatabase | undefined): Promise<Result> {
  const fake = await startFake();
  const doneAt = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const onHandled = (ids: number[]) => {
    const at = performance.now();
    for (const id of ids) {
      doneAt.set(id, at);
      waiters.get(id)?.();
      waiters.delete(id);
    }
  };
  const ports = await Promise.all(Array.from({ length: subject.instances }, () => freePort()));
  const webhooks = ports.map((port) => `http://127.0.0.1:${port}/webhooks/telegram`);
  const bots = ports.map(
    (port, i) =>
      new BotProcess(
        subject,
        {
          API_ROOT: fake.url,
          PORT: String(port),
          ...(database ? { DATABASE_URL: database.url } : {}),
          ...(subject.webhook ? { WEBHOOK_URL: webhooks[i]! } : {}),
        },
        onHandled,
      ),
  );
  await Promise.all(bots.map((b) => b.started()));
  if (subject.webhook) await fake.balance(webhooks);
  // Idle: started, nothing to do for a moment (BENCH_IDLE_MS, 1 s by default).
  await sleep(Number(process.env.BENCH_IDLE_MS ?? 1000));
  const idle = await Promise.all(bots.map((b) => b.ask('usage')));
  const memory = idle[0].usage.memory as NodeJS.MemoryUsage;
  const idleMemory = `heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)}, external ${mb(memory.external)} (array buffers ${mb(memory.arrayBuffers)})`;

  const updates = burst();
  const last = updates.at(-1)!.update_id;
  // BENCH_CPU_PROF=burst: a CPU profile of the burst alone (start-up and light load left out).
  if (process.env.BENCH_CPU_PROF === 'burst') await Promise.all(bots.map((b) => b.ask('profile-start')));
  const before = await Promise.all(bots.map((b) => b.ask('usage')));
  const all = new Promise<void>((resolve) => waiters.set(last, resolve));
  const startedAt = performance.now();
  await fake.enqueue(updates);
  await all;
  while (updates.some((u) => !doneAt.has(u.update_id))) await sleep(5);
  const seconds = (Math.max(...updates.map((u) => doneAt.get(u.update_id)!)) - startedAt) / 1000;
  const after = await Promise.all(bots.map((b) => b.ask('usage')));
  if (process.env.BENCH_CPU_PROF === 'burst')
    await Promise.all(
      bots.map((b, i) => b.ask(`profile-stop:bench/profiles/${subject.name}-${i + 1}-burst-${Date.now()}.cpuprofile`)),
    );
  const afterMemory = after[0].usage.memory as NodeJS.MemoryUsage;
  const burstMemory = `after it: heap ${mb(afterMemory.heapUsed)} of ${mb(afterMemory.heapTotal)}`;
  const cpuMs = after.reduce((a, u, i) => a + u.usage.cpuMs - before[i].usage.cpuMs, 0);
  const statements = after.reduce((a, u, i) => a + (u.usage.statements ?? 0) - (before[i].usage.statements ?? 0), 0);

  // Light load: each of a few travellers taps, waits for the answer, taps again.
  const latencies: number[] = [];
  // Update ids must reach the fake in order, as Telegram numbers them (getUpdates drops any below its offset).
  let inOrder = Promise.resolve();
  await Promise.all(
    Array.from({ length: LIGHT_USERS }, async (_, user) => {
      for (let step = 0; step < LIGHT_UPDATES; step++) {
        let handled!: Promise<void>;
        let at = 0;
        inOrder = inOrder.then(async () => {
          const update = updateFor(user, step);
          handled = new Promise<void>((resolve) => waiters.set(update.update_id, resolve));
          at = performance.now();
          await fake.enqueue([update]);
        });
        await inOrder;
        await handled;
        latencies.push(performance.now() - at);
      }
    }),
  );
  latencies.sort((a, b) => a - b);

  // BENCH_BREAKDOWN=1: each kind of update on its own, every traveller once, in the burst's order.
  const breakdown: Breakdown = [];
  for (const action of process.env.BENCH_BREAKDOWN ? ACTIONS : []) {
    const batch = Array.from({ length: TRAVELLERS }, (_, t) => updateOf(t, action));
    const from = await Promise.all(bots.map((b) => b.ask('usage')));
    const callsBefore = await fake.calls();
    const handled = new Promise<void>((resolve) => waiters.set(batch.at(-1)!.update_id, resolve));
    await fake.enqueue(batch);
    await handled;
    while (batch.some((u) => !doneAt.has(u.update_id))) await sleep(5);
    const to = await Promise.all(bots.map((b) => b.ask('usage')));
    const sum = (key: 'cpuMs' | 'statements') =>
      to.reduce((a, u, i) => a + u.usage[key] - from[i].usage[key], 0) / batch.length;
    // Counted by the fake: calls made from inside a conversation go through an Api of the plugin's own.
    const callsAfter = await fake.calls();
    const apiCalls = Object.entries(callsAfter)
      .map(([method, n]) => [method, n - (callsBefore[method] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([method, n]) => `${(n / batch.length).toFixed(2)} ${method}`)
      .join(', ');
    breakdown.push({
      action: 'tap' in action ? `tap ${action.tap}` : `"${action.text}"`,
      cpuMs: sum('cpuMs'),
      statements: sum('statements'),
      apiCalls,
    });
  }

  await Promise.all(bots.map((b) => b.stop()));
  fake.stop();
  return {
    idleMemory,
    burstMemory,
    rate: updates.length / seconds,
    startCpuMs: Math.max(...bots.map((b) => b.startCpuMs)),
    cpuPerUpdate: cpuMs / updates.length,
    statementsPerUpdate: statements / updates.length,
    breakdown,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    idleRss: Math.max(...idle.map((u) => u.usage.rss)),
    burstRss: Math.max(...after.map((u) => u.usage.peakRss)),
    startMs: Math.max(...bots.map((b) => b.firstGetUpdatesMs)),
  };
}

/** An existing database: migrated, catalog and stores loaded, the travellers known, each with a line. */
async function prepare(kind: 'sqlite' | 'postgresql'): Promise<TestDatabase> {
  const database = await createTestDatabase(kind);
  const { db } = database;
  const ids = Array.from({ length: TRAVELLERS }, (_, i) => i);
  await db.user.createMany({
    data: ids.map((i) => ({ id: `bench${i}`, telegramId: BigInt(FIRST_TRAVELLER + i), language: 'en' })),
  });
  await db.line.createMany({
    data: ids.map((i) => ({
      userId: `bench${i}`,
      kind: 'msisdn',
      identifier: `62838${String(10_000_000 + i)}`,
      carrier: 'axis',
      verifiedAt: new Date(),
      expiresAt: new Date(Date.now() + ((i % 10) + 1) * 86_400_000),
    })),
  });
  // One start on it loads the catalog and the stores, as a deployment's first start would.
  const warm = new BotProcess(
    allSubjects[1]!,
    { DATABASE_URL: database.url, API_ROOT: (await startFakeOnce()).url },
    () => undefined,
  );
  await warm.started();
  await warm.stop();
  return database;
}

let onceFake: Awaited<ReturnType<typeof startFake>> | undefined;
async function startFakeOnce() {
  onceFake ??= await startFake();
  return onceFake;
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`machine: ${machine()}`);
console.log(
  `${UPDATES} updates from ${TRAVELLERS} travellers, ${ROUNDS} rounds; light load: ${LIGHT_USERS} travellers × ${LIGHT_UPDATES} updates; ${compiled ? `compiled JavaScript (${compiled})` : 'tsx (BENCH_TSX)'}; Kuota's node flags (from npm start): ${startFlags.join(' ') || 'none'}`,
);
const databases: Partial<Record<'sqlite' | 'postgresql', TestDatabase>> = {};
for (const s of subjects) if (s.db && !databases[s.db]) databases[s.db] = await prepare(s.db);
onceFake?.stop();

const results = new Map<string, Result[]>(subjects.map((s) => [s.name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const subject of subjects) {
    const r = await measure(subject, subject.db ? databases[subject.db] : undefined);
    results.get(subject.name)!.push(r);
    const bare = results.get('bare')?.[round - 1];
    for (const b of r.breakdown)
      console.log(
        `  ${subject.name} ${b.action.padEnd(12)} CPU ${b.cpuMs.toFixed(2)} ms, ${b.statements.toFixed(2)} SQL statements, Bot API: ${b.apiCalls} per update`,
      );
    console.log(
      `round ${round} ${subject.name.padEnd(13)} ${r.rate.toFixed(0).padStart(5)} updates/s${bare && subject.kind !== 'bare' ? ` (${(r.rate / bare.rate).toFixed(2)}× bare)` : ''}; CPU ${r.cpuPerUpdate.toFixed(2)} ms/update; ${r.statementsPerUpdate.toFixed(2)} SQL/update; p50/p99 ${r.p50.toFixed(1)}/${r.p99.toFixed(1)} ms; RSS idle ${mb(r.idleRss)} (${r.idleMemory}), burst ${mb(r.burstRss)} (${r.burstMemory}); start to first getUpdates ${(r.startMs / 1000).toFixed(2)} s (CPU ${(r.startCpuMs / 1000).toFixed(2)} s)`,
    );
  }
}

console.log('\nmedians:');
const bareRuns = results.get('bare');
for (const subject of subjects) {
  const runs = results.get(subject.name)!;
  const ratios = bareRuns && subject.kind !== 'bare' ? runs.map((r, i) => r.rate / bareRuns[i]!.rate) : [];
  console.log(
    `${subject.name.padEnd(13)} ${median(runs.map((r) => r.rate))
      .toFixed(0)
      .padStart(
        5,
      )} updates/s${ratios.length ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}× bare)` : ''}; CPU ${median(runs.map((r) => r.cpuPerUpdate)).toFixed(2)} ms/update; p50/p99 ${median(runs.map((r) => r.p50)).toFixed(1)}/${median(runs.map((r) => r.p99)).toFixed(1)} ms; RSS idle ${mb(median(runs.map((r) => r.idleRss)))}, burst ${mb(median(runs.map((r) => r.burstRss)))}; start ${(median(runs.map((r) => r.startMs)) / 1000).toFixed(2)} s (CPU ${(median(runs.map((r) => r.startCpuMs)) / 1000).toFixed(2)} s)`,
  );
}
for (const database of Object.values(databases)) await database.drop();
