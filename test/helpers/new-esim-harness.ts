import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Kuota selling new eSIMs from the Airalo fake's Japan and Asia packages, imported and on sale, with
 * quiet hours off so every message goes out at once.
 */
export async function newEsimHarness(
  db: 'sqlite' | 'postgresql',
  env: Record<string, string> = {},
): Promise<{ h: Harness; airalo: FakeAiralo }> {
  const airalo = await FakeAiralo.start();
  airalo.addDestinations();
  const h = await startHarness({
    db,
    publicUrl: true,
    env: { CATALOG_SYNC_NEW: 'sell', ...env },
    providers: {
      iccid: new AiraloGateway({
        baseUrl: airalo.url,
        clientId: airalo.clientId,
        clientSecret: airalo.clientSecret,
        webhookSecret: airalo.webhookSecret,
        timeoutMs: 1500,
      }),
    },
  });
  await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
  await h.app.services.esim.sync!.run();
  return { h, airalo };
}
