// The identity endpoints: sign-in, my account, organisations, users, roles and grants,
// the login log and online users. Errors are ApiErrors (see api/client.js). GET /api/me
// belongs to the auth store (stores/auth.js).
import { del, get, patch, post, put } from '@/api/client.js';

/** @typedef {import('@/stores/auth.js').Session} Session */
/** @typedef {import('@/stores/auth.js').SessionUser} User */

/**
 * @template T
 * @typedef {{items: T[], next_cursor: string | null}} Page
 */

/**
 * @typedef {Object} SessionInfo  one live session
 * @property {number} id
 * @property {string} created_at
 * @property {string} last_seen_at
 * @property {string} expires_at
 * @property {string} source  the client's address
 * @property {string} user_agent
 * @property {boolean} current  the session making the request
 * @property {string} [username]  online users only
 * @property {string} [display_name]  online users only
 */

/**
 * @typedef {Object} TotpSecret  a new second-factor secret to enrol
 * @property {string} secret  base32
 * @property {string} otpauth_uri
 * @property {string} qr_svg  an SVG document
 */

/**
 * @typedef {Object} Org
 * @property {number} id
 * @property {string} code
 * @property {string} name
 * @property {string} kind
 * @property {number | null} parent_id
 * @property {string} path  '/1/4/9/'
 * @property {number} depth
 * @property {string | null} division_code
 */

/**
 * @typedef {Object} Grant  a role a user holds over an organisation
 * @property {number} id
 * @property {string} role  code
 * @property {string} org  code
 * @property {string} [org_name]
 * @property {boolean} include_subtree
 */

/**
 * @typedef {Object} Role
 * @property {number} id
 * @property {string} code
 * @property {string} name
 * @property {'none' | 'system' | 'security' | 'audit'} admin_kind
 * @property {boolean} builtin
 * @property {string[]} permissions
 */

/** @typedef {{name: string, description: string}} Permission */

/**
 * @typedef {Object} LoginAttempt
 * @property {number} id
 * @property {string} username
 * @property {string} time
 * @property {'success' | 'failure' | 'refused'} outcome
 * @property {string} reason
 * @property {string} source
 */

// ---- sign-in and my account ----

/** @param {{username: string, password: string, totp?: string, recovery_code?: string}} body @returns {Promise<Session>} */
export const login = (body) => post('/api/auth/login', body);
export const logout = () => post('/api/auth/logout');
/** @param {{old_password: string, new_password: string}} body */
export const changePassword = (body) => post('/api/me/password', body);
/** @returns {Promise<Page<SessionInfo>>} */
export const listMySessions = () => get('/api/me/sessions');
/** @param {number} id */
export const revokeMySession = (id) => del(`/api/me/sessions/${id}`);
/** @returns {Promise<TotpSecret>} */
export const newTotpSecret = () => post('/api/me/totp/secret');
/** @param {{secret: string, code: string}} body @returns {Promise<{recovery_codes: string[]}>} the codes, shown once */
export const enrolTotp = (body) => post('/api/me/totp', body);
/** @param {{code: string}} body a current TOTP code @returns {Promise<{recovery_codes: string[]}>} */
export const renewRecoveryCodes = (body) => post('/api/me/totp/recovery-codes', body);

// ---- organisations ----

/** @param {{q?: string, limit?: number}} [query] @returns {Promise<Page<Org>>} */
export const listOrgs = (query) => get('/api/orgs', { query });
/** @param {{code: string, name: string, kind: string, parent_code: string, division_code?: string}} body @returns {Promise<Org>} */
export const createOrg = (body) => post('/api/orgs', body);
/** @param {number} id @param {{name?: string, kind?: string, division_code?: string}} body @returns {Promise<Org>} */
export const updateOrg = (id, body) => patch(`/api/orgs/${id}`, body);
/** @param {number} id @param {number} parentId @returns {Promise<Org>} */
export const moveOrg = (id, parentId) => post(`/api/orgs/${id}/move`, { parent_id: parentId });
/** @param {number} id */
export const deleteOrg = (id) => del(`/api/orgs/${id}`);

