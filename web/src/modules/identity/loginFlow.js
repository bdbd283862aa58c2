// The sign-in form's state, apart from its page: the password step, then — for an account
// with a second factor — the code step. The server tells which by a 401 whose first
// field error is "totp". On the code step the user may switch to one of their single-use
// recovery codes instead (the authenticator is lost or out of reach).
import { reactive } from 'vue';
import { ApiError } from '@/api/client.js';
import { formErrors } from '@/api/errors.js';

/** @typedef {'password' | 'totp'} LoginStep */

/**
 * @typedef {Object} LoginFlowState
 * @property {LoginStep} step
 * @property {string} username
 * @property {string} password
 * @property {string} totp
 * @property {boolean} useRecovery  the code step asks for a recovery code instead of the app's code
 * @property {string} recoveryCode
 * @property {boolean} submitting
 * @property {unknown} error  the last failure to show, or null
 * @property {Record<string, string>} fieldErrors  username / password / totp / recovery_code → message
 */

/** @param {unknown} e @returns {boolean} a 401 asking for (or rejecting) the second factor */
export function isTotpChallenge(e) {
  return e instanceof ApiError && e.status === 401 && e.errors[0]?.field === 'totp';
}

/** The six digits of a code typed with spaces or dashes ("123 456"). */
export const normaliseCode = (/** @type {string} */ code) => code.replace(/[\s-]/g, '');

/**
 * @param {(body: {username: string, password: string, totp?: string}) => Promise<import('@/stores/auth.js').Session>} login
 *   POST /api/auth/login
 */
export function createLoginFlow(login) {
  /** @type {LoginFlowState} */
  const state = reactive({
    step: /** @type {LoginStep} */ ('password'),
    username: '',
    password: '',
    totp: '',
    useRecovery: false,
    recoveryCode: '',
    submitting: false,
    error: null,
    fieldErrors: {},
  });

  /**
   * Sends the form. Resolves with the session on success, or null when the form shows
   * what to do next (the code step, or an error).
   * @returns {Promise<import('@/stores/auth.js').Session | null>}
   */
  async function submit() {
    if (state.submitting) return null;
    state.submitting = true;
    state.error = null;
    state.fieldErrors = {};
    const body = { username: state.username.trim(), password: state.password };
    if (state.step === 'totp') {
      if (state.useRecovery) Object.assign(body, { recovery_code: state.recoveryCode.trim() });
      else Object.assign(body, { totp: normaliseCode(state.totp) });
    }
    try {
      return await login(body);
    } catch (e) {
      if (isTotpChallenge(e) && state.step === 'password') {
        // The password was right: ask for the code, no error yet.
        state.step = 'totp';
        state.totp = '';
        return null;
      }
      state.error = e;
      state.fieldErrors = formErrors(e, ['username', 'password', 'totp', 'recovery_code']).fields;
      // A refused code (the app's or a recovery code) keeps the code step; anything else
      // on it means the password no longer holds.
      const codeRefused = isTotpChallenge(e) || (e instanceof ApiError && e.errors[0]?.field === 'recovery_code');
      if (state.step === 'totp' && e instanceof ApiError && e.status === 401 && !codeRefused) {
        // The password no longer holds (the account was locked meanwhile, say): start over.
        state.step = 'password';
        state.totp = '';
        state.useRecovery = false;
        state.recoveryCode = '';
      }
      return null;
    } finally {
      state.submitting = false;
    }
  }

  /** Switches the code step between the app's code and a recovery code. */
  function toggleRecovery() {
    state.useRecovery = !state.useRecovery;
    state.totp = '';
    state.recoveryCode = '';
    state.error = null;
    state.fieldErrors = {};
  }

  /** Back to the password step (another account, or a mistyped name). */
  function back() {
    state.step = 'password';
    state.totp = '';
    state.useRecovery = false;
    state.recoveryCode = '';
    state.password = '';
    state.error = null;
    state.fieldErrors = {};
  }

  return { state, submit, back, toggleRecovery };
}
