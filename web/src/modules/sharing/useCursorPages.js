// Paging a newest-first list by the server's cursors ({items, next_cursor}): "next" goes
// to the page after, "previous" back through the cursors seen; a new query starts again
// at the first page. Only the latest request lands (useRequest).
import { computed, ref } from 'vue';
import { useRequest } from '@/composables/useRequest.js';

/**
 * @template T
 * @param {(cursor: string | undefined) => Promise<{items: T[], next_cursor: string | null}>} fetchPage
 *   reads the current filters itself
 */
export function useCursorPages(fetchPage) {
  const request = useRequest(fetchPage);
  /** cursors of the pages up to the current one; '' is the first page */
  const cursors = ref(/** @type {string[]} */ (['']));
  const pageNumber = computed(() => cursors.value.length);
  const items = computed(() => /** @type {T[]} */ (request.data.value?.items ?? []));
  const nextCursor = computed(() => request.data.value?.next_cursor ?? null);

  /** The current page again (after an action changed a row). */
  const reload = () => request.run(cursors.value.at(-1) || undefined);

  /** The first page (after the filters changed). */
  function first() {
    cursors.value = [''];
    return reload();
  }

  function next() {
    if (!nextCursor.value) return undefined;
    cursors.value = [...cursors.value, nextCursor.value];
    return reload();
  }

  function prev() {
    if (cursors.value.length <= 1) return undefined;
    cursors.value = cursors.value.slice(0, -1);
    return reload();
  }

  return {
    items,
    nextCursor,
    pageNumber,
    loading: request.loading,
    error: request.error,
    /** whether an answer has come (to tell "empty" from "not loaded yet") */
    loaded: computed(() => request.data.value !== undefined),
    reload,
    first,
    next,
    prev,
  };
}
