import { describe, expect, it } from 'vitest';
import { durationParts, formatServerTime } from './time.js';

describe('formatServerTime', () => {
  it('shows the server’s own wall time and offset', () => {
    expect(formatServerTime('2026-12-04T15:30:00+08:00')).toBe('2026-12-04 15:30:00 +08:00');
    expect(formatServerTime('2026-12-04T07:30:00.123Z')).toBe('2026-12-04 07:30:00 UTC');
  });

  it('leaves other text alone', () => {
    expect(formatServerTime('yesterday')).toBe('yesterday');
    expect(formatServerTime('')).toBe('');
    expect(formatServerTime(undefined)).toBe('');
  });
});

describe('durationParts', () => {
  it.each([
    [0, [{ unit: 'seconds', n: 0 }]],
    [59, [{ unit: 'seconds', n: 59 }]],
    [1800, [{ unit: 'minutes', n: 30 }]],
    [1805, [{ unit: 'minutes', n: 30 }, { unit: 'seconds', n: 5 }]],
    [3605, [{ unit: 'hours', n: 1 }]],
    [93784, [{ unit: 'days', n: 1 }, { unit: 'hours', n: 2 }]],
    [-5, [{ unit: 'seconds', n: 0 }]],
  ])('%i s', (seconds, parts) => {
    expect(durationParts(seconds)).toEqual(parts);
  });
});
