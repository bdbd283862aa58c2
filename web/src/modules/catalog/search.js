// The catalog page's search: its tabs, the filters as the page's address (so that "back"
// from a resource returns to the same results), the queries of GET /api/catalog/resources,
// and the facet counts as filter options.
//
// Facets are counted "disjunctively": the server counts each facet over the results of
// every filter, so once 有条件共享 is ticked the share-type group would only ever show
// that one value. For each group with a selection the page therefore asks once more
// without that group's own selection (one result, the facets are what it wants), and
// shows that group's counts from that answer: ticking a second value then shows how many
// it adds.
import { CATEGORIES, OPEN_TYPES, SHARE_TYPES, STATES } from './vocab.js';

/** @typedef {'all' | 'mine' | 'review'} Tab */
/** @typedef {'provider' | 'share_type' | 'open_type' | 'category' | 'state'} Dimension */

/**
 * @typedef {Object} Filters  what the catalog page shows
 * @property {Tab} tab
 * @property {string} q
 * @property {string[]} provider  org codes
 * @property {string[]} share_type
 * @property {string[]} open_type
 * @property {string[]} category
 * @property {string[]} state
 * @property {number} offset
 */

/** @type {readonly Dimension[]} */
export const DIMENSIONS = Object.freeze(['provider', 'share_type', 'open_type', 'category', 'state']);

/** The values a dimension may take (null: any, e.g. org codes). */
const VOCABULARIES = /** @type {Record<Dimension, readonly string[] | null>} */ ({
  provider: null,
  share_type: SHARE_TYPES,
  open_type: OPEN_TYPES,
  category: CATEGORIES,
  state: STATES,
});

/**
 * @typedef {Object} TabSpec
 * @property {readonly Dimension[]} dimensions  the filter groups the tab offers
 * @property {readonly string[]} states  the states it shows (all of them when none is ticked)
 * @property {boolean} ownProvider  fixed to the user's own organisation
 */

/** @type {Readonly<Record<Tab, TabSpec>>} */
export const TABS = Object.freeze({
  // The catalog everyone reads: published resources, and retired ones (marked).
  all: { dimensions: ['provider', 'share_type', 'open_type', 'category', 'state'], states: ['published', 'retired'], ownProvider: false },
  // An editor's own department: its drafts and what waits for review.
  mine: { dimensions: ['share_type', 'open_type', 'category', 'state'], states: ['draft', 'submitted'], ownProvider: true },
  // The big-data centre: what waits for its decision.
  review: { dimensions: ['provider', 'share_type', 'open_type', 'category'], states: ['submitted'], ownProvider: false },
});

export const PAGE_SIZE = 20;

/** @returns {Filters} */
export function emptyFilters(/** @type {Tab} */ tab = 'all') {
  return { tab, q: '', provider: [], share_type: [], open_type: [], category: [], state: [], offset: 0 };
}

/** @param {unknown} v @returns {string} the first value of a route query entry */
const first = (v) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

/**
 * A comma-separated list from the address, without blanks and repeats, and only values
 * the dimension knows.
 * @param {unknown} v @param {readonly string[] | null} known
 */
function listOf(v, known) {
  const out = [];
  for (const part of first(v).split(',')) {
    const s = part.trim();
    if (s && !out.includes(s) && (!known || known.includes(s))) out.push(s);
  }
  return out;
}

/**
 * The filters the address holds (`?tab=mine&q=社保&share_type=conditional&offset=20`).
 * Unknown tabs and values are dropped; a tab the user may not open becomes 'all'.
 * @param {Record<string, unknown>} query  the route's query
 * @param {readonly Tab[]} [tabs]  the tabs this user has
 * @returns {Filters}
 */
export function filtersFromQuery(query, tabs = ['all', 'mine', 'review']) {
  const asked = /** @type {Tab} */ (first(query.tab));
  const tab = tabs.includes(asked) && asked in TABS ? asked : 'all';
  const filters = emptyFilters(tab);
  filters.q = first(query.q).trim().slice(0, 100);
  for (const dim of TABS[tab].dimensions) {
    const values = listOf(query[dim], VOCABULARIES[dim]);
    filters[dim] = dim === 'state' ? values.filter((s) => TABS[tab].states.includes(s)) : values;
  }
  const offset = Number(first(query.offset));
  filters.offset = Number.isInteger(offset) && offset > 0 ? offset : 0;
  return filters;
}

/**
 * The address of the filters: only what differs from the defaults, lists comma-separated.
 * @param {Filters} filters
 * @returns {Record<string, string>}
 */
export function queryFromFilters(filters) {
  /** @type {Record<string, string>} */
  const out = {};
  if (filters.tab !== 'all') out.tab = filters.tab;
  const q = filters.q.trim();
  if (q) out.q = q;
  for (const dim of TABS[filters.tab].dimensions) if (filters[dim].length) out[dim] = filters[dim].join(',');
  if (filters.offset > 0) out.offset = String(filters.offset);
  return out;
}

