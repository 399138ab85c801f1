import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { loggedFetch } from './logged-fetch.js';
import { AiraloGateway } from './airalo.js';
import { DigiflazzGateway } from './digiflazz.js';
import type { ProviderGateway } from '../../services/ports/provider-gateway.js';
import { RoutingGateway } from './routing.js';
import { SimulatorGateway } from './simulator.js';

export type ProviderOverrides = { msisdn?: ProviderGateway; iccid?: ProviderGateway };

/**
 * The providers the configuration names, one per kind of line; a provider named for both kinds is one adapter.
 * With a logger, each of their HTTP requests is logged at debug.
 */
export function createProviders(config: Config, overrides: ProviderOverrides = {}, logger?: Logger): RoutingGateway {
  const built = new Map<string, ProviderGateway>();
  const build = (name: string): ProviderGateway => {
    if (!built.has(name)) built.set(name, adapterFor(name));
    return built.get(name)!;
  };
  const adapterFor = (name: string): ProviderGateway => {
    if (name === 'digiflazz') {
      return new DigiflazzGateway({
        baseUrl: config.DIGIFLAZZ_BASE_URL,
        username: config.DIGIFLAZZ_USERNAME!,
        apiKey: config.DIGIFLAZZ_API_KEY!,
        webhookSecret: config.DIGIFLAZZ_WEBHOOK_SECRET!,
        testing: config.DIGIFLAZZ_TESTING,
        ...(logger ? { fetch: loggedFetch(logger, name) } : {}),
      });
    }
    if (name === 'airalo') {
      return new AiraloGateway({
        baseUrl: config.AIRALO_BASE_URL,
        clientId: config.AIRALO_CLIENT_ID!,
        clientSecret: config.AIRALO_CLIENT_SECRET!,
        webhookSecret: config.AIRALO_WEBHOOK_SECRET!,
        ...(logger ? { fetch: loggedFetch(logger, name) } : {}),
      });
    }
    return new SimulatorGateway({ fixedCode: config.SIMULATOR_OTP_CODE ?? '123456' });
  };
  return new RoutingGateway({
    msisdn: overrides.msisdn ?? build(config.PROVIDER_MSISDN ?? config.PROVIDER),
    iccid: overrides.iccid ?? build(config.PROVIDER_ICCID ?? config.PROVIDER),
  });
}
