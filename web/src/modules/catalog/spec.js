// The resource editor's model: the form, the spec it sends (POST/PUT
// /api/catalog/resources), the checks the server makes (mirrored, so that most mistakes
// show before anything is sent), problems placed on the right row and cell (`fields[2].type`
// → the third row's type), and whether a change to a published resource would be refused.
//
// The checks follow modules/data/catalog_spec.cpp (parse_resource_spec, breaking_reason);
// the server stays the judge: it also checks that organisations and code tables exist.
import { CATEGORIES, FIELD_TYPES, NON_KEY_TYPES, OPEN_TYPES, SENSITIVITIES, SHARE_TYPES, UPDATE_CYCLES } from './vocab.js';

/**
 * @typedef {Object} FieldRow  one editable row of the fields table
 * @property {number} uid  stable while rows move, so that problems follow their row
 * @property {string} name
 * @property {string} label
 * @property {string} type
 * @property {number | null} length  strings only
 * @property {boolean} required
 * @property {boolean} key
 * @property {string} sensitivity
 * @property {string | null} authority  org code
 * @property {string} code_table  code fields only
 */

/**
 * @typedef {Object} ResourceForm
 * @property {string} code
 * @property {string} name
 * @property {string} provider
 * @property {string} category
 * @property {string} summary
 * @property {string} share_type
 * @property {string} open_type
 * @property {string} update_cycle
 * @property {FieldRow[]} fields
 */

/**
 * @typedef {Object} SpecProblem  a check that failed, before translation
 * @property {string} field  the JSON path, as the server names it: 'code', 'fields[2].name'
 * @property {string} rule  i18n key under catalog.rules
 * @property {Record<string, string | number>} [params]
 */

/** The description's own members, in form order (server field names). */
export const FORM_FIELDS = Object.freeze([
  'code',
  'name',
  'provider',
  'category',
  'summary',
  'share_type',
  'open_type',
  'update_cycle',
]);
/** The columns of a row that a problem can name. */
export const ROW_COLUMNS = Object.freeze([
  'name',
  'label',
  'type',
  'length',
  'required',
  'key',
  'sensitivity',
  'authority',
  'code_table',
]);

export const CODE_PATTERN = /^[a-z][a-z0-9_.-]*$/;
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
export const MAX_FIELDS = 500;

let lastUid = 0;
/** A fresh row id (unique within the page's life). */
export const nextUid = () => ++lastUid;

/** @param {Partial<FieldRow>} [over] @returns {FieldRow} an empty optional string field */
export function newRow(over = {}) {
  return {
    uid: nextUid(),
    name: '',
    label: '',
    type: 'string',
    length: null,
    required: false,
    key: false,
    sensitivity: 'internal',
    authority: null,
    code_table: '',
    ...over,
  };
}

/**
 * A new resource's form: the server's defaults (departmental, conditional sharing, not
 * open, monthly) and one key row to start from.
 * @param {string} [provider]
 * @returns {ResourceForm}
 */
export function emptyForm(provider = '') {
  return {
    code: '',
    name: '',
    provider,
    category: 'departmental',
    summary: '',
    share_type: 'conditional',
    open_type: 'closed',
    update_cycle: 'monthly',
    fields: [newRow({ key: true, required: true })],
  };
}

/**
 * The form of an existing resource.
 * @param {import('./api.js').Resource} r
 * @returns {ResourceForm}
 */
export function formFromResource(r) {
  return {
    code: r.code,
    name: r.name,
    provider: r.provider,
    category: r.category,
    summary: r.summary ?? '',
    share_type: r.share_type,
    open_type: r.open_type,
    update_cycle: r.update_cycle,
    fields: (r.fields ?? []).map((f) =>
      newRow({
        name: f.name,
        label: f.label,
        type: f.type,
        length: f.length ?? null,
        required: Boolean(f.required || f.key),
        key: Boolean(f.key),
        sensitivity: f.sensitivity,
        authority: f.authority ?? null,
        code_table: f.code_table ?? '',
      }),
    ),
  };
}

/**
 * The spec the form describes: text trimmed, a key always required, a length only on a
 * string and a code table only on a code field (the form hides those inputs otherwise, and
 * a value left there from another type is not sent).
 * @param {ResourceForm} form
 * @returns {import('./api.js').ResourceSpec}
 */
export function buildSpec(form) {
  return {
    code: form.code.trim(),
    name: form.name.trim(),
    provider: form.provider ?? '',
    category: form.category,
    summary: form.summary.trim(),
    share_type: form.share_type,
    open_type: form.open_type,
    update_cycle: form.update_cycle,
    fields: form.fields.map((row) => {
      /** @type {import('./api.js').SpecField} */
      const f = {
        name: row.name.trim(),
        label: row.label.trim(),
        type: row.type,
        required: Boolean(row.required || row.key),
        key: Boolean(row.key),
        sensitivity: row.sensitivity,
      };
      if (row.type === 'string' && row.length !== null && row.length !== undefined && String(row.length) !== '') {
        f.length = Number(row.length);
      }
      if (row.authority) f.authority = row.authority;
      const table = (row.code_table ?? '').trim();
      if (row.type === 'code' && table) f.code_table = table;
      return f;
    }),
  };
}

