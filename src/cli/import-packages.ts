/**
 * npm run catalog:import -- <airalo|digiflazz> --margin 20% [--plus 2000] [--carrier axis]
 * Reads the provider's package list, prices it with the margin rule and writes it into the catalog,
 * wholesale cost beside each price. The provider's credentials come from .env, as for the bot.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../adapters/db/client.js';
import { AiraloGateway } from '../adapters/provider/airalo.js';
import { DigiflazzGateway } from '../adapters/provider/digiflazz.js';
import { formatMoney } from '../domain/money.js';
import { parseMarginRule } from '../domain/pricing.js';
import { createCatalogImport } from '../services/catalog-import.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const env = process.env;
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { margin: { type: 'string' }, plus: { type: 'string' }, carrier: { type: 'string' } },
});
const source = positionals[0];
if (source !== 'airalo' && source !== 'digiflazz')
  fail(
    'Which provider? npm run catalog:import -- airalo --margin 20%   (or digiflazz --margin 10% --plus 2000 --carrier axis)',
  );
const rule = parseMarginRule(values.margin, values.plus);
if (!rule.ok) fail(`Margin: ${rule.error}. Example: --margin 20% --plus 2000`);
const carrier =
  values.carrier ??
  (source === 'airalo'
    ? 'esim'
    : fail("Which carrier's products? Add --carrier axis (or xl, telkomsel, indosat, tri, smartfren)"));

const need = (...keys: string[]) =>
  keys.map((k) => env[k] ?? fail(`${k} is not set (.env): it is needed to read the ${source} package list`));
const packages =
  source === 'airalo'
    ? await (() => {
        const [clientId, clientSecret] = need('AIRALO_CLIENT_ID', 'AIRALO_CLIENT_SECRET');
        return new AiraloGateway({
          baseUrl: env.AIRALO_BASE_URL || 'https://partners-api.airalo.com',
          clientId: clientId!,
          clientSecret: clientSecret!,
          webhookSecret: '',
        }).listPackages();
      })()
    : await (() => {
        const [username, apiKey] = need('DIGIFLAZZ_USERNAME', 'DIGIFLAZZ_API_KEY');
        return new DigiflazzGateway({
          baseUrl: env.DIGIFLAZZ_BASE_URL || 'https://api.digiflazz.com/v1',
          username: username!,
          apiKey: apiKey!,
          webhookSecret: '',
        }).listPackages(carrier);
      })();

const database = await openDatabase(env.DATABASE_URL || 'file:./data/kuota.db');
const result = await createCatalogImport({ db: database.db }).importPackages({
  provider: source!,
  carrier,
  packages,
  rule: rule.ok ? rule.rule : { percent: 0, fixedMinor: 0 },
});
await database.close();
for (const p of result.plans) {
  const margin = p.costMinor ? ` (+${(((p.priceMinor - p.costMinor) / p.costMinor) * 100).toFixed(1)}%)` : '';
  console.log(
    `${p.change === 'created' ? 'new ' : '    '}${p.code}: ${formatMoney({ amountMinor: p.priceMinor, currency: p.currency }, 'en')}, cost ${formatMoney({ amountMinor: p.costMinor, currency: p.currency }, 'en')}${margin}${p.active ? '' : ' — off at the provider, not sold'}`,
  );
}
for (const s of result.skipped) console.log(`skipped ${s}`);
console.log(`${result.plans.length} plans priced from ${source}'s list, ${result.skipped.length} skipped.`);
