// The rules the sharing pages show, as plain functions (the server decides in the end;
// these only choose what to offer and how to colour it): which tabs a user has, the
// deadline of an application as a colour and a phrase, the state of a grant, which
// fields may be asked in clear, the bodies of a request and a decision, and the query of
// the data-use record. See modules/data/sharing.hpp for the rules themselves.

/** @typedef {import('./api.js').ShareApplication} ShareApplication */
/** @typedef {import('./api.js').Grant} Grant */
/** @typedef {'' | 'success' | 'info' | 'warning' | 'danger' | 'primary'} TagType */
/** @typedef {(permission: string) => boolean} Can */

export const APPLY = 'sharing.apply';
export const REVIEW = 'sharing.review';
export const OVERSEE = 'sharing.oversee';
/** Any one of them opens the sharing pages. */
export const SHARING_PERMISSIONS = Object.freeze([APPLY, REVIEW, OVERSEE]);

/** Sensitivities masked unless granted in clear (DOMAIN.md; modules/data/masking.hpp). */
export const PERSONAL_SENSITIVITIES = Object.freeze(['personal', 'sensitive']);
export const APPLICATION_STATES = Object.freeze(['pending', 'approved', 'refused', 'withdrawn']);
export const GRANT_ORIGINS = Object.freeze(['request', 'application', 'operator']);
/** The server's limits (sharing.hpp): a grant lasts at most five years; a purpose is one line. */
export const MAX_DURATION_DAYS = 1826;
export const DEFAULT_DURATION_DAYS = 365;
export const MAX_PURPOSE_CHARS = 200;
export const MAX_LEGAL_BASIS_CHARS = 500;

// ---- tabs ----

/** @typedef {'consumer' | 'provider' | 'escalated' | 'all'} ApplicationTab */
/** @typedef {'consumer' | 'provider' | 'all'} GrantTab */

/**
 * The tabs of 共享审批: 我的申请 (a consumer's staff), 待我审批 (the provider's reviewers),
 * 超期督办 and 全部 (the big-data centre).
 * @param {Can} can @returns {ApplicationTab[]}
 */
export function applicationTabs(can) {
  /** @type {ApplicationTab[]} */
  const tabs = [];
  if (can(APPLY)) tabs.push('consumer');
  if (can(REVIEW)) tabs.push('provider');
  if (can(OVERSEE)) tabs.push('escalated', 'all');
  return tabs;
}

/**
 * The tabs of 共享授权: what the department holds and what it gave (anyone of it who
 * applies or reviews; only reviewers revoke), and everything (the big-data centre).
 * @param {Can} can @returns {GrantTab[]}
 */
export function grantTabs(can) {
  /** @type {GrantTab[]} */
  const tabs = [];
  if (can(APPLY) || can(REVIEW)) tabs.push('consumer', 'provider');
  if (can(OVERSEE)) tabs.push('all');
  return tabs;
}

/**
 * The tab an address names, when the user has it; else the first they have.
 * @template {string} T
 * @param {unknown} wanted @param {readonly T[]} tabs @returns {T | ''}
 */
export function pickTab(wanted, tabs) {
  const w = Array.isArray(wanted) ? wanted[0] : wanted;
  return tabs.includes(/** @type {T} */ (w)) ? /** @type {T} */ (w) : (tabs[0] ?? '');
}

/**
 * The state a tab lists at first: a reviewer's and the centre's to-do lists what still
 * waits; the others every state.
 * @param {ApplicationTab | ''} tab @returns {'' | 'pending'}
 */
export const defaultStateFilter = (tab) => (tab === 'provider' || tab === 'escalated' ? 'pending' : '');

// ---- deadlines and states ----

/** @type {Record<string, TagType>} */
const DEADLINE_TAGS = { on_time: 'info', due_soon: 'warning', due_today: 'danger', overdue: 'danger' };

/**
 * The colour of an application's due day: plain while on time, amber within two working
 * days, red on the day and after it; plain once decided (null).
 * @param {string | null | undefined} deadline @returns {TagType}
 */
export const deadlineTagType = (deadline) => (deadline ? DEADLINE_TAGS[deadline] ?? 'info' : 'info');

/**
 * @typedef {Object} DeadlinePhrase  an i18n key under sharing.deadline and its count
 * @property {'decided' | 'overdue' | 'dueToday' | 'daysLeft'} key
 * @property {number} n
 */

/**
 * How an application stands against its due day: decided (no count), overdue by n
 * working days, due today, or n working days left.
 * @param {Pick<ShareApplication, 'state' | 'deadline' | 'working_days_left'>} app
 * @returns {DeadlinePhrase}
 */
