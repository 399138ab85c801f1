import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/** A SQLite file or folder the process may not write: the start stops with this sentence, not SQLite's own words. */
export class DatabaseAccessError extends Error {
  /** Trying again changes nothing until the operator fixes the modes: start-up stops at once. */
  readonly permanent = true;
}

function whoAmI(): string {
  const uid = process.getuid?.();
  try {
    return `user ${userInfo().username}${uid === undefined ? '' : ` (uid ${uid})`}`;
  } catch {
    return `uid ${uid}`; // a uid with no name (docker run --user 1234)
  }
}

/**
 * SQLite opens a file it may not write read-only without a word, and fails to create one in a folder it may not
 * write with "External error id#0" from the driver adapter. Asked first, the operator learns which path and
 * which user. The folder must be writable too: WAL mode keeps `-wal` and `-shm` files beside the database.
 */
export function checkSqliteWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const refuse = (what: string, target: string, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? ' (a read-only file system)' : code === 'ENOTDIR' ? ' (not a folder)' : '';
    throw new DatabaseAccessError(
      `${whoAmI()} may not write ${what} ${target}${why}: give that user write access to it ` +
        `(for the Docker image: chown -R node /app/data), or point DATABASE_URL at a file it may write.`,
    );
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    refuse('the data folder', dir, error);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    refuse('the data folder', dir, error);
  }
  for (const existing of [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f)))
    try {
      accessSync(existing, constants.R_OK | constants.W_OK);
    } catch (error) {
      refuse('the database file', path.resolve(existing), error);
    }
}
