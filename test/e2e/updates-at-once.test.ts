import { afterEach, describe, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { CB } from '../../src/bot/callback-data.js';
import { words } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

// By long polling, updates are handled a fixed number at a time. On PostgreSQL a handler mostly waits
// (for the database's round trips, for Telegram's answers): in a reminder wave, 32 at once left taps
// queued for tens of seconds behind each other (bench:wave). A traveller must not wait for 40 others.
describe.each(databaseKinds.filter((kind) => kind === 'postgresql'))('long polling on %s', (db) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
  });

  it('answers a traveller while 40 other travellers\u2019 taps are still waiting on Telegram', async () => {
    h = await startHarness({ db, polling: true });
    const release = h.telegram.hold('answerCallbackQuery');
    try {
      for (let i = 0; i < 40; i++) await h.telegram.traveller(610_000 + i).tapData(CB.menu('help'));
      await until(() => h!.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').length === 40);
      const bystander = h.telegram.traveller(620_000);
      await bystander.send('/help');
      await until(() => bystander.messages().some((m) => m.text?.includes(words('help.menu'))));
    } finally {
      release();
    }
  });
});
