/** The line a new eSIM stands on until the partner delivers it: hidden from "My numbers", taking no top-ups. */
export const AWAITING_ESIM_PREFIX = 'awaiting-esim:';
export const isAwaitingEsim = (identifier: string) => identifier.startsWith(AWAITING_ESIM_PREFIX);
