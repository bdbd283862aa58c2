// The audit page's filters as the query of GET /api/audit/records (and of the export),
// and times in the platform's zone.
//
// Times are picked as wall-clock times of the platform (Asia/Shanghai, UTC+8 all year,
// no daylight saving), whatever zone the browser is in, and sent as ISO 8601 with that
// offset: '2026-12-04 09:30:00' → '2026-12-04T09:30:00+08:00'.

/** The platform's offset from UTC, as the server writes it in record times. */
export const PLATFORM_OFFSET = '+08:00';

/** @typedef {'success' | 'failure' | 'denied'} Outcome */

/** @type {readonly Outcome[]} */
export const OUTCOMES = Object.freeze(['success', 'failure', 'denied']);

/**
 * @typedef {Object} AuditFilters  what the filter form holds
 * @property {[string, string] | null} range  wall-clock times 'YYYY-MM-DD HH:mm:ss' (the
 *   date picker's value), start and end; the end counts with its whole second
 * @property {string} action  an action or a prefix of whole dotted words ('user', 'auth.session')
 * @property {string} actor  actor id (a user id as text, or a client id)
 * @property {string} org  the actor's organisation code
 * @property {string} objectType
 * @property {string} objectId
 * @property {Outcome | ''} outcome
 * @property {string} requestId
 */

/** @returns {AuditFilters} no filter at all */
export function emptyFilters() {
  return { range: null, action: '', actor: '', org: '', objectType: '', objectId: '', outcome: '', requestId: '' };
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** @param {string} offset '+08:00' @returns {number} minutes east of UTC */
export function offsetMinutes(offset) {
  const m = OFFSET.exec(offset);
  if (!m) throw new Error(`not a UTC offset: ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** @param {number} n @param {number} [width] */
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * The moment of a wall-clock time at an offset, in ms since the epoch; NaN when the text
 * is not a valid 'YYYY-MM-DD[ HH:mm[:ss]]'.
 * @param {string} text @param {string} [offset]
 */
export function wallClockMillis(text, offset = PLATFORM_OFFSET) {
  const m = WALL_CLOCK.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return NaN;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 02-30 over into March: such a day does not exist.
  if (new Date(utc).getUTCDate() !== d) return NaN;
  return utc - offsetMinutes(offset) * 60_000;
}

/**
 * A moment as ISO 8601 in the platform's zone: 1796376600000 → '2026-12-04T17:30:00+08:00'.
 * @param {number} ms @param {string} [offset]
 */
export function isoAt(ms, offset = PLATFORM_OFFSET) {
  const w = new Date(ms + offsetMinutes(offset) * 60_000);
  return (
    `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}` +
    `T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}${offset}`
  );
}

/**
 * A wall-clock time of the platform as ISO 8601 with its offset, or undefined for an
 * empty or unreadable value. `endOfSecond` moves it to the next second: the server's `to`
 * is exclusive, and a range ending at 17:30:00 should include what happened during it.
 * @param {string | null | undefined} value
 * @param {{offset?: string, endOfSecond?: boolean}} [opts]
 * @returns {string | undefined}
 */
export function toIsoWithOffset(value, { offset = PLATFORM_OFFSET, endOfSecond = false } = {}) {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const ms = wallClockMillis(value, offset);
  if (Number.isNaN(ms)) return undefined;
  return isoAt(endOfSecond ? ms + 1000 : ms, offset);
}

/**
 * The query of GET /api/audit/records for the filters: times as ISO 8601 with the
 * platform's offset, text trimmed, and every empty field left out (so the server applies
 * no condition for it).
 * @param {AuditFilters} filters
 * @param {{limit?: number, cursor?: string | null, offset?: string}} [paging]
 * @returns {Record<string, string | number>}
 */
export function auditQuery(filters, { limit, cursor, offset = PLATFORM_OFFSET } = {}) {
  /** @type {Record<string, string | number>} */
  const q = {};
  const [start, end] = filters.range ?? [];
  const from = toIsoWithOffset(start, { offset });
  const to = toIsoWithOffset(end, { offset, endOfSecond: true });
  if (from) q.from = from;
  if (to) q.to = to;
  /** @type {[string, string][]} */
  const texts = [
    ['actor', filters.actor],
    ['org', filters.org],
    ['action', filters.action],
    ['object_type', filters.objectType],
    ['object_id', filters.objectId],
    ['request_id', filters.requestId],
  ];
  for (const [name, value] of texts) {
    const v = typeof value === 'string' ? value.trim() : '';
    if (v) q[name] = v;
  }
  if (filters.outcome && OUTCOMES.includes(filters.outcome)) q.outcome = filters.outcome;
  if (limit) q.limit = limit;
  if (cursor) q.cursor = cursor;
  return q;
}

/**
 * The query as the address would carry it ('from=2026-12-04T00%3A00%3A00%2B08%3A00&…'):
 * the '+' of the offset is encoded, not taken for a space.
 * @param {Record<string, string | number>} query
 */
export function queryString(query) {
  return new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
}

/** Whether any filter is set. @param {AuditFilters} filters */
export function hasFilters(filters) {
  return Object.keys(auditQuery(filters)).length > 0;
}

/**
 * A Date whose local fields show the platform's wall-clock time at `ms` — what the date
 * picker (which works in the browser's zone) should display for that moment.
 * @param {number} ms @param {string} [offset]
 */
export function platformPickerDate(ms, offset = PLATFORM_OFFSET) {
  const w = new Date(ms + offsetMinutes(offset) * 60_000);
  return new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds());
}

/**
 * The start of the platform's day `daysBack` days before the one holding `ms`, as ms.
 * @param {number} ms @param {number} daysBack @param {string} [offset]
 */
export function platformDayStart(ms, daysBack = 0, offset = PLATFORM_OFFSET) {
  const shift = offsetMinutes(offset) * 60_000;
  const w = new Date(ms + shift);
  return Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate() - daysBack) - shift;
}

/**
 * A file-name stamp of a moment in the platform's zone: '20261204-173000'.
 * @param {number} ms @param {string} [offset]
 */
export function fileStamp(ms, offset = PLATFORM_OFFSET) {
  return isoAt(ms, offset).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}
