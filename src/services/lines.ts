import { parseLineInput, type LineInputError, type ParsedLine } from '../domain/line-identifier.js';
import { canTryCode, OTP_POLICY } from '../domain/otp-policy.js';
import { fieldText } from '../domain/text.js';
import type { CodeLimits, CodeRefusal } from './code-limits.js';
import type { ServiceDeps } from './deps.js';
import { createRemembered, type RecordChanges } from './remembered.js';
import { AWAITING_ESIM_PREFIX } from '../domain/awaiting-esim.js';

export const MAX_LINES_PER_USER = 10;
export const LABEL_MAX = 32;

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
  | { ok: true; line: ParsedLine; expiresAt: string | null; proof: 'code' | 'claim' }
  | {
      ok: false;
      reason: LineInputError | 'unknown_line' | 'not_owned' | 'already_linked' | 'too_many_lines' | 'provider_down';
    }
  | { ok: false; reason: CodeRefusal['reason']; until: string; waitSeconds: number };

export type VerifyResult =
  | { ok: true; lineId: string }
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  | { ok: false; reason: 'locked'; until: string }
  | { ok: false; reason: 'expired' | 'not_a_code' | 'provider_down' };

/** `changes`: with it, each traveller's lines are kept in memory, and every instance hears when they change. */
export function createLineService(deps: ServiceDeps & { codeLimits: CodeLimits; changes?: RecordChanges }) {
  const { db, provider, now, logger, codeLimits, changes } = deps;
  const remembered = createRemembered<LineView[]>();
  const keyOf = (userId: string) => `lines:${userId}`;
  changes?.subscribe({
    forget: (key) => key.startsWith('lines:') && remembered.forget(key),
    forgetAll: () => remembered.forgetAll(),
  });
  // Called after the change is committed: if the word cannot go out, the change stands, and other
  // instances forget the lines when their listener reconnects or their entry expires.
  const changed = async (userId: string) => {
    remembered.forget(keyOf(userId));
    await changes?.publish(keyOf(userId)).catch((err) => logger.warn({ err, userId }, 'lines change not published'));
  };
  async function list(userId: string): Promise<LineView[]> {
    // Only while every instance's changes can be heard: what is read otherwise is not kept either.
    const listening = changes?.listening ?? false;
    const known = listening ? remembered.get(keyOf(userId)) : undefined;
    if (known) return known;
    const epoch = remembered.epoch;
    // A line still waiting for its new eSIM (esim-sales/shop.ts) is not the traveller's yet.
    const lines = (
      await db.line.findMany({
        where: { userId, unlinkedAt: null, NOT: { identifier: { startsWith: AWAITING_ESIM_PREFIX } } },
        orderBy: { createdAt: 'asc' },
      })
    ).map((l) => Object.freeze(toView(l)));
    if (listening) remembered.set(keyOf(userId), lines, epoch);
    return lines;
  }
  const refused = (r: CodeRefusal) => ({
    ok: false as const,
    reason: r.reason,
    until: r.until.toISOString(),
    waitSeconds: Math.max(1, Math.ceil((r.until.getTime() - now().getTime()) / 1000)),
  });

  const toView = (l: {
    id: string;
    kind: string;
    identifier: string;
    carrier: string;
    label: string | null;
    planCode: string | null;
    expiresAt: Date | null;
  }): LineView => ({
    id: l.id,
    kind: l.kind as LineView['kind'],
    identifier: l.identifier,
    carrier: l.carrier,
    label: l.label,
    planCode: l.planCode,
    expiresAt: l.expiresAt?.toISOString() ?? null,
  });

  return {
    /** Checks the input, asks the provider about the line and sends the one-time code. */
    async startLink(userId: string, input: string): Promise<StartLinkResult> {
      const parsed = parseLineInput(input);
      if (!parsed.ok) return { ok: false, reason: parsed.error };
      const { line } = parsed;
      const existing = await db.line.findUnique({
        where: { userId_identifier: { userId, identifier: line.identifier } },
      });
      if (existing && !existing.unlinkedAt) return { ok: false, reason: 'already_linked' };
      const count = await db.line.count({ where: { userId, unlinkedAt: null } });
      if (count >= MAX_LINES_PER_USER) return { ok: false, reason: 'too_many_lines' };

      const limit = await codeLimits.checkSend(userId, line.identifier);
      if (limit) return refused(limit);

      try {
        const info = await provider.lookupLine(line.identifier, line.kind);
        const claimed = provider.linkProof?.(line.kind) === 'claim';
        // An eSIM the partner account does not own can never be linked: saying so beats "try again".
        if (!info) return { ok: false, reason: claimed ? 'not_owned' : 'unknown_line' };
        const found = {
          line: { ...line, carrier: line.kind === 'iccid' ? (info.carrier as ParsedLine['carrier']) : line.carrier },
          expiresAt: info.expiresAt?.toISOString() ?? null,
        };
        // The partner sends no codes: the traveller proves the eSIM with the claim code from the receipt.
        if (claimed) return { ok: true, ...found, proof: 'claim' };
        const raced = await codeLimits.recordSend(userId, line.identifier);
        if (raced) return refused(raced);
        const { reference } = await provider.sendCode(line.identifier, line.kind);
        const expiresAt = new Date(now().getTime() + OTP_POLICY.validMs);
        // A new code replaces the old one; wrong tries are counted per number by codeLimits, not here.
        await db.otpChallenge.upsert({
          where: { userId_identifier: { userId, identifier: line.identifier } },
          create: { userId, identifier: line.identifier, reference, expiresAt },
          update: { reference, expiresAt, verifiedAt: null },
        });
        return { ok: true, ...found, proof: 'code' };
      } catch (error) {
        logger.warn({ err: error }, 'provider failed during link');
        return { ok: false, reason: 'provider_down' };
      }
    },

    /** Checks the code; on success links (or re-links) the line with what the provider knows of it. */
    async confirmCode(userId: string, line: ParsedLine, input: string): Promise<VerifyResult> {
      const code = input.replace(/\s/g, '');
      if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'not_a_code' };
      const challenge = await db.otpChallenge.findUnique({
        where: { userId_identifier: { userId, identifier: line.identifier } },
      });
      if (!challenge) return { ok: false, reason: 'expired' };
      const at = now();
      const locked = await codeLimits.lockedUntil(line.identifier);
      if (locked) return { ok: false, reason: 'locked', until: locked.toISOString() };
      if (canTryCode(challenge, at) !== 'ok') return { ok: false, reason: 'expired' };

      let valid: boolean;
      try {
        valid = await provider.checkCode(challenge.reference, code);
      } catch (error) {
        logger.warn({ err: error }, 'provider failed during code check');
        return { ok: false, reason: 'provider_down' };
      }
      if (!valid) {
        const next = await codeLimits.wrongCode(line.identifier);
        return 'lockedUntil' in next
          ? { ok: false, reason: 'locked', until: next.lockedUntil.toISOString() }
          : { ok: false, reason: 'wrong_code', triesLeft: next.triesLeft };
      }
      await codeLimits.rightCode(line.identifier);

      const info = await provider.lookupLine(line.identifier, line.kind).catch(() => null);
      const data = {
        kind: line.kind,
        carrier: line.carrier,
        planCode: info?.planCode ?? null,
        expiresAt: info?.expiresAt ?? null,
        verifiedAt: at,
        unlinkedAt: null,
      };
      const saved = await db.$transaction(async (tx) => {
        await tx.otpChallenge.update({ where: { id: challenge.id }, data: { verifiedAt: at } });
        return tx.line.upsert({
          where: { userId_identifier: { userId, identifier: line.identifier } },
          create: { userId, identifier: line.identifier, ...data },
          update: data,
        });
      });
      await changed(userId);
      return { ok: true, lineId: saved.id };
    },

    /** Stores the label as it will be shown (cleaned, at most LABEL_MAX characters) and returns it. */
    async setLabel(userId: string, lineId: string, label: string | null): Promise<string | null> {
      const kept = fieldText(label, LABEL_MAX);
      await db.line.updateMany({ where: { id: lineId, userId }, data: { label: kept } });
      await changed(userId);
      return kept;
    },

    /** The traveller's linked lines, oldest first. */
    list,

    async get(userId: string, lineId: string): Promise<LineView | null> {
      return (await list(userId)).find((l) => l.id === lineId) ?? null;
    },

    /** Unlinking keeps the line's order history; linking it again needs a new code. */
    async unlink(userId: string, lineId: string): Promise<boolean> {
      const { count } = await db.line.updateMany({
        where: { id: lineId, userId, unlinkedAt: null },
        data: { unlinkedAt: now() },
      });
      await changed(userId);
      return count === 1;
    },

    /** Another service changed a traveller's line (a top-up moved its expiry). */
    changed,
  };
}

export type LineService = ReturnType<typeof createLineService>;
