import type { Db } from '../adapters/db/client.js';
import { CommandError, confirm, openCommandDatabase, readableFile, runCommand, type CommandSpec } from './command.js';

export type FileChanges = {
  added: string[];
  changed: Array<{ code: string; fields: string[] }>;
  switchedOff: string[];
  unchanged: number;
};

/** Names a few, and counts the rest: a 300-plan catalog's changes stay readable. */
const some = (codes: string[], max = 12) =>
  codes.length <= max ? codes.join(', ') : `${codes.slice(0, max).join(', ')} and ${codes.length - max} more`;

function describeChanges(file: string, what: string, count: number, c: FileChanges): string[] {
  return [
    `${file}: ${count} ${what}. Compared with the database:`,
    `  new:          ${c.added.length ? some(c.added) : '-'}`,
    `  changed:      ${c.changed.length ? some(c.changed.map((x) => `${x.code} (${x.fields.join(', ')})`)) : '-'}`,
    `  switched off: ${c.switchedOff.length ? some(c.switchedOff) : '-'}`,
    `  unchanged:    ${c.unchanged}`,
  ];
}

/**
 * The shape of the operator's load commands: validate the file (a refused file names each problem and
 * exits 1), compare it with the database, then replace what the database holds with it. `--dry-run`
 * stops after the comparison; switching entries off is asked first when `askBeforeSwitchingOff`.
 */
export async function loadFileCommand<T extends unknown[]>(
  spec: Omit<CommandSpec<Record<string, never>>, 'options' | 'describe' | 'args'>,
  options: {
    what: string;
    defaultFile: string;
    parse: (file: string) => T;
    isValidationError: (error: unknown) => error is Error;
    changes: (db: Db, entries: T) => Promise<FileChanges>;
    askBeforeSwitchingOff: boolean;
    load: (db: Db, entries: T) => Promise<string>;
  },
): Promise<void> {
  await runCommand(
    {
      ...spec,
      args: '[file]',
      options: {
        'dry-run': { type: 'boolean' },
        ...(options.askBeforeSwitchingOff ? { yes: { type: 'boolean', short: 'y' } } : {}),
      },
      describe: {
        'dry-run': 'show what would change, and change nothing',
        ...(options.askBeforeSwitchingOff
          ? { yes: `switch off ${options.what} missing from the file without asking` }
          : {}),
      },
    },
    async ({ values, positionals }) => {
      const file = positionals[0] ?? options.defaultFile;
      readableFile(file);
      let entries: T;
      try {
        entries = options.parse(file);
      } catch (error) {
        if (!options.isValidationError(error)) throw error;
        // One problem (bad JSON, a missing column) is one line; several are listed, each naming its entry.
        const problems = (error as Error & { problems?: string[] }).problems ?? [];
        const [only] = problems;
        throw new CommandError(
          problems.length === 1 && only
            ? only.startsWith(file)
              ? only
              : `${file}: ${only}`
            : `${file}: ${error.message}`,
        );
      }
      const database = await openCommandDatabase();
      try {
        const changes = await options.changes(database.db, entries);
        console.log(describeChanges(file, options.what, entries.length, changes).join('\n'));
        if (values['dry-run']) {
          console.log('Dry run: nothing was changed.');
          return;
        }
        const off = changes.switchedOff.length;
        if (options.askBeforeSwitchingOff && off && !values.yes) {
          const question = `${off} ${options.what} on sale now are not in ${file}: switch them off?`;
          if (!process.stdin.isTTY)
            throw new CommandError(
              `${file} leaves out ${off} ${options.what} on sale now (${some(changes.switchedOff)}); loading it ` +
                `switches them off. Nothing was changed: run again with --yes to switch them off.`,
            );
          if (!(await confirm(question))) throw new CommandError('Nothing was changed.');
        }
        console.log(`${await options.load(database.db, entries)} (${file})`);
      } finally {
        await database.close();
      }
    },
  );
}
