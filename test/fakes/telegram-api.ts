import type { Message, Update, User } from 'grammy/types';
import { parseMultipart } from './multipart.js';
import { listen, sendJson } from './http.js';

export type BotCall = { method: string; payload: Record<string, any>; at: number };
type StoredMessage = Message & {
  reply_markup?: {
    inline_keyboard?: Array<
      Array<{ text: string; callback_data?: string; url?: string; copy_text?: { text: string } }>
    >;
  };
  /** A photo's uploaded bytes (sendPhoto with a file), for tests to read. */
  photoBytes?: Buffer;
};

/** An upload's fields: JSON-valued ones (reply_markup) read back into objects, files kept as bytes. */
function uploadPayload(fields: ReturnType<typeof parseMultipart>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string') payload[name] = value;
    else if (name === 'reply_markup') payload[name] = JSON.parse(value);
    else payload[name] = value;
  }
  // grammY names the file by an attach:// reference in the field it fills.
  for (const [name, value] of Object.entries(payload))
    if (typeof value === 'string' && value.startsWith('attach://')) payload[name] = fields[value.slice(9)];
  return payload;
}

/** An invoice link made by createInvoiceLink; the slug is the last part of its t.me link. */
export type FakeInvoice = {
  slug: string;
  title: string;
  description: string;
  payload: string;
  currency: string;
  amount: number;
  subscriptionPeriod?: number;
};
/** A Stars payment as Telegram keeps it: refundable once; a subscription's first payment can be cancelled. */
export type FakeStarPayment = {
  chargeId: string;
  userId: number;
  amount: number;
  payload: string;
  refunded: boolean;
  subscription?: { slug: string; canceled: boolean; firstChargeId: string; expiresAt: number };
  /** Unix seconds: when the Stars were taken, and when they were given back. */
  date: number;
  refundedAt?: number;
  /** The order things happened in, for transactions within one second. */
  seq: number;
  refundSeq?: number;
  /** Who paid, as getStarTransactions reports the partner. */
  user: User;
};
export type PreCheckoutAnswer = { ok: boolean; error_message?: string };

