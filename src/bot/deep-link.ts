/**
 * Links that open the bot with a start parameter, which Telegram allows as 1–64 of A–Z a–z 0–9 _ -.
 * o_<orderId>: where Stripe sends the traveller back after paying.
 * st_<storeId>: a partner store's link, printed as a QR code at its counter.
 */
const ORDER_PREFIX = 'o_';
const STORE_PREFIX = 'st_';

export function orderLink(botUsername: string, orderId: string): string {
  return `https://t.me/${botUsername}?start=${ORDER_PREFIX}${orderId}`;
}

/** The order id in a /start payload, or null when the payload is something else. */
export function orderIdFromStart(payload: string): string | null {
  const match = /^o_([A-Za-z0-9_-]{1,62})$/.exec(payload.trim());
  return match ? match[1]! : null;
}

/** Store ids are lowercase letters, digits and dashes of up to 41 (src/services/stores/stores.ts): always within the 64. */
export function storeLink(botUsername: string, storeId: string): string {
  return `https://t.me/${botUsername}?start=${STORE_PREFIX}${storeId}`;
}

/** The store id in a /start payload (known or not), or null when the payload is something else. */
export function storeIdFromStart(payload: string): string | null {
  const match = /^st_([A-Za-z0-9_-]{1,61})$/.exec(payload.trim());
  return match ? match[1]! : null;
}