// ---- users ----

/** @param {{q?: string, org?: string, limit?: number, cursor?: string}} query @returns {Promise<Page<User>>} */
export const listUsers = (query) => get('/api/users', { query });
/** @param {Record<string, unknown>} body @returns {Promise<User>} */
export const createUser = (body) => post('/api/users', body);
/** @param {number} id */
export const unlockUser = (id) => post(`/api/users/${id}/unlock`);
/** @param {number} id @param {1 | 2 | 3} level  a citizen's real-name level */
export const setRealNameLevel = (id, level) => post(`/api/users/${id}/real-name-level`, { level });
/** @param {number} id  clears TOTP and recovery codes and ends the account's sessions */
export const resetSecondFactor = (id) => post(`/api/users/${id}/second-factor/reset`);
/** @param {number} id @param {string} password */
export const resetUserPassword = (id, password) => post(`/api/users/${id}/reset-password`, { password });
/** @param {number} id */
export const disableUser = (id) => post(`/api/users/${id}/disable`);
/** @param {number} id */
export const enableUser = (id) => post(`/api/users/${id}/enable`);

// ---- grants and roles ----

/** @param {number} userId @returns {Promise<Page<Grant>>} */
export const listGrants = (userId) => get(`/api/users/${userId}/grants`);
/** @param {number} userId @param {{role: string, org: string, include_subtree: boolean}} body @returns {Promise<Grant>} */
export const addGrant = (userId, body) => post(`/api/users/${userId}/grants`, body);
/** @param {number} id */
export const revokeGrant = (id) => del(`/api/grants/${id}`);
/** @returns {Promise<Page<Role>>} */
export const listRoles = () => get('/api/roles');
/** @param {{code: string, name: string, permissions: string[]}} body @returns {Promise<Role>} */
export const createRole = (body) => post('/api/roles', body);
/** @param {number} id @param {string[]} permissions @returns {Promise<Role>} */
export const setRolePermissions = (id, permissions) => put(`/api/roles/${id}/permissions`, { permissions });
/** @returns {Promise<Page<Permission>>} */
export const listPermissions = () => get('/api/permissions');

// ---- the system administrator's views ----

/** @param {{limit?: number, cursor?: string}} query @returns {Promise<Page<LoginAttempt>>} */
export const listLoginAttempts = (query) => get('/api/auth/login-attempts', { query });
/** @returns {Promise<Page<SessionInfo>>} */
export const listOnlineSessions = () => get('/api/sessions');
/** @param {number} id */
export const endSession = (id) => del(`/api/sessions/${id}`);

// ---- system clients ----

/**
 * @typedef {Object} SystemClient  a department's system registered to call the platform
 * @property {number} id
 * @property {string} client_id  public, sent in X-Zw-Client
 * @property {string} name
 * @property {string} org
 * @property {string} org_name
 * @property {boolean} disabled
 * @property {string} created_at
 * @property {string} [rotated_at]
 * @property {string} [previous_valid_until]  the old secret still works until then
 * @property {string} [secret]  only in the answer of registration and rotation
 */

/** @param {{org?: string}} [query] @returns {Promise<Page<SystemClient>>} */
export const listClients = (query) => get('/api/clients', { query });
/** @param {{org: string, name: string}} body @returns {Promise<SystemClient>} with its secret, shown once */
export const registerClient = (body) => post('/api/clients', body);
/** @param {number} id @returns {Promise<SystemClient>} with the new secret, shown once */
export const rotateClient = (id) => post(`/api/clients/${id}/rotate`);
/** @param {number} id */
export const disableClient = (id) => post(`/api/clients/${id}/disable`);
/** @param {number} id */
export const enableClient = (id) => post(`/api/clients/${id}/enable`);
