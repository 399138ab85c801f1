import type { OperatorView } from '../../services/operators.js';
import { Fragment, h } from './jsx.js';
import { phrase } from './labels.js';
import { PostForm, type PageContext } from './layout.js';

export const OPERATOR_RESULTS = ['added', 'removed', 'unchanged', 'is_owner', 'bad_id'] as const;
export type OperatorResult = (typeof OPERATOR_RESULTS)[number];

/** Who may open the console and as what; an owner adds or removes support operators here. */
export function operatorsView(ctx: PageContext, operators: OperatorView[], result: OperatorResult | null) {
  const { t } = ctx.locale;
  return (
    <>
      {result ? (
        <p class={result === 'added' || result === 'removed' ? 'notice' : 'warn'} role="status">
          {t(`operators.result.${result}`)}
        </p>
      ) : null}
      <p>{t('operators.explain')}</p>
      <table class="cards-on-phone" data-operators>
        <thead>
          <tr>
            <th>{t('operators.name')}</th>
            <th>{t('orders.telegram')}</th>
            <th>{t('operators.role')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {operators.map((o) => (
            <tr data-operator={o.telegramId} data-role={o.role}>
              <td data-label={t('operators.name')}>
                {o.name ?? <span class="muted">{t('operators.not_signed_in')}</span>}
                {o.username ? ` · @${o.username}` : ''}
              </td>
              <td data-label={t('orders.telegram')}>{o.telegramId}</td>
              <td data-label={t('operators.role')}>{phrase(t, 'operators.roles', o.role)}</td>
              <td>
                {o.fixed ? (
                  <span class="muted">{t('operators.from_settings')}</span>
                ) : (
                  <PostForm action={`/console/operators/${o.telegramId}/remove`} csrf={ctx.csrf} class="inline">
                    <button type="submit">{t('operators.remove')}</button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('operators.add')}</h2>
      <p class="muted">{t('operators.add_explain')}</p>
      <PostForm action="/console/operators" csrf={ctx.csrf} class="search">
        <input
          name="telegramId"
          inputmode="numeric"
          required
          aria-label={t('operators.telegram_id')}
          placeholder={t('operators.telegram_id')}
        />
        <button type="submit">{t('operators.add_support')}</button>
      </PostForm>
    </>
  );
}
