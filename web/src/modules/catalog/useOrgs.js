import { computed } from 'vue';
import { useRequest } from '@/composables/useRequest.js';
import { useAuthStore } from '@/stores/auth.js';
import { listOrgs } from './api.js';

/**
 * The organisations for provider names and the pickers (GET /api/orgs). Users without
 * org.read get none: the pages then show codes (and the names the catalog answers carry)
 * and take codes typed in.
 */
export function useOrgs() {
  const auth = useAuthStore();
  const request = useRequest(() => listOrgs());
  const items = computed(() => request.data.value?.items ?? []);
  const byCode = computed(() => new Map(items.value.map((o) => [o.code, o])));
  const available = computed(() => auth.can('org.read'));

  /** Loads once, when the user may read the organisations. */
  function load() {
    if (!available.value || request.data.value || request.loading.value) return Promise.resolve(undefined);
    return request.run();
  }

  /**
   * An organisation's name: from the directory, else from a name the caller knows (a
   * catalog answer's provider_name), else its code.
   * @param {string | null | undefined} code @param {string} [known]
   */
  const nameOf = (code, known = '') => (code ? byCode.value.get(code)?.name || known || code : '');

  return { ...request, load, items, byCode, available, nameOf };
}
