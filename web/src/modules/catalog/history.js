// A resource's history as the resource page tells it: what each lifecycle event was, the
// rejection a provider has to read, and what each schema version changed.

/** @typedef {'created' | 'submitted' | 'approved' | 'rejected' | 'retired' | 'other'} EventKind */

/**
 * What a state change was, by where it came from and went: created (from nothing),
 * submitted (draft → submitted), approved (submitted → published), rejected (submitted →
 * draft, with the reviewer's reason), retired (published → retired).
 * @param {{from: string | null, to: string}} e
 * @returns {EventKind}
 */
export function eventKind(e) {
  if (!e.from) return 'created';
  if (e.from === 'draft' && e.to === 'submitted') return 'submitted';
  if (e.from === 'submitted' && e.to === 'published') return 'approved';
  if (e.from === 'submitted' && e.to === 'draft') return 'rejected';
  if (e.from === 'published' && e.to === 'retired') return 'retired';
  return 'other';
}

/** @type {Record<EventKind, '' | 'primary' | 'success' | 'warning' | 'danger' | 'info'>} */
const EVENT_COLOURS = { created: 'info', submitted: 'primary', approved: 'success', rejected: 'warning', retired: 'danger', other: '' };

/** The el-timeline-item type of an event. @param {EventKind} kind */
export const eventType = (kind) => EVENT_COLOURS[kind] ?? '';

/**
 * The rejection a draft is waiting on: the last event when it sent the resource back, while
 * the resource is still a draft; null otherwise (never sent back, or resubmitted since).
 * @param {{state: string, events?: import('./api.js').LifecycleEvent[]}} resource
 * @returns {import('./api.js').LifecycleEvent | null}
 */
export function pendingRejection(resource) {
  if (resource.state !== 'draft') return null;
  const last = resource.events?.at(-1);
  return last && eventKind(last) === 'rejected' ? last : null;
}

/**
 * The newest events first, as a timeline reads.
 * @template T @param {readonly T[] | undefined} events @returns {T[]}
 */
export const newestFirst = (events) => [...(events ?? [])].reverse();

/**
 * @typedef {Object} VersionDiff
 * @property {string[]} added  field names
 * @property {string[]} removed
 * @property {string[]} retyped
 * @property {string[]} relabelled
 */

/**
 * What a version changed in the fields against the one before it (none for the first).
 * @param {{fields: {name: string, label: string, type: string}[]} | undefined} before
 * @param {{fields: {name: string, label: string, type: string}[]}} after
 * @returns {VersionDiff}
 */
export function versionDiff(before, after) {
  /** @type {VersionDiff} */
  const out = { added: [], removed: [], retyped: [], relabelled: [] };
  if (!before) return out;
  const old = new Map(before.fields.map((f) => [f.name, f]));
  const now = new Set(after.fields.map((f) => f.name));
  for (const f of after.fields) {
    const o = old.get(f.name);
    if (!o) out.added.push(f.name);
    else if (o.type !== f.type) out.retyped.push(f.name);
    else if (o.label !== f.label) out.relabelled.push(f.name);
  }
  for (const f of before.fields) if (!now.has(f.name)) out.removed.push(f.name);
  return out;
}
