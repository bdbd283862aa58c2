// The navigation registry: the faces of the app, and the pages that modules register
// into them. Routes and side menus are both derived from here, so a menu entry exists
// exactly when its page does.
//
// Labels come from i18n:  faces.<face>.title / .summary
//                         faces.<face>.areas.<area>.title / .description
import { Briefcase, DataAnalysis, House, Setting } from '@element-plus/icons-vue';

/** @typedef {import('vue').Component} Component */
/** @typedef {import('vue-router').RouteRecordRaw} RouteRecordRaw */
/** @typedef {'portal' | 'workbench' | 'cockpit' | 'admin'} FaceKey */

/**
 * @typedef {Object} Face  one audience's view of the platform
 * @property {FaceKey} key
 * @property {string} path  the face's home; its pages live under `${path}/`
 * @property {Component} icon
 * @property {readonly string[]} areas  what the face holds, in menu order; an area shows
 *   in the side menu once a module registers a page for it, and on the face's home page
 *   as "coming" until then
 */

/** @type {readonly Face[]} */
export const FACES = Object.freeze([
  { key: 'portal', path: '/portal', icon: House, areas: ['services', 'report', 'openData', 'dataUse'] },
  { key: 'workbench', path: '/workbench', icon: Briefcase, areas: ['tasks', 'applications', 'cases', 'catalog', 'quality', 'discrepancies', 'sharing', 'grants', 'subscriptions'] },
  { key: 'cockpit', path: '/cockpit', icon: DataAnalysis, areas: ['indicators', 'supervision', 'warnings', 'emergency'] },
  {
    key: 'admin',
    path: '/admin',
    icon: Setting,
    areas: ['orgs', 'users', 'roles', 'clients', 'logins', 'online', 'audit', 'status'],
  },
]);

/** The face the app opens on. */
export const DEFAULT_FACE = 'portal';

/**
 * @typedef {Object} PageNav  how a page appears in its face's side menu
 * @property {string} area  one of the face's areas (or a new one, listed after them)
 * @property {Component} [icon]
 * @property {number} [order]  sorts areas that the face does not list; default 0
 */

/**
 * @typedef {Object} PageDef  one page a module contributes
 * @property {string} path  absolute and under its face, e.g. '/admin/status', '/workbench/cases/:id'
 * @property {string} name  unique route name, e.g. 'admin-status'
 * @property {FaceKey} face
 * @property {() => Promise<unknown>} component  lazy import of the page component
 * @property {PageNav} [nav]  put the page in the side menu (list and overview pages)
 * @property {string} [title]  i18n key of the document title; defaults to the area's title
 * @property {string} [activeMenu]  for pages without `nav` (a detail page): the menu path
 *   to highlight, e.g. '/workbench/cases'
 * @property {string | string[]} [permission]  the permission (any of a list) a user needs to
 *   use the page: it implies a session, hides the menu entry from others, and the shell
 *   shows "no permission" instead of the page (the server refuses the calls anyway)
 * @property {boolean} [requiresAuth]  the page needs a session (any signed-in user)
 * @property {Record<string, unknown>} [meta]  further route meta
 */

/**
 * @typedef {Object} ShellPageDef  a page outside the faces (sign-in, my account): no side
 *   menu, its path under no face
 * @property {string} path
 * @property {string} name
 * @property {() => Promise<unknown>} component
 * @property {string} title  i18n key of the document title
 * @property {boolean} [requiresAuth]
 * @property {Record<string, unknown>} [meta]
 */

/**
 * @typedef {Object} ModuleDef  what a front-end module registers (src/modules/<name>/index.js)
 * @property {string} name  matches the server module's name
 * @property {PageDef[]} pages
 * @property {ShellPageDef[]} [shellPages]  pages outside the faces
 */

/**
 * @typedef {Object} MenuEntry
 * @property {string} area
 * @property {string} path
 * @property {string} title  i18n key
 * @property {string} description  i18n key
 * @property {Component | undefined} icon
 * @property {string} routeName
 * @property {string[]} permissions  any one of them lets a user use the page; empty: no
 *   permission needed
 * @property {boolean} requiresAuth
 */

/**
 * @typedef {Object} Access  what the signed-in user may do (from GET /api/me)
 * @property {boolean} signedIn
 * @property {readonly string[]} permissions
 */

/**
 * The permissions a page's `permission` names, as a list.
 * @param {unknown} permission
 * @returns {string[]}
 */
export function permissionList(permission) {
  if (!permission) return [];
  return (Array.isArray(permission) ? permission : [permission]).filter((p) => typeof p === 'string' && p);
}

/**
 * Whether a user may use a page (its route meta or menu entry): signed in when it needs a
 * session, and holding one of its permissions when it names any.
 * @param {{permission?: unknown, permissions?: unknown, requiresAuth?: unknown}} page
 * @param {Access} access
 */
export function canUsePage(page, access) {
  const needed = permissionList(page.permissions ?? page.permission);
  if ((page.requiresAuth || needed.length) && !access.signedIn) return false;
  return needed.length === 0 || needed.some((p) => access.permissions.includes(p));
}

/**
 * The menu entries a user may use, in order: entries of pages they cannot use are hidden.
 * @param {readonly MenuEntry[]} entries
 * @param {Access} access
 * @returns {MenuEntry[]}
 */
export function visibleEntries(entries, access) {
  return entries.filter((e) => canUsePage(e, access));
}

/** @param {string} key @returns {Face | undefined} */
export function faceByKey(key) {
  return FACES.find((f) => f.key === key);
}

/**
 * The face a path belongs to by its prefix (also for paths no page matches).
 * @param {string} path
 * @returns {Face | undefined}
 */
