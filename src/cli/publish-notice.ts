/**
 * npm run notice:publish -- notice.json [--dry-run]
 * { "titles": { "en": "…", "zh-CN": "…" }, "bodies": { … }, "audience": { "type": "all" | "carrier" | "plans", … }, "id"?: "…" }
 * Queues the notice; the running bot delivers it. Publishing the same id again queues nothing more.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_LANGUAGE } from '../bot/i18n.js';
import { createNoticeService, noticeDraftSchema, tidyDraft } from '../services/notices/notices.js';
import { CommandError, openCommandDatabase, readableFile, runCommand } from './command.js';

const noticeFile = noticeDraftSchema.extend({
  id: z
    .string()
    .regex(/^[\w-]{4,40}$/)
    .optional(),
});

await runCommand(
  {
    name: 'notice:publish',
    script: 'publish-notice.js',
    args: '<notice.json>',
    summary: 'Publishes a notice to travellers: it is queued here, and the running bot delivers it.',
    options: { 'dry-run': { type: 'boolean' } },
    describe: { 'dry-run': 'check the file and count who would receive it; queue nothing' },
    more: [
      'The file: { "titles": { "en": "…", "id": "…" }, "bodies": { "en": "…", "id": "…" },',
      '            "audience": { "type": "all" } | { "type": "carrier", "carrier": "axis" } | { "type": "plans", "codes": ["…"] },',
      '            "id": "dec-prices" }',
      'English (the default language) is required. Publishing the same id again queues nothing more.',
    ],
  },
  async ({ values, positionals }) => {
    const file = positionals[0];
    if (!file) throw new CommandError('Which notice? npm run notice:publish -- notice.json (see --help)', 2);
    readableFile(file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CommandError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = noticeFile.safeParse(json);
    if (!parsed.success)
      throw new CommandError(
        `${file}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n')}`,
      );
    const database = await openCommandDatabase();
    try {
      const notices = createNoticeService({
        db: database.db,
        now: () => new Date(),
        defaultLanguage: DEFAULT_LANGUAGE,
        ratePerSecond: Number(process.env.OUTBOX_RATE_PER_SECOND ?? 25),
      });
      const problems = notices.check(parsed.data);
      if (problems.length) throw new CommandError(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      const { id, ...draft } = parsed.data;
      if (values['dry-run']) {
        const published = id ? await database.db.notice.findUnique({ where: { id } }) : null;
        const languages = Object.keys(tidyDraft(draft).titles).join(', ');
        console.log(
          published
            ? `Notice ${id} was published already: publishing it again queues nothing more.`
            : `Would queue ${id ? `notice ${id}` : 'the notice'} (${languages}) for ` +
                `${await notices.countAudience(draft.audience)} travellers. Dry run: nothing was queued.`,
        );
        return;
      }
      const result = await notices.publish(draft, 0, id);
      console.log(`Notice ${result.noticeId} queued for ${result.recipients} travellers.`);
    } finally {
      await database.close();
    }
  },
);
