import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.js';
import { defineInput, definedInputs, field, inputForSchema, normalise } from './index.js';

const form = defineInput('kernel-test.probe', {
  name: field(Type.String({ maxLength: 10 }), {
    required: 'probe.name.required',
    maxLength: 'probe.name.maxLength',
  }),
  password: field(
    Type.String({ minLength: 8 }),
    { required: 'probe.password.required', minLength: 'probe.password.minLength' },
    { trim: false },
  ),
  limit: field(Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), {
    maximum: 'probe.limit.maximum',
    invalid: 'probe.limit.invalid',
  }),
  tags: field(Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 3 })), {
    maxItems: 'probe.tags.maxItems',
    invalid: 'probe.tags.invalid',
  }),
  subscribe: field(Type.Optional(Type.Boolean()), { invalid: 'probe.subscribe.invalid' }),
  email: field(Type.String({ format: 'email' }), {
    required: 'probe.email.required',
    format: 'probe.email.format',
  }),
});

function inputErrorOf(raw: unknown): InputError {
  try {
    form.parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const valid = { name: 'Ada', password: 'long enough', email: 'ada@example.test' };

describe('normalising and coercing input', () => {
  it('trims strings, keeps passwords exactly, drops unknown fields such as the CSRF token', () => {
    const value = form.parse({
      name: '  Ada  ',
      password: '  spaced password  ',
      email: ' ada@example.test ',
      _csrf: 'token',
      admin: true,
    });
    expect(value).toEqual({ name: 'Ada', password: '  spaced password  ', email: 'ada@example.test' });
  });

  it('treats empty and blank strings as absent: a required field is "required", an optional one simply not given', () => {
    expect(form.parse({ ...valid, limit: '', tags: '' })).toEqual(valid);
    const error = inputErrorOf({ ...valid, name: '   ' });
    expect(error.fields).toEqual([
      {
        field: 'name',
        rule: 'required',
        messageKey: 'probe.name.required',
        params: { missingProperty: 'name' },
      },
    ]);
  });

  it('does not trim a password, so blank-but-long passwords stay as typed (trim: false)', () => {
    expect(form.parse({ ...valid, password: '          ' }).password).toBe('          ');
  });

  it('coerces form strings: "5" to an integer, "true" to a boolean, one checkbox value to an array', () => {
    const value = form.parse({ ...valid, limit: '5', subscribe: 'true', tags: 'roads' });
    expect(value.limit).toBe(5);
    expect(value.subscribe).toBe(true);
    expect(value.tags).toEqual(['roads']);
  });

  it('drops empty entries from repeated fields', () => {
    expect(form.parse({ ...valid, tags: ['a', '', 'b'] }).tags).toEqual(['a', 'b']);
  });

  it('accepts JSON bodies the same way', () => {
    expect(form.parse({ ...valid, limit: 7, tags: ['x'] })).toEqual({ ...valid, limit: 7, tags: ['x'] });
  });

  it('normalise ignores non-objects', () => {
    expect(normalise(form as never, null)).toEqual({});
    expect(normalise(form as never, 'name=Ada')).toEqual({});
  });
});

describe('InputError', () => {
  it('names each field with its rule, message key and parameters, in the order of the form', () => {
    // The email problem comes first in the input and name is missing (Ajv reports "required" first);
    // the error still reads top to bottom like the form.
    const error = inputErrorOf({
      email: 'not-an-email',
      limit: '500',
      password: 'short',
      tags: ['a', 'b', 'c', 'd'],
    });
    expect(error.status).toBe(422);
    expect(error.code).toBe('input_error');
    expect(error.fields).toEqual([
      {
        field: 'name',
        rule: 'required',
        messageKey: 'probe.name.required',
        params: { missingProperty: 'name' },
      },
      { field: 'password', rule: 'minLength', messageKey: 'probe.password.minLength', params: { limit: 8 } },
      {
        field: 'limit',
        rule: 'maximum',
        messageKey: 'probe.limit.maximum',
        params: { comparison: '<=', limit: 100 },
      },
      { field: 'tags', rule: 'maxItems', messageKey: 'probe.tags.maxItems', params: { limit: 3 } },
      { field: 'email', rule: 'format', messageKey: 'probe.email.format', params: { format: 'email' } },
    ]);
  });

  it('gives {limit} for a too-long value', () => {
    const error = inputErrorOf({ ...valid, name: 'x'.repeat(11) });
    expect(error.fields).toEqual([
      { field: 'name', rule: 'maxLength', messageKey: 'probe.name.maxLength', params: { limit: 10 } },
    ]);
  });

  it('uses the "invalid" message for a wrong type or a rule without its own message', () => {
    expect(inputErrorOf({ ...valid, limit: 'abc' }).fields).toEqual([
      { field: 'limit', rule: 'invalid', messageKey: 'probe.limit.invalid', params: { type: 'integer' } },
    ]);
    // minimum has no message of its own: "invalid" stands in.
    expect(inputErrorOf({ ...valid, limit: '0' }).fields[0]).toMatchObject({
      field: 'limit',
      rule: 'invalid',
      messageKey: 'probe.limit.invalid',
    });
    expect(inputErrorOf({ ...valid, subscribe: 'perhaps' }).fields[0]).toMatchObject({
      field: 'subscribe',
      messageKey: 'probe.subscribe.invalid',
    });
  });

  it('reports one problem per field', () => {
    const error = inputErrorOf({ ...valid, tags: ['x'.repeat(30), 'y'.repeat(30), 'z', 'w'] });
    expect(error.fields.map((f) => f.field)).toEqual(['tags']);
  });
});

describe('defineInput', () => {
  it('refuses at definition time a required field without a "required" message', () => {
    expect(() => defineInput('kernel-test.bad1', { title: field(Type.String(), { invalid: 'x' }) })).toThrow(
      'Input kernel-test.bad1: field "title" needs a "required" message',
    );
  });

  it('refuses at definition time a rule without its message (or an "invalid" one)', () => {
    expect(() =>
      defineInput('kernel-test.bad2', {
        title: field(Type.String({ maxLength: 5 }), { required: 'x.required' }),
      }),
    ).toThrow('Input kernel-test.bad2: field "title" needs a "maxLength" or "invalid" message');
    expect(() =>
      defineInput('kernel-test.bad3', { when: field(Type.Optional(Type.String({ format: 'date' })), {}) }),
    ).toThrow('needs a "format" or "invalid" message');
    // An "invalid" message covers every rule.
    expect(() =>
      defineInput('kernel-test.ok', {
        title: field(Type.String({ maxLength: 5, pattern: '^a' }), { required: 'r', invalid: 'i' }),
      }),
    ).not.toThrow();
  });

  it('registers the input so route schemas map back to it, with a closed JSON Schema', () => {
    expect(inputForSchema(form.schema)).toBe(form);
    expect(inputForSchema({})).toBeUndefined();
    expect(definedInputs()).toContain(form);
    expect((form.schema as unknown as { additionalProperties: boolean }).additionalProperties).toBe(false);
    expect((form.schema as unknown as { required: string[] }).required).toEqual([
      'name',
      'password',
      'email',
    ]);
  });
});
