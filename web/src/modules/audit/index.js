// The audit module: the audit administrator's search of the tamper-evident audit log,
// its export, and the status of the hash chain (admin face).
import { DocumentChecked } from '@element-plus/icons-vue';

/** @type {import('@/navigation.js').ModuleDef} */
export default {
  name: 'audit',
  pages: [
    {
      path: '/admin/audit',
      name: 'admin-audit',
      face: 'admin',
      component: () => import('./pages/AuditPage.vue'),
      nav: { area: 'audit', icon: DocumentChecked },
      title: 'audit.title',
      permission: 'audit.read',
    },
  ],
};
