/**
 * npm run notice:publish -- notice.json
 * { "titles": { "en": "…", "zh-CN": "…" }, "bodies": { … }, "audience": { "type": "all" | "carrier" | "plans", … }, "id"?: "…" }
 * Queues the notice; the running bot delivers it. Publishing the same id again queues nothing more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { openDatabase } from '../adapters/db/client.js';
import { DEFAULT_LANGUAGE } from '../bot/i18n.js';
import { createNoticeService, noticeDraftSchema } from '../services/notices.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run notice:publish -- notice.json');
  process.exit(2);
}
const parsed = noticeDraftSchema
  .extend({
    id: z
      .string()
      .regex(/^[\w-]{4,40}$/)
      .optional(),
  })
  .safeParse(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.success) {
  console.error(
    `${file}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n')}`,
  );
  process.exit(1);
}
const database = await openDatabase(process.env.DATABASE_URL ?? 'file:./data/kuota.db');
const notices = createNoticeService({
  db: database.db,
  now: () => new Date(),
  defaultLanguage: DEFAULT_LANGUAGE,
  ratePerSecond: Number(process.env.OUTBOX_RATE_PER_SECOND ?? 25),
});
const problems = notices.check(parsed.data);
if (problems.length) {
  console.error(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
const { id, ...draft } = parsed.data;
const result = await notices.publish(draft, 0, id);
await database.close();
console.log(`Notice ${result.noticeId} queued for ${result.recipients} travellers.`);
