import { createHash, createHmac } from 'node:crypto';
import { listen, sendJson } from './http.js';

type Tx = {
  ref_id: string;
  customer_no: string;
  buyer_sku_code: string;
  status: 'Sukses' | 'Pending' | 'Gagal';
  rc: string;
  message: string;
  sn: string;
};

/**
 * A local stand-in for a Digiflazz-style buyer API. Like Digiflazz's own test numbers, the
 * customer number scripts the outcome: …2222 stays pending until `settle()`, …1111 fails (rc 52),
 * …4444 answers 44 (balance). A repeated ref_id answers the stored transaction.
 */
export class FakeDigiflazz {
  readonly requests: Array<{ path: string; body: any }> = [];
  readonly transactions = new Map<string, Tx>();
  private readonly otps = new Map<string, string>();
  /** The buyer's deposit that cek-saldo reports. */
  deposit = 2_500_000;

  private constructor(
    readonly url: string,
    readonly close: () => Promise<void>,
    readonly username: string,
    readonly apiKey: string,
    readonly webhookSecret: string,
  ) {}

  static async start(
    credentials = { username: 'kuota', apiKey: 'dev-key-123', webhookSecret: 'hook-secret' },
  ): Promise<FakeDigiflazz> {
    // eslint-disable-next-line prefer-const -- the server's handler needs `fake` before it exists
    let fake!: FakeDigiflazz;
    const s = await listen(async (req, body, res) => {
      const parsed = JSON.parse(body.toString('utf8') || '{}');
      fake.requests.push({ path: req.url ?? '', body: parsed });
      const answer = fake.route(req.url ?? '', parsed);
      sendJson(res, answer.status ?? 200, { data: answer.data });
    });
    fake = new FakeDigiflazz(s.url, s.close, credentials.username, credentials.apiKey, credentials.webhookSecret);
    return fake;
  }

  private signed(body: any, suffix: string): boolean {
    return (
      body.username === this.username &&
      body.sign ===
        createHash('md5')
          .update(this.username + this.apiKey + suffix)
          .digest('hex')
    );
  }

  private route(path: string, body: any): { status?: number; data: any } {
    const badSign = { data: { rc: '41', message: 'Signature Anda salah', status: 'Gagal' } };
    if (path === '/transaction') {
      if (!this.signed(body, body.ref_id)) return badSign;
      const existing = this.transactions.get(body.ref_id);
      if (existing) {
        if (existing.customer_no !== body.customer_no || existing.buyer_sku_code !== body.buyer_sku_code)
          return { data: { ...existing, rc: '49', status: 'Gagal', message: 'Ref ID tidak unik' } };
        return { data: existing };
      }
      const no: string = body.customer_no;
      const tx: Tx = {
        ref_id: body.ref_id,
        customer_no: no,
        buyer_sku_code: body.buyer_sku_code,
        status: 'Sukses',
        rc: '00',
        message: 'Transaksi Sukses',
        sn: `SN${this.transactions.size + 1}`,
      };
      if (no.endsWith('2222')) Object.assign(tx, { status: 'Pending', rc: '03', message: 'Transaksi Pending', sn: '' });
      if (no.endsWith('1111')) Object.assign(tx, { status: 'Gagal', rc: '52', message: 'Tujuan Salah', sn: '' });
      if (no.endsWith('4444'))
        return { data: { ...tx, status: 'Gagal', rc: '44', message: 'Saldo tidak cukup', sn: '' } };
      this.transactions.set(tx.ref_id, tx);
      return { data: tx };
    }
    if (path === '/inquiry-line') {
      if (!this.signed(body, body.customer_no)) return badSign;
      if (String(body.customer_no).endsWith('0000')) return { data: { rc: '52', message: 'Nomor tidak ditemukan' } };
      return { data: { rc: '00', operator: 'AXIS', plan_code: null, expired_at: '2026-12-24T00:00:00Z' } };
    }
    if (path === '/otp') {
      if (body.cmd === 'send') {
        if (!this.signed(body, body.customer_no)) return badSign;
        const ref = `otp-${this.otps.size + 1}`;
        this.otps.set(ref, '246810');
        return { data: { rc: '00', otp_ref: ref } };
      }
      if (!this.signed(body, body.otp_ref)) return badSign;
      return { data: { rc: this.otps.get(body.otp_ref) === body.otp ? '00' : '40' } };
    }
    if (path === '/cek-saldo') {
      if (!this.signed(body, 'depo')) return badSign;
      return { data: { deposit: this.deposit } };
    }
    if (path === '/price-list') {
      if (!this.signed(body, 'pricelist')) return badSign;
      return {
        data: [
          {
            buyer_sku_code: 'AXWK10',
            brand: 'AXIS',
            price: 31000,
            buyer_product_status: true,
            seller_product_status: true,
          },
          {
            buyer_sku_code: 'XLWK8',
            brand: 'XL',
            price: 36000,
            buyer_product_status: true,
            seller_product_status: false,
          },
        ],
      };
    }
    return { status: 404, data: { rc: '99', message: 'unknown path' } };
  }

  /** The X-Hub-Signature Digiflazz puts on a callback with this body. */
  sign(body: string): string {
    return `sha1=${createHmac('sha1', this.webhookSecret).update(body).digest('hex')}`;
  }

  /** The pending transaction settles; returns the signed callback Digiflazz would POST. */
  settle(refId: string, outcome: 'Sukses' | 'Gagal'): { body: string; signature: string } {
    const tx = this.transactions.get(refId)!;
    Object.assign(
      tx,
      outcome === 'Sukses'
        ? { status: 'Sukses', rc: '00', message: 'Transaksi Sukses', sn: 'SN-LATE' }
        : { status: 'Gagal', rc: '02', message: 'Transaksi Gagal' },
    );
    const body = JSON.stringify({ data: tx });
    return { body, signature: this.sign(body) };
  }
}