export function deadlinePhrase(app) {
  const left = app.working_days_left;
  if (app.state !== 'pending' || !app.deadline || left === null || left === undefined) return { key: 'decided', n: 0 };
  if (app.deadline === 'overdue' || left < 0) return { key: 'overdue', n: Math.max(1, -left) };
  if (app.deadline === 'due_today' || left === 0) return { key: 'dueToday', n: 0 };
  return { key: 'daysLeft', n: left };
}

/** @type {Record<string, TagType>} */
const APPLICATION_STATE_TAGS = { pending: 'warning', approved: 'success', refused: 'danger', withdrawn: 'info' };

/** @param {string} state @returns {TagType} */
export const applicationStateTagType = (state) => APPLICATION_STATE_TAGS[state] ?? '';

/** @typedef {'active' | 'revoked' | 'expired'} GrantState */

/**
 * 有效, 已撤销 (with its reason) or 已过期: a revoked grant says so even after its end.
 * @param {Pick<Grant, 'active' | 'revoked_at'>} grant @returns {GrantState}
 */
export function grantState(grant) {
  if (grant.revoked_at) return 'revoked';
  return grant.active ? 'active' : 'expired';
}

/** @type {Record<GrantState, TagType>} */
const GRANT_STATE_TAGS = { active: 'success', revoked: 'danger', expired: 'info' };

/** @param {GrantState} state @returns {TagType} */
export const grantStateTagType = (state) => GRANT_STATE_TAGS[state] ?? '';

// ---- fields ----

/**
 * @typedef {Object} FieldItem  a field as a list shows it
 * @property {string} name
 * @property {string} label  the resource's label, else the name
 * @property {boolean} clear  given (or asked) unmasked
 */

/**
 * Field names as the lists show them: labelled, in the given order, the clear ones marked.
 * @param {readonly string[] | null | undefined} fields
 * @param {readonly string[] | null | undefined} clearFields
 * @param {(name: string) => string | undefined} [labelOf]
 * @returns {FieldItem[]}
 */
export function fieldItems(fields, clearFields, labelOf = () => undefined) {
  const clear = new Set(clearFields ?? []);
  return (fields ?? []).map((name) => ({ name, label: labelOf(name) || name, clear: clear.has(name) }));
}

/**
 * The fields of a resource that may be asked in clear: the personal and sensitive ones
 * among those chosen (others are never masked), in the resource's order.
 * @param {readonly {name: string, sensitivity: string}[]} resourceFields
 * @param {readonly string[]} chosen
 * @returns {string[]}
 */
export function clearCandidates(resourceFields, chosen) {
  const picked = new Set(chosen);
  return resourceFields.filter((f) => picked.has(f.name) && PERSONAL_SENSITIVITIES.includes(f.sensitivity)).map((f) => f.name);
}

/**
 * What stays of the clear choice when the chosen fields change: only fields still chosen
 * (and still allowed), in the order they were.
 * @param {readonly string[]} clear @param {readonly string[]} allowed
 * @returns {string[]}
 */
export function keepClear(clear, allowed) {
  const ok = new Set(allowed);
  return clear.filter((name) => ok.has(name));
}

/**
 * Whether a request goes to the provider for a decision (server: needs_application):
 * always for conditional sharing; for unconditional only when personal or sensitive
 * fields are asked in clear.
 * @param {{share_type: string, fields: readonly {name: string, sensitivity: string}[]}} resource
 * @param {readonly string[]} clear
 */
export function needsApplication(resource, clear) {
  if (resource.share_type !== 'unconditional') return true;
  const personal = new Set(clearCandidates(resource.fields, clear));
  return clear.some((name) => personal.has(name));
}

/**
 * Whether to offer "申请共享" on a resource: published, shared at all, another
 * department's, and the user applies for their own department.
 * @param {{state: string, share_type: string, provider: string} | null | undefined} resource
 * @param {{org?: string | null} | null | undefined} user
 * @param {Can} can
 */
export function mayApplyFor(resource, user, can) {
  if (!resource || !user?.org || !can(APPLY)) return false;
  return resource.state === 'published' && resource.share_type !== 'none' && resource.provider !== user.org;
}

// ---- what a user may do with a row ----

/**
 * @typedef {Object} Actor  who is looking, for the row actions
 * @property {string | null | undefined} org  the user's organisation code
 * @property {Can} can
 */

/**
 * The provider's reviewers decide a pending application; the big-data centre once it has
 * escalated past its due day.
 * @param {Pick<ShareApplication, 'state' | 'provider' | 'escalated'>} app @param {Actor} who
 */
export function mayDecide(app, { org, can }) {
  if (app.state !== 'pending') return false;
  return (Boolean(org) && app.provider === org && can(REVIEW)) || (app.escalated && can(OVERSEE));
}

