// Turning an ApiError into what a form shows: the problem's detail in an alert, and each
// per-field message beside its field.
import { ApiError } from './client.js';

/**
 * @typedef {Object} FormErrorState
 * @property {string} message  the problem's detail (or title), else the error's text; '' for none
 * @property {Record<string, string>} fields  form field → message(s) to show beside it
 * @property {string[]} unplaced  field messages no form field takes ("field: message")
 * @property {number} status  HTTP status; 0 when there was no answer or no ApiError
 */

/**
 * The form field a server field name belongs to: `permissions[2]` → `permissions`,
 * `address.street` → `address` when only `address` is on the form.
 * @param {string} name
 * @param {readonly string[] | null} known  the form's fields; null takes every name as it is
 * @returns {string | null}
 */
export function formFieldOf(name, known) {
  if (!name) return null;
  if (!known || known.includes(name)) return name;
  const base = name.replace(/\[\d+\].*$/, '').replace(/\..*$/, '');
  return known.includes(base) ? base : null;
}

/**
 * Splits an error into the alert text and per-field messages. Several messages for one
 * field are joined with '; '. Messages for fields the form does not have go to
 * `unplaced` (shown under the alert), unless the detail already says them.
 * @param {unknown} error
 * @param {readonly string[] | null} [known]  the form's field names; null: every field
 * @returns {FormErrorState}
 */
export function formErrors(error, known = null) {
  /** @type {FormErrorState} */
  const out = { message: '', fields: {}, unplaced: [], status: 0 };
  if (!error) return out;
  if (!(error instanceof ApiError)) {
    out.message = error instanceof Error ? error.message : String(error);
    return out;
  }
  out.status = error.status;
  const problem = error.problem;
  out.message = (problem?.detail || problem?.title || '').trim() || error.message;
  for (const e of error.errors) {
    if (!e?.message) continue;
    const field = formFieldOf(e.field ?? '', known);
    if (field) out.fields[field] = out.fields[field] ? `${out.fields[field]}; ${e.message}` : e.message;
    else if (!out.message.includes(e.message)) out.unplaced.push(e.field ? `${e.field}: ${e.message}` : e.message);
  }
  return out;
}

/**
 * The i18n key of a short title for an error, by its status: 403 is "no permission",
 * 409 "refused", a network failure "cannot reach the server", and so on.
 * @param {unknown} error
 * @returns {string}
 */
export function errorTitleKey(error) {
  if (!(error instanceof ApiError)) return 'errors.failed';
  if (error.kind === 'network' || error.kind === 'timeout') return 'errors.unreachable';
  switch (error.status) {
    case 400:
    case 422:
      return 'errors.invalid';
    case 401:
      return 'errors.unauthorized';
    case 403:
      return 'errors.forbidden';
    case 404:
      return 'errors.notFound';
    case 409:
      return 'errors.conflict';
    default:
      return 'errors.failed';
  }
}
