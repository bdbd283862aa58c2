// Who is signed in. The API client reads the bearer token from here (see main.js); the
// sign-in page fills it with the answer of POST /api/auth/login.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/**
 * @typedef {Object} SessionUser  the `user` of a login answer, as far as the shell needs it
 * @property {string} [id]
 * @property {string} [username]
 * @property {string} [display_name]
 * @property {string[]} [roles]
 */

/**
 * @typedef {Object} Session  the answer of POST /api/auth/login
 * @property {string} token
 * @property {string} expires_at  ISO 8601 with offset
 * @property {SessionUser} user
 */

export const SESSION_STORAGE_KEY = 'zhengwu.session';

/** @returns {Session | null} a stored session that is well-formed and not yet expired */
function restore() {
  try {
    const raw = globalThis.sessionStorage?.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw);
    if (typeof s?.token !== 'string' || !s.token) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

/** @param {Session | null} session */
function persist(session) {
  try {
    if (session) globalThis.sessionStorage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else globalThis.sessionStorage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage may be unavailable (private modes); the session then lasts for this page.
  }
}

export const useAuthStore = defineStore('auth', () => {
  const initial = restore();
  /** @type {import('vue').Ref<string | null>} */
  const token = ref(initial?.token ?? null);
  /** @type {import('vue').Ref<string | null>} */
  const expiresAt = ref(initial?.expires_at ?? null);
  /** @type {import('vue').Ref<SessionUser | null>} */
  const user = ref(initial?.user ?? null);

  const isAuthenticated = computed(() => token.value !== null);

  /** @param {Session} session */
  function setSession(session) {
    token.value = session.token;
    expiresAt.value = session.expires_at ?? null;
    user.value = session.user ?? null;
    persist(session);
  }

  function clear() {
    token.value = null;
    expiresAt.value = null;
    user.value = null;
    persist(null);
  }

  return { token, expiresAt, user, isAuthenticated, setSession, clear };
});
