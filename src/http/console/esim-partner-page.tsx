import type { PartnerView } from '../../services/esim-partner/index.js';
import { Fragment, h, type Markup } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

/** The eSIM partner on the provider page: its balance, the notifications opted in to, and a claim code for a shop's receipt. */
export function esimPartnerView(ctx: PageContext, view: PartnerView): Markup {
  const { t, money } = ctx.locale;
  const optInButton = (type: 'low' | 'credit') => (
    <PostForm action="/console/provider/esim-opt-in" csrf={ctx.csrf} class="inline">
      <input type="hidden" name="type" value={type} />
      <button type="submit">{t(`provider.esim_opt_in_${type}`)}</button>
    </PostForm>
  );
  return (
    <>
      <h2>{t('provider.esim_title')}</h2>
      <div class="card">
        <span class="muted">{t('provider.esim_balance')}</span>{' '}
        <b data-partner-balance>{view.balance ? money(view.balance) : '—'}</b>{' '}
        {view.creditOut ? <span class="warn">{t('provider.esim_credit_out')}</span> : null}
      </div>
      <p data-opt-in>
        {view.optIn
          ? t('provider.esim_opted_in', { type: view.optIn.type, url: view.optIn.contactPoint })
          : t('provider.esim_not_opted_in')}
      </p>
      {view.webhookUrl ? (
        <>
          {optInButton('low')} {optInButton('credit')}
        </>
      ) : (
        <p class="warn">{t('provider.esim_no_public_url')}</p>
      )}
      <h2>{t('provider.claim_title')}</h2>
      <PostForm action="/console/provider/claim-code" csrf={ctx.csrf}>
        <label>
          {t('provider.claim_iccid')} <input name="iccid" inputmode="numeric" maxlength="30" required />
        </label>{' '}
        <button type="submit">{t('provider.claim_issue')}</button>
      </PostForm>
    </>
  );
}
