import { describe, expect, it } from 'vitest';
import {
  applicationStateTagType,
  applicationTabs,
  applyBody,
  clearCandidates,
  dataUseQuery,
  deadlinePhrase,
  deadlineTagType,
  decisionBody,
  defaultStateFilter,
  emptyDataUseFilters,
  fieldItems,
  grantState,
  grantStateTagType,
  grantTabs,
  keepClear,
  mayApplyFor,
  mayDecide,
  mayRevoke,
  mayWithdraw,
  mergeOptions,
  needsApplication,
  pickTab,
} from './sharing.js';

/** @param {string[]} held */
const canOf = (held) => (/** @type {string} */ p) => held.includes(p);

// The demo's 户籍人口基本信息, as the catalog describes it.
const POPULATION = {
  share_type: 'conditional',
  fields: [
    { name: 'id_number', sensitivity: 'sensitive' },
    { name: 'name', sensitivity: 'personal' },
    { name: 'gender', sensitivity: 'personal' },
    { name: 'household_division', sensitivity: 'internal' },
    { name: 'address', sensitivity: 'personal' },
  ],
};
const ENTERPRISES = {
  share_type: 'unconditional',
  fields: [
    { name: 'uscc', sensitivity: 'public' },
    { name: 'name', sensitivity: 'public' },
    { name: 'legal_representative', sensitivity: 'personal' },
  ],
};

describe('tabs', () => {
  it.each([
    [['sharing.apply'], ['consumer'], ['consumer', 'provider']],
    [['sharing.apply', 'sharing.review'], ['consumer', 'provider'], ['consumer', 'provider']],
    [['sharing.review'], ['provider'], ['consumer', 'provider']],
    [['sharing.oversee'], ['escalated', 'all'], ['all']],
    [['sharing.apply', 'sharing.review', 'sharing.oversee'], ['consumer', 'provider', 'escalated', 'all'], ['consumer', 'provider', 'all']],
    [['catalog.resource.read'], [], []],
  ])('%j → applications %j, grants %j', (held, apps, grants) => {
    expect(applicationTabs(canOf(held))).toEqual(apps);
    expect(grantTabs(canOf(held))).toEqual(grants);
  });

  it.each([
    ['provider', ['consumer', 'provider'], 'provider'],
    [['provider', 'x'], ['consumer', 'provider'], 'provider'],
    ['all', ['consumer', 'provider'], 'consumer'],
    [undefined, ['escalated', 'all'], 'escalated'],
    ['consumer', [], ''],
  ])('pickTab(%j, %j) = %j', (wanted, tabs, expected) => {
    expect(pickTab(wanted, tabs)).toBe(expected);
  });

  it.each([
    ['consumer', ''],
    ['provider', 'pending'],
    ['escalated', 'pending'],
    ['all', ''],
    ['', ''],
  ])('the %s tab lists state "%s" at first', (tab, state) => {
    expect(defaultStateFilter(/** @type {any} */ (tab))).toBe(state);
  });
});

describe('deadlines', () => {
  it.each([
    ['on_time', 'info'],
    ['due_soon', 'warning'],
    ['due_today', 'danger'],
    ['overdue', 'danger'],
    [null, 'info'],
    ['something_new', 'info'],
  ])('%s is coloured %s', (deadline, type) => {
    expect(deadlineTagType(deadline)).toBe(type);
  });

  it.each([
    [{ state: 'pending', deadline: 'on_time', working_days_left: 10 }, { key: 'daysLeft', n: 10 }],
    [{ state: 'pending', deadline: 'due_soon', working_days_left: 2 }, { key: 'daysLeft', n: 2 }],
    [{ state: 'pending', deadline: 'due_today', working_days_left: 0 }, { key: 'dueToday', n: 0 }],
    [{ state: 'pending', deadline: 'overdue', working_days_left: -5 }, { key: 'overdue', n: 5 }],
    [{ state: 'pending', deadline: 'overdue', working_days_left: 0 }, { key: 'overdue', n: 1 }],
    [{ state: 'approved', deadline: null, working_days_left: null }, { key: 'decided', n: 0 }],
    [{ state: 'withdrawn', deadline: 'on_time', working_days_left: 3 }, { key: 'decided', n: 0 }],
  ])('%j reads %j', (app, phrase) => {
    expect(deadlinePhrase(/** @type {any} */ (app))).toEqual(phrase);
  });

  it.each([
    ['pending', 'warning'],
    ['approved', 'success'],
    ['refused', 'danger'],
    ['withdrawn', 'info'],
    ['unknown', ''],
  ])('application state %s is %s', (state, type) => {
    expect(applicationStateTagType(state)).toBe(type);
  });
});

