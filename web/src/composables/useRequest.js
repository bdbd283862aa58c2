import { ref, shallowRef } from 'vue';

/**
 * Loading state for one kind of request, for pages that show data from the API.
 * Only the latest call's outcome lands: an answer that arrives after a newer call was
 * started is dropped, so a slow earlier refresh never overwrites a newer one.
 *
 * @template T
 * @template {unknown[]} A
 * @param {(...args: A) => Promise<T>} fn
 */
export function useRequest(fn) {
  /** @type {import('vue').ShallowRef<T | undefined>} */
  const data = shallowRef();
  /** @type {import('vue').ShallowRef<unknown>} */
  const error = shallowRef(null);
  const loading = ref(false);
  let latest = 0;

  /**
   * Runs the request; resolves with its result, or undefined when it failed (see
   * `error`) or was overtaken by a newer call. Never rejects.
   * @param {A} args
   * @returns {Promise<T | undefined>}
   */
  async function run(...args) {
    const id = ++latest;
    loading.value = true;
    try {
      const result = await fn(...args);
      if (id !== latest) return undefined;
      data.value = result;
      error.value = null;
      return result;
    } catch (e) {
      if (id === latest) error.value = e;
      return undefined;
    } finally {
      if (id === latest) loading.value = false;
    }
  }

  return { data, error, loading, run };
}
