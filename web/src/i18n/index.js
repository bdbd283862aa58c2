// vue-i18n set-up: Chinese first, English available; the choice persists in localStorage.
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.js';
import en from './en.js';

/** @typedef {'zh-CN' | 'en'} LocaleCode */

/**
 * The languages the UI offers, in the order the switch lists them. `label` is written in
 * the language itself so that a reader finds their own.
 * @type {ReadonlyArray<{code: LocaleCode, label: string}>}
 */
export const LOCALES = Object.freeze([
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]);

/** @type {LocaleCode} */
export const DEFAULT_LOCALE = 'zh-CN';

export const LOCALE_STORAGE_KEY = 'zhengwu.locale';

/**
 * @param {unknown} code
 * @returns {code is LocaleCode}
 */
export function isSupportedLocale(code) {
  return LOCALES.some((l) => l.code === code);
}

/** @returns {LocaleCode} the stored choice, or the default when none (or storage is unavailable). */
export function storedLocale() {
  try {
    const saved = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY);
    return isSupportedLocale(saved) ? saved : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export const messages = { 'zh-CN': zhCN, en };

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
});

/** @returns {LocaleCode} */
export function currentLocale() {
  return /** @type {LocaleCode} */ (i18n.global.locale.value);
}

/**
 * Switches the UI language, remembers it, and tells the document (screen readers, fonts).
 * @param {LocaleCode} code
 */
export function setLocale(code) {
  if (!isSupportedLocale(code)) throw new Error(`unsupported locale: ${code}`);
  i18n.global.locale.value = code;
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, code);
  } catch {
    // Private modes may refuse storage; the choice then lasts for this page only.
  }
  applyDocumentLocale(code);
}

/** @param {LocaleCode} code */
export function applyDocumentLocale(code) {
  if (typeof document !== 'undefined') document.documentElement.lang = code;
}