describe('grant state', () => {
  it.each([
    [{ active: true, revoked_at: null }, 'active', 'success'],
    [{ active: false, revoked_at: null }, 'expired', 'info'],
    [{ active: false, revoked_at: '2026-12-04T10:00:00+08:00' }, 'revoked', 'danger'],
    // Revoked wins even if a stale answer still said active.
    [{ active: true, revoked_at: '2026-12-04T10:00:00+08:00' }, 'revoked', 'danger'],
  ])('%j is %s', (grant, state, type) => {
    expect(grantState(grant)).toBe(state);
    expect(grantStateTagType(/** @type {any} */ (state))).toBe(type);
  });
});

describe('fields', () => {
  const labels = /** @type {Record<string, string>} */ ({ id_number: '公民身份号码', name: '姓名' });
  it.each([
    [['id_number', 'name', 'gender'], ['name'], [
      { name: 'id_number', label: '公民身份号码', clear: false },
      { name: 'name', label: '姓名', clear: true },
      { name: 'gender', label: 'gender', clear: false },
    ]],
    [[], ['name'], []],
    [null, null, []],
  ])('fieldItems(%j, clear %j)', (fields, clear, expected) => {
    expect(fieldItems(fields, clear, (n) => labels[n])).toEqual(expected);
  });

  it.each([
    [POPULATION.fields, ['address', 'household_division', 'id_number'], ['id_number', 'address']],
    [POPULATION.fields, ['household_division'], []],
    [ENTERPRISES.fields, ['uscc', 'name', 'legal_representative'], ['legal_representative']],
    [ENTERPRISES.fields, [], []],
  ])('clear candidates of %#', (fields, chosen, expected) => {
    expect(clearCandidates(fields, chosen)).toEqual(expected);
  });

  it.each([
    [['name', 'address'], ['id_number', 'name'], ['name']],
    [['name'], [], []],
    [['address', 'name'], ['name', 'address'], ['address', 'name']],
  ])('keepClear(%j, allowed %j) = %j', (clear, allowed, expected) => {
    expect(keepClear(clear, allowed)).toEqual(expected);
  });

  it.each([
    [POPULATION, [], true],
    [ENTERPRISES, [], false],
    [ENTERPRISES, ['legal_representative'], true],
    [ENTERPRISES, ['name'], false],
    [{ share_type: 'none', fields: [] }, [], true],
  ])('needsApplication %#', (resource, clear, expected) => {
    expect(needsApplication(resource, clear)).toBe(expected);
  });
});

describe('who may do what', () => {
  const published = { state: 'published', share_type: 'conditional', provider: '330100-GAJ' };
  it.each([
    [published, { org: '330100-MZJ' }, ['sharing.apply'], true],
    [published, { org: '330100-GAJ' }, ['sharing.apply'], false],
    [published, { org: '330100-MZJ' }, ['sharing.review'], false],
    [published, { org: null }, ['sharing.apply'], false],
    [{ ...published, share_type: 'none' }, { org: '330100-MZJ' }, ['sharing.apply'], false],
    [{ ...published, state: 'submitted' }, { org: '330100-MZJ' }, ['sharing.apply'], false],
    [{ ...published, share_type: 'unconditional' }, { org: '330100-MZJ' }, ['sharing.apply'], true],
    [null, { org: '330100-MZJ' }, ['sharing.apply'], false],
  ])('apply for %j as %j holding %j: %s', (resource, user, held, expected) => {
    expect(mayApplyFor(resource, user, canOf(held))).toBe(expected);
  });

  const app = { state: 'pending', provider: '330100-GAJ', consumer_org: '330100-MZJ', escalated: false };
  it.each([
    [app, '330100-GAJ', ['sharing.review'], true, false],
    [app, '330100-GAJ', ['sharing.apply'], false, false],
    [app, '330100-MZJ', ['sharing.apply', 'sharing.review'], false, true],
    [app, '330100-SJZYJ', ['sharing.oversee'], false, false],
    [{ ...app, escalated: true }, '330100-SJZYJ', ['sharing.oversee'], true, false],
    [{ ...app, state: 'approved' }, '330100-GAJ', ['sharing.review'], false, false],
    [{ ...app, state: 'approved' }, '330100-MZJ', ['sharing.apply'], false, false],
  ])('application %j seen from %s holding %j: decide %s, withdraw %s', (a, org, held, decide, withdraw) => {
    expect(mayDecide(a, { org, can: canOf(held) })).toBe(decide);
    expect(mayWithdraw(a, { org, can: canOf(held) })).toBe(withdraw);
  });

  const grant = /** @type {any} */ ({ provider: '330100-GAJ', consumer_org: '330100-RSJ', active: true, revoked_at: null });
  it.each([
    [grant, '330100-GAJ', ['sharing.review'], true],
    [grant, '330100-GAJ', ['sharing.apply'], false],
    [grant, '330100-RSJ', ['sharing.review'], false],
    [grant, '330100-SJZYJ', ['sharing.oversee'], true],
    [{ ...grant, active: false }, '330100-GAJ', ['sharing.review'], false],
    [{ ...grant, active: false, revoked_at: '2026-12-01T00:00:00+08:00' }, '330100-SJZYJ', ['sharing.oversee'], false],
  ])('revoke %j from %s holding %j: %s', (g, org, held, expected) => {
    expect(mayRevoke(g, { org, can: canOf(held) })).toBe(expected);
  });
});

