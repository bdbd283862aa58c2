// The sharing module (数据共享, server module "data"): on the workbench, 共享审批 — the
// applications a department made, those waiting for its decision, and for the big-data
// centre the escalated ones and all — and 共享授权, the grants it holds and gave; asking
// for a resource from either page or from the resource's own page. Outside the faces, a
// citizen's or enterprise's 我的数据使用记录 (who read their records, for what).
import { Connection, Stamp } from '@element-plus/icons-vue';
import { DATA_USE_PATH, GRANTS_PATH, SHARING_PATH } from './paths.js';
import { SHARING_PERMISSIONS } from './sharing.js';

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
  ],
  shellPages: [
    {
      // Citizens and enterprises, from the user menu (like 我可代理的企业).
      path: DATA_USE_PATH,
      name: 'data-use',
      component: () => import('./pages/DataUsePage.vue'),
      title: 'sharing.dataUse.title',
      requiresAuth: true,
    },
  ],
};
