import { describe, expect, it } from 'vitest';
import {
  emptyFilters,
  facetOptions,
  filtersFromQuery,
  hasFilters,
  highlight,
  mergeFacets,
  offsetOf,
  pageOf,
  queryFromFilters,
  searchQueries,
} from './search.js';
import { SHARE_TYPES } from './vocab.js';

/** @param {Partial<import('./search.js').Filters>} over */
const filters = (over) => ({ ...emptyFilters(over.tab), ...over });

describe('catalog filters in the address', () => {
  it('reads tab, text, lists and offset, dropping what it does not know', () => {
    expect(
      filtersFromQuery({
        tab: 'mine',
        q: ' 社保 ',
        share_type: 'conditional,bogus,conditional',
        category: ['base,thematic'],
        state: 'draft,published',
        provider: '330100-RSJ',
        offset: '40',
      }),
    ).toEqual({
      tab: 'mine',
      q: '社保',
      provider: [], // the own-department tab has no provider filter
      share_type: ['conditional'],
      open_type: [],
      category: ['base', 'thematic'],
      state: ['draft'], // published is not a state this tab shows
      offset: 40,
    });
  });

  it('falls back to the catalog tab for a tab the user does not have, and to the first page', () => {
    const f = filtersFromQuery({ tab: 'review', offset: '-3', provider: '330100-GAJ,,330100-RSJ' }, ['all', 'mine']);
    expect(f.tab).toBe('all');
    expect(f.offset).toBe(0);
    expect(f.provider).toEqual(['330100-GAJ', '330100-RSJ']);
    expect(filtersFromQuery({ tab: 'nope', offset: '2.5' })).toEqual(emptyFilters());
  });

  it('writes only what differs from the defaults, and reads back the same', () => {
    expect(queryFromFilters(emptyFilters())).toEqual({});
    const f = filters({ tab: 'review', q: '户籍', provider: ['330100-GAJ'], open_type: ['closed', 'open'], offset: 20 });
    const q = queryFromFilters(f);
    expect(q).toEqual({ tab: 'review', q: '户籍', provider: '330100-GAJ', open_type: 'closed,open', offset: '20' });
    expect(filtersFromQuery(q)).toEqual(f);
  });

  it('knows when the user narrowed the results', () => {
    expect(hasFilters(emptyFilters())).toBe(false);
    expect(hasFilters(filters({ q: ' ' }))).toBe(false);
    expect(hasFilters(filters({ q: '社保' }))).toBe(true);
    expect(hasFilters(filters({ category: ['base'] }))).toBe(true);
  });
});

describe('catalog search queries', () => {
  it('shows the published catalog by default, a page at a time', () => {
    expect(searchQueries(emptyFilters())).toEqual({ main: { state: 'published,retired', offset: 0, limit: 20 }, facets: {} });
    expect(searchQueries(filters({ offset: 40 }), { limit: 10 }).main).toEqual({ state: 'published,retired', offset: 40, limit: 10 });
  });

  it('asks for the own department’s drafts and submissions, naming the provider as the server wants', () => {
    expect(searchQueries(emptyFilters('mine'), { ownOrg: '330100-GAJ' }).main).toEqual({
      provider: '330100-GAJ',
      state: 'draft,submitted',
      offset: 0,
      limit: 20,
    });
    expect(searchQueries(filters({ tab: 'mine', state: ['submitted'] }), { ownOrg: '330100-GAJ' }).main.state).toBe('submitted');
  });

  it('asks the reviewers’ tab for what is submitted', () => {
    const { main } = searchQueries(filters({ tab: 'review', q: '低保', provider: ['330100-MZJ'] }));
    expect(main).toEqual({ q: '低保', provider: '330100-MZJ', state: 'submitted', offset: 0, limit: 20 });
  });

  it('counts each ticked group without its own selection, from the first result', () => {
    const f = filters({ q: '社保', share_type: ['conditional'], category: ['base', 'thematic'], offset: 20 });
    const { main, facets } = searchQueries(f);
    expect(main).toEqual({ q: '社保', share_type: 'conditional', category: 'base,thematic', state: 'published,retired', offset: 20, limit: 20 });
    expect(facets).toEqual({
      share_type: { q: '社保', category: 'base,thematic', state: 'published,retired', offset: 0, limit: 1 },
      category: { q: '社保', share_type: 'conditional', state: 'published,retired', offset: 0, limit: 1 },
    });
    const states = searchQueries(filters({ state: ['retired'] })).facets.state;
    expect(states).toEqual({ state: 'published,retired', offset: 0, limit: 1 });
  });

  it('takes each ticked group’s counts from the answer that left its selection out', () => {
    const main = { share_type: { conditional: 3 }, category: { base: 1, thematic: 2 } };
    const merged = mergeFacets(main, { share_type: { share_type: { conditional: 3, unconditional: 1 }, category: { base: 9 } } });
    expect(merged).toEqual({ share_type: { conditional: 3, unconditional: 1 }, category: { base: 1, thematic: 2 } });
    expect(mergeFacets(undefined, { state: undefined })).toEqual({ state: {} });
  });
});

describe('facet options', () => {
  it('lists values with results in the vocabulary’s order, and keeps ticked ones with none', () => {
    expect(facetOptions({ none: 1, conditional: 4, unconditional: 0 }, ['unconditional'], SHARE_TYPES)).toEqual([
      { value: 'unconditional', count: 0, selected: true },
      { value: 'conditional', count: 4, selected: false },
      { value: 'none', count: 1, selected: false },
    ]);
  });

  it('orders providers by count, then by code', () => {
    expect(facetOptions({ '330100-RSJ': 1, '330100-GAJ': 1, '330100-MZJ': 3 }, []).map((o) => o.value)).toEqual([
      '330100-MZJ',
      '330100-GAJ',
      '330100-RSJ',
    ]);
    expect(facetOptions(undefined, [])).toEqual([]);
  });
});

describe('highlighting and pages', () => {
  it('marks every word of the search in a text', () => {
    expect(highlight('职工社会保险参保信息（社保）', '社保 参保')).toEqual([
      { text: '职工社会保险', hit: false },
      { text: '参保', hit: true },
      { text: '信息（', hit: false },
      { text: '社保', hit: true },
      { text: '）', hit: false },
    ]);
    expect(highlight('GB/T 2261', 'gb')).toEqual([
      { text: 'GB', hit: true },
      { text: '/T 2261', hit: false },
    ]);
    expect(highlight('a.b', '.')).toEqual([
      { text: 'a', hit: false },
      { text: '.', hit: true },
      { text: 'b', hit: false },
    ]);
    expect(highlight('户籍', '')).toEqual([{ text: '户籍', hit: false }]);
    expect(highlight('', '户籍')).toEqual([]);
  });

  it('turns offsets into page numbers and back', () => {
    expect([0, 19, 20, 45].map((o) => pageOf(o))).toEqual([1, 1, 2, 3]);
    expect([1, 2, 3, 0].map((p) => offsetOf(p))).toEqual([0, 20, 40, 0]);
    expect(offsetOf(3, 10)).toBe(20);
  });
});
