// For operators whose machines reach Prisma's binary host: the standard CLI (prisma migrate deploy,
// prisma studio) works against DATABASE_URL with the matching schema and migrations.
// Kuota itself never needs this: it migrates through the WebAssembly engine on start.
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ?? 'file:./data/kuota.db';
const dir = url.startsWith('file:') ? 'prisma' : 'prisma/postgresql';

export default defineConfig({
  schema: `${dir}/schema.prisma`,
  migrations: { path: `${dir}/migrations` },
  datasource: { url },
});
