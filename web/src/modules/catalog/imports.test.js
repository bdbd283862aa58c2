import { describe, expect, it } from 'vitest';
import {
  BOM,
  countLines,
  csvCell,
  fieldOfColumn,
  fixErrorsByField,
  progressPercent,
  rawByField,
  reasonsByField,
  templateCsv,
  uploadFormat,
} from './imports.js';

const FIELDS = [
  { name: 'id_number', label: '公民身份号码' },
  { name: 'name', label: '姓名' },
  { name: 'gender', label: '性别' },
  { name: 'address', label: '住址, 现居' },
];

describe('templateCsv', () => {
  it('is the labels as a header row, with a BOM and CRLF, quoting what needs it', () => {
    expect(templateCsv(FIELDS)).toBe(`${BOM}公民身份号码,姓名,性别,"住址, 现居"\r\n`);
    expect(templateCsv(FIELDS, { by: 'name' })).toBe(`${BOM}id_number,name,gender,address\r\n`);
    expect(templateCsv([{ name: 'x', label: '' }])).toBe(`${BOM}x\r\n`);
  });

  it('quotes cells as RFC 4180 says', () => {
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('matching raw columns to fields', () => {
  it('takes a column as the field it names by name or label, ignoring case and spaces', () => {
    expect(fieldOfColumn(' ID_Number ', FIELDS)?.name).toBe('id_number');
    expect(fieldOfColumn('姓名', FIELDS)?.name).toBe('name');
    expect(fieldOfColumn('remark', FIELDS)).toBeUndefined();
    expect(fieldOfColumn('', FIELDS)).toBeUndefined();
  });

  it('lays the raw values out by field, keeping columns that name none apart', () => {
    expect(rawByField({ 公民身份号码: '330106198805121233', name: '王五', 备注: 'x', 性别: null }, FIELDS)).toEqual({
      values: { id_number: '330106198805121233', name: '王五', gender: '', address: '' },
      extra: { 备注: 'x' },
    });
    expect(rawByField(null, FIELDS).values).toEqual({ id_number: '', name: '', gender: '', address: '' });
  });

  it('puts each reason beside its field, and the whole record\'s under ""', () => {
    expect(
      reasonsByField(
        [
          { field: 'id_number', reason: 'bad check character' },
          { field: '', reason: '8 columns, the header has 7' },
          { field: 'id_number', reason: 'second' },
          { field: '姓名', reason: 'too long' },
          { field: 'id_number' },
        ],
        FIELDS,
      ),
    ).toEqual({ id_number: ['bad check character', 'second'], '': ['8 columns, the header has 7'], name: ['too long'] });
  });
});

describe('fixErrorsByField', () => {
  it('maps values.<name> to the field, values to the record, and joins repeats', () => {
    expect(
      fixErrorsByField([
        { field: 'values.id_number', message: 'bad check character' },
        { field: 'values.id_number', message: 'again' },
        { field: 'values', message: 'key missing' },
        { field: 'values.birth_date', message: 'no such date' },
        { field: 'values.x' },
      ]),
    ).toEqual({ id_number: 'bad check character; again', '': 'key missing', birth_date: 'no such date' });
    expect(fixErrorsByField(undefined)).toEqual({});
  });
});

describe('progress', () => {
  it('counts the lines of a file, a last line without a break included', () => {
    const enc = new TextEncoder();
    expect(countLines(enc.encode('a,b\n1,2\n'))).toBe(2);
    expect(countLines(enc.encode('a,b\r\n1,2\r\n3,4').buffer)).toBe(3);
    expect(countLines(new Uint8Array())).toBe(0);
  });

  it('is the share of lines read while running, below 100; 100 once ended; null when unknown', () => {
    expect(progressPercent({ state: 'running', last_line: 50 }, 200)).toBe(25);
    expect(progressPercent({ state: 'running', last_line: 200 }, 200)).toBe(99);
    expect(progressPercent({ state: 'running', last_line: 0 }, 200)).toBe(0);
    expect(progressPercent({ state: 'running', last_line: 10 }, null)).toBeNull();
    expect(progressPercent({ state: 'done', last_line: 10 }, null)).toBe(100);
    expect(progressPercent({ state: 'failed', last_line: 1 }, 200)).toBe(100);
    expect(progressPercent(null, 10)).toBeNull();
  });
});

describe('uploadFormat', () => {
  it('sends JSON Lines as such, anything else as CSV', () => {
    expect(uploadFormat('people.JSONL')).toEqual({ format: 'jsonl', contentType: 'application/octet-stream' });
    expect(uploadFormat('people.csv')).toEqual({ format: 'csv', contentType: 'text/csv' });
    expect(uploadFormat('people.txt').format).toBe('csv');
  });
});
