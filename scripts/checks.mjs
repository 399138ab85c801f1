/**
 * The static checks of `npm test`, all at once: each is one single-threaded process, so on two
 * cores they take about half the time they take one after another. Each check's output is
 * printed whole when it ends; the command fails, naming the checks that failed.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const CHECKS = ['format:check', 'typecheck', 'lint', 'layers'];

function run(script) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n== npm run ${script}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n${output}`);
      resolve(code === 0 ? null : script);
    });
  });
}

const failed = (await Promise.all(CHECKS.map(run))).filter(Boolean);
if (failed.length) {
  console.error(`\nFailed: ${failed.map((s) => `npm run ${s}`).join(', ')}`);
  process.exit(1);
}
