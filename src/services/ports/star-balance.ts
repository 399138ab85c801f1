/** The bot's Stars as Telegram counts them: whole Stars and billionths (the Bot API's StarAmount). */
export type StarBalance = { amount: number; nanostarAmount: number };

/** What the console's money pages need of Telegram: the bot's Stars balance. The Telegram adapter implements it. */
export interface StarBalanceSource {
  starBalance(): Promise<StarBalance>;
}
