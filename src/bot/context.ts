import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { UserView } from '../services/users.js';
import type { Locale } from './format.js';

/** Set by the first middleware for every update that comes from a person. */
export type KuotaFlavor = { user: UserView; locale: Locale };

export type KuotaContext = ConversationFlavor<Context & KuotaFlavor>;
