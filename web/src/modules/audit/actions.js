// What the audit records name: actions, the groups they fall into (the word before the
// first dot, which is also the record's object type), outcomes and kinds of actor, as
// readable labels from i18n. Names the page does not know are shown as they are.

/**
 * The actions the server records, by group, in the order the suggestions list them.
 * Each has the label `audit.actions.<action>` (a dotted i18n path).
 */
export const KNOWN_ACTIONS = Object.freeze([
  'auth.login',
  'auth.logout',
  'auth.password.change',
  'auth.totp.enrol',
  'auth.session.revoke',
  'auth.session.end',
  'auth.login_log.read',
  'user.create',
  'user.read',
  'user.unlock',
  'user.reset_password',
  'user.disable',
  'user.enable',
  'grant.create',
  'grant.revoke',
  'role.create',
  'role.update',
  'org.create',
  'org.update',
  'org.move',
  'org.delete',
  'client.create',
  'client.rotate',
  'client.disable',
  'client.enable',
  'calendar.replace_year',
  'audit.read',
  'audit.export',
  'audit.verify',
  'audit.purged',
]);

/** The groups of the known actions, in order; each has the label `audit.groups.<group>`. */
export const ACTION_GROUPS = Object.freeze([...new Set(KNOWN_ACTIONS.map((a) => a.slice(0, a.indexOf('.'))))]);

const KNOWN = new Set(KNOWN_ACTIONS);
const GROUPS = new Set(ACTION_GROUPS);

/** @typedef {(key: string, params?: Record<string, unknown>) => string} Translate */

/**
 * The i18n key of an action's label, or null for an action the page does not know.
 * @param {string | null | undefined} action
 */
export function actionLabelKey(action) {
  return action && KNOWN.has(action) ? `audit.actions.${action}` : null;
}

/**
 * An action's readable label ('新建用户' for user.create); unknown actions as they are.
 * @param {string | null | undefined} action @param {Translate} t
 */
export function actionLabel(action, t) {
  const key = actionLabelKey(action);
  return key ? t(key) : (action ?? '');
}

/**
 * A group's (or object type's) readable label ('用户' for user); unknown ones as they are.
 * @param {string | null | undefined} group @param {Translate} t
 */
export function groupLabel(group, t) {
  return group && GROUPS.has(group) ? t(`audit.groups.${group}`) : (group ?? '');
}

/**
 * @typedef {Object} ActionSuggestion  one entry of the action filter's suggestions
 * @property {string} value  what goes into the filter (a prefix: the group, or an action)
 * @property {string} label  its readable label
 * @property {boolean} group  a whole group (prefix) rather than one action
 */

/**
 * The suggestions for what was typed into the action filter: groups and actions whose
 * name or label contains it (case-insensitive), each group followed by its actions. All
 * of them for empty input.
 * @param {string | null | undefined} typed @param {Translate} t
 * @returns {ActionSuggestion[]}
 */
export function actionSuggestions(typed, t) {
  const q = (typed ?? '').trim().toLowerCase();
  const matches = (/** @type {string} */ value, /** @type {string} */ label) =>
    !q || value.toLowerCase().includes(q) || label.toLowerCase().includes(q);
  /** @type {ActionSuggestion[]} */
  const out = [];
  for (const group of ACTION_GROUPS) {
    const label = t('audit.groups.all', { group: groupLabel(group, t) });
    if (matches(group, label)) out.push({ value: group, label, group: true });
    for (const action of KNOWN_ACTIONS) {
      if (!action.startsWith(`${group}.`)) continue;
      const actionText = actionLabel(action, t);
      if (matches(action, actionText)) out.push({ value: action, label: actionText, group: false });
    }
  }
  return out;
}

/** Element Plus tag types of the outcomes: success green, failure red, denied orange. */
const OUTCOME_TAGS = Object.freeze({ success: 'success', failure: 'danger', denied: 'warning' });

/** @param {string} outcome @returns {'success' | 'danger' | 'warning' | 'info'} */
export function outcomeTagType(outcome) {
  return /** @type {Record<string, 'success' | 'danger' | 'warning'>} */ (OUTCOME_TAGS)[outcome] ?? 'info';
}

const ACTOR_KINDS = new Set(['user', 'client', 'system', 'anonymous']);

/**
 * @param {string} kind @param {Translate} t
 * @returns {string} '用户', '接入系统', '系统', '匿名', or the kind as it is
 */
export function actorKindLabel(kind, t) {
  return ACTOR_KINDS.has(kind) ? t(`audit.actorKinds.${kind}`) : kind;
}

/**
 * A record's `details` (a JSON object as text) as [key, text] pairs for display; null
 * when it is empty or not a JSON object (then the text is shown as it is).
 * @param {string | null | undefined} details
 * @returns {[string, string][] | null}
 */
export function detailEntries(details) {
  if (!details) return null;
  let parsed;
  try {
    parsed = JSON.parse(details);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}
