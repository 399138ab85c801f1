import type { Message, Update, User } from 'grammy/types';
import { listen, sendJson } from './http.js';

export type BotCall = { method: string; payload: Record<string, any>; at: number };
type StoredMessage = Message & { reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> } };

export type RateLimits = {
  /** Messages a second overall without `allow_paid_broadcast` (Telegram's free limit, about 30). */
  perSecond: number;
  perChatPerSecond: number;
  /** Messages a second overall when each carries `allow_paid_broadcast` (Telegram: 1,000). */
  paidPerSecond?: number;
  /** Keep counts only (benchmarks with 100,000 messages). */
  lean?: boolean;
};

/**
 * A local Bot API: records what the bot sends and produces the updates a traveller would.
 * Delivers by webhook when the bot set one (the update is answered before send() returns),
 * else through getUpdates. Optionally enforces Telegram's rate limits with 429 retry_after.
 */
export class FakeTelegram {
  readonly calls: BotCall[] = [];
  readonly blocked = new Set<number>();
  private readonly messages = new Map<number, StoredMessage[]>();
  private queue: Update[] = [];
  private waiting: Array<() => void> = [];
  private webhook: { url: string; secret?: string } | null = null;
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly sentAt: number[] = [];
  private readonly lastToChat = new Map<number, number>();
  rateLimited429 = 0;

  private constructor(readonly url: string, private readonly closeServer: () => Promise<void>, readonly limits?: RateLimits | { lean: true }) {}

  /** With limits, sends beyond them are refused as Telegram does; `{ lean: true }` alone keeps counts only, with no limits. */
  static async start(limits?: RateLimits | { lean: true }): Promise<FakeTelegram> {
    let fake!: FakeTelegram;
    const s = await listen(async (req, body, res) => {
      if (req.url === '/__stats') return sendJson(res, 200, fake.stats());
      // A benchmark in another process hands its updates and its instances' addresses over these.
      if (req.url === '/__enqueue') return sendJson(res, 200, fake.enqueue(JSON.parse(body.toString('utf8'))) ?? true);
      if (req.url === '/__balance') return sendJson(res, 200, fake.balance(JSON.parse(body.toString('utf8'))) ?? true);
      const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
      if (!match) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const payload = body.length ? JSON.parse(body.toString('utf8')) : {};
      const answer = await fake.call(match[2]!, payload);
      sendJson(res, answer.ok ? 200 : answer.error_code, answer);
    });
    fake = new FakeTelegram(s.url, s.close, limits);
    return fake;
  }

  /** For a benchmark that runs the fake in another process: what it accepted, per chat. */
  stats() {
    if (this.limits?.lean) {
      const counts = [...this.leanCounts.values()];
      return { chats: counts.length, messages: counts.reduce((a, b) => a + b, 0), duplicates: counts.reduce((a, n) => a + Math.max(0, n - 1), 0), rateLimited429: this.rateLimited429, firstAt: this.leanFirst, lastAt: this.leanLast };
    }
    let chats = 0;
    let messages = 0;
    let duplicates = 0;
    for (const list of this.messages.values()) {
      chats++;
      messages += list.length;
      duplicates += Math.max(0, list.length - 1);
    }
    const accepted = this.calls.filter((c) => c.method === 'sendMessage').map((c) => c.at);
    return { chats, messages, duplicates, rateLimited429: this.rateLimited429, firstAt: Math.min(...accepted), lastAt: Math.max(...accepted) };
  }

  close(): Promise<void> {
    this.waiting.forEach((w) => w());
    return this.closeServer();
  }

  readonly botInfo = {
    id: 700000001, is_bot: true as const, first_name: 'Kuota', username: 'kuota_test_bot', can_join_groups: false,
    can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false,
    has_topics_enabled: false, allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
  };

  private limited(chatId: number, paid: boolean): number | null {
    if (!this.limits || !('perSecond' in this.limits)) return null;
    const now = Date.now();
    while (this.sentAt.length && this.sentAt[0]! <= now - 1000) this.sentAt.shift();
    // Every send of the last second counts; one that pays may go up to the paid limit.
    const limit = paid ? (this.limits.paidPerSecond ?? 1000) : this.limits.perSecond;
    if (this.sentAt.length >= limit) {
      const oldestInWindow = this.sentAt[this.sentAt.length - limit]!;
      return Math.max(1, Math.ceil((oldestInWindow + 1000 - now) / 1000));
    }
    const last = this.lastToChat.get(chatId);
    if (last !== undefined && now - last < 1000 / this.limits.perChatPerSecond) return 1;
    this.sentAt.push(now);
    this.lastToChat.set(chatId, now);
    return null;
  }

  private readonly leanCounts = new Map<number, number>();
  private leanFirst = 0;
  private leanLast = 0;

