// The sharing endpoints (数据共享, server: modules/data/sharing_routes.hpp): a department
// asks for another's resource (a grant at once, or an application the provider decides
// within 10 working days), follows and withdraws its applications; the provider decides
// (possibly fewer fields) and revokes grants; the big-data centre oversees all of it and
// decides applications escalated past their due day. And a citizen's or enterprise's
// data-use record (exchange_routes.hpp): every exchange read of their records.
// Errors are ApiErrors (see api/client.js); a refused request names its field
// (`fields[2]`, `legal_basis`, `note`).
import { get, post } from '@/api/client.js';

/** @typedef {'pending' | 'approved' | 'refused' | 'withdrawn'} ApplicationState */
/** @typedef {'on_time' | 'due_soon' | 'due_today' | 'overdue'} Deadline */
/** @typedef {'consumer' | 'provider' | 'escalated' | 'all'} ApplicationSide */
/** @typedef {'consumer' | 'provider' | 'all'} GrantSide */

/**
 * @typedef {Object} ShareApplication  one item of GET /api/sharing/applications
 * @property {number} id
 * @property {string} resource  code
 * @property {string} resource_name
 * @property {string} provider  org code
 * @property {string} provider_name
 * @property {string} consumer_org  org code
 * @property {string} consumer_name
 * @property {string[]} fields  field names asked for
 * @property {string[]} clear_fields  asked unmasked (a subset of fields)
 * @property {string} purpose
 * @property {string} legal_basis
 * @property {number} duration_days
 * @property {ApplicationState} state
 * @property {string} applied_by
 * @property {string} applied_at
 * @property {string} due_on  YYYY-MM-DD: the provider's last day to answer
 * @property {number | null} working_days_left  null once decided; negative when overdue
 * @property {Deadline | null} deadline  null once decided
 * @property {boolean} escalated
 * @property {string | null} escalated_at
 * @property {string} decided_by
 * @property {string | null} decided_at
 * @property {string} decision_note
 * @property {number | null} grant_id
 */

/**
 * @typedef {Object} Grant  one item of GET /api/sharing/grants
 * @property {number} id
 * @property {string} resource
 * @property {string} resource_name
 * @property {string} provider
 * @property {string} provider_name
 * @property {string} consumer_org
 * @property {string} consumer_name
 * @property {string[]} fields
 * @property {string[]} clear_fields
 * @property {string} purpose  the exchange serves the grant only to callers stating it
 * @property {string | null} valid_until  exclusive; null: until revoked
 * @property {'request' | 'application' | 'operator'} origin
 * @property {number | null} application_id
 * @property {string} created_by
 * @property {string} created_at
 * @property {string | null} revoked_at
 * @property {string} revoked_by
 * @property {string} revoke_reason
 * @property {boolean} active  in force now
 */

/**
 * @typedef {Object} ShareRequestBody  the body of POST /api/sharing/applications
 * @property {string} resource
 * @property {string[]} fields
 * @property {string[]} clear_fields
 * @property {string} purpose
 * @property {string} [legal_basis]  required when the request becomes an application
 * @property {number} [duration_days]  default 365
 */

/**
 * @typedef {{outcome: 'granted', grant: Grant} | {outcome: 'pending', application: ShareApplication}} ShareOutcome
 */

/**
 * @typedef {Object} DecisionBody
 * @property {'approve' | 'refuse'} decision
 * @property {string[]} [fields]  approving: what is granted, a subset of what was asked
 * @property {string[]} [clear_fields]  a subset of what was asked in clear
 * @property {number} [duration_days]  at most what was asked
 * @property {string} [note]  required to refuse
 */

/**
 * @typedef {Object} DataUse  one item of GET /api/me/data-use
 * @property {string} time
 * @property {string} org  the reading department's code
 * @property {string} org_name
 * @property {string} client  the reading system's name
 * @property {string} client_id
 * @property {string} resource  code
 * @property {string} resource_name
 * @property {string} purpose
 * @property {number} records  how many of the caller's records the read returned
 */

/**
 * @template T
 * @typedef {{items: T[], next_cursor: string | null}} CursorPage
 */

/**
 * Asks for a resource: unconditional ones are granted at once, conditional ones (or
 * personal fields in clear) become an application.
 * @param {ShareRequestBody} body @returns {Promise<ShareOutcome>}
 */
export const requestShare = (body) => post('/api/sharing/applications', body);

/**
 * @param {{side: ApplicationSide, state?: string, resource?: string, limit?: number, cursor?: string}} query
 * @returns {Promise<CursorPage<ShareApplication>>}
 */
export const listApplications = (query) => get('/api/sharing/applications', { query });

/** @param {number} id @returns {Promise<ShareApplication>} */
export const getApplication = (id) => get(`/api/sharing/applications/${id}`);

/** @param {number} id @param {DecisionBody} body @returns {Promise<ShareApplication>} */
export const decideApplication = (id, body) => post(`/api/sharing/applications/${id}/decide`, body);

/** @param {number} id @returns {Promise<ShareApplication>} */
export const withdrawApplication = (id) => post(`/api/sharing/applications/${id}/withdraw`, {});

/**
 * @param {{side: GrantSide, resource?: string, active?: 'true' | 'false', limit?: number, cursor?: string}} query
 * @returns {Promise<CursorPage<Grant>>}
 */
export const listGrants = (query) => get('/api/sharing/grants', { query });

/** @param {number} id @param {string} reason @returns {Promise<Grant>} */
export const revokeGrant = (id, reason) => post(`/api/sharing/grants/${id}/revoke`, { reason });

/**
 * The signed-in citizen's or enterprise's data-use record, newest first.
 * @param {{org?: string, resource?: string, from?: string, to?: string, limit?: number, cursor?: string}} query
 *   from/to: YYYY-MM-DD (to: through that day)
 * @returns {Promise<CursorPage<DataUse>>}
 */
export const listDataUse = (query) => get('/api/me/data-use', { query });
