/** The payment processors' names as operators read them in alerts and in the console. */
export const PROCESSOR_NAMES: Record<string, string> = {
  stripe: 'Stripe',
  stars: 'Telegram Stars',
  midtrans: 'Midtrans',
};
