import { z } from 'zod';
import { isMidtransMethod, MIDTRANS_METHODS, type MidtransMethod } from './domain/midtrans.js';

const SANDBOX_KEY = /^SB-Mid-server-[A-Za-z0-9_-]{8,}$/;
const PRODUCTION_KEY = /^Mid-server-[A-Za-z0-9_-]{8,}$/;

/** Midtrans's settings, spread into the schema in config.ts. */
export const midtransSettings = {
  /** The server key from Midtrans's dashboard (Settings → Access keys): SB-Mid-server-… in the sandbox. Unset: no Midtrans. */
  MIDTRANS_SERVER_KEY: z
    .string()
    .trim()
    .refine(
      (k) => SANDBOX_KEY.test(k) || PRODUCTION_KEY.test(k),
      'does not look like a Midtrans server key (SB-Mid-server-… in the sandbox, Mid-server-… in production)',
    )
    .optional(),
  /** Core API; unset: the sandbox or production address, as the key says. */
  MIDTRANS_API_URL: z.url().optional(),
  /** Snap; unset: the sandbox or production address, as the key says. */
  MIDTRANS_SNAP_URL: z.url().optional(),
  /** The methods the Snap page offers, in Midtrans's names (qris, gopay, bca_va, indomaret…). */
  MIDTRANS_METHODS: z
    .string()
    .optional()
    .transform((s, ctx): MidtransMethod[] => {
      const names = (s ?? MIDTRANS_METHODS.join(','))
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !isMidtransMethod(n));
      if (unknown.length || !names.length) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of ${MIDTRANS_METHODS.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
        });
        return z.NEVER;
      }
      return names as MidtransMethod[];
    }),
};

type MidtransConfig = {
  MIDTRANS_SERVER_KEY?: string;
  MIDTRANS_API_URL?: string;
  MIDTRANS_SNAP_URL?: string;
  DEMO_WITH_LIVE_KEYS: boolean;
};

export const isMidtransProduction = (key: string | undefined) => PRODUCTION_KEY.test(key ?? '');

/** Where Kuota reaches Midtrans: the settings, else the addresses Midtrans documents for the key's environment. */
export function midtransUrls(config: MidtransConfig): { apiUrl: string; snapUrl: string } {
  const live = isMidtransProduction(config.MIDTRANS_SERVER_KEY);
  return {
    apiUrl: config.MIDTRANS_API_URL ?? (live ? 'https://api.midtrans.com' : 'https://api.sandbox.midtrans.com'),
    snapUrl: config.MIDTRANS_SNAP_URL ?? (live ? 'https://app.midtrans.com' : 'https://app.sandbox.midtrans.com'),
  };
}

/**
 * A production key takes real rupiah: refused with the simulator (it would sell top-ups nobody
 * delivers) and against Midtrans's sandbox addresses (a key for one environment fails in the
 * other, and the traveller would see it only at Pay).
 */
export function midtransProblems(config: MidtransConfig, simulatorIn: string[]): string[] {
  if (!isMidtransProduction(config.MIDTRANS_SERVER_KEY)) return [];
  const problems: string[] = [];
  if (simulatorIn.length && !config.DEMO_WITH_LIVE_KEYS)
    problems.push(
      `MIDTRANS_SERVER_KEY is a production key (Mid-server-…), but ${simulatorIn.join(', ')} is for demos only: set a real provider, use the sandbox key (SB-Mid-server-…), or set DEMO_WITH_LIVE_KEYS=true to run the demo with live keys anyway`,
    );
  for (const name of ['MIDTRANS_API_URL', 'MIDTRANS_SNAP_URL'] as const)
    if (config[name]?.includes('sandbox.midtrans.com'))
      problems.push(
        `${name} is Midtrans's sandbox, but MIDTRANS_SERVER_KEY is a production key (Mid-server-…): use the sandbox key (SB-Mid-server-…) or unset ${name}`,
      );
  return problems;
}
