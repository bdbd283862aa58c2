// The catalog endpoints (政务信息资源目录): search with facets, one resource with its fields
// and history, its versions, the provider's create/edit/submit, the big-data centre's
// review and retirement, and code tables. Errors are ApiErrors (see api/client.js); a
// refused description names each problem by its JSON path (`fields[2].type`).
import { get, post, put } from '@/api/client.js';

/** @typedef {'draft' | 'submitted' | 'published' | 'retired'} ResourceState */

/**
 * @typedef {Object} ResourceSummary  one item of GET /api/catalog/resources
 * @property {string} code
 * @property {string} name
 * @property {string} provider  the providing organisation's code
 * @property {string} provider_name
 * @property {'base' | 'thematic' | 'departmental'} category
 * @property {string} summary
 * @property {'unconditional' | 'conditional' | 'none'} share_type
 * @property {'open' | 'conditional' | 'closed'} open_type
 * @property {'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly'} update_cycle
 * @property {ResourceState} state
 * @property {number} version
 * @property {number} field_count
 * @property {string} updated_at
 * @property {string | null} published_at
 * @property {number} [score]  relevance, with a search text
 */

/**
 * @typedef {Object} ResourceField  a field (信息项) as the server describes it
 * @property {string} name
 * @property {string} label
 * @property {string} type
 * @property {boolean} required
 * @property {boolean} key
 * @property {'public' | 'internal' | 'personal' | 'sensitive'} sensitivity
 * @property {number | null} length
 * @property {string | null} authority  org code of the authoritative department
 * @property {string | null} code_table
 */

/**
 * @typedef {Object} LifecycleEvent
 * @property {ResourceState | null} from  null: created
 * @property {ResourceState} to
 * @property {string} actor
 * @property {string} note
 * @property {string} at
 */

/**
 * @typedef {ResourceSummary & {fields: ResourceField[], review_note: string, created_at: string,
 *   events: LifecycleEvent[], outcome?: 'created' | 'updated' | 'unchanged' | 'new_version'}} Resource
 */

/**
 * @typedef {Object} ResourceVersion
 * @property {number} version
 * @property {'created' | 'additive' | 'breaking'} change
 * @property {string} actor
 * @property {string} created_at
 * @property {{name: string, label: string, type: string}[]} fields
 */

/** @typedef {Record<string, Record<string, number>>} Facets  facet → value → count */

/**
 * @typedef {Object} SearchPage
 * @property {ResourceSummary[]} items
 * @property {number} total
 * @property {Facets} facets
 * @property {number | null} next_offset
 */

/**
 * @typedef {Object} ResourceSpec  the body of POST and PUT (the `zhengwu catalog apply` contract)
 * @property {string} code
 * @property {string} name
 * @property {string} provider
 * @property {string} category
 * @property {string} summary
 * @property {string} share_type
 * @property {string} open_type
 * @property {string} update_cycle
 * @property {SpecField[]} fields
 */

/**
 * @typedef {Object} SpecField
 * @property {string} name
 * @property {string} label
 * @property {string} type
 * @property {number} [length]
 * @property {boolean} [required]
 * @property {boolean} [key]
 * @property {string} sensitivity
 * @property {string} [authority]
 * @property {string} [code_table]
 */

/** @typedef {{value: string, label: string, aliases: string[]}} CodeValue */

/**
 * @param {Record<string, string | number>} query  see search.js (searchQueries)
 * @returns {Promise<SearchPage>}
 */
export const searchResources = (query) => get('/api/catalog/resources', { query });

/** @param {string} code @returns {Promise<Resource>} */
export const getResource = (code) => get(`/api/catalog/resources/${encodeURIComponent(code)}`);

/** @param {string} code @returns {Promise<{items: ResourceVersion[]}>} */
export const listVersions = (code) => get(`/api/catalog/resources/${encodeURIComponent(code)}/versions`);

/** A new resource, a draft of its provider. @param {ResourceSpec} spec @returns {Promise<Resource>} */
export const createResource = (spec) => post('/api/catalog/resources', spec);

/**
 * A draft is replaced freely; a published resource takes additive changes only (a new
 * version); the answer's `outcome` says which.
 * @param {string} code @param {ResourceSpec} spec @returns {Promise<Resource>}
 */
export const updateResource = (code, spec) => put(`/api/catalog/resources/${encodeURIComponent(code)}`, spec);

/** @param {string} code @param {string} [note] @returns {Promise<Resource>} */
export const submitResource = (code, note = '') =>
  post(`/api/catalog/resources/${encodeURIComponent(code)}/submit`, note ? { note } : {});

/**
 * @param {string} code @param {'approve' | 'reject'} decision
 * @param {string} note  required to reject: the provider reads it
 * @returns {Promise<Resource>}
 */
export const reviewResource = (code, decision, note = '') =>
  post(`/api/catalog/resources/${encodeURIComponent(code)}/review`, { decision, note });

/** @param {string} code @param {string} note  the reason @returns {Promise<Resource>} */
export const retireResource = (code, note) => post(`/api/catalog/resources/${encodeURIComponent(code)}/retire`, { note });

/** @param {string} code @returns {Promise<{items: CodeValue[]}>} */
export const getCodeTable = (code) => get(`/api/catalog/code-tables/${encodeURIComponent(code)}`);

/**
 * The organisations (GET /api/orgs, needs org.read): provider names, the provider and
 * authority pickers.
 * @returns {Promise<{items: {id: number, code: string, name: string, kind: string, parent_id: number | null, path: string}[]}>}
 */
export const listOrgs = () => get('/api/orgs');