export type RateLimits = {
  /** Messages a second overall without `allow_paid_broadcast` (Telegram's free limit, about 30). */
  perSecond: number;
  perChatPerSecond: number;
  /** Messages a second overall when each carries `allow_paid_broadcast` (Telegram: 1,000). */
  paidPerSecond?: number;
  /** Keep counts only (benchmarks with 100,000 messages). */
  lean?: boolean;
  /** The network's round trip: each answer leaves this long after its request arrived (and was counted). */
  roundTripMs?: number;
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
  /** Calls received and not yet answered, and the most there were at once: how many a bot keeps waiting on the round trip. */
  private open = 0;
  mostOpenAtOnce = 0;
  /** Sees every Bot API call and its answer (a benchmark playing the travellers reacts to what they receive). */
  observer?: (method: string, payload: Record<string, any>, answer: { ok: boolean; error_code?: number }) => void;
  readonly invoices = new Map<string, FakeInvoice>();
  readonly starPayments = new Map<string, FakeStarPayment>();
  readonly preCheckoutAnswers = new Map<string, PreCheckoutAnswer>();
  private readonly pendingPreCheckouts = new Set<string>();
  private nextCharge = 1;

  private constructor(
    readonly url: string,
    private readonly closeServer: () => Promise<void>,
    readonly limits?: RateLimits | { lean: true },
  ) {}

  /** With limits, sends beyond them are refused as Telegram does; `{ lean: true }` alone keeps counts only, with no limits. */
  static async start(limits?: RateLimits | { lean: true }): Promise<FakeTelegram> {
    // eslint-disable-next-line prefer-const -- the server's handler needs `fake` before it exists
    let fake!: FakeTelegram;
    const s = await listen(async (req, body, res) => {
      if (req.url === '/__stats') return sendJson(res, 200, fake.stats());
      // A benchmark in another process hands its updates and its instances' addresses over these.
      if (req.url === '/__enqueue') return sendJson(res, 200, fake.enqueue(JSON.parse(body.toString('utf8'))) ?? true);
      if (req.url === '/__balance') return sendJson(res, 200, fake.balance(JSON.parse(body.toString('utf8'))) ?? true);
      const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
      if (!match) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const type = String(req.headers['content-type'] ?? '');
      const payload = type.startsWith('multipart/form-data')
        ? uploadPayload(parseMultipart(body, type))
        : body.length
          ? JSON.parse(body.toString('utf8'))
          : {};
      fake.mostOpenAtOnce = Math.max(fake.mostOpenAtOnce, ++fake.open);
      try {
        const answer = await fake.call(match[2]!, payload);
        fake.observer?.(match[2]!, payload, answer);
        const roundTrip = limits && 'roundTripMs' in limits ? (limits.roundTripMs ?? 0) : 0;
        if (roundTrip > 0) await new Promise((r) => setTimeout(r, roundTrip));
        sendJson(res, answer.ok ? 200 : answer.error_code, answer);
      } finally {
        fake.open--;
      }
    });
    fake = new FakeTelegram(s.url, s.close, limits);
    return fake;
  }

  /** For a benchmark that runs the fake in another process: what it accepted, per chat. */
  stats() {
    if (this.limits?.lean) {
      const counts = [...this.leanCounts.values()];
      return {
        methods: Object.fromEntries(this.methodCounts),
        chats: counts.length,
        messages: counts.reduce((a, b) => a + b, 0),
        duplicates: counts.reduce((a, n) => a + Math.max(0, n - 1), 0),
        rateLimited429: this.rateLimited429,
        firstAt: this.leanFirst,
        lastAt: this.leanLast,
      };
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
    return {
      chats,
      messages,
      duplicates,
      rateLimited429: this.rateLimited429,
      firstAt: Math.min(...accepted),
      lastAt: Math.max(...accepted),
    };
  }

  close(): Promise<void> {
    this.waiting.forEach((w) => w());
    return this.closeServer();
  }

  readonly botInfo = {
    id: 700000001,
    is_bot: true as const,
    first_name: 'Kuota',
    username: 'kuota_test_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };

  private refusals = { left: 0, retryAfter: 1 };
  /**
   * The next `times` messages sent are refused with 429 and `retry_after` (Bot API, "Making requests":
   * `parameters.retry_after`), as Telegram does to a bot over its limits in a wave.
   */
  rateLimitNext(times: number, retryAfter = 1): void {
    this.refusals = { left: times, retryAfter };
  }

  private limited(chatId: number, paid: boolean): number | null {
    if (this.refusals.left > 0) {
      this.refusals.left--;
      return this.refusals.retryAfter;
    }
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

  /** Command menus as set, by scope ("default", "chat:<id>") and language code ("" for all). */
  readonly commandMenus = new Map<string, Array<{ command: string; description: string }>>();

  private setMyCommands(payload: Record<string, any>) {
    const bad = (description: string) => ({ ok: false, error_code: 400, description: `Bad Request: ${description}` });
    const commands = payload.commands as Array<{ command: string; description: string }>;
    if (!Array.isArray(commands) || commands.length > 100) return bad('commands must be an array of at most 100');
    for (const c of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command ?? '')) return bad('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
        return bad('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    const language = payload.language_code ?? '';
    if (language !== '' && !/^[a-z]{2}$/.test(language)) return bad('invalid language code specified');
    const scope = payload.scope ?? { type: 'default' };
    if (scope.type === 'chat' && !scope.chat_id) return bad('chat not found');
    this.commandMenus.set(`${scope.type === 'chat' ? `chat:${scope.chat_id}` : scope.type}|${language}`, commands);
    return { ok: true, result: true };
  }

  /** The menu a private chat sees, by Telegram's order: its own chat scope, then all private chats, then the default; each by language first. */
  commandsFor(chatId: number, languageCode = ''): Array<{ command: string; description: string }> | undefined {
    const language = languageCode.split('-')[0]!.toLowerCase();
    for (const scope of [`chat:${chatId}`, 'all_private_chats', 'default']) {
      const menu = this.commandMenus.get(`${scope}|${language}`) ?? this.commandMenus.get(`${scope}|`);
      if (menu) return menu;
    }
    return undefined;
  }

  private readonly leanCounts = new Map<number, number>();
  private leanFirst = 0;
  private leanLast = 0;
  /** Calls per method (getUpdates aside), kept in lean mode too: what a bot really sent, conversations' calls included. */
  private readonly methodCounts = new Map<string, number>();

  private readonly failures: Array<{ method: string; status: number }> = [];

  /**
   * sendPhoto (https://core.telegram.org/bots/api#sendphoto): an uploaded photo must be an image
   * Telegram reads (PNG or JPEG here; SVG is refused), its caption 0-1024 characters, and each
   * copy_text button 1-256 characters (https://core.telegram.org/bots/api#copytextbutton).
   */
  private sendPhoto(payload: Record<string, any>) {
    const chatId = Number(payload.chat_id);
    const file = payload.photo as { bytes?: Buffer } | undefined;
    const bytes = file?.bytes;
    const png = bytes && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const jpeg = bytes && bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!png && !jpeg) return { ok: false, error_code: 400, description: 'Bad Request: IMAGE_PROCESS_FAILED' };
    const caption = payload.parse_mode === 'HTML' && payload.caption ? renderHtml(payload.caption) : payload.caption;
    if (caption instanceof Error)
      return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${caption.message}` };
    if (typeof caption === 'string' && caption.length > 1024)
      return { ok: false, error_code: 400, description: 'Bad Request: message caption is too long' };
    const buttons = (payload.reply_markup?.inline_keyboard ?? []).flat() as Array<{ copy_text?: { text?: string } }>;
    if (buttons.some((b) => b.copy_text && (!b.copy_text.text || b.copy_text.text.length > 256)))
      return { ok: false, error_code: 400, description: 'Bad Request: BUTTON_COPY_TEXT_INVALID' };
    const message = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'T' },
      from: this.botInfo,
      photo: [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: 'p', width: 0, height: 0 }],
      caption,
      reply_markup: payload.reply_markup,
      photoBytes: bytes,
    } as unknown as StoredMessage;
    this.store(chatId).push(message);
    return { ok: true, result: message };
  }

  /**
   * The bot's Stars as getMyStarBalance answers them (a StarAmount, https://core.telegram.org/bots/api#staramount):
   * a test sets it; Stars payments add to it and their refunds take it back.
   */
  starBalance = { amount: 0, nanostar_amount: 0 };

  /** The next call of `method` fails with this status: Telegram's front end answers 502 when the Bot API is down. */
  failNext(method: string, status = 502): void {
    this.failures.push({ method, status });
  }

  /**
   * An outage: every method answers this status as Telegram's front end does when the Bot API is
   * down (502 Bad Gateway), or 409 for getUpdates when another instance polls with the token
   * (https://core.telegram.org/bots/api#getupdates: "terminated by other getUpdates request").
   */
  outage: 502 | null = null;
  conflict = false;
  /** Milliseconds a method takes to answer (a slow Telegram, for one update's handler to be slow). */
  readonly slow = new Map<string, number>();

  /**
   * Calls of `method` wait until the returned function is called: a test sees a page while the bot's work is
   * still under way, without racing it.
   */
  hold(method: string): () => void {
    let release!: () => void;
    this.gates.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.gates.delete(method);
      release();
    };
  }
  private readonly gates = new Map<string, Promise<void>>();

  private async call(method: string, payload: Record<string, any>): Promise<any> {
    if (!this.limits?.lean) this.calls.push({ method, payload, at: Date.now() });
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const { status } = this.failures.splice(failure, 1)[0]!;
      return { ok: false, error_code: status, description: 'Bad Gateway' };
    }
    if (this.outage) return { ok: false, error_code: this.outage, description: 'Bad Gateway' };
    if (this.conflict && method === 'getUpdates')
      return {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      };
    const slow = this.slow.get(method);
    if (slow) await new Promise((r) => setTimeout(r, slow));
    await this.gates.get(method);
    if (method !== 'getUpdates') this.methodCounts.set(method, (this.methodCounts.get(method) ?? 0) + 1);
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
        return this.setMyCommands(payload);
      case 'answerCallbackQuery':
      case 'deleteMessage':
      case 'leaveChat':
      case 'sendChatAction':
        return ok(true);
      case 'sendMessage':
      case 'sendVenue':
      case 'sendLocation': {
        const chatId = Number(payload.chat_id);
        if (this.blocked.has(chatId))
          return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        const retryAfter = this.limited(chatId, payload.allow_paid_broadcast === true);
        if (retryAfter !== null) {
          this.rateLimited429++;
          return {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${retryAfter}`,
            parameters: { retry_after: retryAfter },
          };
        }
        if (this.limits?.lean) {
          this.leanCounts.set(chatId, (this.leanCounts.get(chatId) ?? 0) + 1);
          this.leanFirst ||= Date.now();
          this.leanLast = Date.now();
          return ok({ message_id: this.nextMessageId++, date: 0, chat: { id: chatId, type: 'private' } });
        }
        const text = payload.parse_mode === 'HTML' ? renderHtml(payload.text) : payload.text;
        if (text instanceof Error)
          return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${text.message}` };
        if (typeof text === 'string' && (text.length === 0 || text.length > 4096))
          return { ok: false, error_code: 400, description: 'Bad Request: message is too long' };
        const message = {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: 'T' },
          from: this.botInfo,
          text,
          reply_markup: payload.reply_markup,
          venue: payload.title ? payload : undefined,
        } as unknown as StoredMessage;
        this.store(chatId).push(message);
        return ok(message);
      }
      case 'sendPhoto':
        return this.sendPhoto(payload);
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        if (this.limits?.lean) return ok(true);
        const message = this.store(Number(payload.chat_id)).find((m) => m.message_id === payload.message_id);
        if (!message) return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        if (method === 'editMessageText') {
          const text = payload.parse_mode === 'HTML' ? renderHtml(payload.text) : payload.text;
          if (text instanceof Error)
            return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${text.message}` };
          (message as { text?: string }).text = text;
        }
        message.reply_markup = payload.reply_markup;
        return ok(message);
      }
      case 'createInvoiceLink':
        return this.createInvoiceLink(payload);
      case 'answerPreCheckoutQuery': {
        const id = String(payload.pre_checkout_query_id ?? '');
        if (!this.pendingPreCheckouts.has(id)) return bad('QUERY_ID_INVALID');
        if (typeof payload.ok !== 'boolean') return bad('ok must be a Boolean');
        if (!payload.ok && !String(payload.error_message ?? '').trim()) return bad('ERROR_MESSAGE_EMPTY');
        this.pendingPreCheckouts.delete(id);
        this.preCheckoutAnswers.set(id, { ok: payload.ok, error_message: payload.error_message });
        return ok(true);
      }
      case 'refundStarPayment': {
        const charge = this.starPayments.get(String(payload.telegram_payment_charge_id ?? ''));
        if (!charge || charge.userId !== Number(payload.user_id)) return bad('CHARGE_NOT_FOUND');
        if (charge.refunded) return bad('CHARGE_ALREADY_REFUNDED');
        charge.refunded = true;
        this.starBalance.amount -= charge.amount;
        charge.refundedAt = Math.floor(Date.now() / 1000);
        charge.refundSeq = this.nextCharge++;
        return ok(true);
      }
      case 'editUserStarSubscription': {
        const charge = this.starPayments.get(String(payload.telegram_payment_charge_id ?? ''));
        if (!charge?.subscription || charge.userId !== Number(payload.user_id)) return bad('CHARGE_ID_INVALID');
        if (typeof payload.is_canceled !== 'boolean') return bad('is_canceled must be a Boolean');
        this.starPayments.get(charge.subscription.firstChargeId)!.subscription!.canceled = payload.is_canceled;
        return ok(true);
      }
      // https://core.telegram.org/bots/api#getmystarbalance: no parameters, a StarAmount whose nanostar_amount
      // is there only when the balance has a fraction of a Star.
      case 'getMyStarBalance': {
        const { amount, nanostar_amount } = this.starBalance;
        return ok(nanostar_amount ? { amount, nanostar_amount } : { amount });
      }
      // https://core.telegram.org/bots/api#getstartransactions
      case 'getStarTransactions':
        return this.starTransactions(payload);
      default:
        return { ok: false, error_code: 404, description: `Not Found: method ${method} is not in the fake` };
    }
  }

  /**
   * The bot's Stars transactions as the Bot API documents them (StarTransactions, StarTransaction,
   * TransactionPartnerUser): newest first, `offset` transactions skipped, `limit` 1–100 (default 100).
   * A payment's id is its telegram_payment_charge_id and its partner the `source`; a refund repeats the
   * payment's id with the user as `receiver`.
   */
  private starTransactions(p: Record<string, any>) {
    const offset = p.offset === undefined ? 0 : Number(p.offset);
    const limit = p.limit === undefined ? 100 : Number(p.limit);
    if (!Number.isInteger(offset) || offset < 0) return bad('offset must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return bad('limit must be between 1 and 100');
    const partner = (c: FakeStarPayment) => ({
      type: 'user',
      transaction_type: 'invoice_payment',
      user: c.user,
      invoice_payload: c.payload,
      ...(c.subscription ? { subscription_period: this.invoices.get(c.subscription.slug)?.subscriptionPeriod } : {}),
    });
    const all = [...this.starPayments.values()].flatMap((c) => [
      { at: c.date, i: c.seq, tx: { id: c.chargeId, amount: c.amount, date: c.date, source: partner(c) } },
      ...(c.refunded
        ? [
            {
              at: c.refundedAt!,
              i: c.refundSeq!,
              tx: { id: c.chargeId, amount: c.amount, date: c.refundedAt!, receiver: partner(c) },
            },
          ]
        : []),
    ]);
    all.sort((a, b) => b.at - a.at || b.i - a.i);
    return { ok: true, result: { transactions: all.slice(offset, offset + limit).map((t) => t.tx) } };
  }

  /** Checks an invoice the way the Bot API documents createInvoiceLink (Stars: XTR, no provider token, one price). */
  private createInvoiceLink(p: Record<string, any>) {
    const title = String(p.title ?? '');
    const description = String(p.description ?? '');
    const payload = String(p.payload ?? '');
    if (title.length < 1 || [...title].length > 32) return bad('INVOICE_TITLE_INVALID: 1-32 characters');
    if (description.length < 1 || [...description].length > 255)
      return bad('INVOICE_DESCRIPTION_INVALID: 1-255 characters');
    const payloadBytes = Buffer.byteLength(payload);
    if (payloadBytes < 1 || payloadBytes > 128) return bad('INVOICE_PAYLOAD_INVALID: 1-128 bytes');
    if (p.currency !== 'XTR') return bad('this fake makes Stars invoices only (currency XTR)');
    if (p.provider_token !== undefined && p.provider_token !== '')
      return bad('provider_token must be empty for payments in Telegram Stars');
    const prices = Array.isArray(p.prices) ? p.prices : typeof p.prices === 'string' ? JSON.parse(p.prices) : [];
    if (prices.length !== 1) return bad('prices must contain exactly one item for payments in Telegram Stars');
    const amount = prices[0]?.amount;
    if (!Number.isInteger(amount) || amount <= 0) return bad('CURRENCY_TOTAL_AMOUNT_INVALID');
    if (p.subscription_period !== undefined && p.subscription_period !== 2592000)
      return bad('SUBSCRIPTION_PERIOD_INVALID: must be 2592000');
    const slug = `inv${this.invoices.size + 1}x${Math.random().toString(36).slice(2, 10)}`;
    this.invoices.set(slug, {
      slug,
      title,
      description,
      payload,
      currency: p.currency,
      amount,
      subscriptionPeriod: p.subscription_period,
    });
    return { ok: true, result: `https://t.me/$${slug}` };
  }

  invoice(link: string): FakeInvoice {
    const invoice = this.invoices.get(link.replace(/^https:\/\/t\.me\/\$/, ''));
    if (!invoice) throw new Error(`no invoice behind ${link}`);
    return invoice;
  }

  /** Telegram's pre_checkout_query: resolves with the bot's answer, or null when none came within 10 s. */
  async preCheckout(
    user: User,
    invoice: FakeInvoice,
    overrides: { amount?: number; currency?: string } = {},
  ): Promise<PreCheckoutAnswer | null> {
    const id = `pcq${this.nextCharge++}`;
    this.pendingPreCheckouts.add(id);
    await this.deliver({
      pre_checkout_query: {
        id,
        from: user,
        currency: overrides.currency ?? invoice.currency,
        total_amount: overrides.amount ?? invoice.amount,
        invoice_payload: invoice.payload,
      },
    });
    const until = Date.now() + 10_000;
    while (!this.preCheckoutAnswers.has(id) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.pendingPreCheckouts.delete(id);
    return this.preCheckoutAnswers.get(id) ?? null;
  }

  /** The service message Telegram sends the bot once Stars were paid. */
  successfulPayment(user: User, payment: FakeStarPayment, first: boolean): Omit<Update, 'update_id'> {
    return {
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        successful_payment: {
          currency: 'XTR',
          total_amount: payment.amount,
          invoice_payload: payment.payload,
          telegram_payment_charge_id: payment.chargeId,
          provider_payment_charge_id: '',
          ...(payment.subscription
            ? {
                is_recurring: true,
                subscription_expiration_date: payment.subscription.expiresAt,
                ...(first ? { is_first_recurring: true } : {}),
              }
            : {}),
        },
      },
    };
  }

  /** Takes the Stars (after a yes to pre-checkout) and records the payment Telegram would report. */
  charge(user: User, invoice: FakeInvoice, previous?: FakeStarPayment): FakeStarPayment {
    const chargeId = `stxFake${this.nextCharge++}${Math.random().toString(36).slice(2, 8)}`;
    const period = invoice.subscriptionPeriod;
    const payment: FakeStarPayment = {
      chargeId,
      userId: user.id,
      amount: invoice.amount,
      payload: invoice.payload,
      refunded: false,
      date: Math.floor(Date.now() / 1000),
      seq: this.nextCharge,
      user,
      ...(period
        ? {
            subscription: {
              slug: invoice.slug,
              canceled: false,
              firstChargeId: previous?.subscription?.firstChargeId ?? chargeId,
              expiresAt: Math.floor(Date.now() / 1000) + period,
            },
          }
        : {}),
    };
    this.starPayments.set(chargeId, payment);
    this.starBalance.amount += invoice.amount;
    return payment;
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
      reply_markup: m.reply_markup && {
        ...m.reply_markup,
        inline_keyboard: m.reply_markup.inline_keyboard?.map((row) => row.map((b) => ({ ...b, text: plain(b.text)! }))),
      },
    }));
  }

  /** The id of the last update made. */
  get lastUpdateId(): number {
    return this.nextUpdateId - 1;
  }

  /** Hands an update to the bot: by webhook (awaiting the bot's answer) or into getUpdates. */
  async deliver(update: Omit<Update, 'update_id'>): Promise<void> {
    const full = { update_id: this.nextUpdateId++, ...update };
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
      headers: {
        'content-type': 'application/json',
        ...(this.webhook?.secret ? { 'x-telegram-bot-api-secret-token': this.webhook.secret } : {}),
      },
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
  async together(
    make: () => Promise<unknown>,
    arrange: (updates: Update[]) => Update[] = (u) => [...u].reverse(),
  ): Promise<void> {
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

  traveller(
    id: number,
    options: { language_code?: string; first_name?: string; last_name?: string; username?: string } = {},
  ): Traveller {
    return new Traveller(this, {
      id,
      is_bot: false,
      first_name: options.first_name ?? 'Traveller',
      ...(options.last_name ? { last_name: options.last_name } : {}),
      ...(options.username ? { username: options.username } : {}),
      language_code: options.language_code ?? 'en',
    });
  }
}

/** A person in a private chat with the bot. */
export class Traveller {
  constructor(
    private readonly telegram: FakeTelegram,
    readonly user: User,
  ) {}

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
        message_id: this.telegram.nextMessageIdForUpdate(),
        date: Math.floor(Date.now() / 1000),
        chat: this.chat(),
        from: this.user,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    });
  }

  async sendSticker(): Promise<void> {
    await this.telegram.deliver({
      message: {
        message_id: this.telegram.nextMessageIdForUpdate(),
        date: Math.floor(Date.now() / 1000),
        chat: this.chat(),
        from: this.user,
        sticker: {
          file_id: 'x',
          file_unique_id: 'x',
          type: 'regular',
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      },
    });
  }

  /** Any other kind of message (a photo, a contact, a location…), as Telegram would deliver it in this chat. */
  async sendMessageOf(fields: Record<string, unknown>): Promise<void> {
    await this.telegram.deliver({
      message: {
        message_id: this.telegram.nextMessageIdForUpdate(),
        date: Math.floor(Date.now() / 1000),
        chat: this.chat(),
        from: this.user,
        ...fields,
      },
    });
  }

  async shareLocation(latitude: number, longitude: number): Promise<void> {
    await this.sendMessageOf({ location: { latitude, longitude } });
  }

  /** Adds the bot to a group (or removes it): the my_chat_member update Telegram sends. */
  async addBotTo(
    chat: { id: number; type: 'group' | 'supergroup' | 'channel'; title: string },
    status: 'member' | 'administrator' | 'left' | 'kicked' = 'member',
  ): Promise<void> {
    await this.telegram.deliver({
      my_chat_member: {
        chat,
        from: this.user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: {
          status: status === 'member' || status === 'administrator' ? 'left' : 'member',
          user: this.telegram.botInfo,
        },
        new_chat_member: { status, user: this.telegram.botInfo, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
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
    return this.messages()
      .reverse()
      .flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ ...b, message: m })));
  }

  /** Taps the newest button whose text contains `label` (or matches it). */
  async tap(label: string | RegExp): Promise<void> {
    const button = this.buttons().find(
      (b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)) && b.callback_data,
    );
    if (!button)
      throw new Error(
        `no button "${label}" in: ${this.buttons()
          .map((b) => b.text)
          .join(' | ')}`,
      );
    await this.tapData(button.callback_data!, button.message.message_id);
  }

  /** The id of the newest message in this chat (0 before any), to wait for the ones that come after it. */
  lastMessageId(): number {
    return this.messages().at(-1)?.message_id ?? 0;
  }

  /**
   * Taps `label` on the message that carries it: the first message newer than `afterMessageId` with such a button,
   * waited for if it has not arrived yet. An older message with the same button (an earlier order's Pay) is never
   * tapped by mistake, as `tap`, which takes the newest button on screen, would when the new message is late.
   */
  async tapOn(label: string | RegExp, afterMessageId: number, timeoutMs = 20_000): Promise<void> {
    const carrying = (m: StoredMessage) =>
      (m.reply_markup?.inline_keyboard ?? [])
        .flat()
        .find((b) => b.callback_data && (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    const message = await this.waitFor((_, m) => m.message_id > afterMessageId && !!carrying(m), timeoutMs);
    await this.tapData(carrying(message)!.callback_data!, message.message_id);
  }

  /** Taps a button by its callback data, as an old message still on screen would send it. */
  async tapData(data: string, messageId?: number): Promise<void> {
    const message = this.messages().find((m) => m.message_id === messageId) ?? this.messages().at(-1);
    await this.telegram.deliver({
      callback_query: {
        id: String(Math.random()).slice(2),
        from: this.user,
        chat_instance: '1',
        data,
        message: message ?? { message_id: messageId ?? 1, date: 0, chat: this.chat() },
      },
    });
  }

  urlButton(label: string): string {
    const button = this.buttons().find((b) => b.text.includes(label) && b.url);
    if (!button) throw new Error(`no link button "${label}"`);
    return button.url!;
  }

  /**
   * Opens an invoice link and pays it, as Telegram does: a pre_checkout_query first, and only on a
   * yes the Stars are taken and the successful_payment message arrives.
   */
  async payInvoice(
    link: string,
    overrides: { amount?: number; lost?: boolean } = {},
  ): Promise<{ answer: PreCheckoutAnswer | null; payment?: FakeStarPayment }> {
    const invoice = this.telegram.invoice(link);
    const answer = await this.telegram.preCheckout(this.user, invoice, overrides);
    if (!answer?.ok) return { answer };
    const payment = this.telegram.charge(this.user, invoice);
    // `lost`: the Stars are taken, but the bot never handles the message (confirmed, then the process died).
    if (!overrides.lost) await this.telegram.deliver(this.telegram.successfulPayment(this.user, payment, true));
    return { answer, payment };
  }

  /** The same successful_payment message again, as a redelivered update. */
  async redeliverPayment(payment: FakeStarPayment, first = true): Promise<void> {
    await this.telegram.deliver(this.telegram.successfulPayment(this.user, payment, first));
  }

  /** Telegram renews a Stars subscription after 30 days: a new charge, no pre-checkout. Refused once cancelled. */
  async renewSubscription(first: FakeStarPayment): Promise<FakeStarPayment> {
    const sub = this.telegram.starPayments.get(first.subscription?.firstChargeId ?? first.chargeId)?.subscription;
    if (!sub) throw new Error('not a subscription payment');
    if (sub.canceled) throw new Error('the subscription was cancelled; Telegram would not renew it');
    const payment = this.telegram.charge(this.user, this.telegram.invoices.get(sub.slug)!, first);
    await this.telegram.deliver(this.telegram.successfulPayment(this.user, payment, false));
    return payment;
  }

  async block(): Promise<void> {
    this.telegram.blocked.add(this.chatId);
    await this.telegram.deliver({
      my_chat_member: {
        chat: this.chat(),
        from: this.user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: this.telegram.botInfo },
        new_chat_member: { status: 'kicked', user: this.telegram.botInfo, until_date: 0 },
      },
    });
  }

  /** Waits for a message the bot sends on its own (receipts, notices), polling the fake's record; ends as soon as it is there (20 s, like expect.poll, on a loaded machine). */
  async waitFor(predicate: (text: string, message: ReturnType<Traveller['last']>) => boolean, timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.messages().find((m) => predicate(m.text ?? '', m));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `no such message within ${timeoutMs} ms; the chat holds:\n${this.messages()
        .map((m) => m.text)
        .join('\n---\n')}`,
    );
  }
}

function bad(description: string) {
  return { ok: false, error_code: 400, description: `Bad Request: ${description}` };
}

const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'blockquote',
  'span',
]);

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
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
