import { computed } from 'vue';
import { useRoute } from 'vue-router';
import { faceByKey, faceForPath } from '@/navigation.js';

/**
 * The face the current route belongs to: from its meta, or by path prefix for paths that
 * match no page (so a mistyped /admin/... still shows the admin menu around the 404).
 * @returns {import('vue').ComputedRef<import('@/navigation.js').Face | undefined>}
 */
export function useCurrentFace() {
  const route = useRoute();
  return computed(() => {
    const key = /** @type {string | undefined} */ (route.meta.face);
    return (key && faceByKey(key)) || faceForPath(route.path);
  });
}
