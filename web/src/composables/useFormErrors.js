import { computed, shallowRef } from 'vue';
import { formErrors } from '@/api/errors.js';

/**
 * Error state of one form: `set(error)` after a failed submit, then the alert shows
 * `error` (through ErrorAlert) and each form item takes `field('name')` as its `:error`.
 * @param {readonly string[]} fields  the form's field names (server names)
 */
export function useFormErrors(fields) {
  /** @type {import('vue').ShallowRef<unknown>} */
  const error = shallowRef(null);
  const state = computed(() => formErrors(error.value, fields));

  return {
    /** the last error (for ErrorAlert), or null */
    error,
    state,
    /** @param {string} name @returns {string} the message beside this field, '' for none */
    field: (name) => state.value.fields[name] ?? '',
    /** @param {unknown} e */
    set(e) {
      error.value = e;
    },
    clear() {
      error.value = null;
    },
  };
}
