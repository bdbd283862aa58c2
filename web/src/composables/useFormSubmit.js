import { ref } from 'vue';

/**
 * @typedef {{ validate: () => Promise<boolean> }} ValidatingForm  an el-form instance
 * @typedef {{ clear(): void, set(error: unknown): void }} ErrorSink  what useFormErrors returns
 */

/**
 * Whether an Element Plus form passes its rules; the fields that fail show their messages.
 * A form that is not mounted does not pass. Never rejects.
 * @param {import('vue').Ref<ValidatingForm | undefined | null>} formRef
 * @returns {Promise<boolean>}
 */
export async function validateForm(formRef) {
  const form = formRef.value;
  if (!form) return false;
  return Boolean(await form.validate().catch(() => false));
}

/**
 * Submitting one form: its rules first, then the action, with the busy state for the
 * submit button and the failure for the form's alert and fields.
 *
 * `submit(action)` clears `errors`, checks the form's rules (nothing is sent when they
 * fail), keeps `busy` true while the action runs, and puts a failure of the action into
 * `errors`. The action does what follows success too (emit, close, message, reload): a
 * failure there lands in `errors` the same way. While a submit is under way (validating
 * or running) a second one is refused, so a double click or Enter sends the form once.
 *
 * @param {import('vue').Ref<ValidatingForm | undefined | null> | null} formRef
 *   the el-form whose rules to check; null for a form without rules
 * @param {ErrorSink} errors  the form's useFormErrors
 */
export function useFormSubmit(formRef, errors) {
  /** true while the action runs (not while the rules are checked) */
  const busy = ref(false);
  let underway = false;

  /**
   * Runs the action if the form's rules pass. Never rejects.
   * @param {() => unknown} action  sends the form (may return a promise)
   * @returns {Promise<boolean>} true when the action succeeded; false when a submit was
   *   under way, the rules refused, or the action failed (its error is in `errors`)
   */
  async function submit(action) {
    if (underway) return false;
    underway = true;
    try {
      errors.clear();
      if (formRef && !(await validateForm(formRef))) return false;
      busy.value = true;
      await action();
      return true;
    } catch (e) {
      errors.set(e);
      return false;
    } finally {
      busy.value = false;
      underway = false;
    }
  }

  return { busy, submit };
}
