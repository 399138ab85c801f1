import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../fakes/http.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';
import { layOutImage, readDockerfile } from '../helpers/image-layout.js';

const root = process.cwd();

describe('package.json', () => {
  it('installs only on Node versions Prisma runs on', () => {
    // semver is npm's own range logic; it is in node_modules through several dependencies.
    const semver = createRequire(import.meta.url)('semver') as {
      satisfies(v: string, r: string): boolean;
      subset(a: string, b: string): boolean;
    };
    const engines = (file: string) =>
      (JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { engines: { node: string } }).engines.node;
    const ours = engines('package.json');
    expect(semver.subset(ours, engines('node_modules/@prisma/client/package.json'))).toBe(true);
    for (const refused of ['20.18.0', '21.7.3', '22.0.0', '22.11.0'])
      expect(semver.satisfies(refused, ours), refused).toBe(false);
    for (const accepted of ['20.19.0', '20.20.2', '22.12.0', '24.0.0', '25.1.0'])
      expect(semver.satisfies(accepted, ours), accepted).toBe(true);
  });
});

/**
 * There is no Docker engine here: the image's files are laid out as its Dockerfile copies them
 * (dist/ built, node_modules pruned as the build stage prunes), and its command runs as a process.
 */
describe('the Docker image, outside Docker', () => {
  const recipe = readDockerfile(path.join(root, 'Dockerfile'));
  let dir: string;
  let telegram: FakeTelegram;
  let stripe: FakeStripe;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-image-'));
    layOutImage(root, dir, recipe);
    telegram = await FakeTelegram.start();
    stripe = await FakeStripe.start();
  }, 240_000);
  afterAll(async () => {
    await telegram?.close();
    await stripe?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no build tools, and runs the same compiled JavaScript as npm start', () => {
    for (const tool of ['prisma', '@prisma/studio-core', 'typescript', 'tsx', 'pino-pretty'])
      expect(existsSync(path.join(dir, 'node_modules', tool)), tool).toBe(false);
    expect(recipe.cmd).toEqual(['node', '--max-old-space-size=512', 'dist/main.js']);
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.start).toBe(recipe.cmd.join(' '));
  });

  it('starts on a fresh volume, migrates, answers /healthz and a traveller, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = Object.fromEntries(Object.entries(recipe.env).map(([k, v]) => [k, v.replaceAll(recipe.workdir, dir)]));
    const child = spawn(recipe.cmd[0]!, recipe.cmd.slice(1), {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        ...env,
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: telegram.url,
        STRIPE_SECRET_KEY: 'sk_test_image',
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.url,
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      const until = Date.now() + 60_000;
      while (!output.includes('Kuota is running')) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`the image's command did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(existsSync(path.join(dir, 'data', 'kuota.db'))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // The console's script, stylesheet and chart.js come from the image itself (public/, node_modules), never a CDN.
      for (const asset of ['console.js', 'console.css', 'favicon.svg', 'vendor/chart.umd.min.js'])
        expect((await fetch(`http://127.0.0.1:${port}/console/assets/${asset}`)).status, asset).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/console/sign-in?token=x`)).status).toBe(200);
      const health = spawnSync(recipe.healthcheck[0]!, recipe.healthcheck.slice(1), {
        env: { PATH: process.env.PATH, PORT: String(port) },
        timeout: 10_000,
      });
      expect(health.status).toBe(0);

      const t = telegram.traveller(9300);
      await t.send('/start');
      await t.waitFor((text) => text.includes('Hi Traveller!'));
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
    );
    expect(code, output).toBe(0);
    expect(output).toContain('"msg":"stopping"');
    for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
  }, 120_000);
});
