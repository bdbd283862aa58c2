// Routes: the shell layout around the faces' home pages, the modules' pages (from the
// navigation registry: face pages and those outside the faces, like sign-in) and a 404
// for everything else. The session guard is in access.js (installed by main.js). The server sends index.html for
// every non-API path, so client-side routes work on reload and deep links.
import { createRouter, createWebHistory } from 'vue-router';
import ShellLayout from '@/layouts/ShellLayout.vue';
import { DEFAULT_FACE, FACES, faceByKey } from '@/navigation.js';

import FaceHomePage from '@/pages/FaceHomePage.vue';
import NotFoundPage from '@/pages/NotFoundPage.vue';

/**
 * @param {import('@/navigation.js').Navigation} navigation
 * @returns {import('vue-router').Router}
 */
export function createAppRouter(navigation) {
  const faceHomes = FACES.map((face) => ({
    path: face.path,
    name: `${face.key}-home`,
    component: FaceHomePage,
    meta: { face: face.key, title: `faces.${face.key}.title`, activeMenu: face.path },
  }));

  return createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      {
        path: '/',
        component: ShellLayout,
        children: [
          { path: '', name: 'home', redirect: faceByKey(DEFAULT_FACE)?.path ?? '/portal' },
          ...faceHomes,
          ...navigation.routes,
          ...navigation.shellRoutes,
          { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'notFound.title' } },
        ],
      },
    ],
    scrollBehavior: (to, _from, saved) => saved ?? (to.hash ? { el: to.hash } : { top: 0 }),
  });
}
