import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN.js';
import en from './en.js';
import { createI18n } from 'vue-i18n';

/** @param {object} tree @param {string} [prefix] @returns {string[]} */
function leafKeys(tree, prefix = '') {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object' ? leafKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** @param {object} tree @param {string} key */
const lookup = (tree, key) => key.split('.').reduce((node, part) => node?.[part], tree);

describe('messages', () => {
  it('have the same keys in Chinese and English', () => {
    expect(leafKeys(en).sort()).toEqual(leafKeys(zhCN).sort());
  });

  it('are non-empty strings that use the same placeholders in both languages', () => {
    for (const key of leafKeys(zhCN)) {
      const zh = lookup(zhCN, key);
      const e = lookup(en, key);
      expect(typeof zh, key).toBe('string');
      expect(zh.trim(), key).not.toBe('');
      expect(e.trim(), key).not.toBe('');
      const placeholders = (/** @type {string} */ s) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
      expect(placeholders(e), key).toEqual(placeholders(zh));
    }
  });
});

describe('message syntax', () => {
  it('compiles every message in both languages (no stray @, | or braces)', () => {
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
    for (const locale of ['zh-CN', 'en']) {
      i18n.global.locale.value = locale;
      for (const key of leafKeys(zhCN)) {
        expect(() => i18n.global.t(key, {}), `${locale}: ${key}`).not.toThrow();
      }
    }
  });
});
