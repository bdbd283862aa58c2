import { describe, expect, it } from 'vitest';
import {
  auditQuery,
  emptyFilters,
  fileStamp,
  hasFilters,
  isoAt,
  platformDayStart,
  platformPickerDate,
  queryString,
  toIsoWithOffset,
  wallClockMillis,
} from './query.js';

/** @param {Partial<import('./query.js').AuditFilters>} over */
const filters = (over) => ({ ...emptyFilters(), ...over });

describe('audit filters as a query', () => {
  it('sends nothing for empty filters, and only the paging asked for', () => {
    expect(auditQuery(emptyFilters())).toEqual({});
    expect(auditQuery(emptyFilters(), { limit: 50 })).toEqual({ limit: 50 });
    expect(auditQuery(emptyFilters(), { limit: 50, cursor: '1043' })).toEqual({ limit: 50, cursor: '1043' });
    expect(auditQuery(emptyFilters(), { cursor: '' })).toEqual({});
    expect(hasFilters(emptyFilters())).toBe(false);
  });

  it('turns the picked range into ISO 8601 times with the platform offset, the end counting its whole second', () => {
    const q = auditQuery(filters({ range: ['2026-12-04 00:00:00', '2026-12-04 23:59:59'] }));
    expect(q).toEqual({ from: '2026-12-04T00:00:00+08:00', to: '2026-12-05T00:00:00+08:00' });
    expect(auditQuery(filters({ range: ['2026-12-31 08:00:00', '2026-12-31 23:59:59'] })).to).toBe('2027-01-01T00:00:00+08:00');
    // Another offset, when asked for.
    expect(auditQuery(filters({ range: ['2026-12-04 09:30:00', '2026-12-04 10:00:00'] }), { offset: '-05:00' })).toEqual({
      from: '2026-12-04T09:30:00-05:00',
      to: '2026-12-04T10:00:01-05:00',
    });
  });

  it('drops empty, blank and unknown values and trims the rest', () => {
    const q = auditQuery(
      filters({
        action: '  user.create ',
        actor: '7',
        org: ' ',
        objectType: '',
        objectId: ' 12 ',
        outcome: /** @type {any} */ ('maybe'),
        requestId: 'req-1',
        range: /** @type {any} */ (['', 'not a time']),
      }),
    );
    expect(q).toEqual({ action: 'user.create', actor: '7', object_id: '12', request_id: 'req-1' });
  });

  it('uses the server’s names for every filter', () => {
    const q = auditQuery(
      filters({
        range: ['2026-12-01 08:00:00', '2026-12-02 08:00:00'],
        action: 'grant',
        actor: '3',
        org: '330100',
        objectType: 'grant',
        objectId: '5',
        outcome: 'failure',
        requestId: 'a1b2',
      }),
      { limit: 20, cursor: '99' },
    );
    expect(Object.keys(q).sort()).toEqual(
      ['action', 'actor', 'cursor', 'from', 'limit', 'object_id', 'object_type', 'org', 'outcome', 'request_id', 'to'].sort(),
    );
    expect(q.outcome).toBe('failure');
    expect(hasFilters(filters({ outcome: 'denied' }))).toBe(true);
  });

  it('encodes the offset’s plus sign in the query string', () => {
    const s = queryString(auditQuery(filters({ range: ['2026-12-04 00:00:00', '2026-12-04 12:00:00'], action: 'auth.login' })));
    expect(s).toBe('from=2026-12-04T00%3A00%3A00%2B08%3A00&to=2026-12-04T12%3A00%3A01%2B08%3A00&action=auth.login');
    expect(new URLSearchParams(s).get('from')).toBe('2026-12-04T00:00:00+08:00');
  });
});

describe('platform times', () => {
  it('reads wall-clock times of the platform, and refuses impossible ones', () => {
    expect(wallClockMillis('2026-12-04 17:30:00')).toBe(Date.UTC(2026, 11, 4, 9, 30, 0));
    expect(wallClockMillis('2026-12-04T17:30')).toBe(Date.UTC(2026, 11, 4, 9, 30, 0));
    expect(wallClockMillis('2026-12-04')).toBe(Date.UTC(2026, 11, 3, 16, 0, 0));
    expect(wallClockMillis('2026-02-30 00:00:00')).toBeNaN();
    expect(wallClockMillis('2026-12-04 24:00:00')).toBeNaN();
    expect(wallClockMillis('yesterday')).toBeNaN();
    expect(toIsoWithOffset('2026-12-04')).toBe('2026-12-04T00:00:00+08:00');
    expect(toIsoWithOffset('')).toBeUndefined();
    expect(toIsoWithOffset(null)).toBeUndefined();
  });

  it('writes moments in the platform zone', () => {
    expect(isoAt(Date.UTC(2026, 11, 4, 9, 30, 0))).toBe('2026-12-04T17:30:00+08:00');
    expect(isoAt(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01-01T00:00:00+08:00');
    expect(fileStamp(Date.UTC(2026, 11, 4, 9, 30, 5))).toBe('20261204-173005');
  });

  it('finds the start of the platform’s day, also when UTC is still on the day before', () => {
    const early = Date.UTC(2026, 11, 3, 17, 0, 0); // 01:00 on 4 December in Hangzhou
    expect(isoAt(platformDayStart(early))).toBe('2026-12-04T00:00:00+08:00');
    expect(isoAt(platformDayStart(early, 6))).toBe('2026-11-28T00:00:00+08:00');
  });

  it('gives the date picker a Date whose local fields are the platform’s wall clock', () => {
    const d = platformPickerDate(Date.UTC(2026, 11, 3, 17, 0, 0));
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 11, 4, 1, 0]);
  });
});
