import { z } from 'zod';
import { ORDER_STATES } from '../../domain/order-state.js';

/**
 * A posted form's fields, and the CSRF token every console form carries (the CSRF check reads it after
 * validation, so it must survive it). Other fields are dropped; a field sent twice is refused.
 */
export const form = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.object({ ...shape, _csrf: z.string().max(200).optional() });

/** A line of text an operator typed: trimmed, bounded. */
export const text = (max: number) => z.string().trim().max(max);

/** An id in an address (a cuid, a notice key, a store slug): nothing a database would choke on. */
export const id = z.string().regex(/^[\w-]{1,64}$/);
export const idParams = z.object({ id });

/** A calendar day from a date input; an empty field is no day. */
const day = z
  .union([z.literal(''), z.iso.date()])
  .optional()
  .transform((d) => d || undefined);

export const ordersQuery = z.object({
  q: text(100).optional(),
  state: z
    .union([z.literal(''), z.enum(ORDER_STATES)])
    .optional()
    .transform((s) => s || undefined),
  from: day,
  to: day,
  cursor: z.string().max(100).optional(),
});

export const ORDER_ACTIONS = ['refund', 'retry', 'resend', 'fail', 'mark_refunded'] as const;
export const orderActionParams = z.object({ id, action: z.enum(ORDER_ACTIONS) });

export const AUDIENCES = ['all', 'carrier', 'plans'] as const;
/** The audience fields of the notice form and of its live count. */
export const audienceFields = {
  audience: z.enum(AUDIENCES).default('all'),
  carrier: text(40).default(''),
  codes: text(2000).default(''),
};

/** The notice form: a title and a text per language, the audience, and the key that makes publishing once. */
export const noticeForm = (languages: string[]) =>
  form({
    ...Object.fromEntries(
      languages.flatMap((l) => [
        [`title_${l}`, text(500).optional()],
        [`body_${l}`, text(10_000).optional()],
      ]),
    ),
    ...audienceFields,
    /** Publish now, or at a local time (a datetime-local field, read in the operator's timezone). */
    when: z.enum(['now', 'later']).default('now'),
    scheduledFor: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)]).default(''),
    noticeId: z
      .string()
      .regex(/^[\w-]{8,40}$/)
      .optional(),
  });
