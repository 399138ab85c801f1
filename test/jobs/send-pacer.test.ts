import { describe, expect, it } from 'vitest';
import { createSendBudget } from '../../src/jobs/outbox-worker.js';

const BYSTANDER = 42;

describe("a traveller's replies in the send budget", () => {
  it('keeps a second from the last reply in that chat while a wave pauses between batches, as Telegram counts it', () => {
    const budget = createSendBudget(1000, true, true);
    // The outbox gave a broadcast a slot, then stopped a moment to claim its next batch.
    budget.reserve(7, 10_000);
    budget.departed(10_000);
    budget.landed(10_020, 7);
    expect(budget.reply(BYSTANDER, 10_100).at).toBe(10_100);
    budget.departed(10_100);
    budget.replied(BYSTANDER, 10_120);
    // The traveller asks again half a second later: the answer waits out the chat's second rather than meet a 429.
    expect(budget.reply(BYSTANDER, 10_620).at).toBeGreaterThanOrEqual(11_120);
  });

  it('lets one conversation answer in a burst when no wave is under way', () => {
    const budget = createSendBudget(1000, true, true);
    expect(budget.reply(BYSTANDER, 10_100).at).toBe(10_100);
    budget.departed(10_100);
    budget.replied(BYSTANDER, 10_120);
    expect(budget.reply(BYSTANDER, 10_200).at).toBe(10_200);
  });

  it("holds no broadcast to another chat back while a reply waits out its own chat's second", () => {
    const budget = createSendBudget(1000, true, true);
    budget.reserve(7, 10_000);
    budget.departed(10_000);
    budget.landed(10_020, 7);
    budget.reply(BYSTANDER, 10_100);
    budget.departed(10_100);
    budget.replied(BYSTANDER, 10_120);
    // The bystander's next reply must wait until 11_120 ...
    expect(budget.reply(BYSTANDER, 10_620).at).toBeGreaterThanOrEqual(11_120);
    // ... while the wave's next reminders, to other travellers, keep 1,000 a second (3% under it).
    const next = [8, 9, 10, 11].map((chat) => budget.reserve(chat, 10_620));
    expect(next.at(-1)).toBeLessThan(10_630);
  });

  it('remembers the last few seconds of chats, not every traveller a wave has reached', () => {
    const budget = createSendBudget(1000, true, true);
    let now = 10_000;
    for (let chat = 1; chat <= 60_000; chat++) {
      now = Math.max(now, budget.reserve(chat, now));
      budget.departed(now);
      budget.landed(now + 20, chat);
    }
    // A minute of sends at 1,000 a second: what a chat's next message must wait for has passed for all but the last seconds'.
    expect(now).toBeGreaterThan(60_000);
    expect(budget.chatsRemembered).toBeLessThan(10_000);
  });
});
