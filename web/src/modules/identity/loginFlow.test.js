import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/client.js';
import { createLoginFlow, isTotpChallenge, normaliseCode } from './loginFlow.js';

/** @param {number} status @param {string} detail @param {{field?: string, message: string}[]} [errors] */
const problem = (status, detail, errors) =>
  new ApiError({ message: detail, kind: 'http', status, problem: { status, detail, ...(errors ? { errors } : {}) } });

const needsCode = () =>
  problem(401, 'this account signs in with a second factor: enter the code from the authenticator app', [
    { field: 'totp', message: 'this account signs in with a second factor: enter the code from the authenticator app' },
  ]);
const wrongCode = () =>
  problem(401, 'the code from the authenticator app is wrong', [
    { field: 'totp', message: 'the code from the authenticator app is wrong' },
  ]);
const session = { token: 't'.repeat(64), expires_at: '2999-01-01T00:00:00+08:00', user: { username: 'sysadmin' } };

const wrongRecovery = () =>
  problem(401, 'this recovery code is wrong or was used already', [
    { field: 'recovery_code', message: 'this recovery code is wrong or was used already' },
  ]);

describe('login flow', () => {
  it('sends a recovery code instead of the app code once switched, and shows its refusal beside it', async () => {
    const login = vi
      .fn()
      .mockRejectedValueOnce(needsCode())
      .mockRejectedValueOnce(wrongRecovery())
      .mockResolvedValueOnce(session);
    const { state, submit, toggleRecovery } = createLoginFlow(login);
    state.username = 'sysadmin';
    state.password = 'Sys#Admin2026';
    await submit();
    expect(state.step).toBe('totp');
    state.totp = '123';
    toggleRecovery();
    expect(state.useRecovery).toBe(true);
    expect(state.totp).toBe('');
    state.recoveryCode = ' abcd-efgh-ijkm ';
    await expect(submit()).resolves.toBeNull();
    expect(login).toHaveBeenLastCalledWith({ username: 'sysadmin', password: 'Sys#Admin2026', recovery_code: 'abcd-efgh-ijkm' });
    expect(state.step).toBe('totp');
    expect(state.fieldErrors).toEqual({ recovery_code: 'this recovery code is wrong or was used already' });
    state.recoveryCode = 'ab3d-9k2m-x7p4';
    await expect(submit()).resolves.toBe(session);
    toggleRecovery();
    expect(state.useRecovery).toBe(false);
    expect(state.fieldErrors).toEqual({});
  });

  it('forgets the recovery choice when going back to the password step', async () => {
    const login = vi.fn().mockRejectedValueOnce(needsCode());
    const { state, submit, toggleRecovery, back } = createLoginFlow(login);
    state.username = 'sysadmin';
    state.password = 'x';
    await submit();
    toggleRecovery();
    state.recoveryCode = 'abcd';
    back();
    expect(state).toMatchObject({ step: 'password', useRecovery: false, recoveryCode: '', password: '' });
  });

  it('signs in with user name and password when no second factor is needed', async () => {
    const login = vi.fn(async () => session);
    const { state, submit } = createLoginFlow(login);
    state.username = ' sysadmin ';
    state.password = 'Sys#Admin2026';
    await expect(submit()).resolves.toBe(session);
    expect(login).toHaveBeenCalledWith({ username: 'sysadmin', password: 'Sys#Admin2026' });
    expect(state.step).toBe('password');
    expect(state.error).toBeNull();
    expect(state.submitting).toBe(false);
  });

  it('asks for the code after the "totp" 401, without an error, then sends all three', async () => {
    const login = vi.fn().mockRejectedValueOnce(needsCode()).mockResolvedValueOnce(session);
    const { state, submit } = createLoginFlow(login);
    state.username = 'sysadmin';
    state.password = 'Sys#Admin2026';
    await expect(submit()).resolves.toBeNull();
    expect(state.step).toBe('totp');
    expect(state.error).toBeNull();
    expect(state.fieldErrors).toEqual({});

    state.totp = '123 456';
    await expect(submit()).resolves.toBe(session);
    expect(login).toHaveBeenLastCalledWith({ username: 'sysadmin', password: 'Sys#Admin2026', totp: '123456' });
  });

  it('shows a wrong code beside the code field and stays on the code step', async () => {
    const login = vi.fn().mockRejectedValueOnce(needsCode()).mockRejectedValueOnce(wrongCode());
    const { state, submit } = createLoginFlow(login);
    state.username = 'sysadmin';
    state.password = 'x';
    await submit();
    state.totp = '000000';
    await expect(submit()).resolves.toBeNull();
    expect(state.step).toBe('totp');
    expect(state.fieldErrors).toEqual({ totp: 'the code from the authenticator app is wrong' });
    expect(state.error).toBeInstanceOf(ApiError);
  });

  it('goes back to the password step when the account is refused during the code step', async () => {
    const locked = problem(401, 'this account is locked after repeated failed sign-ins; try again in 15 minutes');
    const login = vi.fn().mockRejectedValueOnce(needsCode()).mockRejectedValueOnce(locked);
    const { state, submit } = createLoginFlow(login);
    state.username = 'sysadmin';
    state.password = 'x';
    await submit();
    state.totp = '123456';
    await submit();
    expect(state.step).toBe('password');
    expect(state.error).toBe(locked);
    expect(state.totp).toBe('');
  });

  it('shows a wrong password as an error on the password step', async () => {
    const wrong = problem(401, 'wrong user name or password');
    const { state, submit } = createLoginFlow(vi.fn().mockRejectedValue(wrong));
    state.username = 'sysadmin';
    state.password = 'nope';
    await submit();
    expect(state.step).toBe('password');
    expect(state.error).toBe(wrong);
    expect(state.fieldErrors).toEqual({});
  });

  it('starts over from the code step with back()', async () => {
    const { state, submit, back } = createLoginFlow(vi.fn().mockRejectedValue(needsCode()));
    state.username = 'sysadmin';
    state.password = 'secret';
    await submit();
    state.totp = '12';
    back();
    expect(state).toMatchObject({ step: 'password', username: 'sysadmin', password: '', totp: '', error: null });
  });

  it('sends one request at a time', async () => {
    let release = () => {};
    const login = vi.fn(() => new Promise((resolve) => (release = () => resolve(session))));
    const { state, submit } = createLoginFlow(login);
    const first = submit();
    expect(state.submitting).toBe(true);
    await expect(submit()).resolves.toBeNull();
    release();
    await expect(first).resolves.toBe(session);
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('tells the second-factor challenge from other refusals', () => {
    expect(isTotpChallenge(needsCode())).toBe(true);
    expect(isTotpChallenge(problem(401, 'wrong user name or password'))).toBe(false);
    expect(isTotpChallenge(problem(400, 'x', [{ field: 'totp', message: 'x' }]))).toBe(false);
    expect(isTotpChallenge(new Error('x'))).toBe(false);
    expect(normaliseCode(' 123-456 ')).toBe('123456');
  });
});
