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

// ---- imports (数据导入): a department loads records into a published resource ----

/**
 * @typedef {Object} ImportBatch  one upload and the job that reads it
 * @property {number} id
 * @property {string} resource  the resource's code
 * @property {number} resource_version
 * @property {string} source_org  the submitting department's code
 * @property {string} file_name
 * @property {'csv' | 'jsonl'} format
 * @property {'auto' | 'utf-8' | 'gb18030'} encoding
 * @property {'running' | 'done' | 'failed'} state
 * @property {number} records  records read so far (the header not counted)
 * @property {number} accepted
 * @property {number} rejected
 * @property {number} fixed  rejected records corrected since
 * @property {number} last_line  the last line read
 * @property {string} actor  who uploaded it
 * @property {string} message  why a failed batch failed
 * @property {string} started_at
 * @property {string | null} finished_at
 */

/**
 * @typedef {Object} RejectedRecord
 * @property {number} id
 * @property {number} batch
 * @property {number} line  the file's line it started on
 * @property {Record<string, string>} raw  column (as the header named it) → text
 * @property {{field: string, reason: string}[]} errors  field: the field's name; '' for the whole record
 * @property {'open' | 'fixed' | 'dismissed'} state
 * @property {string} note  the reason it was dismissed
 */

/**
 * Uploads a file as the request body; the server answers at once (202) and a job reads
 * it: poll getImport until the state is not running. No time limit: a large file takes
 * a while to send.
 * @param {string} code
 * @param {Blob} file
 * @param {{fileName: string, encoding: string, format: string, contentType: string}} options
 * @returns {Promise<ImportBatch>}
 */
export const startImport = (code, file, { fileName, encoding, format, contentType }) =>
  post(`/api/catalog/resources/${encodeURIComponent(code)}/imports`, file, {
    query: { file_name: fileName, encoding, format },
    headers: { 'Content-Type': contentType },
    timeoutMs: 0,
  });

/**
 * The resource's batches the user may read, newest first.
 * @param {string} code @param {{cursor?: string | null, limit?: number}} [query]
 * @returns {Promise<{items: ImportBatch[], next_cursor: string | null}>}
 */
export const listImports = (code, query = {}) =>
  get(`/api/catalog/resources/${encodeURIComponent(code)}/imports`, { query });

/** @param {number | string} id @returns {Promise<ImportBatch>} */
export const getImport = (id) => get(`/api/imports/${encodeURIComponent(String(id))}`);

/**
 * A batch's rejected records by line.
 * @param {number | string} id
 * @param {{after_line?: string | number | null, state?: 'open' | 'all', limit?: number}} [query]
 * @returns {Promise<{items: RejectedRecord[], next_cursor: string | null}>}
 */
export const listRejects = (id, query = {}) => get(`/api/imports/${encodeURIComponent(String(id))}/rejects`, { query });

/**
 * Corrects a rejected record: checked like an imported one (a 400 names each field as
 * `values.<name>`), then stored. 409 when it is not open.
 * @param {number} id @param {Record<string, string>} values  field name → text
 * @returns {Promise<RejectedRecord>}
 */
export const fixReject = (id, values) => post(`/api/imports/rejects/${id}/fix`, { values });

/** @param {number} id @param {string} reason @returns {Promise<RejectedRecord>} */
export const dismissReject = (id, reason) => post(`/api/imports/rejects/${id}/dismiss`, { reason });
