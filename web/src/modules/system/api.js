// The system module's endpoints (kernel: health, readiness, build and runtime facts).
import { get } from '@/api/client.js';

/**
 * @typedef {Object} SystemInfo  GET /api/system/info
 * @property {string} name
 * @property {string} version
 * @property {string} commit
 * @property {string} build_type
 * @property {string} [compiler]
 * @property {string} [built_at]
 * @property {{kind: string}} database
 * @property {string} time  ISO 8601 with the platform zone's offset
 * @property {string} time_zone  IANA name, e.g. Asia/Shanghai
 * @property {string} started_at
 * @property {number} uptime_seconds
 * @property {string[]} modules
 */

/** @typedef {{status: string}} Health  GET /healthz */

/**
 * @typedef {Object} Readiness  GET /readyz (200); a 503 problem+json when not ready
 * @property {string} status
 * @property {{kind: string, ok: boolean}} [database]
 */

/** @param {import('@/api/client.js').RequestOptions} [req] @returns {Promise<SystemInfo>} */
export const fetchSystemInfo = (req) => get('/api/system/info', req);

/** @param {import('@/api/client.js').RequestOptions} [req] @returns {Promise<Health>} */
export const fetchHealth = (req) => get('/healthz', req);

/** @param {import('@/api/client.js').RequestOptions} [req] @returns {Promise<Readiness>} */
export const fetchReadiness = (req) => get('/readyz', req);
