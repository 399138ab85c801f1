/**
 * Layer rules over src/ (`npm run layers`, part of `npm test`); README's Layout describes the layers.
 * Where today's code still breaks a rule, the exception is written into the rule (a `pathNot`) with its reason,
 * so it stays visible until the code it names is changed.
 */
const SDK =
  '^(grammy|@grammyjs/.+|stripe|@prisma/.+|prisma|pg|better-sqlite3|fastify|@fastify/.+|node-cron|pino|i18next|uqr)$';

/** Prisma's client (`Db`, `Tx`) and its dialect name are the services' data access for now (about 35 files): a
 * declared repository per service is the rewrite issue 19 leaves for later ("a boundary, not a rewrite"). */
/** The outbox renderers that read the rows they render: bot/messages/, and each feature's own messages. */
const RENDERERS = '^src/bot/(messages/|usage/low-data\\.ts$|stars/messages\\.ts$|auto-renew/alerts\\.ts$)';

const PRISMA_AS_PORT = '^src/adapters/db/(client|provider)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules of the product: it imports nothing of the project outside domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-no-packages',
      comment: 'src/domain is pure: no SDK, no I/O package.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'services-no-sdk',
      comment: 'Services reach the outside world only through the ports they declare (src/services/ports/).',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: SDK },
    },
    {
      name: 'services-no-adapters',
      comment: 'Services depend on ports, never on a concrete adapter.',
      severity: 'error',
      from: {
        path: '^src/services/',
        // Each has a rule of its own below, naming its one exception.
        pathNot: [
          '^src/services/(usage/usage|code-limits|esim-partner/notifications)\\.ts$',
          '^src/services/esim-partner/',
        ],
      },
      to: { path: '^src/adapters/', pathNot: PRISMA_AS_PORT },
    },
    {
      name: 'services-no-adapters (usage)',
      comment:
        "Exception: usage.ts types its rows with Prisma's generated Line and User; it goes when the usage service " +
        'declares its own row type.',
      severity: 'error',
      from: { path: '^src/services/usage/usage\\.ts$' },
      to: { path: '^src/adapters/', pathNot: [PRISMA_AS_PORT, '^src/adapters/db/generated/sqlite/client\\.ts$'] },
    },
    {
      name: 'services-no-adapters (code-limits)',
      comment:
        'Exception: code-limits.ts builds the Prisma-backed rate limiter itself; it goes when the limiter is ' +
        'passed in as a port by the wiring.',
      severity: 'error',
      from: { path: '^src/services/code-limits\\.ts$' },
      to: { path: '^src/adapters/', pathNot: [PRISMA_AS_PORT, '^src/adapters/db/rate-limit-store\\.ts$'] },
    },
    {
      name: 'services-no-adapters (esim-partner notifications)',
      comment:
        'Exception: esim-partner/notifications.ts takes the LowDataNotification type from the Airalo adapter, which the eSIM ' +
        'partner work is reshaping; the type belongs in src/services/ports/ once that lands.',
      severity: 'error',
      from: { path: '^src/services/esim-partner/notifications\\.ts$' },
      to: { path: '^src/adapters/', pathNot: [PRISMA_AS_PORT, '^src/adapters/provider/airalo\\.ts$'] },
    },
    {
      name: 'services-no-adapters (esim-partner)',
      comment:
        "Exception: the eSIM partner's service uses the Airalo adapter's own API beyond the gateway port (opt-ins, " +
        'balance, refusals, notification types); it goes when those are declared as a port in src/services/ports/.',
      severity: 'error',
      from: { path: '^src/services/esim-partner/' },
      to: { path: '^src/adapters/', pathNot: [PRISMA_AS_PORT, '^src/adapters/provider/airalo\\.ts$'] },
    },
    {
      name: 'adapters-no-services',
      comment: 'Adapters implement ports (src/services/ports/); they call no use case.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/services/', pathNot: '^src/services/ports/' },
    },
    {
      name: 'bot-http-no-database',
      comment:
        'The bot and HTTP layers translate and call services; they never reach the database. Exceptions: the ' +
        "outbox renderers (bot/messages/) read the rows they render through Prisma's client, until the outbox " +
        "carries typed payloads; the bot's own storage (conversation state, per-chat locks) lives in the " +
        'database, wired in create-bot.ts, conversation-storage.ts and chat-order.ts.',
      severity: 'error',
      from: {
        path: '^src/(bot|http)/',
        pathNot: [RENDERERS, '^src/bot/(create-bot|conversation-storage|chat-order)\\.ts$'],
      },
      to: { path: '^src/adapters/db/' },
    },
    {
      name: 'bot-http-no-database (exceptions)',
      comment: 'The files excepted above may use the client and the chat locks, nothing else of the database.',
      severity: 'error',
      from: { path: [RENDERERS, '^src/bot/(create-bot|conversation-storage|chat-order)\\.ts$'] },
      to: { path: '^src/adapters/db/', pathNot: '^src/adapters/db/(client|chat-locks)\\.ts$' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // Prisma's generated client is followed no further than the import of it.
    doNotFollow: { path: ['node_modules', '^src/adapters/db/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
