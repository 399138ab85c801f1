import { describe, expect, it } from 'vitest';
import { createI18n, supportedLanguages } from '../../src/bot/i18n.js';
import { createIntentMatcher, type Intent } from '../../src/bot/intents.js';

// What travellers type instead of tapping, per language: where each should lead, and null for
// what must not be mistaken for a request (greetings, thanks, a question about the code).
const PHRASES: Record<string, Array<[string, Intent | null]>> = {
  en: [
    ['I want to renew please', 'renew'], ['how do I top-up my sim', 'renew'], ['renewal', 'renew'], ['can I recharge my data?', 'renew'],
    ['set up auto-renew', 'autorenew'], ['can it renew automatically', 'autorenew'], ['change my budget', 'autorenew'],
    ['how do I pay?', 'paying'], ['can I pay with Alipay', 'paying'], ['I want a refund', 'paying'],
    ['how much is 10GB', 'price'], ['whats the cheapest plan', 'price'],
    ['when does my plan expire', 'numbers'], ['how many days left', 'numbers'],
    ['where can I buy a SIM card', 'stores'], ['is there a shop near me', 'stores'],
    ['send me my receipt', 'history'], ['link my number', 'link'], ['I have a problem', 'help'],
    ['hello', null], ['thanks!', null], ['good morning', null], ['is the code right?', null], ['linking park', null],
  ],
  'zh-CN': [
    ['我想续费', 'renew'], ['怎么充值', 'renew'], ['帮我买流量', 'renew'], ['开通自动续费', 'autorenew'], ['每月预算改一下', 'autorenew'],
    ['怎么付款', 'paying'], ['可以用支付宝吗', 'paying'], ['退款什么时候到', 'paying'],
    ['多少钱', 'price'], ['最便宜的套餐', 'price'], ['我的号码什么时候到期', 'numbers'], ['还剩多少流量', 'data'],
    ['附近有营业厅吗', 'stores'], ['哪里买电话卡', 'stores'], ['查看订单', 'history'], ['绑定新号码', 'link'], ['我需要人工客服', 'help'],
    ['你好', null], ['谢谢', null], ['验证码对吗', null],
  ],
  'zh-TW': [
    ['我要儲值', 'renew'], ['怎麼加值', 'renew'], ['幫我續約', 'renew'], ['設定自動儲值', 'autorenew'],
    ['怎麼付款', 'paying'], ['可以刷卡嗎', 'paying'], ['多少錢', 'price'], ['資費怎麼算', 'price'],
    ['我的門號什麼時候到期', 'numbers'], ['還剩幾天', 'numbers'], ['附近有門市嗎', 'stores'], ['通訊行在哪', 'stores'],
    ['收據在哪裡', 'history'], ['綁定門號', 'link'], ['我需要客服', 'help'],
    ['謝謝', null], ['你好', null], ['驗證碼正確嗎', null],
  ],
  id: [
    ['mau perpanjang', 'renew'], ['isi pulsa', 'renew'], ['beli paket data', 'renew'], ['memperpanjang nomor', 'renew'],
    ['perpanjang otomatis', 'autorenew'], ['bayarnya pakai apa', 'paying'], ['bisa refund?', 'paying'],
    ['berapa harganya', 'price'], ['paket termurah', 'price'], ['masa aktif nomor saya', 'numbers'], ['sisa kuota', 'data'],
    ['toko terdekat', 'stores'], ['minta struk', 'history'], ['tambah nomor', 'link'], ['tolong', 'help'],
    ['halo', null], ['terima kasih', null], ['kodenya benar?', null],
  ],
  ms: [
    ['nak perbaharui', 'renew'], ['tambah nilai', 'renew'], ['topup data', 'renew'], ['pembaharuan automatik', 'autorenew'],
    ['macam mana nak bayar', 'paying'], ['bayaran balik', 'paying'], ['berapa harga pelan', 'price'], ['paling murah', 'price'],
    ['bila tamat', 'numbers'], ['baki data', 'data'], ['kedai berdekatan', 'stores'], ['hantar resit', 'history'],
    ['pautkan nombor', 'link'], ['saya ada masalah', 'help'],
    ['selamat pagi', null], ['terima kasih', null], ['kod betul?', null],
  ],
  th: [
    ['ต่ออายุเบอร์', 'renew'], ['อยากเติมเงิน', 'renew'], ['ซื้อเน็ตเพิ่ม', 'renew'], ['ตั้งค่าต่ออายุอัตโนมัติ', 'autorenew'],
    ['จ่ายเงินยังไง', 'paying'], ['ใช้บัตรเครดิตได้ไหม', 'paying'], ['ราคาเท่าไหร่', 'price'], ['แพ็กเกจราคาถูก', 'price'],
    ['เบอร์ของฉันหมดอายุเมื่อไหร่', 'numbers'], ['เหลือกี่วัน', 'numbers'], ['ร้านค้าใกล้ฉัน', 'stores'], ['ขอใบเสร็จ', 'history'],
    ['เพิ่มเบอร์', 'link'], ['ช่วยด้วย', 'help'],
    ['รหัสถูกไหม', null], ['สวัสดีค่ะ', null], ['ขอบคุณครับ', null],
  ],
  vi: [
    ['gia hạn gói', 'renew'], ['muốn nạp tiền', 'renew'], ['mua data', 'renew'], ['bật tự động gia hạn', 'autorenew'],
    ['thanh toán thế nào', 'paying'], ['hoàn tiền bao lâu', 'paying'], ['giá bao nhiêu', 'price'], ['gói nào rẻ nhất', 'price'],
    ['số của tôi hết hạn khi nào', 'numbers'], ['còn mấy ngày', 'numbers'], ['cửa hàng gần đây', 'stores'], ['cho mình xin hóa đơn', 'history'],
    ['thêm số', 'link'], ['cần hỗ trợ', 'help'],
    ['xin chào', null], ['cảm ơn bạn', null], ['mã đúng không', null],
  ],
  ja: [
    ['更新したい', 'renew'], ['チャージしたい', 'renew'], ['データを買いたい', 'renew'], ['自動更新を設定したい', 'autorenew'],
    ['支払い方法は？', 'paying'], ['クレジットカードで払える？', 'paying'], ['いくらですか', 'price'], ['料金を教えて', 'price'],
    ['有効期限はいつ？', 'numbers'], ['残りのデータ', 'data'], ['近くのお店', 'stores'], ['領収書がほしい', 'history'],
    ['番号を追加', 'link'], ['困っています', 'help'],
    ['こんにちは', null], ['ありがとう', null], ['コードは正しいですか', null],
  ],
  ko: [
    ['연장하고 싶어요', 'renew'], ['충전해 주세요', 'renew'], ['데이터 추가', 'renew'], ['자동 연장 설정', 'autorenew'], ['예산 바꾸기', 'autorenew'],
    ['결제는 어떻게 해요?', 'paying'], ['환불 언제 돼요', 'paying'], ['얼마예요?', 'price'], ['가격 알려주세요', 'price'],
    ['내 번호 만료일', 'numbers'], ['언제까지 쓸 수 있어요', 'numbers'], ['근처 매장', 'stores'], ['영수증 보내주세요', 'history'],
    ['번호 추가', 'link'], ['도와주세요', 'help'],
    ['안녕하세요', null], ['감사합니다', null], ['코드가 맞나요', null],
  ],
  ru: [
    ['хочу продлить тариф', 'renew'], ['пополнить баланс', 'renew'], ['продлите номер', 'renew'], ['включить автопродление', 'autorenew'],
    ['как оплатить?', 'paying'], ['можно оплатить картой', 'paying'], ['сколько стоит', 'price'], ['какие цены', 'price'],
    ['когда заканчивается тариф', 'numbers'], ['мой номер', 'numbers'], ['где купить сим-карту', 'stores'], ['пришлите чек', 'history'],
    ['привязать номер', 'link'], ['нужна помощь', 'help'],
    ['привет', null], ['спасибо', null], ['код правильный?', null], ['человек', null],
  ],
};

describe('typed words', async () => {
  const match = createIntentMatcher(await createI18n(), supportedLanguages());

  it('are covered in every language, with at least 15 phrasings and some that must not match', () => {
    expect(Object.keys(PHRASES).sort()).toEqual(supportedLanguages());
    for (const [language, phrases] of Object.entries(PHRASES)) {
      expect(phrases.length, language).toBeGreaterThanOrEqual(15);
      expect(phrases.filter(([, intent]) => intent === null).length, language).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(Object.entries(PHRASES).flatMap(([language, phrases]) => phrases.map(([text, intent]) => [language, text, intent] as const)))(
    '%s: "%s" → %s', (_language, text, intent) => {
      expect(match(text)).toBe(intent);
    },
  );
});
