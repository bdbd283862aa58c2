import { describe, expect, it } from 'vitest';
import {
  buildSpec,
  editableOrgs,
  emptyForm,
  formFromResource,
  moveRow,
  newRow,
  placeErrors,
  schemaChange,
  validateSpec,
} from './spec.js';

/** A valid spec to spoil one member at a time. */
const good = () => ({
  code: 'gaj.vehicle',
  name: '机动车登记信息',
  provider: '330100-GAJ',
  category: 'base',
  summary: '',
  share_type: 'conditional',
  open_type: 'closed',
  update_cycle: 'daily',
  fields: [
    { name: 'plate', label: '号牌号码', type: 'string', length: 20, required: true, key: true, sensitivity: 'internal' },
    { name: 'color', label: '车身颜色', type: 'code', code_table: 'ga24.8', sensitivity: 'public' },
  ],
});

/** @param {import('./spec.js').SpecProblem[]} problems */
const rules = (problems) => problems.map((p) => `${p.field} ${p.rule}`);

describe('building the spec from the form', () => {
  it('trims text, makes a key required, and sends a length only on a string and a code table only on a code', () => {
    const form = emptyForm('330100-GAJ');
    Object.assign(form, { code: ' gaj.vehicle ', name: ' 机动车 ', summary: '  说明 ' });
    form.fields = [
      newRow({ name: ' plate ', label: ' 号牌 ', type: 'string', length: 20, key: true, required: false, authority: '330100-GAJ' }),
      newRow({ name: 'seats', label: '座位数', type: 'integer', length: 5, code_table: 'x' }),
      newRow({ name: 'color', label: '颜色', type: 'code', code_table: ' ga24.8 ', sensitivity: 'public' }),
      newRow({ name: 'note', label: '备注', type: 'string', length: null }),
    ];
    expect(buildSpec(form)).toEqual({
      code: 'gaj.vehicle',
      name: '机动车',
      provider: '330100-GAJ',
      category: 'departmental',
      summary: '说明',
      share_type: 'conditional',
      open_type: 'closed',
      update_cycle: 'monthly',
      fields: [
        { name: 'plate', label: '号牌', type: 'string', length: 20, required: true, key: true, sensitivity: 'internal', authority: '330100-GAJ' },
        { name: 'seats', label: '座位数', type: 'integer', required: false, key: false, sensitivity: 'internal' },
        { name: 'color', label: '颜色', type: 'code', required: false, key: false, sensitivity: 'public', code_table: 'ga24.8' },
        { name: 'note', label: '备注', type: 'string', required: false, key: false, sensitivity: 'internal' },
      ],
    });
  });

  it('reads a resource back into the form, and the form back into the same fields', () => {
    /** @type {any} */
    const resource = {
      ...good(),
      fields: [
        { name: 'plate', label: '号牌号码', type: 'string', length: 20, required: true, key: true, sensitivity: 'internal', authority: null, code_table: null },
        { name: 'color', label: '车身颜色', type: 'code', length: null, required: false, key: false, sensitivity: 'public', authority: '330100-GAJ', code_table: 'ga24.8' },
      ],
    };
    const form = formFromResource(resource);
    expect(form.fields.map((r) => r.code_table)).toEqual(['', 'ga24.8']);
    expect(new Set(form.fields.map((r) => r.uid)).size).toBe(2);
    expect(buildSpec(form).fields).toEqual([
      { name: 'plate', label: '号牌号码', type: 'string', length: 20, required: true, key: true, sensitivity: 'internal' },
      { name: 'color', label: '车身颜色', type: 'code', required: false, key: false, sensitivity: 'public', authority: '330100-GAJ', code_table: 'ga24.8' },
    ]);
  });

  it('starts a new resource with one key row and the server’s defaults', () => {
    const form = emptyForm('330100-RSJ');
    expect(form.provider).toBe('330100-RSJ');
    expect(form.fields).toHaveLength(1);
    expect(form.fields[0]).toMatchObject({ key: true, required: true, type: 'string' });
    expect(validateSpec(buildSpec(form)).map((p) => p.field)).toEqual(['code', 'name', 'fields[0].name', 'fields[0].label']);
  });
});

