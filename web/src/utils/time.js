// Time display helpers. The server reports times in the platform's zone with an offset
// (2026-12-04T15:30:00+08:00); they are shown as the server wrote them, not converted to
// the browser's zone, so that every reader sees the platform's time.

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * '2026-12-04T15:30:00+08:00' → '2026-12-04 15:30:00 +08:00' ('Z' shows as UTC).
 * Anything else comes back unchanged.
 * @param {string | null | undefined} iso
 * @returns {string}
 */
export function formatServerTime(iso) {
  if (!iso) return '';
  const m = ISO_WITH_OFFSET.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} ${m[3] === 'Z' ? 'UTC' : m[3]}`;
}

/**
 * @typedef {Object} DurationPart
 * @property {'days' | 'hours' | 'minutes' | 'seconds'} unit
 * @property {number} n
 */

/**
 * A duration as its largest non-zero unit and, when non-zero, the unit below it:
 * 93784 s → 1 day 2 hours; 3605 s → 1 hour; 1800 s → 30 minutes; 0 → 0 seconds.
 * Labels come from i18n (units.days, ...).
 * @param {number} totalSeconds
 * @returns {DurationPart[]}
 */
export function durationParts(totalSeconds) {
  const total = Math.max(0, Math.floor(Number(totalSeconds) || 0));
  /** @type {ReadonlyArray<[DurationPart['unit'], number]>} */
  const units = [
    ['days', 86400],
    ['hours', 3600],
    ['minutes', 60],
    ['seconds', 1],
  ];
  const first = units.findIndex(([, size]) => total >= size);
  if (first === -1) return [{ unit: 'seconds', n: 0 }];
  const [unit, size] = units[first];
  /** @type {DurationPart[]} */
  const parts = [{ unit, n: Math.floor(total / size) }];
  const next = units[first + 1];
  if (next) {
    const n = Math.floor((total % size) / next[1]);
    if (n > 0) parts.push({ unit: next[0], n });
  }
  return parts;
}
