// Who is signed in. The API client reads the bearer token from here (see main.js); the
// sign-in page fills it with the answer of POST /api/auth/login, and GET /api/me adds
// the grants and permissions that decide which pages the user sees.
//
// The session (token, expiry, user) is kept in localStorage, so that it holds across tabs
// and reloads until it expires or the user signs out; permissions are asked again after a
// reload (they may have changed).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { get } from '@/api/client.js';

/**
 * @typedef {Object} SessionUser  the `user` of a login answer and of GET /api/me
 * @property {number} [id]
 * @property {string} [username]
 * @property {string} [display_name]
 * @property {'staff' | 'citizen' | 'enterprise'} [kind]
 * @property {string | null} [org]  organisation code (staff)
 * @property {string | null} [position]
 * @property {string | null} [id_number]  the owner's own, in full
 * @property {boolean} [must_change_password]
 * @property {boolean} [locked]
 * @property {boolean} [disabled]
 * @property {boolean} [totp_enrolled]
 * @property {number} [recovery_codes_left]
 * @property {1 | 2 | 3} [real_name_level]  citizens: how sure the platform is of who they are
 */

/**
 * @typedef {Object} Session  the answer of POST /api/auth/login
 * @property {string} token
 * @property {string} expires_at  ISO 8601 with offset
 * @property {SessionUser} user
 */

/**
 * @typedef {Object} HeldGrant  a role the user holds, and where
 * @property {string} role  code
 * @property {string} role_name
 * @property {string} org  code
 * @property {string} org_name
 * @property {boolean} include_subtree
 */

/**
 * @typedef {Object} Me  GET /api/me
 * @property {'user'} kind
 * @property {SessionUser} user
 * @property {HeldGrant[]} grants
 * @property {string[]} permissions
 */

export const SESSION_STORAGE_KEY = 'zhengwu.session';

/** @returns {Storage | undefined} */
function storage() {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** @returns {Session | null} a stored session that is well-formed and not yet expired */
export function restoreSession() {
  try {
    const raw = storage()?.getItem(SESSION_STORAGE_KEY);
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
    if (session) storage()?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else storage()?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage may be unavailable (private modes); the session then lasts for this page.
  }
}

export const useAuthStore = defineStore('auth', () => {
  const initial = restoreSession();
  /** @type {import('vue').Ref<string | null>} */
  const token = ref(initial?.token ?? null);
  /** @type {import('vue').Ref<string | null>} */
  const expiresAt = ref(initial?.expires_at ?? null);
  /** @type {import('vue').Ref<SessionUser | null>} */
  const user = ref(initial?.user ?? null);
  /** @type {import('vue').Ref<HeldGrant[]>} */
  const grants = ref([]);
  /** @type {import('vue').Ref<string[]>} */
  const permissions = ref([]);
  /** an administrator who must enrol a second factor before anything else (GET /api/me) */
  const needsSecondFactor = ref(false);
  /** whether `grants` and `permissions` come from GET /api/me for this session */
  const meLoaded = ref(false);
  /** the last failure of GET /api/me other than a 401 (the server unreachable, say) */
  const meError = shallowRef(/** @type {unknown} */ (null));

  const isAuthenticated = computed(() => token.value !== null);
  const displayName = computed(() => user.value?.display_name || user.value?.username || '');
  const mustChangePassword = computed(() => Boolean(user.value?.must_change_password));
  /** @type {import('vue').ComputedRef<import('@/navigation.js').Access>} */
  const access = computed(() => ({ signedIn: isAuthenticated.value, permissions: permissions.value }));

  /** @param {string} permission */
  function can(permission) {
    return permissions.value.includes(permission);
  }

  /** @param {Session} session  the login answer */
  function setSession(session) {
    token.value = session.token;
    expiresAt.value = session.expires_at ?? null;
    user.value = session.user ?? null;
    grants.value = [];
    permissions.value = [];
    needsSecondFactor.value = false;
    meLoaded.value = false;
    meError.value = null;
    persist(session);
  }

  /** @param {Me} me */
  function setMe(me) {
    user.value = me.user ?? user.value;
    grants.value = Array.isArray(me.grants) ? me.grants : [];
    permissions.value = Array.isArray(me.permissions) ? me.permissions : [];
    needsSecondFactor.value = Boolean(me.needs_second_factor);
    meLoaded.value = true;
    meError.value = null;
    if (token.value) persist({ token: token.value, expires_at: expiresAt.value ?? '', user: user.value ?? {} });
  }

  /**
   * Asks the server who this session is (GET /api/me). Never rejects: a 401 ends the
   * session (the API client's onUnauthorized clears it), other failures land in `meError`.
   * @returns {Promise<boolean>} whether the answer arrived
   */
  async function loadMe() {
    if (!token.value) return false;
    const asked = token.value;
    try {
      const me = /** @type {Me} */ (await get('/api/me'));
      if (token.value !== asked) return false;
      setMe(me);
      return true;
    } catch (e) {
      if (token.value === asked) meError.value = e;
      return false;
    }
  }

  function clear() {
    token.value = null;
    expiresAt.value = null;
    user.value = null;
    grants.value = [];
    permissions.value = [];
    needsSecondFactor.value = false;
    meLoaded.value = false;
    meError.value = null;
    persist(null);
  }

  /** Takes over what another tab stored (a sign-in or sign-out there). */
  function syncFromStorage() {
    const s = restoreSession();
    if (s?.token === token.value) return;
    if (s) setSession(s);
    else clear();
  }

  return {
    token,
    expiresAt,
    user,
    grants,
    permissions,
    meLoaded,
    meError,
    isAuthenticated,
    displayName,
    mustChangePassword,
    needsSecondFactor,
    access,
    can,
    setSession,
    setMe,
    loadMe,
    clear,
    syncFromStorage,
  };
});
