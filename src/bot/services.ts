import type { AutoRenewService } from '../services/auto-renew/auto-renew.js';
import type { CatalogService } from '../services/catalog/catalog.js';
import type { ConsoleServices } from '../services/console/index.js';
import type { LineService } from '../services/lines.js';
import type { NoticeService } from '../services/notices/notices.js';
import type { OrderService } from '../services/orders.js';
import type { StarsService } from '../services/stars/stars-service.js';
import type { StoreVisits } from '../services/stores/visits.js';
import type { StoreService } from '../services/stores/stores.js';
import type { UserService } from '../services/users.js';
import type { UsageService } from '../services/usage/usage.js';
import type { EsimPartner } from '../services/esim-partner/index.js';
import type { EsimShop } from '../services/esim-sales/shop.js';
import type { EsimAfterSale } from '../services/esim-sales/after-sale.js';
import type { InstallDetailsService } from '../services/esim-sales/install-details.js';

/** The use cases the bot may call; it reaches nothing else. */
export type BotServices = {
  users: UserService;
  lines: LineService;
  catalog: CatalogService;
  orders: OrderService;
  notices: NoticeService;
  stores: StoreService;
  storeVisits: StoreVisits;
  autoRenew: AutoRenewService;
  usage: UsageService;
  /** The eSIM partner: claim codes, notification opt-ins, its balance. */
  esim: EsimPartner;
  stars: StarsService;
  /** Selling new eSIMs: plans by destination, drafts, install details. */
  newEsims: { shop: EsimShop; install: InstallDetailsService; afterSale: EsimAfterSale };
  /** For operators only (ADMIN_IDS): the console's use cases. */
  operator: ConsoleServices;
};