  private async call(method: string, payload: Record<string, any>): Promise<any> {
    if (!this.limits?.lean) this.calls.push({ method, payload, at: Date.now() });
    const ok = (result: unknown) => ({ ok: true, result });
    switch (method) {
      case 'getMe':
        return ok(this.botInfo);
      case 'getUpdates': {
        const offset = payload.offset ?? 0;
        this.queue = this.queue.filter((u) => u.update_id >= offset);
        if (!this.queue.length && (payload.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(payload.timeout, 2) * 1000);
            this.waiting.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        return ok(this.queue.slice(0, payload.limit ?? 100));
      }
      case 'setWebhook':
        this.webhook = { url: payload.url, secret: payload.secret_token };
        return ok(true);
      case 'deleteWebhook':
        this.webhook = null;
        return ok(true);
      case 'setMyCommands':
      case 'answerCallbackQuery':
      case 'deleteMessage':
      case 'sendChatAction':
        return ok(true);
      case 'sendMessage':
      case 'sendVenue':
      case 'sendLocation': {
        const chatId = Number(payload.chat_id);
        if (this.blocked.has(chatId)) return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        const retryAfter = this.limited(chatId, payload.allow_paid_broadcast === true);
        if (retryAfter !== null) {
          this.rateLimited429++;
          return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
        }
        if (this.limits?.lean) {
          this.leanCounts.set(chatId, (this.leanCounts.get(chatId) ?? 0) + 1);
          this.leanFirst ||= Date.now();
          this.leanLast = Date.now();
          return ok({ message_id: this.nextMessageId++, date: 0, chat: { id: chatId, type: 'private' } });
        }
        const text = payload.parse_mode === 'HTML' ? renderHtml(payload.text) : payload.text;
        if (text instanceof Error) return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${text.message}` };
        if (typeof text === 'string' && (text.length === 0 || text.length > 4096)) return { ok: false, error_code: 400, description: 'Bad Request: message is too long' };
        const message = {
          message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'T' },
          from: this.botInfo, text, reply_markup: payload.reply_markup, venue: payload.title ? payload : undefined,
        } as unknown as StoredMessage;
        this.store(chatId).push(message);
        return ok(message);
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        if (this.limits?.lean) return ok(true);
        const message = this.store(Number(payload.chat_id)).find((m) => m.message_id === payload.message_id);
        if (!message) return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        if (method === 'editMessageText') {
          const text = payload.parse_mode === 'HTML' ? renderHtml(payload.text) : payload.text;
          if (text instanceof Error) return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${text.message}` };
          (message as { text?: string }).text = text;
        }
        message.reply_markup = payload.reply_markup;
        return ok(message);
      }
      default:
        return { ok: false, error_code: 404, description: `Not Found: method ${method} is not in the fake` };
    }
  }

  private store(chatId: number): StoredMessage[] {
    let list = this.messages.get(chatId);
    if (!list) this.messages.set(chatId, (list = []));
    return list;
  }

  /** Copies, with Intl's narrow and non-breaking spaces read as plain spaces, as a person reads them. */
  messagesTo(chatId: number): StoredMessage[] {
    const plain = (s: string | undefined) => s?.replace(/[\u00a0\u202f]/g, ' ');
    return this.store(chatId).map((m) => ({
      ...m,
      text: plain(m.text),
      reply_markup: m.reply_markup && { ...m.reply_markup, inline_keyboard: m.reply_markup.inline_keyboard?.map((row) => row.map((b) => ({ ...b, text: plain(b.text)! }))) },
    }));
  }

  /** Hands an update to the bot: by webhook (awaiting the bot's answer) or into getUpdates. */
  async deliver(update: Omit<Update, 'update_id'>): Promise<void> {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    if (this.holding) {
      this.holding.push(full);
      return;
    }
    if (this.webhook) return this.post(full);
    this.queue.push(full);
    this.waiting.splice(0).forEach((w) => w());
  }

  private backends: string[] = [];
  private nextBackend = 0;
  private holding: Update[] | null = null;
  webhookErrors = 0;

  /**
   * Several instances behind one webhook URL: each update goes to the next of `urls` in turn, as a
   * load balancer in front of them would send it.
   */
  balance(urls: string[]): void {
    this.backends = urls;
  }

  private async post(update: Update): Promise<void> {
    const url = this.backends.length ? this.backends[this.nextBackend++ % this.backends.length]! : this.webhook!.url;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.webhook?.secret ? { 'x-telegram-bot-api-secret-token': this.webhook.secret } : {}) },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      this.webhookErrors++;
      throw new Error(`webhook answered ${response.status}`);
    }
  }

  /**
   * Holds the updates sent inside `make`, then delivers them all at once by webhook, concurrently,
   * in the order `arrange` puts them (last first by default): what Telegram does with a burst
   * when the bot allows several webhook connections.
   */
  async together(make: () => Promise<unknown>, arrange: (updates: Update[]) => Update[] = (u) => [...u].reverse()): Promise<void> {
    this.holding = [];
    try {
      await make();
    } finally {
      const held = this.holding;
      this.holding = null;
      await Promise.all(arrange(held).map((u) => this.post(u)));
    }
  }

  /**
   * Updates made elsewhere (a benchmark's), ids included: into getUpdates, or by webhook with at
   * most `connections` at once (Telegram's max_connections, 40 by default).
   */
  enqueue(updates: Update[], connections = 40): void {
    if (!this.webhook) {
      this.queue.push(...updates);
      this.waiting.splice(0).forEach((w) => w());
      return;
    }
    let next = 0;
    const worker = async () => {
      while (next < updates.length) await this.post(updates[next++]!).catch(() => undefined);
    };
    for (let i = 0; i < Math.min(connections, updates.length); i++) void worker();
  }

  nextMessageIdForUpdate(): number {
    return this.nextMessageId++;
  }

  traveller(id: number, options: { language_code?: string; first_name?: string } = {}): Traveller {
    return new Traveller(this, { id, is_bot: false, first_name: options.first_name ?? 'Traveller', language_code: options.language_code ?? 'en' });
  }
}

