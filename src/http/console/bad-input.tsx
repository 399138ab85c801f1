import type { FastifyError } from 'fastify';
import type { ConsoleLocale } from './i18n.js';
import { Fragment, h } from './jsx.js';

/** The answer to input a route's schema refused: what went wrong in words, and the way back. */
export function badInputView(l: ConsoleLocale, text: string) {
  return (
    <>
      <p class="warn" role="alert" data-bad-input>
        {text}
      </p>
      <p>
        <a href="/console">{l.t('auth.to_overview')}</a>
      </p>
    </>
  );
}

/** Which fields a schema refused, for the log: names only, never what was typed. */
export function invalidFields(error: FastifyError): string[] | undefined {
  return error.validation?.map((v) => `${error.validationContext ?? ''}${v.instancePath || ''}`.slice(0, 80));
}
