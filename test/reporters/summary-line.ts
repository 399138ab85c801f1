import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files the summary names: where a slower suite's time went, without a second run. */
const SLOWEST = 15;

/**
 * Ends the run with a plain "N passed, N failed, N skipped" line that any CI can read, after the slowest files with
 * their time (tests and hooks, then import), so a run that got slower says where.
 */
export default class SummaryLine implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const slowest = modules
      .map((module) => ({ file: module.relativeModuleId, ...module.diagnostic() }))
      .sort((a, b) => b.duration - a.duration)
      .slice(0, SLOWEST)
      .map((m) => `  ${seconds(m.duration).padStart(8)}  (import ${seconds(m.collectDuration)})  ${m.file}\n`);
    if (slowest.length > 1) process.stdout.write(`\nslowest files:\n${slowest.join('')}`);
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
