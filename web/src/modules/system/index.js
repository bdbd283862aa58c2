// The system module: how the running platform is doing (admin face).
import { Monitor } from '@element-plus/icons-vue';

/** @type {import('@/navigation.js').ModuleDef} */
export default {
  name: 'system',
  pages: [
    {
      path: '/admin/status',
      name: 'admin-status',
      face: 'admin',
      component: () => import('./pages/SystemStatusPage.vue'),
      nav: { area: 'status', icon: Monitor },
    },
  ],
};
