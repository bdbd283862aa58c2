// Sessions and routes: which page a navigation may open, where sign-in leads back to,
// and what happens when the server says the session is over (401).
//
//   - a page that needs a session (meta.requiresAuth or meta.permission) sends a
//     signed-out visitor to /login?redirect=<the page>;
//   - an account that must change its password reaches only /account/password;
//   - a page whose permission the user lacks stays at its address, and the shell shows
//     "no permission" in its place (ShellLayout), without calling the API.

export const LOGIN_ROUTE = 'login';
export const PASSWORD_ROUTE = 'account-password';
export const ACCOUNT_ROUTE = 'account';

// Permissions that make the admin face a user's home: what only administrators hold.
// Reading the organisation tree or the accounts is not one of them: department heads and
// clerks read them too, and start on the workbench.
const ADMIN_PERMISSIONS = Object.freeze([
  'user.manage',
  'grant.manage',
  'role.manage',
  'login_log.read',
  'session.manage',
  'client.manage',
  'audit.read',
]);

/**
 * A same-origin path to go back to after signing in, or `fallback`. Only absolute paths
 * of this app qualify: no scheme, no host ('//evil.example', '/\\evil'), no control
 * characters, and never the sign-in page itself.
 * @param {unknown} value  a `redirect` query value
 * @param {string} fallback
 * @returns {string}
 */
export function safeRedirect(value, fallback) {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !v.startsWith('/')) return fallback;
  if (v.startsWith('//') || v.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(v)) return fallback;
  if (v === '/login' || v.startsWith('/login?') || v.startsWith('/login#')) return fallback;
  return v;
}

/**
 * The face a user starts on: the admin face for administrators, the workbench for other
 * staff, the portal for citizens, enterprises and visitors.
 * @param {{kind?: string} | null | undefined} user
 * @param {readonly string[]} permissions
 */
export function homePathFor(user, permissions) {
  if (permissions.some((p) => ADMIN_PERMISSIONS.includes(p))) return '/admin';
  if (user?.kind === 'staff') return '/workbench';
  return '/portal';
}

/** @param {import('vue-router').RouteLocationNormalized} to */
export function needsSession(to) {
  return to.matched.some((r) => r.meta.requiresAuth || (Array.isArray(r.meta.permission) && r.meta.permission.length));
}

/**
 * @typedef {Object} SessionState
 * @property {boolean} signedIn
 * @property {boolean} mustChangePassword
 * @property {boolean} [needsSecondFactor]  an administrator without TOTP: only the account page
 * @property {string} home  where the user starts (homePathFor)
 */

/**
 * Where a navigation goes: `true` to let it through, or a location to go to instead.
 * @param {import('vue-router').RouteLocationNormalized} to
 * @param {SessionState} state
 * @returns {true | import('vue-router').RouteLocationRaw}
 */
export function decideNavigation(to, state) {
  if (!state.signedIn) {
    if (needsSession(to)) return { name: LOGIN_ROUTE, query: { redirect: to.fullPath } };
    return true;
  }
  if (state.mustChangePassword) {
    if (to.name === PASSWORD_ROUTE) return true;
    const back = to.name === LOGIN_ROUTE ? safeRedirect(to.query.redirect, '') : to.fullPath;
    return back ? { name: PASSWORD_ROUTE, query: { redirect: back } } : { name: PASSWORD_ROUTE };
  }
  if (state.needsSecondFactor) {
    // Administrators work with two factors (GB/T 22239-2019 level 3): the server refuses
    // everything else until one is enrolled, so the account page is where to go.
    if (to.name === ACCOUNT_ROUTE || to.name === PASSWORD_ROUTE) return true;
    return { name: ACCOUNT_ROUTE, query: { enrol: '1' } };
  }
  if (to.name === LOGIN_ROUTE) return safeRedirect(to.query.redirect, state.home);
  return true;
}

/**
 * Puts the session guard on the router.
 * @param {import('vue-router').Router} router
 * @param {ReturnType<typeof import('@/stores/auth.js').useAuthStore>} auth
 * @returns {{onUnauthorized: () => void}}  for the API client: a 401 ends the session and,
 *   on a page that needs one, opens the sign-in page
 */
export function installAccessGuard(router, auth) {
  let navigating = false;

  router.beforeEach(async (to) => {
    navigating = true;
    if (auth.isAuthenticated && !auth.meLoaded) await auth.loadMe();
    return decideNavigation(to, {
      signedIn: auth.isAuthenticated,
      mustChangePassword: auth.mustChangePassword,
      needsSecondFactor: auth.needsSecondFactor,
      home: homePathFor(auth.user, auth.permissions),
    });
  });
  const settled = () => {
    navigating = false;
  };
  router.afterEach(settled);
  router.onError(settled);

  return {
    onUnauthorized() {
      auth.clear();
      // During a navigation the guard above decides (it sees the cleared session).
      if (navigating) return;
      const current = router.currentRoute.value;
      if (needsSession(current)) {
        void router.replace({ name: LOGIN_ROUTE, query: { redirect: current.fullPath } });
      }
    },
  };
}