describe('the checks the server makes', () => {
  it('passes a good spec', () => {
    expect(validateSpec(good())).toEqual([]);
  });

  it.each([
    ['no code', { code: '' }, ['code required']],
    ['a short code', { code: 'ab' }, ['code codeFormat']],
    ['a code with capitals', { code: 'GAJ.vehicle' }, ['code codeFormat']],
    ['a long name', { name: '名'.repeat(101) }, ['name maxLength']],
    ['a name of 100 Chinese characters', { name: '名'.repeat(100) }, []],
    ['no provider', { provider: '' }, ['provider required']],
    ['an unknown category', { category: 'misc' }, ['category choose']],
    ['an unknown update cycle', { update_cycle: 'hourly' }, ['update_cycle choose']],
    ['a long summary', { summary: '字'.repeat(2001) }, ['summary maxLength']],
    ['no fields', { fields: [] }, ['fields fieldsRequired']],
  ])('names %s', (_what, over, expected) => {
    expect(rules(validateSpec({ ...good(), ...over }))).toEqual(expected);
  });

  /** @param {object} over @param {number} [i] */
  const withField = (over, i = 1) => {
    const spec = good();
    spec.fields[i] = /** @type {any} */ ({ ...spec.fields[i], ...over });
    return spec;
  };

  it.each([
    ['a name with capitals', { name: 'Color' }, ['fields[1].name nameFormat']],
    ['a name starting with a digit', { name: '1color' }, ['fields[1].name nameFormat']],
    ['a name with a dash', { name: 'car-color' }, ['fields[1].name nameFormat']],
    ['a name the platform keeps', { name: 'zw_source' }, ['fields[1].name reservedName']],
    ['a repeated name', { name: 'plate' }, ['fields[1].name duplicateName']],
    ['no label', { label: '' }, ['fields[1].label required']],
    ['an unknown type', { type: 'text', code_table: undefined }, ['fields[1].type choose']],
    ['a code field without its table', { code_table: undefined }, ['fields[1].code_table codeTableRequired']],
    ['a code table on a string', { type: 'string' }, ['fields[1].code_table codeTableCodeOnly']],
    ['a length on a code', { length: 10 }, ['fields[1].length lengthStringOnly']],
    ['a length out of range', { type: 'string', code_table: undefined, length: 4001 }, ['fields[1].length lengthRange']],
    ['a decimal key', { type: 'decimal', code_table: undefined, key: true }, ['fields[1].key keyType']],
    ['no sensitivity', { sensitivity: '' }, ['fields[1].sensitivity choose']],
  ])('names %s beside its cell', (_what, over, expected) => {
    expect(rules(validateSpec(withField(over)))).toEqual(expected);
  });

  it('wants at least one key field', () => {
    expect(rules(validateSpec(withField({ key: false }, 0)))).toEqual(['fields keyRequired']);
  });

  it('says the duplicate’s name', () => {
    expect(validateSpec(withField({ name: 'plate' }))[0].params).toEqual({ name: 'plate' });
  });
});

describe('placing problems beside their controls', () => {
  it('puts row problems on the row that was at that index, by uid', () => {
    const placed = placeErrors(
      [
        { field: 'fields[2].type', message: 'must be one of string, …' },
        { field: 'fields[2].type', message: 'again' },
        { field: 'fields[0]', message: 'must be an object' },
        { field: 'fields[1].code_table', message: 'no code table gb9999' },
        { field: 'fields', message: 'at least one field must be a key' },
        { field: 'code', message: 'is taken' },
        { field: 'fields[9].name', message: 'no such row' },
        { field: 'fields[1].colour', message: 'is not a member' },
        { field: 'publish', message: 'not allowed' },
        { message: 'general' },
        { field: 'name', message: '' },
      ],
      [11, 12, 13],
    );
    expect(placed).toEqual({
      form: { code: 'is taken' },
      table: 'at least one field must be a key',
      rows: {
        11: { '': 'must be an object' },
        12: { code_table: 'no code table gb9999' },
        13: { type: 'must be one of string, …; again' },
      },
      unplaced: ['fields[9].name: no such row', 'fields[1].colour: is not a member', 'publish: not allowed', 'general'],
      placed: ['fields[2].type', 'fields[0]', 'fields[1].code_table', 'fields', 'code'],
    });
  });
});

