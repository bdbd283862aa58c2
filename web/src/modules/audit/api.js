// The audit endpoints: records with filters and keyset paging, the export as a file, and
// the chain's status. Every call is itself recorded (audit.read, audit.export,
// audit.verify). Errors are ApiErrors (see api/client.js).
import { get } from '@/api/client.js';

/**
 * @typedef {Object} AuditRecord  one record of GET /api/audit/records
 * @property {number} seq
 * @property {string} time  ISO 8601 with the platform's offset
 * @property {number} time_ms
 * @property {'user' | 'client' | 'system' | 'anonymous'} actor_kind
 * @property {string} actor_id
 * @property {string} actor_name
 * @property {string} actor_org
 * @property {string} action  e.g. 'user.create'
 * @property {string} object_type
 * @property {string} object_id
 * @property {'success' | 'failure' | 'denied'} outcome
 * @property {string} source  the client's address
 * @property {string} request_id
 * @property {string} purpose
 * @property {string} details  a JSON object as text: {"method","route","status"}
 * @property {string} prev_hash
 * @property {string} hash
 */

/**
 * @typedef {Object} ChainStatus  GET /api/audit/verify
 * @property {boolean} ok
 * @property {number} records  records checked (up to the problem)
 * @property {number} first_seq
 * @property {number} last_seq
 * @property {number} checkpoints  signed checkpoints checked
 * @property {boolean} signatures_checked
 * @property {number} [bad_seq]  the first bad record (or checkpoint)
 * @property {string} [problem]  modified, missing, relinked, duplicate, truncated, bad_signature, ...
 * @property {string} [message]  the server's description of the problem
 */

/** @typedef {'csv' | 'jsonl'} ExportFormat */

/**
 * @param {Record<string, string | number>} query  see query.js (auditQuery)
 * @returns {Promise<{items: AuditRecord[], next_cursor: string | null}>}
 */
export const listAuditRecords = (query) => get('/api/audit/records', { query });

/**
 * The matching records as a file (CSV in UTF-8 with BOM, or JSON Lines), oldest first.
 * @param {ExportFormat} format @param {Record<string, string | number>} query
 * @returns {Promise<Blob>}
 */
export const exportAuditRecords = (format, query) =>
  get('/api/audit/export', { query: { ...query, format }, responseType: 'blob', timeoutMs: 300_000 });

/**
 * Walks the whole chain on the server: long logs take a while.
 * @returns {Promise<ChainStatus>}
 */
export const verifyAuditChain = () => get('/api/audit/verify', { timeoutMs: 300_000 });
