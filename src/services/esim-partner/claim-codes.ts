import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../../adapters/db/client.js';
import { audit } from '../audit.js';
import type { ProviderGateway } from '../ports/provider-gateway.js';
import { parseLineInput } from '../../domain/line-identifier.js';
import type { Logger } from '../../logger.js';
import type { CodeLimits } from '../code-limits.js';
import { MAX_LINES_PER_USER } from '../lines.js';

// No 0/O, 1/I/L: a code is read off a paper receipt and typed on a phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10;
const CLAIM_PREFIX = 'c_';

export type IssueResult =
  | { ok: true; code: string; iccid: string; expiresAt: Date }
  | { ok: false; reason: 'not_an_iccid' | 'not_owned' | 'provider_down' };

export type ClaimResult =
  | { ok: true; lineId: string; iccid: string }
  | { ok: false; reason: 'invalid'; triesLeft: number }
  | { ok: false; reason: 'locked'; until: string }
  | { ok: false; reason: 'not_owned' | 'provider_down' | 'already_linked' | 'too_many_lines' };

/** The code as typed (spaces, dashes, lower case, the deep link's c_ prefix all forgiven). */
export function normaliseClaimCode(input: string): string {
  const trimmed = input.trim();
  const bare = trimmed.toLowerCase().startsWith(CLAIM_PREFIX) ? trimmed.slice(CLAIM_PREFIX.length) : trimmed;
  return bare.replace(/[\s-]/g, '').toUpperCase();
}

/** Whether a message is meant as a claim code (never a phone number or an ICCID: it has letters). */
export function looksLikeClaimCode(input: string): boolean {
  const code = normaliseClaimCode(input);
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) && /[A-Z]/.test(code);
}

/** The /start parameter of a claim link: c_ and the code. */
export const claimStartParameter = (code: string) => `${CLAIM_PREFIX}${code}`;

/** How the code is printed: two groups of five. */
export const formatClaimCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

const hashOf = (code: string) => createHash('sha256').update(`claim:${code}`).digest('hex');

function newCode(): string {
  for (;;) {
    const code = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (/[A-Z]/.test(code)) return code;
  }
}

/**
 * Claim codes: how a traveller proves an eSIM is theirs when it was sold outside the chat (the
 * shop's receipt). The operator issues one per ICCID the partner account owns; it works once,
 * until it expires, and only its hash is stored. Wrong codes count against the traveller as wrong
 * one-time codes do (code-limits.ts).
 */
export function createClaimCodes(deps: {
  db: Db;
  provider: ProviderGateway;
  codeLimits: CodeLimits;
  logger: Logger;
  now: () => Date;
  ttlMs: number;
  /** A traveller's lines changed (every instance forgets its copy). */
  lineChanged: (userId: string) => Promise<void>;
}) {
  const { db, provider, codeLimits, logger, now } = deps;

  /** Whether the partner account owns the eSIM: null when it could not be asked. */
  async function owned(iccid: string): Promise<{ owned: boolean; expiresAt: Date | null } | null> {
    try {
      const info = await provider.lookupLine(iccid, 'iccid');
      return { owned: info !== null, expiresAt: info?.expiresAt ?? null };
    } catch (error) {
      logger.warn({ err: error }, 'partner unreachable while checking an eSIM');
      return null;
    }
  }

  return {
    /** `operatorId`: the operator who asked, written to the audit log with the eSIM once a code is issued. */
    async issue(input: string, issuedBy: string, operatorId?: number): Promise<IssueResult> {
      const parsed = parseLineInput(input);
      if (!parsed.ok || parsed.line.kind !== 'iccid') return { ok: false, reason: 'not_an_iccid' };
      const iccid = parsed.line.identifier;
      const ownership = await owned(iccid);
      if (!ownership) return { ok: false, reason: 'provider_down' };
      if (!ownership.owned) return { ok: false, reason: 'not_owned' };
      const code = newCode();
      const expiresAt = new Date(now().getTime() + deps.ttlMs);
      await db.$transaction(async (tx) => {
        await tx.claimCode.create({ data: { codeHash: hashOf(code), iccid, issuedBy, expiresAt } });
        if (operatorId !== undefined)
          await audit(tx, { actorId: operatorId, action: 'esim.claim_code', subject: iccid });
      });
      logger.info({ iccid: `…${iccid.slice(-4)}`, issuedBy, expiresAt }, 'claim code issued');
      return { ok: true, code, iccid, expiresAt };
    },

    /** `iccid`: when the traveller already named the eSIM, the code must be for that one. */
    async claim(userId: string, input: string, iccid?: string): Promise<ClaimResult> {
      const locked = await codeLimits.claimLockedUntil(userId);
      if (locked) return { ok: false, reason: 'locked', until: locked.toISOString() };
      const at = now();
      const row = await db.claimCode.findUnique({ where: { codeHash: hashOf(normaliseClaimCode(input)) } });
      const usable = row && !row.claimedAt && row.expiresAt > at && (!iccid || row.iccid === iccid);
      if (!usable) {
        const next = await codeLimits.wrongClaim(userId);
        return 'lockedUntil' in next
          ? { ok: false, reason: 'locked', until: next.lockedUntil.toISOString() }
          : { ok: false, reason: 'invalid', triesLeft: next.triesLeft };
      }
      const existing = await db.line.findUnique({ where: { userId_identifier: { userId, identifier: row.iccid } } });
      if (existing && !existing.unlinkedAt) return { ok: false, reason: 'already_linked' };
      if ((await db.line.count({ where: { userId, unlinkedAt: null } })) >= MAX_LINES_PER_USER)
        return { ok: false, reason: 'too_many_lines' };
      // The code is not spent on an eSIM the partner no longer has, or when it cannot be asked.
      const ownership = await owned(row.iccid);
      if (!ownership) return { ok: false, reason: 'provider_down' };
      if (!ownership.owned) return { ok: false, reason: 'not_owned' };

      const data = {
        kind: 'iccid',
        carrier: 'esim',
        planCode: null,
        expiresAt: ownership.expiresAt,
        verifiedAt: at,
        unlinkedAt: null,
      };
      const line = await db.$transaction(async (tx) => {
        // Single use, even when two travellers send the same code at once: only one update matches.
        const spent = await tx.claimCode.updateMany({
          where: { id: row.id, claimedAt: null },
          data: { claimedAt: at, claimedBy: userId },
        });
        if (spent.count !== 1) return null;
        return tx.line.upsert({
          where: { userId_identifier: { userId, identifier: row.iccid } },
          create: { userId, identifier: row.iccid, ...data },
          update: data,
        });
      });
      if (!line) return { ok: false, reason: 'invalid', triesLeft: 0 };
      await deps.lineChanged(userId);
      logger.info({ userId, iccid: `…${row.iccid.slice(-4)}` }, 'eSIM claimed');
      return { ok: true, lineId: line.id, iccid: row.iccid };
    },
  };
}

export type ClaimCodes = ReturnType<typeof createClaimCodes>;