/** Whether the user narrowed the results (a text or a ticked value). @param {Filters} filters */
export function hasFilters(filters) {
  return Boolean(filters.q.trim()) || TABS[filters.tab].dimensions.some((d) => filters[d].length > 0);
}

/**
 * @typedef {Object} SearchQueries
 * @property {Record<string, string | number>} main  the page of results
 * @property {Partial<Record<Dimension, Record<string, string | number>>>} facets  for each
 *   group with a selection: the same search without that selection (one result)
 */

/**
 * The queries of one search. The tab's fixed conditions always apply: 'mine' asks for the
 * own organisation's drafts and submissions (the server wants the provider named), 'review'
 * for what is submitted, 'all' for published and retired resources.
 * @param {Filters} filters
 * @param {{ownOrg?: string | null, limit?: number}} [ctx]
 * @returns {SearchQueries}
 */
export function searchQueries(filters, { ownOrg = null, limit = PAGE_SIZE } = {}) {
  const spec = TABS[filters.tab];
  /** @param {Dimension | null} without @returns {Record<string, string | number>} */
  const build = (without) => {
    /** @type {Record<string, string | number>} */
    const q = {};
    const text = filters.q.trim();
    if (text) q.q = text;
    if (spec.ownProvider) q.provider = ownOrg ?? '';
    for (const dim of spec.dimensions) {
      if (dim === without || dim === 'state' || !filters[dim].length) continue;
      q[dim] = filters[dim].join(',');
    }
    const ticked = without === 'state' ? [] : filters.state.filter((s) => spec.states.includes(s));
    q.state = (ticked.length ? ticked : spec.states).join(',');
    return q;
  };
  const main = { ...build(null), offset: Math.max(0, filters.offset), limit };
  /** @type {SearchQueries['facets']} */
  const facets = {};
  for (const dim of spec.dimensions) if (filters[dim].length) facets[dim] = { ...build(dim), offset: 0, limit: 1 };
  return { main, facets };
}

/**
 * The facets to show: the main answer's, with each group that had a selection taken from
 * the answer that left that selection out.
 * @param {import('./api.js').Facets | undefined} main
 * @param {Partial<Record<Dimension, import('./api.js').Facets | undefined>>} byDimension
 * @returns {import('./api.js').Facets}
 */
export function mergeFacets(main, byDimension) {
  /** @type {import('./api.js').Facets} */
  const out = { ...(main ?? {}) };
  for (const [dim, facets] of Object.entries(byDimension)) out[dim] = facets?.[dim] ?? {};
  return out;
}

/**
 * @typedef {Object} FacetOption
 * @property {string} value
 * @property {number} count
 * @property {boolean} selected
 */

/**
 * A filter group's options: every value with results, and every ticked one (a ticked
 * value with no results still shows, so it can be unticked). Values of a vocabulary keep
 * its order; others (providers) go by count, then by value.
 * @param {Record<string, number> | undefined} counts
 * @param {readonly string[]} selected
 * @param {readonly string[] | null} [order]
 * @returns {FacetOption[]}
 */
export function facetOptions(counts, selected, order = null) {
  const c = counts ?? {};
  const values = new Set([...Object.keys(c).filter((v) => (c[v] ?? 0) > 0), ...selected]);
  const options = [...values].map((value) => ({ value, count: c[value] ?? 0, selected: selected.includes(value) }));
  if (order) {
    const rank = (/** @type {string} */ v) => (order.includes(v) ? order.indexOf(v) : order.length);
    return options.sort((a, b) => rank(a.value) - rank(b.value) || a.value.localeCompare(b.value));
  }
  return options.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The order of each dimension's values in the filter groups. */
export const DIMENSION_ORDER = /** @type {Record<Dimension, readonly string[] | null>} */ (VOCABULARIES);

/**
 * A text cut into pieces, marking where the search's words occur (case-insensitive), for
 * highlighting in the results. Words are the search text split at spaces.
 * @param {string} text @param {string} q
 * @returns {{text: string, hit: boolean}[]}
 */
export function highlight(text, q) {
  const s = text ?? '';
  const words = [...new Set((q ?? '').trim().split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!s || !words.length) return s ? [{ text: s, hit: false }] : [];
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  return s
    .split(pattern)
    .filter((piece) => piece !== '')
    .map((piece) => ({ text: piece, hit: words.some((w) => w.toLowerCase() === piece.toLowerCase()) }));
}

/** The page number (from 1) of an offset. @param {number} offset @param {number} [limit] */
export const pageOf = (offset, limit = PAGE_SIZE) => Math.floor(Math.max(0, offset) / limit) + 1;

/** The offset of a page number. @param {number} page @param {number} [limit] */
export const offsetOf = (page, limit = PAGE_SIZE) => Math.max(0, Math.floor(page) - 1) * limit;
