/**
 * npm run catalog:import -- <airalo|digiflazz> --margin 20% [--plus 2000] [--carrier axis] [--prices USD:16250] [--dry-run]
 * Reads the provider's package list, prices it with the margin rule and writes it into the catalog,
 * wholesale cost beside each price, and with --prices each plan's price in other currencies too. The provider's credentials come from .env, as for the bot.
 */
import { AiraloGateway } from '../adapters/provider/airalo.js';
import type { Package } from '../services/ports/provider-gateway.js';
import { DigiflazzGateway } from '../adapters/provider/digiflazz.js';
import { formatMoney } from '../domain/money.js';
import { parseMarginRule, parseRates } from '../domain/pricing.js';
import { audit, SYSTEM_ACTOR } from '../services/audit.js';
import { createCatalogImport, type ImportedPlan } from '../services/catalog/import.js';
import { CommandError, oneLine, openCommandDatabase, runCommand } from './command.js';

const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, 'en');

await runCommand(
  {
    name: 'catalog:import',
    script: 'import-packages.js',
    args: '<airalo|digiflazz>',
    summary:
      "Prices a provider's package list into the catalog: each plan at the wholesale cost plus the margin, " +
      "never below the provider's retail price; packages that are off at the provider are switched off.",
    options: {
      margin: { type: 'string' },
      plus: { type: 'string' },
      carrier: { type: 'string' },
      prices: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    describe: {
      margin: 'the margin on the wholesale cost, e.g. 20%',
      plus: 'a fixed amount added, in the smallest unit (rupiah), e.g. 2000',
      carrier: "digiflazz: which carrier's products (axis, xl, telkomsel, indosat, tri, smartfren)",
      prices:
        "prices in other currencies too, at your rates: how much of the plan's currency one unit is worth, e.g. USD:16250,EUR:17600",
      'dry-run': 'read the list and show the prices it would set; change nothing',
    },
    more: [
      'Examples:',
      '  npm run catalog:import -- airalo --margin 20% --dry-run',
      '  npm run catalog:import -- digiflazz --carrier axis --margin 10% --plus 2000',
      '  npm run catalog:import -- digiflazz --carrier axis --margin 10% --prices USD:16250,EUR:17600 --dry-run',
      'Credentials come from the environment (.env), as for the bot: AIRALO_CLIENT_ID, AIRALO_CLIENT_SECRET',
      '(AIRALO_BASE_URL) or DIGIFLAZZ_USERNAME, DIGIFLAZZ_API_KEY (DIGIFLAZZ_BASE_URL).',
    ],
  },
  async ({ values, positionals }) => {
    const env = process.env;
    const source = positionals[0];
    if (source !== 'airalo' && source !== 'digiflazz')
      throw new CommandError(
        'Which provider? npm run catalog:import -- airalo --margin 20%   (or digiflazz --margin 10% --plus 2000 --carrier axis)',
        2,
      );
    const rule = parseMarginRule(values.margin as string | undefined, values.plus as string | undefined);
    if (!rule.ok) throw new CommandError(`Margin: ${rule.error}. Example: --margin 20% --plus 2000`, 2);
    const rates = values.prices === undefined ? null : parseRates(values.prices as string);
    if (rates && !rates.ok) throw new CommandError(`Prices: ${rates.error}. Example: --prices USD:16250,EUR:17600`, 2);
    const carrier = (values.carrier as string | undefined) ?? (source === 'airalo' ? 'esim' : undefined);
    if (!carrier)
      throw new CommandError(
        "Which carrier's products? Add --carrier axis (or xl, telkomsel, indosat, tri, smartfren)",
        2,
      );
    const need = (key: string) =>
      env[key] || failMissing(`${key} is not set (.env): it is needed to read the ${source} package list`);

    let packages: Package[];
    let baseUrl: string;
    try {
      if (source === 'airalo') {
        baseUrl = env.AIRALO_BASE_URL || 'https://partners-api.airalo.com';
        const gateway = new AiraloGateway({
          baseUrl,
          clientId: need('AIRALO_CLIENT_ID'),
          clientSecret: need('AIRALO_CLIENT_SECRET'),
          webhookSecret: '',
        });
        console.log(`Reading airalo's packages from ${baseUrl}, page by page…`);
        packages = await gateway.listPackages(carrier, {
          onPage: (page, count) => console.log(`  page ${page}: ${count} packages so far`),
        });
      } else {
        baseUrl = env.DIGIFLAZZ_BASE_URL || 'https://api.digiflazz.com/v1';
        const gateway = new DigiflazzGateway({
          baseUrl,
          username: need('DIGIFLAZZ_USERNAME'),
          apiKey: need('DIGIFLAZZ_API_KEY'),
          webhookSecret: '',
        });
        console.log(`Reading digiflazz's price list from ${baseUrl}…`);
        packages = await gateway.listPackages(carrier);
        console.log(`  ${packages.length} ${carrier} products`);
      }
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(`Cannot read ${source}'s package list: ${oneLine(error)}`);
    }

    const database = await openCommandDatabase();
    let result;
    try {
      result = await createCatalogImport({ db: database.db }).importPackages({
        provider: source,
        carrier,
        packages,
        rule: rule.rule,
        dryRun: values['dry-run'] === true,
        ...(rates && { rates: rates.rates }),
      });
      // Prices in other currencies are what travellers pay: who changed them, and from what, is kept.
      const changed = result.plans.flatMap(currencyChanges);
      if (values['dry-run'] !== true && changed.length)
        await audit(database.db, {
          actorId: SYSTEM_ACTOR,
          action: 'catalog.import',
          subject: `catalog:import ${source}`,
          before: changed.map(({ code, currency, from }) => ({ code, currency, amountMinor: from })),
          after: changed.map(({ code, currency, to }) => ({ code, currency, amountMinor: to })),
        });
    } finally {
      await database.close();
    }
    for (const p of result.plans) {
      const margin = p.costMinor ? ` (+${(((p.priceMinor - p.costMinor) / p.costMinor) * 100).toFixed(1)}%)` : '';
      const mark = p.change === 'created' ? 'new ' : '    ';
      const off = p.active ? '' : ' — off at the provider, not sold';
      console.log(
        `${mark}${p.code}: ${money(p.priceMinor, p.currency)}, cost ${money(p.costMinor, p.currency)}${margin}${off}`,
      );
      for (const c of currencyChanges(p))
        console.log(
          `      ${c.currency}: ${c.from === null ? 'new' : money(c.from, c.currency)} → ${money(c.to, c.currency)}`,
        );
    }
    for (const s of result.skipped) console.log(`skipped ${s}`);
    console.log(
      values['dry-run']
        ? `Dry run: ${result.plans.length} plans would be priced from ${source}'s list, ${result.skipped.length} skipped; nothing was changed.`
        : `${result.plans.length} plans priced from ${source}'s list, ${result.skipped.length} skipped.`,
    );
  },
);

/** A plan's prices in other currencies that this import sets or changes. */
function currencyChanges(p: ImportedPlan): Array<{ code: string; currency: string; from: number | null; to: number }> {
  return Object.entries(p.prices ?? {})
    .filter(([currency, to]) => p.previousPrices?.[currency] !== to)
    .map(([currency, to]) => ({ code: p.code, currency, from: p.previousPrices?.[currency] ?? null, to }));
}

function failMissing(message: string): never {
  throw new CommandError(message);
}
