import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readDockerfile } from '../helpers/image-layout.js';

const root = process.cwd();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Service = {
  command?: string[];
  healthcheck?: { test: string[]; interval?: string; timeout?: string; start_period?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  environment?: Record<string, string>;
  volumes?: string[];
};

/** There is no Docker engine here: compose.yaml is read as Compose reads it, and held to the Dockerfile. */
describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const recipe = readDockerfile(path.join(root, 'Dockerfile'));
  const kuota = compose.services.kuota!;
  const postgres = compose.services.postgres!;

  it("runs the image's own command and health check", () => {
    expect(kuota.command).toEqual(recipe.cmd);
    expect(kuota.healthcheck?.test).toEqual(['CMD', ...recipe.healthcheck]);
    const flags = recipe.healthcheckFlags;
    expect(kuota.healthcheck).toMatchObject({
      interval: flags.interval,
      timeout: flags.timeout,
      start_period: flags['start-period'],
      retries: Number(flags.retries),
    });
  });

  it('starts Kuota once PostgreSQL answers, restarts both, and keeps the database in a named volume', () => {
    expect(postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready -U kuota -d kuota/);
    expect(kuota.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(kuota.restart).toBe('unless-stopped');
    expect(postgres.restart).toBe('unless-stopped');
    const [volume, mountedAt] = postgres.volumes![0]!.split(':');
    expect(mountedAt).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
    // The bot's URL names the postgres service, its user and its database.
    const url = new URL(kuota.environment!.DATABASE_URL!.replace(/\$\{[^}]+\}/, 'secret'));
    expect([url.protocol, url.hostname, url.username, url.pathname]).toEqual([
      'postgresql:',
      'postgres',
      postgres.environment!.POSTGRES_USER,
      `/${postgres.environment!.POSTGRES_DB}`,
    ]);
  });
});

/** README's path to production, held to the settings Kuota reads and the commands the image has. */
describe("README's Going to production and the commands in the image", () => {
  const readme = read('README.md');
  const section = (title: string) => {
    const from = readme.indexOf(`\n## ${title}\n`);
    expect(from, title).toBeGreaterThan(-1);
    const to = readme.indexOf('\n## ', from + 1);
    return readme.slice(from, to === -1 ? undefined : to);
  };

  it('links docs/deploy.md and lists the settings to set, each one Kuota reads', () => {
    const production = section('Going to production');
    expect(production).toContain('](docs/deploy.md)');
    const named = new Set([...production.matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)].map((m) => m[1]!));
    for (const must of [
      'NODE_ENV',
      'TELEGRAM_BOT_TOKEN',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'PROVIDER',
      'CATALOG_FILE',
      'STORES_FILE',
      'SUPPORT_CONTACT',
      'ADMIN_IDS',
      'DATABASE_URL',
      'TELEGRAM_WEBHOOK_URL',
      'TELEGRAM_WEBHOOK_SECRET',
      'PUBLIC_URL',
      'STRIPE_RETURN_URL',
      'METRICS_TOKEN',
    ])
      expect(named).toContain(must);
    const config = read('src/config.ts');
    for (const name of named) expect(config, name).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("names each operator command's compiled twin, import-packages.js included, and how a file gets into the container", () => {
    const docker = section('Docker');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const rows = [...docker.matchAll(/^\| `npm run ([\w:]+) -- [^`]*` \| `node dist\/cli\/([\w-]+)\.js[^`]*` \|/gm)];
    expect(rows.map((r) => r[1])).toEqual(['catalog:load', 'catalog:import', 'stores:load', 'notice:publish']);
    // Each twin is the compiled form of the very file its npm script runs.
    for (const [, script, file] of rows) expect(scripts[script!]).toBe(`tsx src/cli/${file}.ts`);
    expect(docker).toContain('node dist/cli/import-packages.js');
    expect(docker).toMatch(/docker cp \S+ kuota:\/tmp\/\S+/);
    expect(docker).toMatch(/-v "\$PWD\/import":\/app\/import/);
  });
});

describe('docs/deploy.md', () => {
  const doc = read('docs/deploy.md');
  const headings = [...doc.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!);

  it('covers the reverse proxy with TLS, several instances, backups and restore, upgrades and rollback', () => {
    for (const topic of [
      /reverse proxy with TLS/,
      /^Caddy$/,
      /^nginx$/,
      /Several instances/,
      /Backups/,
      /^PostgreSQL$/,
      /^SQLite$/,
      /Restore/,
      /Upgrades/,
      /Rollback/,
    ])
      expect(
        headings.some((h) => topic.test(h)),
        String(topic),
      ).toBe(true);
    expect(doc).toMatch(/pg_dump /);
    expect(doc).toMatch(/sqlite3 .*\.backup|VACUUM INTO/);
  });

  it("sends Telegram's webhook through both proxies to Kuota's port, over TLS", () => {
    const caddy = doc.slice(doc.indexOf('### Caddy'), doc.indexOf('### nginx'));
    const nginx = doc.slice(doc.indexOf('### nginx'), doc.indexOf('## 3.'));
    expect(caddy).toMatch(/handle \/webhooks\/\* \{[^}]*\}\s+reverse_proxy 127\.0\.0\.1:3000/);
    expect(nginx).toMatch(/listen 443 ssl/);
    expect(nginx).toMatch(/location \/webhooks\/ \{\s+proxy_pass http:\/\/127\.0\.0\.1:3000;/);
  });
});

describe('LICENSE and CHANGELOG', () => {
  it('license the code under MIT to Kuota contributors, and start the changelog at the current version', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Kuota contributors\n/);
    const { version } = JSON.parse(read('package.json')) as { version: string };
    const released = [...read('CHANGELOG.md').matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)];
    expect(released[0]?.[1]).toBe(version);
    expect(read('CHANGELOG.md')).toMatch(/^## \[Unreleased\]$/m);
  });
});

