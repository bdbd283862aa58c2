import { describe, expect, it } from 'vitest';
import { agentStateTagType, dateYearsAfter, divisionShapeOk, idCheckCharacter, idNumberProblem, revocable } from './enterprise.js';

describe('idCheckCharacter (GB 11643, ISO 7064 MOD 11-2)', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['33010619750614251', '9'],
    ['33010619880512123', '7'],
    ['33010219900308234', '3'],
    ['1101051949123100', ''],
    ['1101051949123100A', ''],
  ])('%s → %s', (first17, check) => {
    expect(idCheckCharacter(first17)).toBe(check);
  });
});

describe('idNumberProblem', () => {
  it.each([
    ['330106197506142519', null],
    ['11010519491231002x', null],
    [' 11010519491231002X ', null],
    ['330106750614251', null],
    ['', { problem: 'required' }],
    [null, { problem: 'required' }],
    ['   ', { problem: 'required' }],
    ['33010619750614251', { problem: 'format' }],
    ['3301061975061425190', { problem: 'format' }],
    ['33010619750614251A', { problem: 'format' }],
    ['330106197506142518', { problem: 'check', expected: '9' }],
    ['110105194912310021', { problem: 'check', expected: 'X' }],
  ])('%s', (value, problem) => {
    expect(idNumberProblem(value)).toEqual(problem);
  });
});

describe('divisionShapeOk', () => {
  it.each([
    ['330106', true],
    ['330106001', true],
    ['330106001001', true],
    [' 330106 ', true],
    ['33', false],
    ['3301', false],
    ['3301061', false],
    ['33010A', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (value, ok) => {
    expect(divisionShapeOk(value)).toBe(ok);
  });
});

describe('agent states', () => {
  it.each([
    ['live', 'success', true],
    ['pending', 'warning', true],
    ['expired', 'info', false],
    ['revoked', 'danger', false],
  ])('%s', (state, tag, canRevoke) => {
    expect(agentStateTagType(/** @type {any} */ (state))).toBe(tag);
    expect(revocable(/** @type {any} */ (state))).toBe(canRevoke);
  });
});

describe('dateYearsAfter', () => {
  it.each([
    [new Date(2026, 11, 4), 1, '2027-12-04'],
    [new Date(2028, 1, 29), 1, '2029-02-28'],
    [new Date(2026, 0, 31), 0, '2026-01-31'],
  ])('%s + %i years → %s', (date, years, expected) => {
    expect(dateYearsAfter(date, years)).toBe(expected);
  });
});
