/**
 * Links that open the bot on one order (t.me/<bot>?start=o_<orderId>): where Stripe sends the
 * traveller back after paying. Telegram's start parameter allows 1–64 of A–Z a–z 0–9 _ -.
 */
const ORDER_PREFIX = 'o_';

export function orderLink(botUsername: string, orderId: string): string {
  return `https://t.me/${botUsername}?start=${ORDER_PREFIX}${orderId}`;
}

/** The order id in a /start payload, or null when the payload is something else. */
export function orderIdFromStart(payload: string): string | null {
  const match = /^o_([A-Za-z0-9_-]{1,62})$/.exec(payload.trim());
  return match ? match[1]! : null;
}