/**
 * docs/deploy.md's SQLite backup commands, run as written on a database that a live process holds in WAL mode
 * with writes not yet checkpointed: each backup has every row, where a copy of the file alone has none.
 */
describe("docs/deploy.md's SQLite backups", () => {
  const guide = read('docs/deploy.md');
  const commands = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .filter((line) => /\.backup|VACUUM INTO/.test(line));
  let dir: string;
  let live: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-backup-'));
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'backups'));
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    live = new Database(path.join(dir, 'data/kuota.db'));
    live.pragma('journal_mode = WAL');
    live.pragma('wal_autocheckpoint = 0');
    live.exec('CREATE TABLE "Order" (id INTEGER PRIMARY KEY, amount INTEGER)');
    const insert = live.prepare('INSERT INTO "Order" (amount) VALUES (?)');
    for (let i = 1; i <= 500; i++) insert.run(i * 1000);
  });
  afterEach(() => {
    live.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rowsIn = (file: string) => {
    const copy = new Database(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      return copy.prepare('SELECT count(*) AS n FROM "Order"').get() as { n: number };
    } catch (error) {
      return { n: 0, error };
    } finally {
      copy.close();
    }
  };

  it('warns for a reason: a copy of the database file alone misses what is still in the WAL', () => {
    copyFileSync(path.join(dir, 'data/kuota.db'), path.join(dir, 'backups/copied.db'));
    expect(rowsIn(path.join(dir, 'backups/copied.db')).n).toBe(0);
  });

  it('documents sqlite3 .backup, VACUUM INTO and the in-container form, and each keeps every row', () => {
    expect(commands.map((c) => c.split(' ')[0])).toEqual(['sqlite3', 'sqlite3', 'docker']);
    for (const command of commands) {
      // The in-container form runs its node -e as the image would, with /app being this folder.
      const local = command.startsWith('docker exec kuota ')
        ? command.slice('docker exec kuota '.length).replaceAll('/app/', `${dir}/`)
        : command;
      execFileSync('bash', ['-c', local], { cwd: dir, stdio: 'pipe' });
      const made = [...readdirSync(path.join(dir, 'backups')), ...readdirSync(path.join(dir, 'data'))].filter((f) =>
        /^(kuota-.*|backup)\.db$/.test(f),
      );
      expect(made, command).toHaveLength(1);
      const file = path.join(dir, made[0] === 'backup.db' ? 'data' : 'backups', made[0]!);
      expect(rowsIn(file).n, command).toBe(500);
      for (const left of ['', '-wal', '-shm']) rmSync(file + left, { force: true });
    }
  });
});