export function faceForPath(path) {
  return FACES.find((f) => path === f.path || path.startsWith(`${f.path}/`));
}

/** @param {FaceKey} face @param {string} area */
export function areaTitleKey(face, area) {
  return `faces.${face}.areas.${area}.title`;
}

/** @param {FaceKey} face @param {string} area */
export function areaDescriptionKey(face, area) {
  return `faces.${face}.areas.${area}.description`;
}

/**
 * Checks the modules' pages and derives the routes and side menus from them. Throws on
 * a registration mistake (unknown face, path outside its face, duplicate name, path or
 * area), so that a broken module fails at start-up and in the unit tests.
 * @param {readonly ModuleDef[]} modules
 */
export function createNavigation(modules) {
  /** @type {RouteRecordRaw[]} */
  const routes = [];
  /** @type {Map<FaceKey, (MenuEntry & {order: number})[]>} */
  const menus = new Map(FACES.map((f) => [f.key, []]));
  /** @type {RouteRecordRaw[]} */
  const shellRoutes = [];
  const names = new Set();
  const paths = new Set();

  for (const mod of modules) {
    if (!mod?.name) throw new Error('a module needs a name');
    for (const page of mod.pages ?? []) {
      const where = `module ${mod.name}, page ${page.name ?? page.path}`;
      const face = faceByKey(page.face);
      if (!face) throw new Error(`${where}: unknown face "${page.face}"`);
      if (!page.name) throw new Error(`${where}: missing route name`);
      if (typeof page.component !== 'function') throw new Error(`${where}: component must be a lazy import`);
      if (!page.path?.startsWith(`${face.path}/`)) {
        throw new Error(`${where}: path "${page.path}" must lie under "${face.path}/"`);
      }
      if (names.has(page.name)) throw new Error(`${where}: route name "${page.name}" is taken`);
      if (paths.has(page.path)) throw new Error(`${where}: path "${page.path}" is taken`);
      names.add(page.name);
      paths.add(page.path);
      const permissions = permissionList(page.permission);
      const requiresAuth = Boolean(page.requiresAuth || permissions.length);

      const menu = /** @type {(MenuEntry & {order: number})[]} */ (menus.get(face.key));
      if (page.nav) {
        if (!page.nav.area) throw new Error(`${where}: nav needs an area`);
        if (page.path.includes(':')) throw new Error(`${where}: a menu page cannot have path parameters`);
        if (menu.some((e) => e.area === page.nav?.area)) {
          throw new Error(`${where}: area "${page.nav.area}" of face "${face.key}" already has a page`);
        }
        menu.push({
          area: page.nav.area,
          path: page.path,
          title: areaTitleKey(face.key, page.nav.area),
          description: areaDescriptionKey(face.key, page.nav.area),
          icon: page.nav.icon,
          routeName: page.name,
          permissions,
          requiresAuth,
          order: page.nav.order ?? 0,
        });
      }

      routes.push({
        path: page.path,
        name: page.name,
        component: page.component,
        meta: {
          ...page.meta,
          module: mod.name,
          face: face.key,
          title: page.title ?? (page.nav ? areaTitleKey(face.key, page.nav.area) : undefined),
          activeMenu: page.nav ? page.path : page.activeMenu,
          permission: permissions,
          requiresAuth,
        },
      });
    }

    for (const page of mod.shellPages ?? []) {
      const where = `module ${mod.name}, shell page ${page.name ?? page.path}`;
      if (!page.name) throw new Error(`${where}: missing route name`);
      if (typeof page.component !== 'function') throw new Error(`${where}: component must be a lazy import`);
      if (!page.path?.startsWith('/') || page.path === '/') throw new Error(`${where}: path "${page.path}" must be absolute`);
      if (faceForPath(page.path)) throw new Error(`${where}: path "${page.path}" lies under a face; register it in pages`);
      if (!page.title) throw new Error(`${where}: missing title`);
      if (names.has(page.name)) throw new Error(`${where}: route name "${page.name}" is taken`);
      if (paths.has(page.path)) throw new Error(`${where}: path "${page.path}" is taken`);
      names.add(page.name);
      paths.add(page.path);
      shellRoutes.push({
        path: page.path,
        name: page.name,
        component: page.component,
        meta: { ...page.meta, module: mod.name, title: page.title, permission: [], requiresAuth: Boolean(page.requiresAuth) },
      });
    }
  }

  for (const face of FACES) {
    const rank = (/** @type {string} */ area) => {
      const i = face.areas.indexOf(area);
      return i === -1 ? face.areas.length : i;
    };
    /** @type {(MenuEntry & {order: number})[]} */ (menus.get(face.key)).sort(
      (a, b) => rank(a.area) - rank(b.area) || a.order - b.order || a.area.localeCompare(b.area),
    );
  }

  return {
    /** the module pages' routes (the router adds the shell's own) */
    routes,
    /** the modules' pages outside the faces (sign-in, my account) */
    shellRoutes,
    /**
     * The side-menu entries of a face, in order (the face's overview comes first in the
     * menu itself and is not part of this list).
     * @param {FaceKey} face
     * @returns {MenuEntry[]}
     */
    menu(face) {
      return (menus.get(face) ?? []).map(({ order: _order, ...entry }) => entry);
    },
    /**
     * The areas a face will hold that no module has registered a page for yet.
     * @param {FaceKey} face
     * @returns {string[]}
     */
    plannedAreas(face) {
      const taken = new Set((menus.get(face) ?? []).map((e) => e.area));
      return (faceByKey(face)?.areas ?? []).filter((a) => !taken.has(a));
    },
  };
}

/** @typedef {ReturnType<typeof createNavigation>} Navigation */
