import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

// Phone numbers, one-time codes, tokens and keys never reach a log line.
const REDACT_PATHS = [
  'msisdn', 'identifier', 'phone', 'code', 'otp', 'token', 'secret', 'apiKey', 'key', 'sign', 'authorization', 'password',
  '*.msisdn', '*.identifier', '*.phone', '*.code', '*.otp', '*.token', '*.secret', '*.apiKey', '*.key', '*.sign', '*.authorization',
  '*.customer_no', 'customer_no', 'req.headers.authorization', 'req.headers["stripe-signature"]', 'req.headers["x-telegram-bot-api-secret-token"]',
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

export function createLogger(options: { level?: string; pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    formatters: { log: (obj: Record<string, unknown>) => scrubDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)));
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (depth > 6) return value;
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) return { type: value.name, message: scrub(value.message), stack: value.stack && scrub(value.stack) };
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
  }
  return value;
}
