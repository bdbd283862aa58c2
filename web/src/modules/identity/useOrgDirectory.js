import { computed } from 'vue';
import { useRequest } from '@/composables/useRequest.js';
import { listOrgs } from './api.js';
import { buildOrgTree } from './orgTree.js';

/**
 * The organisations the caller may see (GET /api/orgs), with lookups and the tree; pages
 * load it once and hand it to their pickers.
 */
export function useOrgDirectory() {
  const request = useRequest(() => listOrgs());
  /** @type {import('vue').ComputedRef<import('./api.js').Org[]>} */
  const items = computed(() => request.data.value?.items ?? []);
  const byCode = computed(() => new Map(items.value.map((o) => [o.code, o])));
  const byId = computed(() => new Map(items.value.map((o) => [o.id, o])));
  const tree = computed(() => buildOrgTree(items.value));
  return { ...request, load: request.run, items, byCode, byId, tree };
}
