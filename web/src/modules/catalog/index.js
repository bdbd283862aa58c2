// The catalog module (政务信息资源目录, workbench face): everyone with catalog.resource.read
// searches the catalog and reads a resource's fields and history; a department's editors
// describe its resources and submit them; the big-data centre reviews (approve, or send
// back with a reason) and retires them.
import { Collection, DataAnalysis, Switch } from '@element-plus/icons-vue';
import { CATALOG_PATH as LIST } from './paths.js';

/** @type {import('@/navigation.js').ModuleDef} */
export default {
  name: 'catalog',
  pages: [
    {
      path: LIST,
      name: 'workbench-catalog',
      face: 'workbench',
      component: () => import('./pages/CatalogPage.vue'),
      nav: { area: 'catalog', icon: Collection },
      title: 'catalog.title',
      permission: 'catalog.resource.read',
    },
    {
      // Data quality of every published resource (the big-data centre's overview); a
      // static path, ranked before /:code like /new.
      path: `${LIST}/quality`,
      name: 'workbench-quality',
      face: 'workbench',
      component: () => import('./pages/QualityPage.vue'),
      nav: { area: 'quality', icon: DataAnalysis, order: 1 },
      title: 'catalog.quality.title',
      permission: 'catalog.resource.read',
    },
    {
      // One resource's quality report, its trend and "assess now".
      path: `${LIST}/:code/quality`,
      name: 'workbench-catalog-quality',
      face: 'workbench',
      component: () => import('./pages/QualityPage.vue'),
      title: 'catalog.quality.title',
      activeMenu: `${LIST}/quality`,
      permission: 'catalog.resource.read',
    },
    {
      // 一数一源: values other departments sent, for the authority to accept or reject;
      // a static path, ranked before /:code like /new.
      path: `${LIST}/discrepancies`,
      name: 'workbench-discrepancies',
      face: 'workbench',
      component: () => import('./pages/DiscrepanciesPage.vue'),
      nav: { area: 'discrepancies', icon: Switch, order: 2 },
      title: 'catalog.discrepancies.title',
      permission: 'catalog.resource.read',
    },
    {
      // Before /:code, which would otherwise take "new" for a resource (vue-router ranks
      // the static path first anyway).
      path: `${LIST}/new`,
      name: 'workbench-catalog-new',
      face: 'workbench',
      component: () => import('./pages/ResourceEditorPage.vue'),
      title: 'catalog.editor.newTitle',
      activeMenu: LIST,
      permission: 'catalog.resource.edit',
    },
    {
      // Linked as /workbench/catalog/<code>/ (see paths.js); the route takes both forms.
      path: `${LIST}/:code`,
      name: 'workbench-catalog-resource',
      face: 'workbench',
      component: () => import('./pages/ResourcePage.vue'),
      title: 'catalog.resource.title',
      activeMenu: LIST,
      permission: 'catalog.resource.read',
    },
    {
      path: `${LIST}/:code/edit`,
      name: 'workbench-catalog-edit',
      face: 'workbench',
      component: () => import('./pages/ResourceEditorPage.vue'),
      title: 'catalog.editor.editTitle',
      activeMenu: LIST,
      permission: 'catalog.resource.edit',
    },
    {
      // A department's editors upload records into a published resource and correct
      // what was refused; reviewers read every department's batches.
      path: `${LIST}/:code/imports`,
      name: 'workbench-catalog-imports',
      face: 'workbench',
      component: () => import('./pages/ImportPage.vue'),
      title: 'catalog.imports.title',
      activeMenu: LIST,
      permission: ['catalog.resource.edit', 'catalog.resource.publish'],
    },
  ],
};
