import { describe, expect, it } from 'vitest';
import { ApiError } from './client.js';
import { errorTitleKey, formErrors, formFieldOf } from './errors.js';

/** @param {number} status @param {object} problem @param {Partial<ConstructorParameters<typeof ApiError>[0]>} [over] */
const apiError = (status, problem, over = {}) =>
  new ApiError({ message: 'text', kind: 'http', status, problem: { status, ...problem }, ...over });

describe('formErrors', () => {
  it('puts each field message beside its field and the detail in the alert', () => {
    const e = apiError(400, {
      detail: 'new_password: needs at least 8 characters',
      errors: [{ field: 'new_password', message: 'needs at least 8 characters' }],
    });
    expect(formErrors(e, ['old_password', 'new_password'])).toEqual({
      message: 'new_password: needs at least 8 characters',
      fields: { new_password: 'needs at least 8 characters' },
      unplaced: [],
      status: 400,
    });
  });

  it('joins several messages for one field and maps indexed names to their list', () => {
    const e = apiError(400, {
      detail: 'invalid',
      errors: [
        { field: 'password', message: 'too short' },
        { field: 'password', message: 'needs 3 kinds' },
        { field: 'permissions[2]', message: 'unknown permission x.y' },
      ],
    });
    expect(formErrors(e, ['password', 'permissions']).fields).toEqual({
      password: 'too short; needs 3 kinds',
      permissions: 'unknown permission x.y',
    });
  });

  it('keeps messages for fields the form lacks, unless the detail says them already', () => {
    const e = apiError(409, {
      detail: 'the account already holds 审计管理员 (三权分立)',
      errors: [
        { field: 'role', message: 'conflicts with 审计管理员' },
        { field: 'user', message: 'the account already holds 审计管理员' },
        { message: 'see the policy' },
      ],
    });
    const state = formErrors(e, ['org']);
    expect(state.fields).toEqual({});
    expect(state.unplaced).toEqual(['role: conflicts with 审计管理员', 'see the policy']);
    // Every field taken as it is when the form's fields are not given.
    expect(formErrors(e).fields).toMatchObject({ role: 'conflicts with 审计管理员' });
  });

  it('falls back to the title, then the error text', () => {
    expect(formErrors(apiError(403, { title: 'Forbidden' })).message).toBe('Forbidden');
    const network = new ApiError({ message: 'Cannot reach the server.', kind: 'network' });
    expect(formErrors(network)).toEqual({ message: 'Cannot reach the server.', fields: {}, unplaced: [], status: 0 });
    expect(formErrors(new Error('boom')).message).toBe('boom');
    expect(formErrors(null)).toEqual({ message: '', fields: {}, unplaced: [], status: 0 });
  });

  it('finds the form field of a server field name', () => {
    expect(formFieldOf('name', null)).toBe('name');
    expect(formFieldOf('fields[2].type', ['fields'])).toBe('fields');
    expect(formFieldOf('address.street', ['address'])).toBe('address');
    expect(formFieldOf('other', ['name'])).toBeNull();
    expect(formFieldOf('', ['name'])).toBeNull();
  });
});

describe('errorTitleKey', () => {
  it('names the kind of failure by status', () => {
    expect(errorTitleKey(apiError(403, {}))).toBe('errors.forbidden');
    expect(errorTitleKey(apiError(409, {}))).toBe('errors.conflict');
    expect(errorTitleKey(apiError(400, {}))).toBe('errors.invalid');
    expect(errorTitleKey(apiError(401, {}))).toBe('errors.unauthorized');
    expect(errorTitleKey(apiError(404, {}))).toBe('errors.notFound');
    expect(errorTitleKey(apiError(500, {}))).toBe('errors.failed');
    expect(errorTitleKey(new ApiError({ message: 'x', kind: 'timeout' }))).toBe('errors.unreachable');
    expect(errorTitleKey(new Error('x'))).toBe('errors.failed');
  });
});
