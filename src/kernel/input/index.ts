import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import { InputError, type FieldError } from '../errors/index.js';

/** Validation rules a field's message can be given for (JSON Schema keywords, plus `invalid`). */
export type Rule =
  | 'required'
  | 'format'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'enum'
  | 'const'
  | 'minimum'
  | 'maximum'
  | 'minItems'
  | 'maxItems'
  | 'invalid';

export interface FieldSpec<S extends TSchema = TSchema> {
  schema: S;
  /** Message key per rule; `invalid` covers wrong types and any rule without its own message. */
  messages: Partial<Record<Rule, string>>;
  /** Trim surrounding white space (default true; passwords turn it off). */
  trim: boolean;
}

/** Declares one field: its JSON Schema (TypeBox) and a message key for every rule it can break. */
export function field<S extends TSchema>(schema: S, messages: Partial<Record<Rule, string>>, options: { trim?: boolean } = {}): FieldSpec<S> {
  return { schema, messages, trim: options.trim ?? true };
}

type Fields = Record<string, FieldSpec>;
type SchemaOf<F extends Fields> = TObject<{ [K in keyof F]: F[K]['schema'] }>;

/** An input object: one per form or endpoint, used by pages, JSON APIs, the CLI and jobs alike. */
export interface Input<F extends Fields = Fields> {
  readonly id: string;
  readonly fields: F;
  /** JSON Schema for route validation and the OpenAPI document. */
  readonly schema: SchemaOf<F>;
  /** Normalises (trims, drops empty values) and validates; throws `InputError` naming each field. */
  parse(raw: unknown): Static<SchemaOf<F>>;
}

export type InputOf<I> = I extends Input<infer F> ? Static<SchemaOf<F>> : never;

// One validator for every input. Coercion lets HTML form strings become numbers, booleans and
// (single checkbox) arrays; unknown fields (such as the CSRF token) are dropped.
export const ajvOptions = { allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: true, strict: false } as const;
const ajv = new Ajv(ajvOptions);
(addFormats as unknown as (a: Ajv) => void)(ajv);

const inputsBySchema = new WeakMap<object, Input>();
const allInputs: Input[] = [];

/** Every input defined so far (the i18n check reads their message keys). */
export function definedInputs(): readonly Input[] {
  return allInputs;
}

/** The input a route body schema was made from, so Fastify's validation errors get our messages. */
export function inputForSchema(schema: unknown): Input | undefined {
  return schema && typeof schema === 'object' ? inputsBySchema.get(schema) : undefined;
}

const constraintRules: Rule[] = ['format', 'minLength', 'maxLength', 'pattern', 'enum', 'const', 'minimum', 'maximum', 'minItems', 'maxItems'];

/**
 * Defines an input. Fails at start-up if a field can break a rule that has no message, so every
 * error a person can see has words written for it.
 */
export function defineInput<F extends Fields>(id: string, fields: F): Input<F> {
  for (const [name, spec] of Object.entries(fields)) {
    const optional = isOptional(spec.schema);
    if (!optional && !spec.messages.required) throw new Error(`Input ${id}: field "${name}" needs a "required" message`);
    const keywords = JSON.stringify(spec.schema);
    for (const rule of constraintRules) {
      if (keywords.includes(`"${rule}"`) && !spec.messages[rule] && !spec.messages.invalid) {
        throw new Error(`Input ${id}: field "${name}" needs a "${rule}" or "invalid" message`);
      }
    }
  }
  const schema = Type.Object(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.schema])),
    { additionalProperties: false },
  ) as unknown as SchemaOf<F>;
  let validate: ValidateFunction | undefined;
  const input: Input<F> = {
    id,
    fields,
    schema,
    parse(raw) {
      const value = normalise(input as unknown as Input, raw);
      validate ??= ajv.compile(schema as object);
      if (!validate(value)) throw toInputError(input as unknown as Input, validate.errors ?? []);
      return value as Static<SchemaOf<F>>;
    },
  };
  inputsBySchema.set(schema, input as unknown as Input);
  allInputs.push(input as unknown as Input);
  return input;
}

/** TypeBox marks `Type.Optional(...)` with a hidden `~optional` flag. */
function isOptional(schema: TSchema): boolean {
  return (schema as { '~optional'?: boolean })['~optional'] === true;
}

/**
 * Trims strings and treats empty strings as absent, so an empty required box reads as "required"
 * and an empty optional box is simply not given. Works on form bodies and JSON alike.
 */
export function normalise(input: Input, raw: unknown): Record<string, unknown> {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(input.fields)) {
    let value = source[name];
    if (typeof value === 'string') {
      if (spec.trim) value = value.trim();
      if (value === '') continue;
    }
    if (Array.isArray(value)) value = value.filter((v) => v !== '');
    if (value !== undefined && value !== null) out[name] = value;
  }
  return out;
}

/** Maps Ajv errors (from our validator or Fastify's) to field errors with message keys. */
export function toInputError(input: Input, errors: ErrorObject[] | Array<{ instancePath: string; keyword: string; params: Record<string, unknown> }>): InputError {
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const error of errors) {
    const name =
      error.keyword === 'required'
        ? String((error.params as { missingProperty?: string }).missingProperty)
        : error.instancePath.split('/')[1] ?? '';
    if (seen.has(name)) continue; // first problem per field is enough for a person
    const spec = input.fields[name];
    if (!spec) continue;
    seen.add(name);
    const rule = (error.keyword in spec.messages ? error.keyword : 'invalid') as Rule;
    const messageKey = spec.messages[rule] ?? spec.messages.invalid ?? 'errors.field.invalid';
    const params = Object.fromEntries(
      Object.entries(error.params ?? {}).filter(([, v]) => typeof v === 'number' || typeof v === 'string'),
    ) as Record<string, string | number>;
    fields.push({ field: name, rule, messageKey, params });
  }
  // Keep the order of the form, so the error summary reads top to bottom.
  const order = Object.keys(input.fields);
  fields.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  return new InputError(fields.length ? fields : [{ field: '', rule: 'invalid', messageKey: 'errors.field.invalid' }]);
}
