// Data quality (数据质量), the parts that need no page: addresses, the server's calls, how
// a score is coloured and written, which fields to fix first, and the trend line. The
// definitions are the server's (modules/data/quality.hpp): every dimension is 0..100 with
// one decimal, or null where it does not apply (no records, no field to check).
import { get, post } from '@/api/client.js';
import { CATALOG_PATH } from './paths.js';

export const QUALITY_PATH = `${CATALOG_PATH}/quality`;

/** @param {string} code @returns {string} e.g. '/workbench/catalog/gaj.population/quality' */
export const qualityPath = (code) => `${CATALOG_PATH}/${encodeURIComponent(code)}/quality`;

/** The dimensions, in the order the pages show them. */
export const DIMENSIONS = Object.freeze(['completeness', 'validity', 'uniqueness', 'timeliness']);

/** Orders of the overview (GET /api/quality?sort=). */
export const SORTS = Object.freeze(['score', 'completeness', 'validity', 'uniqueness', 'timeliness', 'days_late', 'records', 'code']);

/**
 * @typedef {Object} FieldQuality
 * @property {string} name
 * @property {string} label
 * @property {string} type
 * @property {boolean} required
 * @property {boolean} key
 * @property {number} filled  non-empty cells
 * @property {number | null} completeness
 * @property {number} invalid  non-empty cells today's checks refuse
 * @property {number | null} validity
 * @property {boolean} identifier  checked for duplicates
 * @property {number} duplicate_records
 * @property {number} duplicate_values
 */

/**
 * @typedef {Object} QualityReport
 * @property {number} id
 * @property {string} resource
 * @property {string} resource_name
 * @property {string} provider
 * @property {string} provider_name
 * @property {string} update_cycle
 * @property {number} cycle_days
 * @property {string} computed_at
 * @property {string} [cause]
 * @property {number} records
 * @property {number} open_rejects
 * @property {number} [invalid_records]
 * @property {number} [duplicated_records]
 * @property {number | null} completeness
 * @property {number | null} validity
 * @property {number | null} uniqueness
 * @property {number} timeliness
 * @property {number} score
 * @property {string | null} last_update_at
 * @property {string} due_at
 * @property {number} days_late
 * @property {FieldQuality[]} [fields]
 * @property {{name: string, label: string, completeness: number | null} | null} [weakest_field]
 */

/**
 * @typedef {Object} QualityOfResource  GET /api/catalog/resources/{code}/quality
 * @property {{code: string, name: string, provider: string, provider_name: string, state: string,
 *   update_cycle: string, cycle_days: number}} resource
 * @property {Record<string, number>} weights
 * @property {QualityReport | null} latest
 * @property {{id: number, computed_at: string, records: number, score: number, completeness: number | null,
 *   validity: number | null, uniqueness: number | null, timeliness: number, days_late: number}[]} history  oldest first
 */

/** @param {string} code @param {number} [history] @returns {Promise<QualityOfResource>} */
export const getQuality = (code, history = 30) =>
  get(`/api/catalog/resources/${encodeURIComponent(code)}/quality`, { query: { history } });

/**
 * Assesses the resource now: 200 with the report, or 202 `{job, state: 'scheduled'}` for a
 * large one (its report appears when the job is done).
 * @param {string} code @returns {Promise<QualityReport | {job: number, state: string}>}
 */
export const recomputeQuality = (code) => post(`/api/catalog/resources/${encodeURIComponent(code)}/quality/recompute`, {});

/**
 * @param {{sort?: string, order?: string, provider?: string, cursor?: string | null, limit?: number}} query
 * @returns {Promise<{items: QualityReport[], next_cursor: string | null}>}
 */
export const listQuality = (query) => get('/api/quality', { query: overviewQuery(query) });

/**
 * The overview's query without empty members (the server refuses an empty cursor).
 * @param {{sort?: string, order?: string, provider?: string, cursor?: string | null, limit?: number}} q
 * @returns {Record<string, string | number>}
 */
export function overviewQuery(q) {
  /** @type {Record<string, string | number>} */
  const out = {};
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = v;
  }
  return out;
}

/**
 * A percentage as the pages write it: one decimal, '—' where it does not apply.
 * @param {number | null | undefined} value
 */
export function formatPercent(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '—';
}

/**
 * The colour of a score: green from 90, amber from 60, red below; grey where n/a.
 * @param {number | null | undefined} value
 * @returns {'success' | 'warning' | 'danger' | 'info'}
 */
export function scoreTagType(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'info';
  if (value >= 90) return 'success';
  if (value >= 60) return 'warning';
  return 'danger';
}

/**
 * The fields to fix first: non-key fields below 100 % complete, least complete first
 * (ties: the required one, then field order), at most `limit`.
 * @param {readonly FieldQuality[] | undefined} fields
 * @param {number} [limit]
 * @returns {FieldQuality[]}
 */
export function weakestFields(fields, limit = 3) {
  return (fields ?? [])
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !f.key && typeof f.completeness === 'number' && f.completeness < 100)
    .sort(
      (a, b) =>
        /** @type {number} */ (a.f.completeness) - /** @type {number} */ (b.f.completeness) ||
        Number(b.f.required) - Number(a.f.required) ||
        a.i - b.i,
    )
    .slice(0, limit)
    .map(({ f }) => f);
}

/**
 * What a report says to do, as message keys with their numbers, most pressing first:
 * late data, records refused on import and still open, values that fail today's checks,
 * duplicated identifiers, and the weakest field.
 * @param {QualityReport | null | undefined} report
 * @returns {{key: string, params: Record<string, string | number>}[]}
 */
export function findings(report) {
  if (!report) return [];
  /** @type {{key: string, params: Record<string, string | number>}[]} */
  const out = [];
  if (report.days_late > 0) out.push({ key: 'late', params: { days: report.days_late } });
  if (report.open_rejects > 0) out.push({ key: 'openRejects', params: { n: report.open_rejects } });
  if ((report.invalid_records ?? 0) > 0) out.push({ key: 'invalid', params: { n: report.invalid_records ?? 0 } });
  if ((report.duplicated_records ?? 0) > 0) out.push({ key: 'duplicates', params: { n: report.duplicated_records ?? 0 } });
  const [weakest] = weakestFields(report.fields, 1);
  if (weakest) out.push({ key: 'weakest', params: { field: weakest.label, percent: formatPercent(weakest.completeness) } });
  if (report.records === 0) out.push({ key: 'noRecords', params: {} });
  return out;
}

/**
 * The points of an SVG polyline for a series of 0..100 values in a width × height box
 * (y grows downwards); values that are null are skipped. One value is drawn as a flat line.
 * @param {readonly (number | null | undefined)[]} values
 * @param {number} width @param {number} height
 * @returns {string} e.g. '0,40 50,20 100,0'
 */
export function trendPoints(values, width, height) {
  const n = values.length;
  /** @type {string[]} */
  const points = [];
  const round = (/** @type {number} */ x) => Math.round(x * 10) / 10;
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    const clamped = Math.min(100, Math.max(0, v));
    const y = round(height - (clamped / 100) * height);
    if (n === 1) {
      points.push(`0,${y}`, `${width},${y}`);
    } else {
      points.push(`${round((i / (n - 1)) * width)},${y}`);
    }
  });
  return points.join(' ');
}
