// The catalog's published (and retired) resources as the choices of a list's resource
// filter; staff on the sharing pages all read the catalog. Loaded once per page.
import { computed } from 'vue';
import { useRequest } from '@/composables/useRequest.js';
import { searchResources } from '@/modules/catalog/api.js';

export function useResourceOptions() {
  const request = useRequest(() => searchResources({ state: 'published,retired', limit: 100 }));
  const options = computed(() =>
    (request.data.value?.items ?? []).map((r) => ({ value: r.code, label: r.name, provider: r.provider_name })),
  );
  return { options, loading: request.loading, load: request.run };
}
