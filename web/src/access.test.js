import { describe, expect, it } from 'vitest';
import { decideNavigation, homePathFor, needsSession, safeRedirect } from './access.js';

/**
 * A route location as the guard sees it.
 * @param {string} fullPath @param {{name?: string, query?: Record<string, string>, meta?: object}} [over]
 */
const to = (fullPath, { name = 'page', query = {}, meta = {} } = {}) =>
  /** @type {any} */ ({ fullPath, path: fullPath.split('?')[0], name, query, meta, matched: [{ meta }] });

const signedOut = { signedIn: false, mustChangePassword: false, home: '/portal' };
const signedIn = { signedIn: true, mustChangePassword: false, home: '/admin' };
const mustChange = { signedIn: true, mustChangePassword: true, home: '/admin' };

describe('safeRedirect', () => {
  it('accepts paths of this app only', () => {
    expect(safeRedirect('/admin/users?q=li', '/portal')).toBe('/admin/users?q=li');
    expect(safeRedirect(['/account'], '/portal')).toBe('/account');
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'admin', '', '/a\nb', '/login', '/login?redirect=/x', 42, undefined]) {
      expect(safeRedirect(bad, '/portal'), String(bad)).toBe('/portal');
    }
  });
});

describe('homePathFor', () => {
  it('starts administrators on the admin face, staff on the workbench, others on the portal', () => {
    expect(homePathFor({ kind: 'staff' }, ['user.manage'])).toBe('/admin');
    expect(homePathFor({ kind: 'staff' }, ['org.read', 'user.read', 'catalog.resource.edit'])).toBe('/workbench');
    expect(homePathFor({ kind: 'staff' }, ['audit.read'])).toBe('/admin');
    expect(homePathFor({ kind: 'staff' }, ['case.handle'])).toBe('/workbench');
    expect(homePathFor({ kind: 'citizen' }, [])).toBe('/portal');
    expect(homePathFor(null, [])).toBe('/portal');
  });
});

describe('decideNavigation', () => {
  const users = to('/admin/users?q=li', { name: 'admin-users', meta: { permission: ['user.read'], requiresAuth: true } });
  const account = to('/account', { name: 'account', meta: { requiresAuth: true } });
  const status = to('/admin/status', { name: 'admin-status', meta: { permission: [] } });
  const login = (/** @type {Record<string, string>} */ query = {}) => to('/login', { name: 'login', query });
  const password = to('/account/password', { name: 'account-password', meta: { requiresAuth: true } });

  it('sends a visitor to sign in, and back afterwards', () => {
    expect(needsSession(users)).toBe(true);
    expect(needsSession(status)).toBe(false);
    expect(decideNavigation(users, signedOut)).toEqual({ name: 'login', query: { redirect: '/admin/users?q=li' } });
    expect(decideNavigation(account, signedOut)).toEqual({ name: 'login', query: { redirect: '/account' } });
    expect(decideNavigation(status, signedOut)).toBe(true);
    expect(decideNavigation(login(), signedOut)).toBe(true);
  });

  it('lets a signed-in user through, and away from the sign-in page', () => {
    expect(decideNavigation(users, signedIn)).toBe(true);
    expect(decideNavigation(login({ redirect: '/admin/users' }), signedIn)).toBe('/admin/users');
    expect(decideNavigation(login({ redirect: 'https://evil.example' }), signedIn)).toBe('/admin');
    expect(decideNavigation(login(), signedIn)).toBe('/admin');
  });

  it('keeps an administrator without a second factor on the account page until one is enrolled', () => {
    const needsTotp = { signedIn: true, mustChangePassword: false, needsSecondFactor: true, home: '/admin' };
    expect(decideNavigation(account, needsTotp)).toBe(true);
    expect(decideNavigation(password, needsTotp)).toBe(true);
    expect(decideNavigation(users, needsTotp)).toEqual({ name: 'account', query: { enrol: '1' } });
    expect(decideNavigation(status, needsTotp)).toEqual({ name: 'account', query: { enrol: '1' } });
    expect(decideNavigation(users, { ...needsTotp, needsSecondFactor: false })).toBe(true);
  });

  it('keeps an account that must change its password on the password page', () => {
    expect(decideNavigation(password, mustChange)).toBe(true);
    expect(decideNavigation(users, mustChange)).toEqual({
      name: 'account-password',
      query: { redirect: '/admin/users?q=li' },
    });
    expect(decideNavigation(status, mustChange)).toEqual({ name: 'account-password', query: { redirect: '/admin/status' } });
    expect(decideNavigation(login({ redirect: '/admin/orgs' }), mustChange)).toEqual({
      name: 'account-password',
      query: { redirect: '/admin/orgs' },
    });
    expect(decideNavigation(login(), mustChange)).toEqual({ name: 'account-password' });
  });
});
