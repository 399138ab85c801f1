export type DatabaseProvider = 'sqlite' | 'postgresql';

export function providerOf(url: string): DatabaseProvider {
  return url.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/** Where each provider's schema and migrations live; PostgreSQL's are derived from the SQLite source. */
export function prismaPaths(root: string, provider: DatabaseProvider) {
  const dir = provider === 'sqlite' ? `${root}/prisma` : `${root}/prisma/postgresql`;
  return { schema: `${dir}/schema.prisma`, migrations: `${dir}/migrations` };
}

/** The PostgreSQL schema is the SQLite one with another provider and client output. */
export function derivePostgresSchema(sqliteSchema: string): string {
  return (
    '// Generated from ../schema.prisma by `npm run db:generate`; edit that file instead.\n' +
    sqliteSchema
      .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
      .replace(
        /(output\s*=\s*)"\.\.\/src\/adapters\/db\/generated\/sqlite"/,
        '$1"../../src/adapters/db/generated/postgresql"',
      )
  );
}
