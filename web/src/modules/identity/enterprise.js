// Checks and display helpers of the enterprise pages. The server decides (GB 11643 and
// GB/T 2260 in kernel/identifiers); these only let the form point at a mistyped field
// before anything is sent.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS = '10X98765432';

/**
 * The check character of 17 digits (GB 11643, ISO 7064 MOD 11-2), or '' for other input.
 * @param {string} first17
 */
export function idCheckCharacter(first17) {
  if (!/^\d{17}$/.test(first17)) return '';
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return ID_CHECKS[sum % 11];
}

/**
 * What is wrong with an ID number as typed: null when its shape and check character are
 * right (15-digit legacy numbers are left to the server, which converts them).
 * @param {string | null | undefined} value
 * @returns {null | {problem: 'required'} | {problem: 'format'} | {problem: 'check', expected: string}}
 */
export function idNumberProblem(value) {
  const v = (value ?? '').trim().toUpperCase();
  if (!v) return { problem: 'required' };
  if (/^\d{15}$/.test(v)) return null;
  if (!/^\d{17}[\dX]$/.test(v)) return { problem: 'format' };
  const expected = idCheckCharacter(v.slice(0, 17));
  return v[17] === expected ? null : { problem: 'check', expected };
}

/**
 * Whether a division code has a GB/T 2260 shape: 6 digits (province, prefecture, county),
 * 9 (town or street) or 12 (village or community).
 * @param {string | null | undefined} value
 */
export function divisionShapeOk(value) {
  return /^(\d{6}|\d{9}|\d{12})$/.test((value ?? '').trim());
}

/**
 * The Element Plus tag type of an authorisation's state.
 * @param {import('./enterpriseApi.js').AgentState} state
 * @returns {'success' | 'warning' | 'info' | 'danger'}
 */
export function agentStateTagType(state) {
  switch (state) {
    case 'live':
      return 'success';
    case 'pending':
      return 'warning';
    case 'revoked':
      return 'danger';
    default:
      return 'info';
  }
}

/**
 * Whether an authorisation can still be revoked (it has not ended).
 * @param {import('./enterpriseApi.js').AgentState} state
 */
export const revocable = (state) => state === 'live' || state === 'pending';

/**
 * A local calendar date 'YYYY-MM-DD' of `date` moved by `years` (29 February becomes
 * 28 February in a common year).
 * @param {Date} date @param {number} years
 */
export function dateYearsAfter(date, years) {
  const y = date.getFullYear() + years;
  const m = date.getMonth();
  const last = new Date(y, m + 1, 0).getDate();
  const d = Math.min(date.getDate(), last);
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
