import { describe, expect, it } from 'vitest';
import { eventKind, eventType, newestFirst, pendingRejection, versionDiff } from './history.js';

const at = '2026-12-05T10:00:00+08:00';
/** @param {string | null} from @param {string} to @param {string} [note] */
const ev = (from, to, note = '') => ({ from, to, actor: 'x', note, at });

describe('resource history', () => {
  it.each([
    [null, 'draft', 'created'],
    ['draft', 'submitted', 'submitted'],
    ['submitted', 'published', 'approved'],
    ['submitted', 'draft', 'rejected'],
    ['published', 'retired', 'retired'],
    ['retired', 'published', 'other'],
  ])('calls %s → %s %s', (from, to, kind) => {
    expect(eventKind(ev(from, to))).toBe(kind);
  });

  it('colours approvals green, rejections amber and retirement red', () => {
    expect(['approved', 'rejected', 'retired', 'other'].map((k) => eventType(/** @type {any} */ (k)))).toEqual([
      'success',
      'warning',
      'danger',
      '',
    ]);
  });

  it('finds the rejection a draft waits on, and forgets it once resubmitted', () => {
    const rejected = ev('submitted', 'draft', '请补充字段说明');
    expect(pendingRejection({ state: 'draft', events: [ev(null, 'draft'), ev('draft', 'submitted'), rejected] })).toBe(rejected);
    expect(pendingRejection({ state: 'submitted', events: [rejected, ev('draft', 'submitted')] })).toBeNull();
    expect(pendingRejection({ state: 'draft', events: [ev(null, 'draft')] })).toBeNull();
    expect(pendingRejection({ state: 'draft' })).toBeNull();
  });

  it('lists events newest first without changing the list', () => {
    const events = [ev(null, 'draft'), ev('draft', 'submitted')];
    expect(newestFirst(events).map((e) => e.to)).toEqual(['submitted', 'draft']);
    expect(events[0].to).toBe('draft');
    expect(newestFirst(undefined)).toEqual([]);
  });

  it('says what a version changed in the fields', () => {
    const v1 = { fields: [{ name: 'a', label: 'A', type: 'string' }, { name: 'b', label: 'B', type: 'date' }, { name: 'c', label: 'C', type: 'code' }] };
    const v2 = { fields: [{ name: 'a', label: 'A2', type: 'string' }, { name: 'b', label: 'B', type: 'datetime' }, { name: 'd', label: 'D', type: 'phone' }] };
    expect(versionDiff(v1, v2)).toEqual({ added: ['d'], removed: ['c'], retyped: ['b'], relabelled: ['a'] });
    expect(versionDiff(undefined, v2)).toEqual({ added: [], removed: [], retyped: [], relabelled: [] });
  });
});
