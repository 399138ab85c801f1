import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { freePort } from '../fakes/http.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** An operator's command as a process against the database; string arguments, and an object for more environment. */
function command(databaseUrl: string, script: string, args: Array<string | Record<string, string>>) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args.filter((a) => typeof a === 'string')], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, ...args.find((a) => typeof a === 'object') },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** The same, for a command that talks to a fake in this process: spawnSync would stop the fake answering. */
function commandAsync(databaseUrl: string, script: string, args: Array<string | Record<string, string>>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args.filter((a) => typeof a === 'string')], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, ...args.find((a) => typeof a === 'object') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>>((resolve) =>
    child.once('close', (status) => resolve({ status, stdout, stderr })),
  );
}

/** The operator's commands, run as an operator runs them: a process against the database. */
describe('operator commands', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = path.dirname(db.url.slice('file:'.length));
  });
  afterAll(() => db.drop());

  const run = (script: string, ...args: Array<string | Record<string, string>>) => command(db.url, script, args);

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

/** What an operator meets at the edges: help, dry runs, the question before plans go off, and errors in one line. */
describe('operator commands, at the edges', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-cli-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (script: string, ...args: Array<string | Record<string, string>>) => command(db.url, script, args);
  const file = (name: string, content: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
  };
  /** One line on stderr, a non-zero exit, and no stack trace. */
  const refusedInOneLine = (result: Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>) => {
    expect(result.status, result.stdout).not.toBe(0);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    return result.stderr.trim();
  };
  const activePlans = async () =>
    (await db.db.plan.findMany({ where: { active: true }, select: { code: true } })).map((p) => p.code).sort();

  it.each([
    ['catalog:load', 'src/cli/load-catalog.ts', 'load-catalog.js', '--dry-run'],
    ['stores:load', 'src/cli/load-stores.ts', 'load-stores.js', '--dry-run'],
    ['catalog:import', 'src/cli/import-packages.ts', 'import-packages.js', '--margin'],
    ['notice:publish', 'src/cli/publish-notice.ts', 'publish-notice.js', '--dry-run'],
  ])('%s --help says how to run it, with npm and in the Docker image', (name, script, compiled, option) => {
    const help = run(script, '--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain(`npm run ${name} -- `);
    expect(help.stdout).toContain(`node dist/cli/${compiled} `);
    expect(help.stdout).toContain(option);
    expect(help.stderr).toBe('');
  });

  it('catalog:load of a file that leaves plans out shows the change, and switches them off only with --yes', async () => {
    expect(run('src/cli/load-catalog.ts', 'data/catalog.sample.json').status).toBe(0);
    const all = await activePlans();
    const sample = JSON.parse(readFileSync('data/catalog.sample.json', 'utf8')) as {
      plans: Array<{ code: string; price: { amount: number } }>;
    };
    const [first, second] = sample.plans;
    first!.price.amount += 1000;
    const two = file('two-plans.json', JSON.stringify({ plans: [first, second] }));
    const missing = all.filter((c) => c !== first!.code && c !== second!.code);

    const dry = run('src/cli/load-catalog.ts', two, '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`changed:      ${first!.code} (price)`);
    for (const code of missing) expect(dry.stdout).toContain(code);
    expect(dry.stdout).toContain('Dry run: nothing was changed.');
    expect(await activePlans()).toEqual(all);

    // Not on a terminal (a script, docker exec without -it): no one to ask, so no.
    const refused = refusedInOneLine(run('src/cli/load-catalog.ts', two));
    expect(refused).toContain(`leaves out ${missing.length} plans on sale now`);
    expect(refused).toContain('--yes');
    expect(await activePlans()).toEqual(all);
    expect((await db.db.plan.findUniqueOrThrow({ where: { code: first!.code } })).priceMinor).not.toBe(
      first!.price.amount,
    );

    const loaded = run('src/cli/load-catalog.ts', two, '--yes');
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain(`${missing.length} plans not in the file were switched off`);
    expect(await activePlans()).toEqual([first!.code, second!.code].sort());
  }, 120_000);

  it('bad JSON, a missing file or a bad CSV is one line and exit 1, for every command that reads a file', () => {
    const bad = file('bad.json', '{ "plans": [');
    expect(refusedInOneLine(run('src/cli/load-catalog.ts', bad))).toBe(
      `${bad}: not valid JSON (Unexpected end of JSON input)`,
    );
    expect(refusedInOneLine(run('src/cli/load-stores.ts', bad))).toContain(`${bad}: not valid JSON`);
    expect(refusedInOneLine(run('src/cli/publish-notice.ts', bad))).toContain(`${bad}: not valid JSON`);
    const gone = path.join(dir, 'gone.json');
    expect(refusedInOneLine(run('src/cli/publish-notice.ts', gone))).toContain(`${gone}: no such file`);
    expect(refusedInOneLine(run('src/cli/load-catalog.ts', gone))).toContain(`${gone}: no such file`);
    const headless = file('no-header.csv', 'id;name;city\nbad;Toko;Medan\n');
    expect(refusedInOneLine(run('src/cli/load-stores.ts', headless))).toContain(
      'the header has no column "lat", "lng", "address"',
    );
  }, 120_000);

  it('stores:load reads a CSV that Excel saved on Indonesian settings: semicolons, decimal commas, BOM, CRLF', async () => {
    const header = 'id;name;city;lat;lng;address;timezone;carriers;sells;mon;tue;wed;thu;fri;sat;sun;phone';
    const hours = '08:00-20:00;08:00-20:00;08:00-20:00;08:00-20:00;08:00-20:00;09:00-15:00;closed';
    const csv = file(
      'toko.csv',
      '\uFEFF' +
        [
          header,
          `lbj-1;Toko Labuan Bajo;Labuan Bajo;-8,4964;119,8877;Jl. Soekarno Hatta, Labuan Bajo;Asia/Makassar;"axis;telkomsel";"sim;topup";${hours};+62 385 41000`,
          `mdn-1;"Toko ""Medan"" Pusat";Medan;3,5952;98,6722;Jl. Ahmad Yani 1, Medan;Asia/Jakarta;axis;topup;${hours};`,
        ].join('\r\n') +
        '\r\n',
    );
    const dry = run('src/cli/load-stores.ts', csv, '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('new:          lbj-1, mdn-1');
    expect(await db.db.store.count()).toBe(0);

    const loaded = run('src/cli/load-stores.ts', csv);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(await db.db.store.findUniqueOrThrow({ where: { id: 'lbj-1' } })).toMatchObject({
      lat: -8.4964,
      lng: 119.8877,
      address: 'Jl. Soekarno Hatta, Labuan Bajo',
      carriers: ['axis', 'telkomsel'],
      sells: ['sim', 'topup'],
      phone: '+62 385 41000',
    });
    expect((await db.db.store.findUniqueOrThrow({ where: { id: 'mdn-1' } })).name).toBe('Toko "Medan" Pusat');
    // The same file again changes nothing.
    expect(run('src/cli/load-stores.ts', csv, '--dry-run').stdout).toContain('unchanged:    2');
  }, 120_000);

  it("stores:load names a bad row by the file's own line, past blank lines and a cell with a line break", () => {
    const hours = '09:00-21:00\t09:00-21:00\t09:00-21:00\t09:00-21:00\t09:00-21:00\t09:00-21:00\tclosed';
    const tsv = file(
      'stores.tsv.csv',
      [
        'id\tname\tcity\tlat\tlng\taddress\ttimezone\tcarriers\tsells\tmon\ttue\twed\tthu\tfri\tsat\tsun',
        `ok-1\tA\tMedan\t3.5\t98.6\t"Jl. Satu\r\nMedan"\tAsia/Jakarta\taxis\tsim\t${hours}`,
        '',
        `bad-1\tB\tMedan\t93.5\t98.6\tAddr\tAsia/Jakarta\taxis\tsim\t${hours}`,
      ].join('\r\n'),
    );
    const result = run('src/cli/load-stores.ts', tsv);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('row 5 (bad-1).lat: latitude must be between -90 and 90');
    expect(result.stderr).not.toContain('ok-1');
  }, 60_000);

  it('notice:publish --dry-run counts who would receive it and queues nothing', async () => {
    await db.db.user.create({ data: { telegramId: 321n } });
    const notice = file(
      'notice.json',
      JSON.stringify({
        id: 'jan-rules',
        titles: { en: 'Rules' },
        bodies: { en: 'New rules.' },
        audience: { type: 'all' },
      }),
    );
    const dry = run('src/cli/publish-notice.ts', notice, '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would queue notice jan-rules (en) for 1 travellers');
    expect(await db.db.notice.count()).toBe(0);
    expect(await db.db.outboxMessage.count()).toBe(0);
  }, 60_000);

  describe("catalog:import from the eSIM partner's list", () => {
    let airalo: FakeAiralo;
    beforeAll(async () => {
      airalo = await FakeAiralo.start();
    });
    afterAll(() => airalo.close());
    const importing = (...args: Array<string | Record<string, string>>) =>
      commandAsync(db.url, 'src/cli/import-packages.ts', ['airalo', '--margin', '20%', ...args]);
    const credentials = (baseUrl: string) => ({
      AIRALO_BASE_URL: baseUrl,
      AIRALO_CLIENT_ID: 'kuota-client',
      AIRALO_CLIENT_SECRET: 'kuota-secret',
    });

    it('says each page it read, and with --dry-run only shows the prices', async () => {
      // Countries with nothing to sell after the listed ones, so the list runs over three pages of 100.
      airalo.countries.push(
        ...Array.from({ length: 250 }, (_, i) => ({
          slug: `country-${i}`,
          country_code: `C${i}`,
          title: `Country ${i}`,
          operators: [],
        })),
      );
      const dry = await importing('--dry-run', credentials(airalo.url));
      expect(dry.status, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(
        /page 1: \d+ packages so far\n.*page 2: \d+ packages so far\n.*page 3: \d+ packages so far/,
      );
      expect(dry.stdout).toMatch(/Dry run: \d+ plans would be priced/);
      expect(await db.db.plan.count()).toBe(0);

      const done = await importing(credentials(airalo.url));
      expect(done.status, done.stderr).toBe(0);
      expect(await db.db.plan.count()).toBeGreaterThan(0);
    }, 60_000);

    it('says in one line that the provider cannot be reached, and why', async () => {
      const nobody = `http://127.0.0.1:${await freePort()}`;
      const line = refusedInOneLine(
        run('src/cli/import-packages.ts', 'airalo', '--margin', '20%', credentials(nobody)),
      );
      expect(line).toBe(
        `Cannot read airalo's package list: Airalo unreachable on POST /v2/token: fetch failed (ECONNREFUSED)`,
      );
    }, 60_000);
  });
});
