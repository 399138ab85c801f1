import type { Db } from '../adapters/db/client.js';

export type UserView = {
  id: string; telegramId: number; language: string; languageSet: boolean; timezone: string;
  quietStart: number; quietEnd: number; alertExpiry: boolean; alertNotices: boolean; alertLowData: boolean; reachable: boolean;
};

export type Settings = Partial<Pick<UserView, 'timezone' | 'quietStart' | 'quietEnd' | 'alertExpiry' | 'alertNotices' | 'alertLowData'>>;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function createUserService(deps: { db: Db; defaultTimezone: string; pickLanguage: (code: string | undefined) => string }) {
  const { db } = deps;
  const view = (u: Omit<UserView, 'telegramId'> & { telegramId: bigint }): UserView => ({
    id: u.id, telegramId: Number(u.telegramId), language: u.language, languageSet: u.languageSet, timezone: u.timezone,
    quietStart: u.quietStart, quietEnd: u.quietEnd, alertExpiry: u.alertExpiry, alertNotices: u.alertNotices, alertLowData: u.alertLowData, reachable: u.reachable,
  });

  return {
    /** Finds or creates the traveller; a traveller who writes again is reachable again. */
    async ensure(telegramId: number, languageCode: string | undefined): Promise<UserView> {
      const user = await db.user.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: { telegramId: BigInt(telegramId), language: deps.pickLanguage(languageCode), timezone: deps.defaultTimezone },
        update: { reachable: true },
      });
      return view(user);
    },
    async setLanguage(userId: string, language: string): Promise<void> {
      await db.user.update({ where: { id: userId }, data: { language, languageSet: true } });
    },
    async updateSettings(userId: string, settings: Settings): Promise<UserView> {
      if (settings.timezone !== undefined && !isTimeZone(settings.timezone)) throw new Error(`unknown timezone ${settings.timezone}`);
      return view(await db.user.update({ where: { id: userId }, data: { ...settings, ...(settings.timezone ? { timezoneSet: true } : {}) } }));
    },
    async get(userId: string): Promise<UserView> {
      return view(await db.user.findUniqueOrThrow({ where: { id: userId } }));
    },
    async markUnreachable(telegramId: number): Promise<void> {
      await db.user.updateMany({ where: { telegramId: BigInt(telegramId) }, data: { reachable: false } });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
