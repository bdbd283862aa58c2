// One data, one source (一数一源), the parts that need no page: the address, the server's
// calls, and how an item is shown. A department that is not a field's authority cannot
// overwrite it; what it sent waits on this list as a discrepancy (差异) until the
// authority accepts it (the record takes the value) or rejects it with a reason
// (modules/data/discrepancies.hpp).
import { get, post } from '@/api/client.js';
import { CATALOG_PATH } from './paths.js';

export const DISCREPANCIES_PATH = `${CATALOG_PATH}/discrepancies`;

/** The lists the page offers: to resolve (we are the authority), to follow (we proposed), all. */
export const VIEWS = Object.freeze(['resolve', 'follow', 'all']);
export const STATES = Object.freeze(['open', 'accepted', 'rejected', 'all']);

/**
 * @typedef {Object} Discrepancy  one item of GET /api/discrepancies
 * @property {number} id
 * @property {{code: string, name: string}} resource
 * @property {string} key  the record key (key fields joined by U+001F)
 * @property {{name: string, label: string}} field
 * @property {{code: string, name: string}} authority
 * @property {string | null} authoritative_value  as stored when proposed; null: none yet
 * @property {string} proposed_value
 * @property {string | null} current_value  what the record holds now
 * @property {{code: string, name: string}} proposer
 * @property {number | null} batch
 * @property {string} created_at
 * @property {'open' | 'accepted' | 'rejected'} state
 * @property {{by: string, at: string, reason: string} | null} resolution
 * @property {boolean} can_resolve
 */

/**
 * The query of a list: the view picks the side of the caller's organisation.
 * @param {{view?: string, state?: string, resource?: string, cursor?: string | null, limit?: number}} q
 * @returns {Record<string, string | number>}
 */
export function listQuery({ view = 'resolve', state = 'open', resource = '', cursor = null, limit = 20 } = {}) {
  /** @type {Record<string, string | number>} */
  const out = { limit };
  if (view === 'resolve') out.side = 'authority';
  else if (view === 'follow') out.side = 'proposer';
  if (state && state !== 'all') out.state = state;
  if (resource) out.resource = resource;
  if (cursor) out.cursor = cursor;
  return out;
}

/** @param {Parameters<typeof listQuery>[0]} q @returns {Promise<{items: Discrepancy[], next_cursor: string | null}>} */
export const listDiscrepancies = (q) => get('/api/discrepancies', { query: listQuery(q) });

/** @param {number} id @param {string} [reason] @returns {Promise<Discrepancy>} */
export const acceptDiscrepancy = (id, reason = '') =>
  post(`/api/discrepancies/${id}/accept`, reason ? { reason } : {});

/** @param {number} id @param {string} reason  required @returns {Promise<Discrepancy>} */
export const rejectDiscrepancy = (id, reason) => post(`/api/discrepancies/${id}/reject`, { reason });

/**
 * A record key as people read it: the parts of a composite key joined with ' · ' (the
 * server escapes a separator inside a value with U+001E).
 * @param {string | null | undefined} key
 */
export function keyLabel(key) {
  const parts = [];
  let part = '';
  const s = String(key ?? '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\u001e' && i + 1 < s.length) part += s[++i];
    else if (c === '\u001f') {
      parts.push(part);
      part = '';
    } else part += c;
  }
  parts.push(part);
  return parts.join(' · ');
}

/** @param {string} state @returns {'warning' | 'success' | 'info'} */
export const stateTagType = (state) => (state === 'open' ? 'warning' : state === 'accepted' ? 'success' : 'info');

/**
 * Replaces the item with the server's answer in a list.
 * @param {Discrepancy[]} items @param {Discrepancy} updated
 */
export const replaceItem = (items, updated) => items.map((d) => (d.id === updated.id ? updated : d));
