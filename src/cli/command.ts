import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openDatabase, type Database } from '../adapters/db/client.js';

/** A refusal the operator can act on: printed as it is, without a stack trace. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
export type CommandSpec<O extends Options> = {
  /** The npm script, e.g. `catalog:load`; the Docker form is derived from `script`. */
  name: string;
  /** This file's name under dist/cli, e.g. `load-catalog.js`. */
  script: string;
  /** Positional arguments, e.g. `[file]`. */
  args: string;
  summary: string;
  /** One line per option, by its name: `'dry-run': 'show what would change'`. */
  describe: Partial<Record<keyof O & string, string>>;
  options: O;
  /** Lines after the options: examples, what the file holds. */
  more?: string[];
};

function helpText<O extends Options>(spec: CommandSpec<O>): string {
  const flags = Object.entries(spec.describe as Record<string, string>).map(([name, text]) => {
    const option = spec.options[name]!;
    const flag = `--${name}${option.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(22)} ${text}`;
  });
  return [
    `${spec.summary}`,
    '',
    'Usage:',
    `  npm run ${spec.name} -- ${spec.args} [options]`,
    `  node dist/cli/${spec.script} ${spec.args} [options]     (in the Docker image)`,
    '',
    'Options:',
    ...flags,
    `  ${'--help'.padEnd(22)} this text`,
    ...(spec.more?.length ? ['', ...spec.more] : []),
    '',
  ].join('\n');
}

/** One line for any failure: the message, and the system's reason when there is one (ECONNREFUSED, ENOENT). */
export function oneLine(error: unknown): string {
  const err = error as Error;
  // fetch's "fetch failed" holds the reason a cause or two down: a code (ECONNREFUSED) or a message ("bad port").
  let cause: string | undefined;
  for (
    let at = err?.cause as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
    at;
    at = at.cause as typeof at
  )
    cause = typeof at.code === 'string' ? at.code : typeof at.message === 'string' ? at.message : cause;
  const message = String(err?.message ?? error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `${message.slice(0, 400)}${cause && !message.includes(cause) ? ` (${cause})` : ''}`;
}

/**
 * Runs an operator command: reads .env as the bot does, parses the arguments, answers --help, and turns
 * any failure into one line on stderr and a non-zero exit code, never a stack trace.
 */
export async function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  main: (args: { values: Record<string, string | boolean | undefined>; positionals: string[] }) => Promise<void>,
): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      strict: true,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${spec.name}: ${oneLine(error)}. See --help.`);
    process.exit(2);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(helpText(spec));
    return;
  }
  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
    await main({ values, positionals: parsed.positionals });
  } catch (error) {
    console.error(error instanceof CommandError ? error.message : `${spec.name}: ${oneLine(error)}`);
    process.exitCode = error instanceof CommandError ? error.exitCode : 1;
  }
}

/** A file given on the command line, or a sentence saying why it cannot be read. */
export function readableFile(file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = path.resolve(file);
    throw new CommandError(
      code === 'ENOENT'
        ? `${file}: no such file (looked for ${where}). In Docker, copy it into the container first (docker cp).`
        : `${file}: cannot be read (${code ?? oneLine(error)})`,
    );
  }
}

/** The database the bot uses, with a sentence when it cannot be opened. */
export async function openCommandDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL || 'file:./data/kuota.db';
  try {
    return await openDatabase(url);
  } catch (error) {
    throw new CommandError(`Cannot open the database (${url.replace(/\/\/[^@/]*@/, '//…@')}): ${oneLine(error)}`);
  }
}

/**
 * Asks before something the operator may not have meant. Without a terminal to ask on (a script, a
 * pipe, docker exec without -it), the answer is no: `--yes` is how a script says yes.
 */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
