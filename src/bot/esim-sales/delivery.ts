import { CB } from '../callback-data.js';
import { InlineKeyboard } from 'grammy';
import { planName } from '../../domain/plan.js';
import { escapeHtml } from '../../escape-html.js';
import type { InstallDetails } from '../../services/esim-sales/install-details.js';
import { dateTime, type Locale } from '../format.js';
import { plain } from '../keyboards.js';
import { qrPng } from './qr-png.js';

/**
 * The new eSIM: its QR code as a photo, made here from the LPA string, with one-tap installation on
 * iPhone (the partner's Apple link), the SM-DP+ address and activation code each on a copy button
 * (Android and manual installation), the APN where one is needed, and "send again".
 */
export function esimDeliveryMessage(
  l: Locale,
  d: InstallDetails,
): { caption: string; photo: Buffer; keyboard: InlineKeyboard } {
  const { t } = l;
  const label = plain(t);
  const caption = t('esim.delivery', {
    plan: planName({ names: d.planNames, code: d.planCode }, l.language),
    smdp: d.smdpAddress,
    code: d.activationCode,
    order: d.orderNumber,
  });
  const apn = d.apn ? `\n\n${t('esim.apn', { apn: d.apn })}` : '';
  const keyboard = new InlineKeyboard();
  if (d.appleInstallUrl) keyboard.url(label('esim.install_iphone'), d.appleInstallUrl).row();
  keyboard
    .copyText(label('esim.copy_smdp'), d.smdpAddress.slice(0, 256))
    .row()
    .copyText(label('esim.copy_code'), d.activationCode.slice(0, 256))
    .row()
    .text(label('esim.resend'), CB.esimResend(d.orderId));
  return { caption: caption + apn, photo: qrPng(d.lpa), keyboard };
}

/** The installation steps: the partner's in the traveller's language, else Kuota's own translated ones. */
export function esimStepsMessage(l: Locale, d: InstallDetails): string {
  const { t } = l;
  const numbered = (steps: string[]) => steps.map((s, i) => `${i + 1}. ${escapeHtml(s)}`).join('\n');
  const own = (key: string) => String(t(key)).split('\n').filter(Boolean);
  const ios = d.steps?.ios.length ? numbered(d.steps.ios) : numbered(own('esim.steps_ios'));
  const android = d.steps?.android.length ? numbered(d.steps.android) : numbered(own('esim.steps_android'));
  return t('esim.steps', { ios, android, interpolation: { escapeValue: false } });
}

/**
 * "Not installed yet": the one reminder, some hours after delivery, with the install buttons again,
 * the installation help, and while the refund window is open, the refund of an eSIM never installed.
 */
export function esimNotInstalledMessage(
  l: Locale,
  o: { orderId: string; order: string; plan: string },
  appleInstallUrl: string | null,
  refundableUntil: Date | null,
): { text: string; keyboard: InlineKeyboard } {
  const { t } = l;
  const label = plain(t);
  const text =
    t('esim.not_installed', { order: o.order, plan: o.plan }) +
    (refundableUntil ? `\n\n${t('esim.not_installed_refund', { date: dateTime(l, refundableUntil) })}` : '');
  const keyboard = new InlineKeyboard();
  if (appleInstallUrl) keyboard.url(label('esim.install_iphone'), appleInstallUrl).row();
  keyboard.text(label('esim.resend'), CB.esimResend(o.orderId)).row();
  keyboard.text(label('esim.help_button'), CB.esimSteps(o.orderId));
  if (refundableUntil) keyboard.row().text(label('esim.refund_button'), CB.esimRefund('ask', o.orderId));
  return { text, keyboard };
}
