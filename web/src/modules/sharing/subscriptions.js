// 数据订阅 (push subscriptions, server: modules/data/subscription_routes.hpp): a department
// has the changes of a resource POSTed to its system's address, under a grant in force
// for the purpose it names, signed with a secret shown once. The endpoints and the rules
// the page shows, as plain functions (the server decides in the end).
import { del, get, post } from '@/api/client.js';

/** @typedef {'ok' | 'retrying' | 'dead_letters' | 'paused' | 'cancelled'} Health */

/**
 * @typedef {Object} Subscription  one item of GET /api/exchange/subscriptions
 * @property {number} id
 * @property {string} resource  code
 * @property {string} resource_name
 * @property {string} org  the subscribing department's code
 * @property {string} purpose
 * @property {string} url
 * @property {string | null} client_id
 * @property {string} client_name
 * @property {'active' | 'paused' | 'cancelled'} state
 * @property {Health} health
 * @property {string} paused_reason
 * @property {string} paused_by  a username, or "system" (a grant gone)
 * @property {string} cursor  the last change delivered
 * @property {number | null} pending_changes  records changed after the cursor
 * @property {number} attempts  failed attempts of the payload in hand
 * @property {string | null} next_attempt_at
 * @property {string | null} last_attempt_at
 * @property {number | null} last_status
 * @property {string} last_error
 * @property {string | null} last_delivered_at
 * @property {number} delivered  payloads delivered
 * @property {number} dead_letters  payloads given up, not redelivered
 * @property {string} created_by
 * @property {string} created_at
 * @property {string} [secret]  only in the answer to the creation
 */

/**
 * @typedef {Object} DeadLetter
 * @property {number} id
 * @property {string} delivery_id
 * @property {string} from_seq
 * @property {string} to_seq
 * @property {number} records
 * @property {number} attempts
 * @property {number | null} last_status
 * @property {string} last_error
 * @property {string} created_at
 * @property {number} redeliveries
 * @property {string | null} redelivered_at
 * @property {string} redelivered_by
 * @property {number | null} redelivery_status
 * @property {string} redelivery_error
 * @property {'dead' | 'redelivered'} state
 */

const BASE = '/api/exchange/subscriptions';

/** @param {{side?: 'mine' | 'all', cancelled?: 'true', limit?: number, cursor?: string}} query */
export const listSubscriptions = (query) => get(BASE, { query });
/** @param {{resource: string, purpose: string, url: string, client_id?: string}} body @returns {Promise<Subscription>} */
export const createSubscription = (body) => post(BASE, body);
/** @param {number} id @param {string} [reason] */
export const pauseSubscription = (id, reason) => post(`${BASE}/${id}/pause`, reason ? { reason } : {});
/** @param {number} id */
export const resumeSubscription = (id) => post(`${BASE}/${id}/resume`, {});
/** @param {number} id */
export const cancelSubscription = (id) => del(`${BASE}/${id}`);
/** @param {number} id @returns {Promise<{items: DeadLetter[], next_cursor: string | null}>} */
export const listDeadLetters = (id) => get(`${BASE}/${id}/dead-letters`, { query: { limit: 100 } });
/** @param {number} id @returns {Promise<DeadLetter>} */
export const redeliverDeadLetter = (id) => post(`${BASE}/dead-letters/${id}/redeliver`, {});

export const MAX_URL_CHARS = 500;

/** @type {Record<Health, '' | 'success' | 'info' | 'warning' | 'danger'>} */
const HEALTH_TAGS = { ok: 'success', retrying: 'warning', dead_letters: 'danger', paused: 'info', cancelled: 'info' };

/** The colour of a subscription's delivery state. @param {string} health */
export const healthTagType = (health) => HEALTH_TAGS[/** @type {Health} */ (health)] ?? 'info';

/**
 * What is wrong with an address before it is sent ('' when nothing): the server takes
 * https:// (the receiver's certificate is checked) or http:// with a host, at most 500
 * characters.
 * @param {string} url @returns {'' | 'required' | 'scheme' | 'length'}
 */
export function urlProblem(url) {
  const u = url.trim();
  if (!u) return 'required';
  if (u.length > MAX_URL_CHARS) return 'length';
  if (!/^https?:\/\/[^/\s]+/i.test(u)) return 'scheme';
  return '';
}

/**
 * The purposes a department may subscribe with on a resource: those of its grants in
 * force there, each once, in the order given.
 * @param {readonly {resource: string, purpose: string, active: boolean}[]} grants
 * @param {string} resource
 * @returns {string[]}
 */
export function purposesFor(grants, resource) {
  return [...new Set(grants.filter((g) => g.active && g.resource === resource).map((g) => g.purpose))];
}

/**
 * The resources a department holds grants in force on, each once, with its name.
 * @param {readonly {resource: string, resource_name: string, active: boolean}[]} grants
 * @returns {{value: string, label: string}[]}
 */
export function grantedResources(grants) {
  const byCode = new Map();
  for (const g of grants) if (g.active && !byCode.has(g.resource)) byCode.set(g.resource, g.resource_name || g.resource);
  return [...byCode].map(([value, label]) => ({ value, label }));
}

/** Who may change a subscription: its department's staff who subscribe (sharing.apply). */
export const mayManage = (/** @type {Subscription} */ s, /** @type {{org?: string | null, can: (p: string) => boolean}} */ who) =>
  s.state !== 'cancelled' && Boolean(who.org) && s.org === who.org && who.can('sharing.apply');