describe('request bodies', () => {
  it.each([
    [
      'fields in the resource order, clear only among them, texts trimmed',
      { fields: ['address', 'id_number', 'name'], clear: ['name', 'gender'], purpose: ' 低保复核入户调查 ', legalBasis: ' 《社会救助暂行办法》第十一条 ', durationDays: 180 },
      { resource: 'gaj.population', fields: ['id_number', 'name', 'address'], clear_fields: ['name'], purpose: '低保复核入户调查', legal_basis: '《社会救助暂行办法》第十一条', duration_days: 180 },
    ],
    [
      'no legal basis and no duration: left out',
      { fields: ['name'], clear: [], purpose: '核验', legalBasis: '  ', durationDays: null },
      { resource: 'gaj.population', fields: ['name'], clear_fields: [], purpose: '核验' },
    ],
  ])('apply: %s', (_what, form, expected) => {
    expect(applyBody('gaj.population', POPULATION.fields, form)).toEqual(expected);
  });

  const asked = { fields: ['id_number', 'name', 'birth_date', 'address'], clear_fields: ['id_number', 'name'] };
  it.each([
    [
      'approve fewer fields: clear ones follow the kept fields, in the asked order',
      { decision: 'approve', fields: ['name', 'id_number'], clear: ['name', 'id_number'], durationDays: 180, note: ' 住址不予提供 ' },
      { decision: 'approve', fields: ['id_number', 'name'], clear_fields: ['id_number', 'name'], duration_days: 180, note: '住址不予提供' },
    ],
    [
      'approve with a clear field dropped with its field',
      { decision: 'approve', fields: ['id_number', 'birth_date'], clear: ['name', 'id_number'], durationDays: null, note: '' },
      { decision: 'approve', fields: ['id_number', 'birth_date'], clear_fields: ['id_number'] },
    ],
    [
      'refuse: only the reason',
      { decision: 'refuse', fields: ['id_number'], clear: [], durationDays: 30, note: ' 用途与所需信息项不符 ' },
      { decision: 'refuse', note: '用途与所需信息项不符' },
    ],
  ])('decide: %s', (_what, form, expected) => {
    expect(decisionBody(asked, /** @type {any} */ (form))).toEqual(expected);
  });
});

describe('data-use record', () => {
  it.each([
    [emptyDataUseFilters(), {}, {}],
    [emptyDataUseFilters(), { limit: 20, cursor: '42' }, { limit: 20, cursor: '42' }],
    [
      { org: ' 330100-RSJ ', resource: 'gaj.population', range: ['2026-12-01', '2026-12-04'] },
      { limit: 20, cursor: null },
      { org: '330100-RSJ', resource: 'gaj.population', from: '2026-12-01', to: '2026-12-04', limit: 20 },
    ],
  ])('query %#', (filters, paging, expected) => {
    expect(dataUseQuery(/** @type {any} */ (filters), paging)).toEqual(expected);
  });

  it('collects the departments seen, each once, by name', () => {
    const known = [{ value: '330100-GJJZX', label: '杭州住房公积金管理中心' }];
    const items = [
      { org: '330100-RSJ', org_name: '杭州市人力资源和社会保障局' },
      { org: '330100-RSJ', org_name: '杭州市人力资源和社会保障局' },
      { org: '330100-MZJ', org_name: '' },
      { org: '', org_name: 'nobody' },
    ];
    expect(mergeOptions(known, items, 'org', 'org_name').map((o) => o.value).sort()).toEqual(['330100-GJJZX', '330100-MZJ', '330100-RSJ']);
    expect(mergeOptions(known, items, 'org', 'org_name').find((o) => o.value === '330100-MZJ')?.label).toBe('330100-MZJ');
    expect(mergeOptions([], [], 'org', 'org_name')).toEqual([]);
  });
});
