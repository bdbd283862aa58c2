import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { SESSION_STORAGE_KEY, useAuthStore } from './auth.js';

/** A Storage stand-in backed by a Map. */
function memoryStorage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

const session = (expiresAt, user = {}) => ({
  token: 'tok-1',
  expires_at: expiresAt,
  user: { id: 7, username: 'zhangsan', display_name: '张三', kind: 'citizen', must_change_password: false, ...user },
});

const me = {
  kind: 'user',
  user: { id: 7, username: 'zhangsan', display_name: '张三', kind: 'staff', must_change_password: false, totp_enrolled: true },
  grants: [{ role: 'sys_admin', role_name: '系统管理员', org: '330100', org_name: '杭州市', include_subtree: true }],
  permissions: ['org.read', 'user.read'],
};

/** @param {number} status @param {unknown} body */
const answer = (status, body) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' },
  });

describe('auth store', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts signed out', () => {
    const auth = useAuthStore();
    expect(auth.token).toBeNull();
    expect(auth.isAuthenticated).toBe(false);
    expect(auth.access).toEqual({ signedIn: false, permissions: [] });
  });

  it('keeps a session across reloads and clears it', () => {
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    expect(auth.isAuthenticated).toBe(true);
    expect(auth.displayName).toBe('张三');

    setActivePinia(createPinia());
    const reloaded = useAuthStore();
    expect(reloaded.token).toBe('tok-1');
    expect(reloaded.user?.username).toBe('zhangsan');
    expect(reloaded.meLoaded).toBe(false);

    reloaded.clear();
    expect(reloaded.isAuthenticated).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('does not restore an expired or malformed session', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session('2000-01-01T00:00:00+08:00')));
    expect(useAuthStore().token).toBeNull();

    setActivePinia(createPinia());
    localStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    expect(useAuthStore().token).toBeNull();
  });

  it('works without storage', () => {
    vi.stubGlobal('localStorage', undefined);
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    expect(auth.token).toBe('tok-1');
  });

  it('knows an account that must change its password from the login answer', () => {
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00', { must_change_password: true }));
    expect(auth.mustChangePassword).toBe(true);
  });

  it('takes grants and permissions from GET /api/me', async () => {
    const fetch = vi.fn(async () => answer(200, me));
    vi.stubGlobal('fetch', fetch);
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    await expect(auth.loadMe()).resolves.toBe(true);
    expect(fetch.mock.calls[0][0]).toBe('/api/me');
    expect(auth.meLoaded).toBe(true);
    expect(auth.can('user.read')).toBe(true);
    expect(auth.can('role.manage')).toBe(false);
    expect(auth.access).toEqual({ signedIn: true, permissions: ['org.read', 'user.read'] });
    expect(auth.user?.totp_enrolled).toBe(true);
    expect(auth.grants[0].org_name).toBe('杭州市');
    // The refreshed user is what a reload restores.
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? '{}').user.kind).toBe('staff');

    auth.clear();
    expect(auth.permissions).toEqual([]);
    expect(auth.can('user.read')).toBe(false);
  });

  it('keeps the session when /api/me cannot be reached, and records why', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(503, { title: 'Service Unavailable', status: 503 })));
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    await expect(auth.loadMe()).resolves.toBe(false);
    expect(auth.isAuthenticated).toBe(true);
    expect(auth.meLoaded).toBe(false);
    expect(auth.meError).toMatchObject({ status: 503 });
  });

  it('follows a sign-in or sign-out in another tab', () => {
    const auth = useAuthStore();
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session('2999-01-01T00:00:00+08:00')));
    auth.syncFromStorage();
    expect(auth.token).toBe('tok-1');
    localStorage.removeItem(SESSION_STORAGE_KEY);
    auth.syncFromStorage();
    expect(auth.isAuthenticated).toBe(false);
  });
});
