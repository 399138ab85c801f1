import { parseLineInput, type LineInputError, type ParsedLine } from '../domain/line-identifier.js';
import { afterWrongCode, canTryCode, OTP_POLICY } from '../domain/otp-policy.js';
import type { ServiceDeps } from './deps.js';

export const MAX_LINES_PER_USER = 10;

export type LineView = {
  id: string;
  kind: 'msisdn' | 'iccid';
  identifier: string;
  carrier: string;
  label: string | null;
  planCode: string | null;
  expiresAt: string | null;
};

export type StartLinkResult =
  | { ok: true; line: ParsedLine; expiresAt: string | null }
  | { ok: false; reason: LineInputError | 'unknown_line' | 'already_linked' | 'too_many_lines' | 'locked' | 'provider_down'; until?: string };

export type VerifyResult =
  | { ok: true; lineId: string }
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  | { ok: false; reason: 'locked'; until: string }
  | { ok: false; reason: 'expired' | 'not_a_code' | 'provider_down' };

export function createLineService(deps: ServiceDeps) {
  const { db, provider, now, logger } = deps;

  const toView = (l: { id: string; kind: string; identifier: string; carrier: string; label: string | null; planCode: string | null; expiresAt: Date | null }): LineView => ({
    id: l.id, kind: l.kind as LineView['kind'], identifier: l.identifier, carrier: l.carrier, label: l.label, planCode: l.planCode, expiresAt: l.expiresAt?.toISOString() ?? null,
  });

  return {
    /** Checks the input, asks the provider about the line and sends the one-time code. */
    async startLink(userId: string, input: string): Promise<StartLinkResult> {
      const parsed = parseLineInput(input);
      if (!parsed.ok) return { ok: false, reason: parsed.error };
      const { line } = parsed;
      const existing = await db.line.findUnique({ where: { userId_identifier: { userId, identifier: line.identifier } } });
      if (existing && !existing.unlinkedAt) return { ok: false, reason: 'already_linked' };
      const count = await db.line.count({ where: { userId, unlinkedAt: null } });
      if (count >= MAX_LINES_PER_USER) return { ok: false, reason: 'too_many_lines' };

      const challenge = await db.otpChallenge.findUnique({ where: { userId_identifier: { userId, identifier: line.identifier } } });
      if (challenge?.lockedUntil && challenge.lockedUntil > now()) return { ok: false, reason: 'locked', until: challenge.lockedUntil.toISOString() };

      try {
        const info = await provider.lookupLine(line.identifier, line.kind);
        if (!info) return { ok: false, reason: 'unknown_line' };
        const { reference } = await provider.sendCode(line.identifier, line.kind);
        const expiresAt = new Date(now().getTime() + OTP_POLICY.validMs);
        await db.otpChallenge.upsert({
          where: { userId_identifier: { userId, identifier: line.identifier } },
          create: { userId, identifier: line.identifier, reference, expiresAt },
          update: { reference, expiresAt, attempts: 0, lockedUntil: null, verifiedAt: null },
        });
        return { ok: true, line: { ...line, carrier: line.kind === 'iccid' ? (info.carrier as ParsedLine['carrier']) : line.carrier }, expiresAt: info.expiresAt?.toISOString() ?? null };
      } catch (error) {
        logger.warn({ err: error }, 'provider failed during link');
        return { ok: false, reason: 'provider_down' };
      }
    },

    /** Checks the code; on success links (or re-links) the line with what the provider knows of it. */
    async confirmCode(userId: string, line: ParsedLine, input: string): Promise<VerifyResult> {
      const code = input.replace(/\s/g, '');
      if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'not_a_code' };
      const challenge = await db.otpChallenge.findUnique({ where: { userId_identifier: { userId, identifier: line.identifier } } });
      if (!challenge) return { ok: false, reason: 'expired' };
      const at = now();
      const check = canTryCode(challenge, at);
      if (check === 'locked') return { ok: false, reason: 'locked', until: challenge.lockedUntil!.toISOString() };
      if (check !== 'ok') return { ok: false, reason: 'expired' };

      let valid: boolean;
      try {
        valid = await provider.checkCode(challenge.reference, code);
      } catch (error) {
        logger.warn({ err: error }, 'provider failed during code check');
        return { ok: false, reason: 'provider_down' };
      }
      if (!valid) {
        const next = afterWrongCode(challenge, at);
        await db.otpChallenge.update({ where: { id: challenge.id }, data: { attempts: next.attempts, lockedUntil: next.lockedUntil } });
        return next.lockedUntil ? { ok: false, reason: 'locked', until: next.lockedUntil.toISOString() } : { ok: false, reason: 'wrong_code', triesLeft: next.triesLeft };
      }

      const info = await provider.lookupLine(line.identifier, line.kind).catch(() => null);
      const data = { kind: line.kind, carrier: line.carrier, planCode: info?.planCode ?? null, expiresAt: info?.expiresAt ?? null, verifiedAt: at, unlinkedAt: null };
      const saved = await db.$transaction(async (tx) => {
        await tx.otpChallenge.update({ where: { id: challenge.id }, data: { verifiedAt: at } });
        return tx.line.upsert({
          where: { userId_identifier: { userId, identifier: line.identifier } },
          create: { userId, identifier: line.identifier, ...data },
          update: data,
        });
      });
      return { ok: true, lineId: saved.id };
    },

    async setLabel(userId: string, lineId: string, label: string | null): Promise<void> {
      await db.line.updateMany({ where: { id: lineId, userId }, data: { label: label?.trim().slice(0, 32) || null } });
    },

    async list(userId: string): Promise<LineView[]> {
      const lines = await db.line.findMany({ where: { userId, unlinkedAt: null }, orderBy: { createdAt: 'asc' } });
      return lines.map(toView);
    },

    async get(userId: string, lineId: string): Promise<LineView | null> {
      const line = await db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
      return line ? toView(line) : null;
    },

    /** Unlinking keeps the line's order history; linking it again needs a new code. */
    async unlink(userId: string, lineId: string): Promise<boolean> {
      const { count } = await db.line.updateMany({ where: { id: lineId, userId, unlinkedAt: null }, data: { unlinkedAt: now() } });
      return count === 1;
    },
  };
}

export type LineService = ReturnType<typeof createLineService>;
