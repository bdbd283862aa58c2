// Importing records into a published resource, the parts that need no page: the template
// a department fills in, how a rejected record's raw columns line up with the resource's
// fields, where the server's complaints about a correction belong, and how far a running
// batch has got.
//
// The server reads a CSV header column as a field when it is the field's name or label
// (modules/data/record_check.hpp); the matching here follows the same rule, ignoring case
// and surrounding spaces, so the page shows a raw value under the field the server read
// it as.

/** UTF-8 byte order mark: Excel opens a UTF-8 CSV as GBK without it. */
export const BOM = '\uFEFF';

/**
 * One CSV cell, quoted when it holds a comma, quote or line break (RFC 4180).
 * @param {string} text
 */
export function csvCell(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The template a department fills in: the header row of the fields' labels (or names,
 * which the server reads as well), CRLF-terminated, with a BOM so Excel reads it as UTF-8.
 * @param {{name: string, label?: string}[]} fields
 * @param {{by?: 'label' | 'name'}} [options]
 * @returns {string}
 */
export function templateCsv(fields, { by = 'label' } = {}) {
  const header = fields.map((f) => csvCell((by === 'label' && f.label) || f.name)).join(',');
  return `${BOM}${header}\r\n`;
}

/** @param {string | null | undefined} s */
const norm = (s) => String(s ?? '').trim().toLowerCase();

/**
 * The field a column names (by name or label), or undefined.
 * @template {{name: string, label?: string}} F
 * @param {string} column @param {readonly F[]} fields
 * @returns {F | undefined}
 */
export function fieldOfColumn(column, fields) {
  const c = norm(column);
  if (!c) return undefined;
  return fields.find((f) => norm(f.name) === c) ?? fields.find((f) => norm(f.label) === c);
}

/**
 * A rejected record's raw values laid out by field: `values` holds each field's text
 * ('' when no column named it), `extra` the columns that name no field.
 * @param {Record<string, unknown> | null | undefined} raw  column → text, as the server kept it
 * @param {readonly {name: string, label?: string}[]} fields
 * @returns {{values: Record<string, string>, extra: Record<string, string>}}
 */
export function rawByField(raw, fields) {
  /** @type {Record<string, string>} */
  const values = Object.fromEntries(fields.map((f) => [f.name, '']));
  /** @type {Record<string, string>} */
  const extra = {};
  for (const [column, v] of Object.entries(raw ?? {})) {
    const text = v === null || v === undefined ? '' : String(v);
    const field = fieldOfColumn(column, fields);
    if (field && !values[field.name]) values[field.name] = text;
    else if (!field) extra[column] = text;
  }
  return { values, extra };
}

/**
 * A rejected record's reasons by the field they concern; those about the whole record
 * (field '' or one the resource does not have) under ''.
 * @param {readonly {field?: string, reason?: string}[] | null | undefined} errors
 * @param {readonly {name: string, label?: string}[]} fields
 * @returns {Record<string, string[]>}
 */
export function reasonsByField(errors, fields) {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (const e of errors ?? []) {
    if (!e?.reason) continue;
    const key = fieldOfColumn(e.field ?? '', fields)?.name ?? '';
    (out[key] ??= []).push(e.reason);
  }
  return out;
}

/**
 * The server's complaints about a correction (`values.<field name>`, or `values` for the
 * record as a whole) by field name; the whole record's under ''. Several for one field
 * are joined with '; '.
 * @param {readonly {field?: string, message?: string}[] | null | undefined} errors
 * @returns {Record<string, string>}
 */
export function fixErrorsByField(errors) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const e of errors ?? []) {
    if (!e?.message) continue;
    const m = /^values(?:\.(.+))?$/.exec(e.field ?? '');
    const key = m ? m[1] ?? '' : '';
    out[key] = out[key] ? `${out[key]}; ${e.message}` : e.message;
  }
  return out;
}

/**
 * The lines of a file, counted from its bytes (a last line without a line break counts).
 * With the header, that is one more than the records of a CSV without quoted line breaks.
 * @param {ArrayBuffer | Uint8Array} bytes
 * @returns {number}
 */
export function countLines(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) n++;
  if (b.length && b[b.length - 1] !== 0x0a) n++;
  return n;
}

/**
 * How far a batch has got, in percent: 100 once it has ended; while it runs, the last
 * line read over the file's lines, held below 100 (the last chunk is not stored yet);
 * null when the file's size in lines is unknown (a batch started elsewhere).
 * @param {{state: string, last_line?: number} | null | undefined} batch
 * @param {number | null | undefined} totalLines
 * @returns {number | null}
 */
export function progressPercent(batch, totalLines) {
  if (!batch) return null;
  if (batch.state !== 'running') return 100;
  if (!totalLines || totalLines <= 0) return null;
  const pct = Math.floor(((batch.last_line ?? 0) / totalLines) * 100);
  return Math.max(0, Math.min(99, pct));
}

/**
 * The body's format and type for an upload, from the file's name.
 * @param {string} fileName
 * @returns {{format: 'csv' | 'jsonl', contentType: string}}
 */
export function uploadFormat(fileName) {
  return /\.jsonl$/i.test(fileName)
    ? { format: 'jsonl', contentType: 'application/octet-stream' }
    : { format: 'csv', contentType: 'text/csv' };
}
