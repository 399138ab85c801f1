import { Fragment, h, type Markup } from './jsx.js';
import type { PageContext } from './layout.js';

/** A form's problems by field name, as translation keys under `form.problem`. */
export type Problems = Record<string, string>;

/** The problem of one field, said next to it (screen readers hear it with the field). */
export function ProblemText(props: { ctx: PageContext; problems: Problems; name: string }): Markup {
  const code = props.problems[props.name];
  return code ? (
    <span class="field-error" id={`problem-${props.name}`} data-problem={props.name}>
      {props.ctx.locale.t(`form.problem.${code}`)}
    </span>
  ) : (
    <></>
  );
}

/** The attributes that mark a field as wrong and point at what is wrong with it. */
export const invalid = (problems: Problems, name: string) =>
  problems[name] ? { 'aria-invalid': 'true', 'aria-describedby': `problem-${name}` } : {};

/** What a text input may say besides its name, label and value. */
export type FieldOptions = {
  hint?: string;
  type?: string;
  inputmode?: string;
  required?: boolean;
  placeholder?: string;
};

/** A labelled text input with its problem under it. */
export function Field(
  props: { ctx: PageContext; problems: Problems; name: string; label: string; value: string } & FieldOptions,
): Markup {
  return (
    <label>
      <span>{props.label}</span>
      <input
        name={props.name}
        value={props.value}
        type={props.type ?? 'text'}
        inputmode={props.inputmode}
        required={props.required}
        placeholder={props.placeholder}
        {...invalid(props.problems, props.name)}
      />
      {props.hint ? <span class="muted">{props.hint}</span> : null}
      <ProblemText ctx={props.ctx} problems={props.problems} name={props.name} />
    </label>
  );
}

/** A labelled choice among fixed options, each with its label. */
export function Choice(props: {
  name: string;
  label: string;
  value: string;
  options: Array<[value: string, label: string]>;
}): Markup {
  return (
    <label>
      <span>{props.label}</span>
      <select name={props.name}>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Check the marked fields" above a refused form, so the operator knows to look for them. */
export function ProblemsSummary(props: { ctx: PageContext; problems: Problems }): Markup {
  return Object.keys(props.problems).length ? (
    <p class="warn" role="alert" data-form-problems>
      {props.ctx.locale.t('form.check_marked')}
    </p>
  ) : (
    <></>
  );
}
