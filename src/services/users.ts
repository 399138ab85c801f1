import type { Db } from '../adapters/db/client.js';
import { nameKey } from '../domain/traveller-search.js';
import { createRemembered, type RecordChanges } from './remembered.js';

export type UserView = {
  id: string;
  telegramId: number;
  language: string;
  languageSet: boolean;
  timezone: string;
  quietStart: number;
  quietEnd: number;
  alertExpiry: boolean;
  alertNotices: boolean;
  alertLowData: boolean;
  reachable: boolean;
};

export type Settings = Partial<
  Pick<UserView, 'timezone' | 'quietStart' | 'quietEnd' | 'alertExpiry' | 'alertNotices' | 'alertLowData'>
>;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The name and @username Telegram shows for someone, kept for the console's search. */
export type TelegramName = { name: string; username?: string | undefined };

const names = (who: TelegramName | undefined) => {
  if (!who) return {};
  const name = who.name.trim().slice(0, 128) || null;
  const username = who.username?.slice(0, 64) ?? null;
  return { name, username, nameKey: nameKey(name, username) };
};

export type UserServiceDeps = {
  db: Db;
  defaultTimezone: string;
  pickLanguage: (code: string | undefined) => string;
  /** With it, known travellers are kept in memory: an update from one costs no query. */
  changes?: RecordChanges;
  cache?: { maxEntries?: number; ttlMs?: number };
};

export function createUserService(deps: UserServiceDeps) {
  const { db, changes } = deps;
  const cache = createRemembered<UserView>(deps.cache);
  changes?.subscribe({
    forget: (key) => key.startsWith('user:') && cache.forget(key),
    forgetAll: () => cache.forgetAll(),
  });
  const keyOf = (telegramId: bigint | number) => `user:${telegramId}`;
  const changed = async (telegramId: bigint | number) => {
    cache.forget(keyOf(telegramId));
    await changes?.publish(keyOf(telegramId));
  };
  const view = (u: Omit<UserView, 'telegramId'> & { telegramId: bigint }): UserView => ({
    id: u.id,
    telegramId: Number(u.telegramId),
    language: u.language,
    languageSet: u.languageSet,
    timezone: u.timezone,
    quietStart: u.quietStart,
    quietEnd: u.quietEnd,
    alertExpiry: u.alertExpiry,
    alertNotices: u.alertNotices,
    alertLowData: u.alertLowData,
    reachable: u.reachable,
  });

  return {
    /**
     * Finds or creates the traveller; a traveller who writes again is reachable again. A known,
     * reachable traveller comes from memory while every instance's changes can be heard.
     */
    async ensure(telegramId: number, languageCode: string | undefined, who?: TelegramName): Promise<UserView> {
      // Only while every instance's changes can be heard: what is read otherwise is not kept either.
      const listening = changes?.listening ?? false;
      const cached = listening ? cache.get(keyOf(telegramId)) : undefined;
      if (cached?.reachable) return cached;
      const epoch = cache.epoch;
      const user = await db.user.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: {
          telegramId: BigInt(telegramId),
          language: deps.pickLanguage(languageCode),
          timezone: deps.defaultTimezone,
          ...names(who),
        },
        update: { reachable: true, ...names(who) },
      });
      if (listening) cache.set(keyOf(telegramId), view(user), epoch);
      return view(user);
    },
    /** The traveller wrote again or unblocked the bot: always written, whatever is remembered. */
    async markReachable(telegramId: number, languageCode: string | undefined): Promise<void> {
      await db.user.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: {
          telegramId: BigInt(telegramId),
          language: deps.pickLanguage(languageCode),
          timezone: deps.defaultTimezone,
        },
        update: { reachable: true },
      });
      await changed(telegramId);
    },
    async setLanguage(userId: string, language: string): Promise<void> {
      const user = await db.user.update({ where: { id: userId }, data: { language, languageSet: true } });
      await changed(user.telegramId);
    },
    async updateSettings(userId: string, settings: Settings): Promise<UserView> {
      if (settings.timezone !== undefined && !isTimeZone(settings.timezone))
        throw new Error(`unknown timezone ${settings.timezone}`);
      const user = await db.user.update({
        where: { id: userId },
        data: { ...settings, ...(settings.timezone ? { timezoneSet: true } : {}) },
      });
      await changed(user.telegramId);
      return view(user);
    },
    async get(userId: string): Promise<UserView> {
      return view(await db.user.findUniqueOrThrow({ where: { id: userId } }));
    },
    async markUnreachable(telegramId: number): Promise<void> {
      await db.user.updateMany({ where: { telegramId: BigInt(telegramId) }, data: { reachable: false } });
      await changed(telegramId);
    },
    /** Someone else (the delivery worker) changed the traveller's record. */
    changed: (telegramId: number) => changed(telegramId),
  };
}

export type UserService = ReturnType<typeof createUserService>;