/** A person in a private chat with the bot. */
export class Traveller {
  constructor(private readonly telegram: FakeTelegram, readonly user: User) {}

  get chatId(): number {
    return this.user.id;
  }

  private chat() {
    return { id: this.user.id, type: 'private' as const, first_name: this.user.first_name };
  }

  async send(text: string): Promise<void> {
    const command = /^\/\w+/.exec(text);
    await this.telegram.deliver({
      message: {
        message_id: this.telegram.nextMessageIdForUpdate(), date: Math.floor(Date.now() / 1000), chat: this.chat(), from: this.user, text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    } as Omit<Update, 'update_id'>);
  }

  async sendSticker(): Promise<void> {
    await this.telegram.deliver({
      message: { message_id: this.telegram.nextMessageIdForUpdate(), date: Math.floor(Date.now() / 1000), chat: this.chat(), from: this.user, sticker: { file_id: 'x', file_unique_id: 'x', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } },
    } as Omit<Update, 'update_id'>);
  }

  messages() {
    return this.telegram.messagesTo(this.chatId);
  }

  last() {
    const all = this.messages();
    if (!all.length) throw new Error('the bot has not written to this chat');
    return all[all.length - 1]!;
  }

  /** Every button on the bot's messages, newest message first. */
  buttons() {
    return this.messages().reverse().flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ ...b, message: m })));
  }

  /** Taps the newest button whose text contains `label` (or matches it). */
  async tap(label: string | RegExp): Promise<void> {
    const button = this.buttons().find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)) && b.callback_data);
    if (!button) throw new Error(`no button "${label}" in: ${this.buttons().map((b) => b.text).join(' | ')}`);
    await this.tapData(button.callback_data!, button.message.message_id);
  }

  /** Taps a button by its callback data, as an old message still on screen would send it. */
  async tapData(data: string, messageId?: number): Promise<void> {
    const message = this.messages().find((m) => m.message_id === messageId) ?? this.messages().at(-1);
    await this.telegram.deliver({
      callback_query: { id: String(Math.random()).slice(2), from: this.user, chat_instance: '1', data, message: message ?? { message_id: messageId ?? 1, date: 0, chat: this.chat() } },
    } as Omit<Update, 'update_id'>);
  }

  urlButton(label: string): string {
    const button = this.buttons().find((b) => b.text.includes(label) && b.url);
    if (!button) throw new Error(`no link button "${label}"`);
    return button.url!;
  }

  async block(): Promise<void> {
    this.telegram.blocked.add(this.chatId);
    await this.telegram.deliver({
      my_chat_member: {
        chat: this.chat(), from: this.user, date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: this.telegram.botInfo }, new_chat_member: { status: 'kicked', user: this.telegram.botInfo, until_date: 0 },
      },
    } as Omit<Update, 'update_id'>);
  }

  /** Waits for a message the bot sends on its own (receipts, notices), polling the fake's record. */
  async waitFor(predicate: (text: string, message: ReturnType<Traveller['last']>) => boolean, timeoutMs = 8000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.messages().find((m) => predicate(m.text ?? '', m));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no such message within ${timeoutMs} ms; the chat holds:\n${this.messages().map((m) => m.text).join('\n---\n')}`);
  }
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote', 'span']);

/** What a person sees of a message sent with parse_mode HTML; an Error where Telegram would refuse it. */
export function renderHtml(html: string): string | Error {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    const [, closing, tag] = m;
    if (!HTML_TAGS.has(tag!)) return new Error(`unsupported start tag "${tag}"`);
    if (closing) {
      if (stack.pop() !== tag) return new Error(`unmatched end tag "${tag}"`);
    } else stack.push(tag!);
  }
  if (stack.length) return new Error(`unclosed tag "${stack.at(-1)}"`);
  if (/<(?![a-z/])/.test(html.replace(/<\/?[a-z-]+[^>]*>/g, ''))) return new Error('a bare "<" must be written &lt;');
  return html
    .replace(/<\/?[a-z-]+[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16))).replace(/&amp;/g, '&');
}
