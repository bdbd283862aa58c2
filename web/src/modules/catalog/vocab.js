// The catalog's vocabularies, as the server names them (modules/data/catalog_spec.hpp),
// and how the pages colour them. Labels come from i18n: catalog.<vocabulary>.<value>.

export const FIELD_TYPES = Object.freeze([
  'string',
  'integer',
  'decimal',
  'date',
  'datetime',
  'boolean',
  'code',
  'id_number',
  'uscc',
  'division',
  'phone',
  'geo_point',
]);
export const SENSITIVITIES = Object.freeze(['public', 'internal', 'personal', 'sensitive']);
export const CATEGORIES = Object.freeze(['base', 'thematic', 'departmental']);
export const SHARE_TYPES = Object.freeze(['unconditional', 'conditional', 'none']);
export const OPEN_TYPES = Object.freeze(['open', 'conditional', 'closed']);
export const UPDATE_CYCLES = Object.freeze(['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly']);
export const STATES = Object.freeze(['draft', 'submitted', 'published', 'retired']);
/** Types that cannot be part of a record key (the server refuses them). */
export const NON_KEY_TYPES = Object.freeze(['decimal', 'boolean', 'geo_point']);

/** @typedef {'' | 'success' | 'info' | 'warning' | 'danger' | 'primary'} TagType */

/** @type {Record<string, TagType>} */
const STATE_TAGS = { draft: 'info', submitted: 'warning', published: 'success', retired: 'danger' };
/** @type {Record<string, TagType>} */
const SENSITIVITY_TAGS = { public: 'success', internal: 'primary', personal: 'warning', sensitive: 'danger' };
/** @type {Record<string, TagType>} */
const SHARE_TAGS = { unconditional: 'success', conditional: 'warning', none: 'info' };
/** @type {Record<string, TagType>} */
const OPEN_TAGS = { open: 'success', conditional: 'warning', closed: 'info' };

/**
 * The el-tag type of a resource state: a draft grey, under review amber, published
 * green, retired red; anything else plain.
 * @param {string} state @returns {TagType}
 */
export const stateTagType = (state) => STATE_TAGS[state] ?? '';

/** Public green, internal blue, personal amber, sensitive red. @param {string} s @returns {TagType} */
export const sensitivityTagType = (s) => SENSITIVITY_TAGS[s] ?? '';

/** @param {string} s @returns {TagType} */
export const shareTagType = (s) => SHARE_TAGS[s] ?? '';

/** @param {string} s @returns {TagType} */
export const openTagType = (s) => OPEN_TAGS[s] ?? '';

/**
 * The label of a vocabulary value, or the value itself when it has none (a value a newer
 * server added).
 * @param {(key: string) => string} t  vue-i18n's t
 * @param {(key: string) => boolean} te  vue-i18n's te
 * @param {string} vocabulary  e.g. 'shareTypes'
 * @param {string | null | undefined} value
 */
export function vocabLabel(t, te, vocabulary, value) {
  if (!value) return '';
  const key = `catalog.${vocabulary}.${value}`;
  return te(key) ? t(key) : value;
}