/** Characters as the server counts them (code points, not UTF-16 units). @param {string} s */
const chars = (s) => [...s].length;

/**
 * The problems the server would find in a spec (except references to organisations and
 * code tables that do not exist), each under its JSON path.
 * @param {Partial<import('./api.js').ResourceSpec>} spec
 * @returns {SpecProblem[]}
 */
export function validateSpec(spec) {
  /** @type {SpecProblem[]} */
  const out = [];
  /** @param {string} field @param {string} rule @param {Record<string, string | number>} [params] */
  const fail = (field, rule, params) => out.push(params ? { field, rule, params } : { field, rule });
  /** @param {string} field @param {unknown} value @param {number} max */
  const text = (field, value, max) => {
    const s = typeof value === 'string' ? value : '';
    if (!s) fail(field, 'required');
    else if (chars(s) > max) fail(field, 'maxLength', { max });
    return s;
  };

  const code = text('code', spec.code, 64);
  if (code && (code.length < 3 || !CODE_PATTERN.test(code))) fail('code', 'codeFormat');
  text('name', spec.name, 100);
  if (!spec.provider) fail('provider', 'required');
  /** @type {[string, unknown, readonly string[]][]} */
  const choices = [
    ['category', spec.category, CATEGORIES],
    ['share_type', spec.share_type, SHARE_TYPES],
    ['open_type', spec.open_type, OPEN_TYPES],
    ['update_cycle', spec.update_cycle, UPDATE_CYCLES],
  ];
  for (const [field, value, allowed] of choices) if (!allowed.includes(/** @type {string} */ (value))) fail(field, 'choose');
  if (chars(spec.summary ?? '') > 2000) fail('summary', 'maxLength', { max: 2000 });

  const fields = spec.fields ?? [];
  if (!fields.length) {
    fail('fields', 'fieldsRequired');
    return out;
  }
  if (fields.length > MAX_FIELDS) fail('fields', 'tooManyFields', { max: MAX_FIELDS });
  const seen = new Set();
  fields.forEach((f, i) => {
    const at = `fields[${i}]`;
    const name = f.name ?? '';
    if (!name) fail(`${at}.name`, 'required');
    else if (name.length > 48 || !NAME_PATTERN.test(name)) fail(`${at}.name`, 'nameFormat');
    else if (name.startsWith('zw_')) fail(`${at}.name`, 'reservedName');
    else if (seen.has(name)) fail(`${at}.name`, 'duplicateName', { name });
    if (name) seen.add(name);
    text(`${at}.label`, f.label, 50);
    if (!FIELD_TYPES.includes(f.type)) fail(`${at}.type`, 'choose');
    if (f.length !== undefined && f.length !== null) {
      if (!Number.isInteger(f.length) || f.length < 1 || f.length > 4000) fail(`${at}.length`, 'lengthRange');
      else if (f.type !== 'string') fail(`${at}.length`, 'lengthStringOnly');
    }
    if (!SENSITIVITIES.includes(f.sensitivity)) fail(`${at}.sensitivity`, 'choose');
    if (f.type === 'code' && !f.code_table) fail(`${at}.code_table`, 'codeTableRequired');
    if (f.type !== 'code' && f.code_table) fail(`${at}.code_table`, 'codeTableCodeOnly');
    if (f.key && NON_KEY_TYPES.includes(f.type)) fail(`${at}.key`, 'keyType', { type: f.type });
  });
  if (!fields.some((f) => f.key)) fail('fields', 'keyRequired');
  return out;
}

/**
 * @typedef {Object} PlacedErrors  problems where the editor shows them
 * @property {Record<string, string>} form  description member → message
 * @property {string} table  about the fields as a whole (no key, none at all)
 * @property {Record<number, Record<string, string>>} rows  row uid → column → message;
 *   the column '' is the row itself
 * @property {string[]} unplaced  "path: message" for what no control takes
 * @property {string[]} placed  the paths shown beside a control (for ErrorAlert's `fields`,
 *   so that the alert lists only the others)
 */

const ROW_PATH = /^fields\[(\d+)\](?:\.(\w+))?$/;

/**
 * Puts each problem beside its control: `code` beside the code input, `fields` above the
 * table, `fields[2].type` beside the type of the row that was third when the spec was
 * built (its uid, so the message moves with the row). Several messages for one place are
 * joined with '; '.
 * @param {readonly {field?: string, message: string}[]} problems
 * @param {readonly number[]} uids  the rows' uids in the order the spec listed them
 * @returns {PlacedErrors}
 */
