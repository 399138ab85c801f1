import type { Db } from '../../adapters/db/client.js';
import type { AiraloGateway, OptIn, OptInType } from '../../adapters/provider/airalo.js';
import type { ProviderGateway } from '../ports/provider-gateway.js';
import { parseMarginRule } from '../../domain/pricing.js';
import type { Logger } from '../../logger.js';
import type { CatalogService } from '../catalog/catalog.js';
import type { CodeLimits } from '../code-limits.js';
import { createEsimWebhookService } from './notifications.js';
import type { Leases } from '../leases.js';
import type { UsageService } from '../usage/usage.js';
import { createCatalogSync } from './catalog-sync.js';
import { createClaimCodes } from './claim-codes.js';
import { createPartnerCredit } from './credit.js';

export type EsimPartnerSettings = {
  adminIds: number[];
  /** Where the partner reaches Kuota: PUBLIC_URL + /webhooks/esim. */
  publicUrl: string | undefined;
  claimCodeDays: number;
  syncMargin: string;
  syncNew: 'hold' | 'sell';
  syncAlertAfter: number;
};

/** What the partner's status page (chat and console) shows. */
export type PartnerView = {
  balance: { amountMinor: number; currency: string } | null;
  optIn: OptIn | null;
  creditOut: boolean;
  webhookUrl: string | null;
};

/**
 * The eSIM partner's side of Kuota, in one place: claim codes (ownership without a code sent to
 * the eSIM), the signed notifications, credit incidents, notification opt-ins and the hourly
 * package sync. `airalo` is the partner adapter when one is configured; claim codes need only a
 * provider that can look an ICCID up.
 */
export function createEsimPartner(deps: {
  db: Db;
  logger: Logger;
  now: () => Date;
  leases: Leases;
  catalog: CatalogService;
  codeLimits: CodeLimits;
  usage: UsageService;
  provider: ProviderGateway;
  airalo: AiraloGateway | undefined;
  lineChanged: (userId: string) => Promise<void>;
  settings: EsimPartnerSettings;
}) {
  const { db, logger, now, airalo, settings } = deps;
  const credit = createPartnerCredit({ db, logger, now, adminIds: settings.adminIds });
  const webhookUrl = settings.publicUrl ? `${settings.publicUrl.replace(/\/$/, '')}/webhooks/esim` : null;
  if (airalo) {
    airalo.onRefusal((refusal) => {
      credit.refused(refusal).catch((err) => logger.error({ err }, 'credit refusal not recorded'));
    });
    airalo.onTopUp(() => {
      credit.restored().catch((err) => logger.warn({ err }, 'credit incident not closed'));
    });
  }
  const rule = parseMarginRule(settings.syncMargin, undefined);

  return {
    /** Present when the partner adapter is configured. */
    supported: airalo !== undefined,
    credit,
    claimCodes: createClaimCodes({
      db,
      provider: deps.provider,
      codeLimits: deps.codeLimits,
      logger,
      now,
      ttlMs: settings.claimCodeDays * 86_400_000,
      lineChanged: deps.lineChanged,
    }),
    webhooks:
      airalo &&
      createEsimWebhookService({
        db,
        logger,
        now,
        usage: deps.usage,
        verify: (body, signature) => airalo.parseWebhook(body, signature),
        onCreditLimit: (tx, notice) => credit.limitReached(tx, notice),
      }),
    sync:
      airalo &&
      createCatalogSync({
        db,
        logger,
        now,
        leases: deps.leases,
        catalog: deps.catalog,
        listPackages: () => airalo.listPackages(),
        options: {
          provider: airalo.name,
          carrier: 'esim',
          rule: rule.ok ? rule.rule : { percent: 20, fixedMinor: 0 },
          holdNew: settings.syncNew === 'hold',
          alertAfter: settings.syncAlertAfter,
          adminIds: settings.adminIds,
        },
      }),

    /** Opts in to a notification type at PUBLIC_URL/webhooks/esim; the partner's refusal comes back as it said it. */
    async optIn(type: OptInType): Promise<{ ok: true; optIn: OptIn } | { ok: false; reason: string }> {
      if (!airalo) return { ok: false, reason: 'no eSIM partner configured' };
      if (!webhookUrl) return { ok: false, reason: 'PUBLIC_URL is not set' };
      try {
        const optIn = await airalo.optIn(type, webhookUrl, type === 'webhook_credit_limit' ? [50, 80, 90] : undefined);
        logger.info({ type, webhookUrl }, 'opted in to partner notifications');
        return { ok: true, optIn };
      } catch (error) {
        logger.warn({ err: error, type }, 'partner opt-in refused');
        return { ok: false, reason: (error as Error).message.slice(0, 300) };
      }
    },

    /** The partner's balance, the current opt-in and whether a credit incident is open; parts it cannot read are null. */
    async view(): Promise<PartnerView> {
      if (!airalo) return { balance: null, optIn: null, creditOut: false, webhookUrl };
      const [balance, optIn, incident] = await Promise.all([
        airalo.partnerBalance().catch((err) => {
          logger.warn({ err }, 'partner balance unavailable');
          return null;
        }),
        airalo.optInStatus().catch((err) => {
          logger.warn({ err }, 'partner opt-in unavailable');
          return null;
        }),
        credit.incident(),
      ]);
      return { balance, optIn, creditOut: incident.open, webhookUrl };
    },
  };
}

export type EsimPartner = ReturnType<typeof createEsimPartner>;
