/** The rate-limiting Bot API fake in a process of its own, as Telegram is another machine. RATE=… */
import { FakeTelegram } from '../test/fakes/telegram-api.js';

const fake = await FakeTelegram.start({ perSecond: Number(process.env.RATE), perChatPerSecond: 1, lean: true });
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => fake.close().then(() => process.exit(0)));
