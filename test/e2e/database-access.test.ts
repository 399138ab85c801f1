import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/client.js';
import { TEST_TOKEN } from '../helpers/harness.js';

/**
 * Root may write anywhere, whatever the modes say, so a test run as root starts Kuota as `nobody`, the way the
 * image runs it as `node`: the modes then bind as they do in production. Run as anyone else, Kuota runs as
 * that user, and the modes bind already.
 */
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const user = asRoot ? 'nobody' : userInfo().username;
const own = (target: string) => asRoot && chownSync(target, NOBODY, NOBODY);

/** Starts Kuota on `file` and returns its output once it stopped, or once it said the database is ready. */
function start(file: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `file:${file}`,
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9', // nothing listens: the start cannot get past the database by accident
      STRIPE_SECRET_KEY: 'sk_test_access',
      STRIPE_WEBHOOK_SECRET: 'whsec_access',
      PORT: '0',
    },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    const ready = setInterval(() => {
      if (!output.includes('database ready')) return;
      child.kill('SIGKILL');
    }, 50);
    child.once('exit', (code) => {
      clearInterval(ready);
      resolve({ code, output });
    });
  });
}

describe('a database Kuota may not write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-access-'));
    chmodSync(dir, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('in a data folder the user may not write, stops the start naming the folder and the user', async () => {
    const data = path.join(dir, 'data');
    mkdirSync(data, { mode: 0o555 });
    const { code, output } = await start(path.join(data, 'kuota.db'));
    expect(code, output).toBe(1);
    expect(output).toContain(
      `Kuota cannot start: opening the database (SQLite) failed (user ${user} (uid ${asRoot ? NOBODY : process.getuid!()}) may not write the data folder ${data}:`,
    );
    expect(output).not.toContain('External error');
  }, 60_000);

  it('in a database file that is read-only, stops the start naming the file and the user', async () => {
    const data = path.join(dir, 'data');
    const file = path.join(data, 'kuota.db');
    await (await openDatabase(`file:${file}`)).close();
    own(data);
    own(file);
    chmodSync(file, 0o444);
    const { code, output } = await start(file);
    expect(code, output).toBe(1);
    expect(output).toContain(`user ${user}`);
    expect(output).toContain(`may not write the database file ${file}:`);
    expect(output).not.toContain('database ready');
  }, 60_000);

  it('and, the same file made writable again, gets past the database', async () => {
    const data = path.join(dir, 'data');
    const file = path.join(data, 'kuota.db');
    await (await openDatabase(`file:${file}`)).close();
    own(data);
    own(file);
    const { output } = await start(file);
    expect(output).toContain('database ready');
  }, 60_000);
});
