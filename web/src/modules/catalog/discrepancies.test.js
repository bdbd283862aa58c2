import { describe, expect, it } from 'vitest';
import { DISCREPANCIES_PATH, keyLabel, listQuery, replaceItem, stateTagType } from './discrepancies.js';

describe('discrepancies', () => {
  it('lives under the catalog', () => {
    expect(DISCREPANCIES_PATH).toBe('/workbench/catalog/discrepancies');
  });

  it.each([
    [{}, { limit: 20, side: 'authority', state: 'open' }],
    [{ view: 'follow', state: 'all' }, { limit: 20, side: 'proposer' }],
    [{ view: 'all', state: 'rejected', resource: 'gaj.population', cursor: '12', limit: 5 },
      { limit: 5, state: 'rejected', resource: 'gaj.population', cursor: '12' }],
    [{ view: 'resolve', state: '' }, { limit: 20, side: 'authority' }],
  ])('builds the list query %j', (q, expected) => {
    expect(listQuery(q)).toEqual(expected);
  });

  it.each([
    ['330106198805121237', '330106198805121237'],
    ['91330106MA2H7K3T56\u001f2026', '91330106MA2H7K3T56 · 2026'],
    ['a\u001e\u001fb\u001fc', 'a\u001fb · c'],
    ['', ''],
    [null, ''],
  ])('shows the key %j as %j', (key, shown) => {
    expect(keyLabel(key)).toBe(shown);
  });

  it('colours states and replaces an answered item', () => {
    expect(stateTagType('open')).toBe('warning');
    expect(stateTagType('accepted')).toBe('success');
    expect(stateTagType('rejected')).toBe('info');
    const items = /** @type {any[]} */ ([{ id: 1, state: 'open' }, { id: 2, state: 'open' }]);
    expect(replaceItem(items, /** @type {any} */ ({ id: 2, state: 'accepted' }))).toEqual([
      { id: 1, state: 'open' },
      { id: 2, state: 'accepted' },
    ]);
  });
});