describe('changes to a published resource', () => {
  const current = [
    { name: 'plate', label: '号牌', type: 'string', length: 20, required: true, key: true, sensitivity: 'internal', authority: null, code_table: null },
    { name: 'color', label: '颜色', type: 'code', length: null, required: false, key: false, sensitivity: 'public', authority: null, code_table: 'ga24.8' },
  ];
  const spec = () => buildSpec(formFromResource(/** @type {any} */ ({ ...good(), fields: current })));

  it('sees no change in the same fields, and a new version in new labels and optional fields', () => {
    expect(schemaChange(current, spec().fields)).toEqual({ change: 'none' });
    const relabelled = spec().fields;
    relabelled[1].label = '车身颜色';
    expect(schemaChange(current, relabelled)).toEqual({ change: 'additive' });
    const longer = spec().fields;
    longer[0].length = 30;
    expect(schemaChange(current, longer).change).toBe('additive');
    expect(schemaChange(current, [...spec().fields, { name: 'vin', label: '车架号', type: 'string', sensitivity: 'internal' }]).change).toBe(
      'additive',
    );
  });

  it.each([
    ['removing a field', (/** @type {any[]} */ f) => f.slice(0, 1), { rule: 'removed', params: { field: 'color' } }],
    ['retyping a field', (/** @type {any[]} */ f) => [f[0], { ...f[1], type: 'string', code_table: undefined }], { rule: 'retyped', params: { field: 'color', from: 'code', to: 'string' } }],
    ['changing the key', (/** @type {any[]} */ f) => [f[0], { ...f[1], key: true, required: true }], { rule: 'keyChanged', params: { field: 'color' } }],
    ['making a field required', (/** @type {any[]} */ f) => [f[0], { ...f[1], required: true }], { rule: 'becameRequired', params: { field: 'color' } }],
    ['shortening a string', (/** @type {any[]} */ f) => [{ ...f[0], length: 10 }, f[1]], { rule: 'shorter', params: { field: 'plate' } }],
    ['taking another code table', (/** @type {any[]} */ f) => [f[0], { ...f[1], code_table: 'gb2261.1' }], { rule: 'codeTableChanged', params: { field: 'color' } }],
    ['adding a required field', (/** @type {any[]} */ f) => [...f, { name: 'vin', label: 'VIN', type: 'string', required: true, sensitivity: 'internal' }], { rule: 'newRequired', params: { field: 'vin' } }],
  ])('refuses %s', (_what, edit, expected) => {
    expect(schemaChange(current, edit(spec().fields))).toEqual({ change: 'breaking', ...expected });
  });
});

describe('rows and organisations', () => {
  it('moves a row up or down, and leaves the ends alone', () => {
    expect(moveRow(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRow(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    const rows = ['a', 'b'];
    expect(moveRow(rows, 0, -1)).toBe(rows);
    expect(moveRow(rows, 1, 1)).toBe(rows);
  });

  it('offers the organisations under the user’s grants as providers', () => {
    const orgs = [
      { code: '330100', path: '/1/' },
      { code: '330100-GAJ', path: '/1/7/' },
      { code: '330100-GAJ-HZ', path: '/1/7/40/' },
      { code: '330100-MZJ', path: '/1/8/' },
      { code: '330100-RSJ', path: '/1/11/' },
    ];
    expect(editableOrgs(orgs, [{ org: '330100-GAJ', include_subtree: true }]).map((o) => o.code)).toEqual(['330100-GAJ', '330100-GAJ-HZ']);
    expect(editableOrgs(orgs, [{ org: '330100-GAJ', include_subtree: false }, { org: '330100-RSJ', include_subtree: true }]).map((o) => o.code)).toEqual([
      '330100-GAJ',
      '330100-RSJ',
    ]);
    expect(editableOrgs(orgs, [{ org: 'gone', include_subtree: true }])).toEqual([]);
  });
});
