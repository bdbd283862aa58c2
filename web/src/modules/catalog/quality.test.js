import { describe, expect, it } from 'vitest';
import {
  QUALITY_PATH,
  findings,
  formatPercent,
  overviewQuery,
  qualityPath,
  scoreTagType,
  trendPoints,
  weakestFields,
} from './quality.js';

/** @param {Partial<import('./quality.js').FieldQuality>} f @returns {import('./quality.js').FieldQuality} */
const field = (f) => ({
  name: 'x',
  label: 'X',
  type: 'string',
  required: false,
  key: false,
  filled: 0,
  completeness: 100,
  invalid: 0,
  validity: 100,
  identifier: false,
  duplicate_records: 0,
  duplicate_values: 0,
  ...f,
});

describe('addresses', () => {
  it('puts the overview and a resource report under the catalog', () => {
    expect(QUALITY_PATH).toBe('/workbench/catalog/quality');
    expect(qualityPath('gaj.population')).toBe('/workbench/catalog/gaj.population/quality');
  });
});

describe('formatPercent', () => {
  it.each([
    [84, '84.0'],
    [66.7, '66.7'],
    [0, '0.0'],
    [100, '100.0'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });
});

describe('scoreTagType', () => {
  it.each([
    [100, 'success'],
    [90, 'success'],
    [89.9, 'warning'],
    [60, 'warning'],
    [59.9, 'danger'],
    [0, 'danger'],
    [null, 'info'],
  ])('%s → %s', (value, type) => {
    expect(scoreTagType(value)).toBe(type);
  });
});

describe('weakestFields', () => {
  const fields = [
    field({ name: 'id', key: true, completeness: 100 }),
    field({ name: 'phone', completeness: 40 }),
    field({ name: 'address', completeness: 40, required: true }),
    field({ name: 'born', completeness: 90 }),
    field({ name: 'name', completeness: 100 }),
    field({ name: 'empty', completeness: null }),
  ];

  it('lists incomplete non-key fields, least complete and required first', () => {
    expect(weakestFields(fields).map((f) => f.name)).toEqual(['address', 'phone', 'born']);
    expect(weakestFields(fields, 1).map((f) => f.name)).toEqual(['address']);
  });

  it('is empty when every field is complete or there is nothing to measure', () => {
    expect(weakestFields([field({ name: 'a' })])).toEqual([]);
    expect(weakestFields(undefined)).toEqual([]);
  });
});

describe('findings', () => {
  /** @type {import('./quality.js').QualityReport} */
  const base = {
    id: 1,
    resource: 'r',
    resource_name: 'R',
    provider: 'p',
    provider_name: 'P',
    update_cycle: 'daily',
    cycle_days: 1,
    computed_at: '2026-12-04T14:30:00+08:00',
    records: 10,
    open_rejects: 0,
    invalid_records: 0,
    duplicated_records: 0,
    completeness: 100,
    validity: 100,
    uniqueness: null,
    timeliness: 100,
    score: 100,
    last_update_at: null,
    due_at: '2026-12-05T14:30:00+08:00',
    days_late: 0,
    fields: [],
  };

  it('says nothing of a perfect report', () => {
    expect(findings(base)).toEqual([]);
    expect(findings(null)).toEqual([]);
  });

  it('names each problem with its number, the most pressing first', () => {
    const report = {
      ...base,
      days_late: 2.5,
      open_rejects: 3,
      invalid_records: 2,
      duplicated_records: 4,
      fields: [field({ name: 'phone', label: '联系电话', completeness: 12.5 })],
    };
    expect(findings(report)).toEqual([
      { key: 'late', params: { days: 2.5 } },
      { key: 'openRejects', params: { n: 3 } },
      { key: 'invalid', params: { n: 2 } },
      { key: 'duplicates', params: { n: 4 } },
      { key: 'weakest', params: { field: '联系电话', percent: '12.5' } },
    ]);
  });

  it('says when no record has arrived', () => {
    expect(findings({ ...base, records: 0 })).toEqual([{ key: 'noRecords', params: {} }]);
  });
});

describe('overviewQuery', () => {
  it('leaves out empty members', () => {
    expect(overviewQuery({ sort: 'score', order: '', provider: undefined, cursor: null, limit: 20 })).toEqual({
      sort: 'score',
      limit: 20,
    });
  });
});

describe('trendPoints', () => {
  it.each([
    [[0, 50, 100], 100, 40, '0,40 50,20 100,0'],
    [[80], 100, 40, '0,8 100,8'],
    [[null, 100], 100, 40, '100,0'],
    [[120, -5], 10, 10, '0,0 10,10'],
    [[], 100, 40, ''],
  ])('%j in %i×%i → %s', (values, width, height, points) => {
    expect(trendPoints(values, width, height)).toBe(points);
  });
});
