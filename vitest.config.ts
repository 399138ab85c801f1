import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The console's views are JSX with its own factory (src/http/console/jsx.ts), as tsconfig.json says; no dev-only props.
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment', development: false } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup/system-clock.ts'],
    globalSetup: ['test/setup/database-templates.ts'],
    // A test ends when its last condition holds; the limit only bounds one that hangs. Journeys through the chat,
    // the browser and two instances took 20–31 s each at load 10–15 on two cores, against 30 s before.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition; vitest's default gives up after 1 s, which a loaded 2-core CI machine
    // overran (a browser page's debounced fetch). A condition met early still ends the wait at once.
    expect: { poll: { timeout: 20_000 } },
    pool: 'forks',
    // Two cores here and in CI, but the suite mostly waits (on HTTP fakes, databases, child processes and
    // polled conditions): four files at a time took the whole suite from 842 s to 509 s on this machine.
    maxWorkers: 4,
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
