import { describe, expect, it } from 'vitest';
import {
  FIELD_TYPES,
  SENSITIVITIES,
  STATES,
  openTagType,
  sensitivityTagType,
  shareTagType,
  stateTagType,
  vocabLabel,
} from './vocab.js';

describe('catalog vocabularies', () => {
  it('names the server’s values in the server’s order', () => {
    expect(FIELD_TYPES).toHaveLength(12);
    expect(FIELD_TYPES.slice(0, 3)).toEqual(['string', 'integer', 'decimal']);
    expect(SENSITIVITIES).toEqual(['public', 'internal', 'personal', 'sensitive']);
    expect(STATES).toEqual(['draft', 'submitted', 'published', 'retired']);
  });

  it.each([
    ['draft', 'info'],
    ['submitted', 'warning'],
    ['published', 'success'],
    ['retired', 'danger'],
    ['archived', ''],
  ])('colours the state %s as %s', (state, type) => {
    expect(stateTagType(state)).toBe(type);
  });

  it('colours sensitivity from green to red, and sharing and opening by how free they are', () => {
    expect(SENSITIVITIES.map(sensitivityTagType)).toEqual(['success', 'primary', 'warning', 'danger']);
    expect(['unconditional', 'conditional', 'none', 'x'].map(shareTagType)).toEqual(['success', 'warning', 'info', '']);
    expect(['open', 'conditional', 'closed', 'x'].map(openTagType)).toEqual(['success', 'warning', 'info', '']);
  });

  it('labels a value from i18n, or shows the value a newer server added', () => {
    const messages = { 'catalog.shareTypes.none': '不予共享' };
    const t = (/** @type {string} */ k) => messages[k];
    const te = (/** @type {string} */ k) => k in messages;
    expect(vocabLabel(t, te, 'shareTypes', 'none')).toBe('不予共享');
    expect(vocabLabel(t, te, 'shareTypes', 'partial')).toBe('partial');
    expect(vocabLabel(t, te, 'shareTypes', null)).toBe('');
  });
});
