import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import zhCN from '@/i18n/zh-CN.js';
import en from '@/i18n/en.js';
import {
  ACTION_GROUPS,
  KNOWN_ACTIONS,
  actionLabel,
  actionLabelKey,
  actionSuggestions,
  actorKindLabel,
  detailEntries,
  groupLabel,
  outcomeTagType,
} from './actions.js';

/** @param {'zh-CN' | 'en'} locale */
function translator(locale) {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
  return /** @type {(key: string, params?: Record<string, unknown>) => string} */ ((key, params) => i18n.global.t(key, params ?? {}));
}
const zh = translator('zh-CN');
const eng = translator('en');

/** @param {object} tree @param {string} key */
const lookup = (tree, key) => key.split('.').reduce((node, part) => node?.[part], tree);

describe('audit action labels', () => {
  it('labels the actions the server records, in Chinese and English', () => {
    expect(actionLabel('user.create', zh)).toBe('新建用户');
    expect(actionLabel('user.create', eng)).toBe('Create user');
    expect(actionLabel('grant.create', zh)).toBe('授予角色');
    expect(actionLabel('auth.login', zh)).toBe('登录');
    expect(actionLabel('auth.login_log.read', eng)).toBe('Read the login log');
    expect(actionLabel('calendar.replace_year', zh)).toBe('设置年度工作日历');
    expect(actionLabel('audit.read', eng)).toBe('Search audit records');
  });

  it('has a text label for every known action and group in both languages', () => {
    for (const action of KNOWN_ACTIONS) {
      const key = /** @type {string} */ (actionLabelKey(action));
      for (const messages of [zhCN, en]) expect(typeof lookup(messages, key), `${action}`).toBe('string');
    }
    expect(ACTION_GROUPS).toEqual(['auth', 'user', 'grant', 'role', 'org', 'client', 'calendar', 'audit']);
    for (const group of ACTION_GROUPS) {
      for (const messages of [zhCN, en]) expect(typeof lookup(messages, `audit.groups.${group}`), group).toBe('string');
    }
  });

  it('shows unknown actions and groups as they are', () => {
    expect(actionLabelKey('cases.create')).toBeNull();
    expect(actionLabel('cases.create', zh)).toBe('cases.create');
    // A group is not an action, and a longer name is not its prefix's action.
    expect(actionLabel('auth', zh)).toBe('auth');
    expect(actionLabel('auth.login.extra', zh)).toBe('auth.login.extra');
    expect(actionLabel('', zh)).toBe('');
    expect(groupLabel('user', zh)).toBe('用户');
    expect(groupLabel('cases', zh)).toBe('cases');
  });

  it('suggests groups and actions by name or label', () => {
    const all = actionSuggestions('', zh);
    expect(all.filter((s) => !s.group).map((s) => s.value)).toEqual([...KNOWN_ACTIONS]);
    expect(all[0]).toEqual({ value: 'auth', label: '全部“登录与会话”操作', group: true });

    expect(actionSuggestions('user.c', zh)).toEqual([{ value: 'user.create', label: '新建用户', group: false }]);
    expect(actionSuggestions('GRANT', eng).map((s) => s.value)).toEqual(['grant', 'grant.create', 'grant.revoke']);
    expect(actionSuggestions('授予', zh).map((s) => s.value)).toEqual(['grant.create']);
    expect(actionSuggestions('nothing like it', zh)).toEqual([]);
  });

  it('colours outcomes and names actor kinds', () => {
    expect(['success', 'failure', 'denied', 'other'].map(outcomeTagType)).toEqual(['success', 'danger', 'warning', 'info']);
    expect(actorKindLabel('client', zh)).toBe('接入系统');
    expect(actorKindLabel('anonymous', eng)).toBe('Anonymous');
    expect(actorKindLabel('robot', zh)).toBe('robot');
  });

  it('reads the details of a record', () => {
    expect(detailEntries('{"method":"POST","route":"/api/users","status":201}')).toEqual([
      ['method', 'POST'],
      ['route', '/api/users'],
      ['status', '201'],
    ]);
    expect(detailEntries('{"cutoff_ms":1,"extra":{"a":1}}')).toEqual([
      ['cutoff_ms', '1'],
      ['extra', '{"a":1}'],
    ]);
    expect(detailEntries('')).toBeNull();
    expect(detailEntries('not json')).toBeNull();
    expect(detailEntries('[1,2]')).toBeNull();
  });
});
