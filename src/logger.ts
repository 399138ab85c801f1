import { createRequire } from 'node:module';
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

// Phone numbers, one-time codes, tokens and keys never reach a log line.
const REDACT_PATHS = [
  'msisdn',
  'identifier',
  'phone',
  'code',
  'otp',
  'token',
  'secret',
  'apiKey',
  'key',
  'sign',
  'authorization',
  'password',
  '*.msisdn',
  '*.identifier',
  '*.phone',
  '*.otp',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.key',
  '*.sign',
  '*.authorization',
  '*.customer_no',
  'customer_no',
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

// Free text (error messages, URLs) can still carry a number or a token: scrub by shape.
const SCRUBBERS: Array<[RegExp, string]> = [
  [/\/bot\d+:[\w-]+/g, '/bot[REDACTED]'],
  [/\b\d{6,}:[\w-]{20,}\b/g, '[TOKEN]'],
  [/\b(sk|rk|pk)_(test|live)_\w+/g, '[STRIPE_KEY]'],
  [/\bwhsec_\w+/g, '[WEBHOOK_SECRET]'],
  [/(\+?62[\s-]?|\b0)8[\d\s-]{7,14}\d/g, '[PHONE]'],
  [/\b89\d{17,18}\b/g, '[ICCID]'],
];

export function scrub(text: string): string {
  return SCRUBBERS.reduce((s, [re, by]) => s.replace(re, by), text);
}

// Errors are logged whole (type, code, statusCode, requestId, decline_code, cause…) by pino's own
// serializer; only their text is scrubbed. An error's `code` names the error (card_declined), so a
// nested `code` is redacted here, outside errors, rather than by a '*.code' path that would hit err.code.
const ERROR_KEYS = new Set(['err', 'error']);
const serializeError = (value: unknown) => scrubDeep(pino.stdSerializers.errWithCause(value as Error), 0, true);

export function createLogger(
  options: { level?: string; pretty?: boolean; destination?: DestinationStream } = {},
): Logger {
  const base = {
    level: options.level ?? 'info',
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // The serializers above see err and error whole; everything else is scrubbed here.
    formatters: {
      log: (obj: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, ERROR_KEYS.has(k) ? v : scrubDeep(v)])),
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrub(a) : a)),
        );
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty && prettyInstalled())
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

/** pino-pretty is a development dependency: a production install logs JSON even if asked to be pretty. */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function scrubDeep(value: unknown, depth = 0, isError = false): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6) return '[too deep]';
  if (value instanceof Error) return scrubDeep(pino.stdSerializers.errWithCause(value), depth, true);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === 'code' && !isError) return [k, '[REDACTED]'];
        return [k, scrubDeep(v, depth + 1, isError && isErrorLike(v))];
      }),
    );
  }
  return value;
}

/** An error as pino's serializer leaves it (a cause, an inner error): its `code` is an error code. */
function isErrorLike(value: unknown): boolean {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { stack?: unknown }).stack === 'string'
  );
}