export function placeErrors(problems, uids) {
  /** @type {PlacedErrors} */
  const out = { form: {}, table: '', rows: {}, unplaced: [], placed: [] };
  /** @param {Record<string, string>} map @param {string} key @param {string} msg */
  const add = (map, key, msg) => {
    map[key] = map[key] ? `${map[key]}; ${msg}` : msg;
  };
  for (const p of problems) {
    if (!p?.message) continue;
    const field = p.field ?? '';
    const row = ROW_PATH.exec(field);
    if (row) {
      const uid = uids[Number(row[1])];
      const column = row[2] ?? '';
      if (uid !== undefined && (column === '' || ROW_COLUMNS.includes(column))) {
        out.rows[uid] ??= {};
        add(out.rows[uid], column, p.message);
        out.placed.push(field);
        continue;
      }
    } else if (field === 'fields') {
      out.table = out.table ? `${out.table}; ${p.message}` : p.message;
      out.placed.push(field);
      continue;
    } else if (FORM_FIELDS.includes(field)) {
      add(out.form, field, p.message);
      out.placed.push(field);
      continue;
    }
    out.unplaced.push(field ? `${field}: ${p.message}` : p.message);
  }
  out.placed = [...new Set(out.placed)];
  return out;
}

/**
 * @typedef {Object} SchemaChange  how an edit changes a published resource's fields
 * @property {'none' | 'additive' | 'breaking'} change  none: same fields; additive: a new
 *   version (new optional fields, new labels, sensitivities or authorities); breaking:
 *   the server refuses it
 * @property {string} [rule]  why it breaks: i18n key under catalog.breaking
 * @property {Record<string, string>} [params]
 */

/** @param {Partial<import('./api.js').ResourceField> | import('./api.js').SpecField} f */
const normal = (f) => ({
  name: f.name ?? '',
  label: f.label ?? '',
  type: f.type ?? '',
  length: f.length ?? null,
  required: Boolean(f.required || f.key),
  key: Boolean(f.key),
  sensitivity: f.sensitivity ?? '',
  authority: f.authority ?? null,
  code_table: f.code_table ?? null,
});

/**
 * Compares the fields, as the server does before it takes an edit of a published resource
 * (catalog_spec.cpp, breaking_reason): the first reason it would refuse, if any.
 * @param {readonly (Partial<import('./api.js').ResourceField> | import('./api.js').SpecField)[]} current
 * @param {readonly import('./api.js').SpecField[]} next
 * @returns {SchemaChange}
 */
export function schemaChange(current, next) {
  const before = current.map(normal);
  const after = next.map(normal);
  const byName = new Map(after.map((f) => [f.name, f]));
  for (const f of before) {
    const n = byName.get(f.name);
    if (!n) return { change: 'breaking', rule: 'removed', params: { field: f.name } };
    if (n.type !== f.type) return { change: 'breaking', rule: 'retyped', params: { field: f.name, from: f.type, to: n.type } };
    if (n.key !== f.key) return { change: 'breaking', rule: 'keyChanged', params: { field: f.name } };
    if (n.required && !f.required) return { change: 'breaking', rule: 'becameRequired', params: { field: f.name } };
    if ((f.length ?? 4000) > (n.length ?? 4000)) return { change: 'breaking', rule: 'shorter', params: { field: f.name } };
    if (n.code_table !== f.code_table) return { change: 'breaking', rule: 'codeTableChanged', params: { field: f.name } };
  }
  const names = new Set(before.map((f) => f.name));
  for (const f of after) {
    if (!names.has(f.name) && (f.required || f.key)) return { change: 'breaking', rule: 'newRequired', params: { field: f.name } };
  }
  const same = before.length === after.length && before.every((f, i) => JSON.stringify(f) === JSON.stringify(after[i]));
  return { change: same ? 'none' : 'additive' };
}

/** Moves a row up (-1) or down (+1); the list is returned new. @template T @param {T[]} rows @param {number} i @param {-1 | 1} by */
export function moveRow(rows, i, by) {
  const j = i + by;
  if (i < 0 || i >= rows.length || j < 0 || j >= rows.length) return rows;
  const out = rows.slice();
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/**
 * @typedef {Object} OrgRef  what the pickers need of GET /api/orgs
 * @property {string} code
 * @property {string} path  '/1/7/'
 */

/**
 * The organisations whose catalog a user may edit by their grants: each grant's own, and
 * those below it when the grant covers its subtree. The server decides in the end (a
 * grant's role may lack catalog.resource.edit); this keeps the picker short.
 * @template {OrgRef} O
 * @param {readonly O[]} orgs
 * @param {readonly {org: string, include_subtree: boolean}[]} grants
 * @returns {O[]}
 */
export function editableOrgs(orgs, grants) {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const roots = grants
    .map((g) => ({ org: byCode.get(g.org), subtree: g.include_subtree }))
    .filter((g) => g.org !== undefined);
  return orgs.filter((o) =>
    roots.some(({ org, subtree }) => org && (org.code === o.code || (subtree && o.path.startsWith(org.path)))),
  );
}
