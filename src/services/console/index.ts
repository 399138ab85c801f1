import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import type { ProviderGateway } from '../ports/provider-gateway.js';
import type { Logger } from '../../logger.js';
import type { CatalogService } from '../catalog/catalog.js';
import { createConsoleAuth } from '../console-auth.js';
import { createOperators } from '../operators.js';
import type { FulfilmentService } from '../fulfilment.js';
import type { NoticeDraft, NoticeService } from '../notices/notices.js';
import type { AutoRenewService } from '../auto-renew/auto-renew.js';
import type { LineService } from '../lines.js';
import { createOperatorActions } from './actions.js';
import { createConsoleEsims } from './esim-orders.js';
import type { InstallDetailsService } from '../esim-sales/install-details.js';
import { consoleAuditLog, type AuditRow } from './audit-log.js';
import { createConsoleCatalog } from './catalog.js';
import { createConsoleExports } from './exports.js';
import { createConsoleOrders } from './orders.js';
import { createOverview } from './overview.js';
import { createOverviewAhead } from './overview-ahead.js';
import { createProviderBalance } from './provider-balance.js';
import { createConsoleReports } from './reports.js';
import { createConsoleStores } from './stores.js';
import { createConsoleTravellers } from './travellers.js';
import { createStarBalance } from './stars-balance.js';
import type { StarBalanceSource } from '../ports/star-balance.js';
import { createNeedsAttention } from '../reconciliation/attention.js';
import type { ReconcileResult } from '../reconciliation/reconcile.js';

export type ConsoleOptions = { adminIds: number[]; idleMs: number; balanceAlertBelowMinor: number | undefined };

/** Everything the operator's console and chat commands call; nothing here knows HTTP or Telegram. */
export function createConsoleServices(deps: {
  db: Db;
  dbProvider: DatabaseProvider;
  provider: ProviderGateway;
  logger: Logger;
  now: () => Date;
  fulfilment: FulfilmentService;
  /** New eSIMs' install details, sent again from the order page. */
  install: Pick<InstallDetailsService, 'resend'>;
  catalog: CatalogService;
  notices: NoticeService;
  lines: LineService;
  autoRenew: AutoRenewService;
  options: ConsoleOptions;
  onQueued?: () => void;
  /** Reconciliation, run on demand from "Needs attention". */
  reconcile: () => Promise<ReconcileResult>;
  /** The bot's Stars balance at Telegram, for the money pages. */
  stars: StarBalanceSource;
}) {
  const { db, now, options } = deps;
  const overview = createOverview({ db, provider: deps.dbProvider, now });
  const operators = createOperators({ db, adminIds: options.adminIds });
  const orders = createConsoleOrders({ db });
  return {
    auth: createConsoleAuth({ db, now, adminIds: options.adminIds, idleMs: options.idleMs, operators }),
    /** Owners (ADMIN_IDS) and support operators: who may do what, in the console and the chat. */
    operators,
    overview,
    /** The scheduled job that stores closed days ahead for the operators' timezones. */
    overviewAhead: createOverviewAhead({ db, overview, adminIds: options.adminIds }),
    orders,
    /** The owner's reports: money, margin, checkout conversion and travellers against the period before. */
    reports: createConsoleReports({ db, provider: deps.dbProvider, now }),
    exports: createConsoleExports({ db, orders }),
    actions: createOperatorActions({ db, fulfilment: deps.fulfilment, onQueued: deps.onQueued }),
    esims: createConsoleEsims({ db, afterSale: deps.fulfilment.esims, install: deps.install }),
    travellers: createConsoleTravellers({ db, lines: deps.lines, autoRenew: deps.autoRenew }),
    stores: createConsoleStores({ db, now }),
    catalog: createConsoleCatalog({ db, provider: deps.provider, catalog: deps.catalog }),
    balance: createProviderBalance({
      db,
      provider: deps.provider,
      logger: deps.logger,
      now,
      adminIds: options.adminIds,
      thresholdMinor: options.balanceAlertBelowMinor,
    }),
    /** The bot's Stars balance as Telegram reports it, read at most once a minute. */
    starBalance: createStarBalance({ source: deps.stars, logger: deps.logger, now }),
    notices: deps.notices,
    attention: createNeedsAttention({ db, now, reconcile: deps.reconcile }),
    /** Publishes a notice from the console; the same id published twice queues nothing more. */
    async publishNotice(operatorId: number, draft: NoticeDraft, noticeId: string) {
      // The notice service writes the audit row.
      const published = await deps.notices.publish(draft, operatorId, noticeId);
      deps.onQueued?.();
      return published;
    },
    auditLog: (take = 100): Promise<AuditRow[]> => consoleAuditLog(db, take),
  };
}

export type ConsoleServices = ReturnType<typeof createConsoleServices>;
