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

const session = (expiresAt) => ({
  token: 'tok-1',
  expires_at: expiresAt,
  user: { username: 'zhangsan', roles: ['clerk'] },
});

describe('auth store', () => {
  beforeEach(() => {
    vi.stubGlobal('sessionStorage', memoryStorage());
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts signed out', () => {
    const auth = useAuthStore();
    expect(auth.token).toBeNull();
    expect(auth.isAuthenticated).toBe(false);
  });

  it('keeps a session for the tab and clears it', () => {
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    expect(auth.isAuthenticated).toBe(true);
    expect(auth.user?.username).toBe('zhangsan');

    setActivePinia(createPinia());
    const reloaded = useAuthStore();
    expect(reloaded.token).toBe('tok-1');

    reloaded.clear();
    expect(reloaded.isAuthenticated).toBe(false);
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('does not restore an expired or malformed session', () => {
    sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session('2000-01-01T00:00:00+08:00')));
    expect(useAuthStore().token).toBeNull();

    setActivePinia(createPinia());
    sessionStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    expect(useAuthStore().token).toBeNull();
  });

  it('works without storage', () => {
    vi.stubGlobal('sessionStorage', undefined);
    const auth = useAuthStore();
    auth.setSession(session('2999-01-01T00:00:00+08:00'));
    expect(auth.token).toBe('tok-1');
  });
});