/** The applying department withdraws while pending. @param {Pick<ShareApplication, 'state' | 'consumer_org'>} app @param {Actor} who */
export const mayWithdraw = (app, { org, can }) => app.state === 'pending' && Boolean(org) && app.consumer_org === org && can(APPLY);

/** A grant in force is revoked by its provider's reviewers or the centre. @param {Grant} grant @param {Actor} who */
export const mayRevoke = (grant, { org, can }) =>
  grantState(grant) === 'active' && ((Boolean(org) && grant.provider === org && can(REVIEW)) || can(OVERSEE));

// ---- request bodies ----

/**
 * @typedef {Object} ApplyForm
 * @property {string[]} fields
 * @property {string[]} clear
 * @property {string} purpose
 * @property {string} legalBasis
 * @property {number | null | undefined} durationDays
 */

/**
 * The body of a request: fields in the resource's order, clear ones among them only,
 * texts trimmed, an empty legal basis left out.
 * @param {string} resource  code
 * @param {readonly {name: string}[]} resourceFields
 * @param {ApplyForm} form
 * @returns {import('./api.js').ShareRequestBody}
 */
export function applyBody(resource, resourceFields, form) {
  const chosen = new Set(form.fields);
  const clear = new Set(form.clear);
  const fields = resourceFields.map((f) => f.name).filter((n) => chosen.has(n));
  /** @type {import('./api.js').ShareRequestBody} */
  const body = {
    resource,
    fields,
    clear_fields: fields.filter((n) => clear.has(n)),
    purpose: form.purpose.trim(),
  };
  const basis = form.legalBasis.trim();
  if (basis) body.legal_basis = basis;
  if (form.durationDays) body.duration_days = form.durationDays;
  return body;
}

/**
 * @typedef {Object} DecideForm
 * @property {'approve' | 'refuse'} decision
 * @property {string[]} fields  kept
 * @property {string[]} clear  kept in clear
 * @property {number | null | undefined} durationDays
 * @property {string} note
 */

/**
 * The body of a decision. Approving sends what is kept (in the order asked; clear ones
 * only among the kept); refusing sends only the reason.
 * @param {Pick<ShareApplication, 'fields' | 'clear_fields'>} app @param {DecideForm} form
 * @returns {import('./api.js').DecisionBody}
 */
export function decisionBody(app, form) {
  const note = form.note.trim();
  if (form.decision === 'refuse') return { decision: 'refuse', note };
  const kept = new Set(form.fields);
  const fields = app.fields.filter((n) => kept.has(n));
  const clear = new Set(keepClear(form.clear, fields));
  /** @type {import('./api.js').DecisionBody} */
  const body = { decision: 'approve', fields, clear_fields: app.clear_fields.filter((n) => clear.has(n)) };
  if (form.durationDays) body.duration_days = form.durationDays;
  if (note) body.note = note;
  return body;
}

// ---- the data-use record ----

/**
 * @typedef {Object} DataUseFilters
 * @property {string} org  a department's code, '' for any
 * @property {string} resource  a resource code, '' for any
 * @property {[string, string] | null} range  YYYY-MM-DD, both inclusive
 */

/** @returns {DataUseFilters} */
export const emptyDataUseFilters = () => ({ org: '', resource: '', range: null });

/**
 * The query of GET /api/me/data-use: blank filters left out.
 * @param {DataUseFilters} filters @param {{limit?: number, cursor?: string | null}} [paging]
 * @returns {Record<string, string | number>}
 */
export function dataUseQuery(filters, { limit, cursor } = {}) {
  /** @type {Record<string, string | number>} */
  const q = {};
  if (filters.org.trim()) q.org = filters.org.trim();
  if (filters.resource.trim()) q.resource = filters.resource.trim();
  if (filters.range?.[0]) q.from = filters.range[0];
  if (filters.range?.[1]) q.to = filters.range[1];
  if (limit) q.limit = limit;
  if (cursor) q.cursor = cursor;
  return q;
}

/**
 * The choices of a filter, from what the list has shown: each code once with its name,
 * sorted by name. Citizens cannot read the directories, so the departments and resources
 * that read their data are the ones worth offering.
 * @param {readonly {value: string, label: string}[]} known
 * @param {readonly Record<string, unknown>[]} items
 * @param {string} valueKey  e.g. 'org'
 * @param {string} labelKey  e.g. 'org_name'
 * @returns {{value: string, label: string}[]}
 */
export function mergeOptions(known, items, valueKey, labelKey) {
  const byValue = new Map(known.map((o) => [o.value, o.label]));
  for (const item of items) {
    const value = String(item[valueKey] ?? '');
    if (!value) continue;
    const label = String(item[labelKey] ?? '') || byValue.get(value) || value;
    byValue.set(value, label);
  }
  return [...byValue].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
}
