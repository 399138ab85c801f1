/**
 * The Bot API fake in a process of its own, as Telegram is another machine. It prints its URL.
 * By default it enforces Telegram's limits: 30 messages a second overall, 1,000 for messages that
 * carry allow_paid_broadcast, one a second per chat. LEAN=1 keeps counts only and limits nothing
 * (the update benchmark's bots reply as fast as they can). BENCH_RTT_MS (default 20) holds each answer
 * back like a network round trip to Telegram's servers, so a sender must keep enough messages in flight.
 */
import { FakeTelegram } from '../test/fakes/telegram-api.js';

const fake = await FakeTelegram.start(
  process.env.LEAN
    ? { lean: true }
    : {
        perSecond: Number(process.env.FREE_RATE ?? 30),
        paidPerSecond: Number(process.env.PAID_RATE ?? 1000),
        perChatPerSecond: 1,
        lean: true,
        roundTripMs: Number(process.env.BENCH_RTT_MS ?? 20),
      },
);
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
