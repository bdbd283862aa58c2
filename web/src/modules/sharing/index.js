// The sharing module (数据共享, server module "data"): on the workbench, 共享审批 — the
// applications a department made, those waiting for its decision, and for the big-data
// centre the escalated ones and all — and 共享授权, the grants it holds and gave; asking
// for a resource from either page or from the resource's own page; and 数据订阅, the
// changes of granted resources pushed to the department's systems. On the public portal,
// a citizen's or enterprise's 我的数据使用记录 (who read their records, for what), also
// linked from their user menu.
import { Connection, Promotion, Stamp, View } from '@element-plus/icons-vue';
import { DATA_USE_PATH, GRANTS_PATH, SHARING_PATH, SUBSCRIPTIONS_PATH } from './paths.js';
import { APPLY, OVERSEE, SHARING_PERMISSIONS } from './sharing.js';

/** @type {import('@/navigation.js').ModuleDef} */
export default {
  name: 'sharing',
  pages: [
    {
      path: SHARING_PATH,
      name: 'workbench-sharing',
      face: 'workbench',
      component: () => import('./pages/SharingPage.vue'),
      nav: { area: 'sharing', icon: Stamp },
      title: 'sharing.applications.title',
      permission: [...SHARING_PERMISSIONS],
    },
    {
      path: GRANTS_PATH,
      name: 'workbench-grants',
      face: 'workbench',
      component: () => import('./pages/GrantsPage.vue'),
      nav: { area: 'grants', icon: Connection },
      title: 'sharing.grants.title',
      permission: [...SHARING_PERMISSIONS],
    },
    {
      // 数据订阅: the changes of a granted resource pushed to the department's system.
      path: SUBSCRIPTIONS_PATH,
      name: 'workbench-subscriptions',
      face: 'workbench',
      component: () => import('./pages/SubscriptionsPage.vue'),
      nav: { area: 'subscriptions', icon: Promotion },
      title: 'subscriptions.title',
      permission: [APPLY, OVERSEE],
    },
    {
      // The portal's 我的数据使用记录: a session is needed (the server answers citizens and
      // enterprises, and tells staff it keeps no such record for them).
      path: DATA_USE_PATH,
      name: 'data-use',
      face: 'portal',
      component: () => import('./pages/DataUsePage.vue'),
      nav: { area: 'dataUse', icon: View },
      title: 'sharing.dataUse.title',
      requiresAuth: true,
    },
  ],
};
