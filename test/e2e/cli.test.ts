import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** The operator's commands, run as an operator runs them: a process against the database. */
describe('operator commands', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = path.dirname(db.url.slice('file:'.length));
  });
  afterAll(() => db.drop());

  const run = (script: string, file?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...(file ? [file] : [])], {
      env: { PATH: process.env.PATH, DATABASE_URL: db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('catalog:load refuses a bad catalog naming the entry, and loads a good one', async () => {
    const bad = path.join(dir, 'bad-catalog.json');
    writeFileSync(
      bad,
      JSON.stringify({
        plans: [
          {
            code: 'axis-x',
            carrier: 'axis',
            kind: 'hourly',
            dataMb: 1,
            validityDays: 1,
            price: { amount: 1, currency: 'IDR' },
            providerSku: 'X',
            names: { en: 'X' },
          },
        ],
      }),
    );
    const refused = run('src/cli/load-catalog.ts', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('plans[0] (axis-x).kind');
    const loaded = run('src/cli/load-catalog.ts', 'data/catalog.sample.json');
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toMatch(/Loaded \d+ plans/);
    expect(await db.db.plan.count({ where: { active: true } })).toBeGreaterThan(5);
  });

  it('stores:load takes a CSV file', async () => {
    const csv = path.join(dir, 'stores.csv');
    writeFileSync(
      csv,
      'id,name,city,lat,lng,address,timezone,carriers,sells,mon,tue,wed,thu,fri,sat,sun\nlbj-1,Toko Labuan Bajo,Labuan Bajo,-8.4964,119.8877,Jl. Soekarno Hatta,Asia/Makassar,axis;telkomsel,sim;topup,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,closed\n',
    );
    const loaded = run('src/cli/load-stores.ts', csv);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect((await db.db.store.findUniqueOrThrow({ where: { id: 'lbj-1' } })).city).toBe('Labuan Bajo');
  });

  it('notice:publish queues a notice from a JSON file once, and refuses one without English', async () => {
    await db.db.user.create({ data: { telegramId: 123n } });
    const good = path.join(dir, 'notice.json');
    writeFileSync(
      good,
      JSON.stringify({
        id: 'dec-prices',
        titles: { en: 'New prices', id: 'Harga baru' },
        bodies: { en: 'From 1 December.', id: 'Mulai 1 Desember.' },
        audience: { type: 'all' },
      }),
    );
    expect(run('src/cli/publish-notice.ts', good).stdout).toContain('queued for 1 travellers');
    expect(run('src/cli/publish-notice.ts', good).status).toBe(0);
    expect(await db.db.outboxMessage.count({ where: { noticeId: 'dec-prices' } })).toBe(1);
    const bad = path.join(dir, 'notice-bad.json');
    writeFileSync(bad, JSON.stringify({ titles: { id: 'Judul' }, bodies: { id: 'Isi' }, audience: { type: 'all' } }));
    const refused = run('src/cli/publish-notice.ts', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('default language (en)');
  });

  it('reminders:scan --dry-run counts per window and language and queues nothing; without it, queues them', async () => {
    const hour = new Date().getUTCHours();
    const travellers = [
      { language: 'en', hours: 20, quiet: false },
      { language: 'en', hours: 2, quiet: false },
      { language: 'id', hours: 20, quiet: false },
      // Inside their quiet hours (UTC, now until two hours on), with the plan lasting beyond them: held.
      { language: 'id', hours: 20, quiet: true },
    ];
    for (const [i, t] of travellers.entries()) {
      const user = await db.db.user.create({
        data: {
          telegramId: BigInt(900 + i),
          language: t.language,
          timezone: 'UTC',
          quietStart: t.quiet ? hour : 0,
          quietEnd: t.quiet ? (hour + 2) % 24 : 0,
        },
      });
      await db.db.line.create({
        data: {
          userId: user.id,
          kind: 'msisdn',
          identifier: `62838000000${i}`,
          carrier: 'axis',
          verifiedAt: new Date(),
          expiresAt: new Date(Date.now() + t.hours * 3_600_000),
        },
      });
    }
    const before = await db.db.outboxMessage.count({ where: { kind: 'reminder' } });
    const dry = run('src/cli/scan-reminders.ts', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Reminders that would go out now: 4');
    expect(dry.stdout).toContain('1d: id 2, en 1');
    expect(dry.stdout).toContain('3h: en 1');
    expect(dry.stdout).toContain("Held until the traveller's quiet hours end: 1");
    expect(await db.db.outboxMessage.count({ where: { kind: 'reminder' } })).toBe(before);

    const queued = run('src/cli/scan-reminders.ts');
    expect(queued.status, queued.stderr).toBe(0);
    expect(queued.stdout).toContain('Reminders that queued: 4');
    expect(queued.stdout).toContain('"msg":"expiry reminders queued"');
    expect(await db.db.outboxMessage.count({ where: { kind: 'reminder' } })).toBe(before + 4);
    // Queued once: a second run finds nothing new.
    expect(run('src/cli/scan-reminders.ts', '--dry-run').stdout).toContain('would go out now: 0');
  });
});
