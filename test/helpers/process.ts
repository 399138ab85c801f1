import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { TEST_TOKEN } from './harness.js';

/** Compiles src/ to dist/ when it changed (as npm start does), so process tests run what production runs. */
export function buildDist(): void {
  const build = spawnSync(process.execPath, ['scripts/build-if-changed.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

export type KuotaProcess = {
  child: ChildProcess;
  output(): string;
  /** stdout's lines, each parsed as pino JSON (a line that is not JSON throws). */
  lines(): Array<Record<string, unknown>>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
};

/** `node dist/main.js` with the settings given (on top of a test token and a production NODE_ENV). */
export function startKuota(env: Record<string, string>): KuotaProcess {
  let output = '';
  let stdout = '';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SUPPORT_CONTACT: '@kuota_help_test',
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      HOST: '127.0.0.1',
      ...env,
    },
  });
  child.stdout.on('data', (d) => {
    output += d;
    stdout += d;
  });
  child.stderr.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    lines: () =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async waitFor(text, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`no "${text}" (exit ${child.exitCode}):\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited: () => exit,
  };
}
