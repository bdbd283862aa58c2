// The enterprise endpoints: the signed-in enterprise's profile and authorised agents, and
// for a citizen the enterprises they may act for. Errors are ApiErrors (api/client.js).
import { del, get, post, put } from '@/api/client.js';

/**
 * @template T
 * @typedef {{items: T[], next_cursor: string | null}} Page
 */

/**
 * @typedef {Object} EnterpriseProfile
 * @property {number} enterprise_id
 * @property {string} username
 * @property {string} uscc
 * @property {string} name  registered name
 * @property {string} legal_representative
 * @property {string} legal_representative_id_number  whole for the enterprise itself, masked for others
 * @property {boolean} id_number_masked
 * @property {boolean} id_number_converted  given with 15 digits and converted
 * @property {string} division_code  GB/T 2260
 * @property {string} updated_at
 */

/**
 * @typedef {Object} MyEnterprise  GET /api/me/enterprise
 * @property {number} id
 * @property {string} username
 * @property {string} display_name
 * @property {string | null} uscc
 * @property {EnterpriseProfile | null} profile  null until filled in
 */

/** @typedef {'pending' | 'live' | 'expired' | 'revoked'} AgentState */

/**
 * @typedef {Object} AgentAuthorisation
 * @property {number} id
 * @property {{id: number, username: string, name: string, uscc: string}} enterprise
 * @property {{id: number, username: string, display_name: string}} agent
 * @property {string} scope
 * @property {string} valid_from
 * @property {string} valid_until
 * @property {string} granted_at
 * @property {string | null} revoked_at
 * @property {string | null} revoked_reason
 * @property {AgentState} state
 */

/** @returns {Promise<MyEnterprise>} */
export const getMyEnterprise = () => get('/api/me/enterprise');

/**
 * @param {{name: string, legal_representative: string, legal_representative_id_number: string, division_code: string}} body
 * @returns {Promise<EnterpriseProfile>}
 */
export const saveMyEnterprise = (body) => put('/api/me/enterprise', body);

/** @param {{limit?: number, cursor?: string}} [query] @returns {Promise<Page<AgentAuthorisation>>} */
export const listMyAgents = (query) => get('/api/me/enterprise/agents', { query });

/**
 * @param {{agent: string, scope: string, valid_until: string, valid_from?: string}} body
 *   valid_until: 'YYYY-MM-DD' (through the end of that day) or ISO 8601 with offset
 * @returns {Promise<AgentAuthorisation>}
 */
export const authoriseAgent = (body) => post('/api/me/enterprise/agents', body);

/** @param {number} id @param {string} reason @returns {Promise<AgentAuthorisation>} */
export const revokeAgent = (id, reason) => del(`/api/me/enterprise/agents/${id}`, { body: { reason } });

/** @returns {Promise<Page<AgentAuthorisation>>} the enterprises the signed-in citizen may act for now */
export const listRepresentedEnterprises = () => get('/api/me/represented-enterprises');
