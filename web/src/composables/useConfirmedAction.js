import { ref, shallowRef } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';

/**
 * @typedef {Object} ConfirmQuestion  a question for ElMessageBox.confirm (type warning)
 * @property {string} message
 * @property {string} [title]  default: common.confirmTitle ("请确认")
 * @property {string} [confirmText]  the confirm button; default: common.confirm
 */

/**
 * @template A, R
 * @typedef {Object} ConfirmedActionStep
 * @property {string} key  names this action in `busy` while it runs, e.g. `disable-42`
 * @property {string | ConfirmQuestion | (() => Promise<A>)} [confirm]  asked first:
 *   a question (text, or text with title and button) for ElMessageBox.confirm, or a
 *   function that asks itself (ElMessageBox.prompt, say) and rejects when cancelled;
 *   what that function resolves with is passed to `action`. None: no question.
 * @property {(answer: A | undefined) => Promise<R> | R} action  the request
 * @property {string} [done]  shown with ElMessage.success after the action succeeded
 * @property {(result: R) => unknown} [after]  what follows success, after the message
 *   (reload the list, show the result); a failure here is kept in `error` too
 */

/**
 * Actions on a page's rows that are confirmed first (disable, revoke, delete…): asks,
 * runs the action with its key in `busy`, says it is done, then runs what follows.
 *
 * A cancelled question does nothing (not even clearing `error`). Otherwise `error` is
 * cleared when the action starts and holds its failure afterwards, for a closable
 * ErrorAlert. Actions on other rows may run meanwhile; `busy` names the latest started.
 *
 * @param {{ t: (key: string) => string }} i18n  the page's `t`, for the default
 *   title and buttons of the question
 */
export function useConfirmedAction({ t }) {
  /** the key of the running action, '' when none runs */
  const busy = ref('');
  /** @type {import('vue').ShallowRef<unknown>} the last action's failure, or null */
  const error = shallowRef(null);

  /**
   * @param {string | ConfirmQuestion | (() => Promise<unknown>)} confirm
   * @returns {Promise<unknown>} the answer; rejects when cancelled
   */
  function ask(confirm) {
    if (typeof confirm === 'function') return confirm();
    const q = typeof confirm === 'string' ? { message: confirm } : confirm;
    return ElMessageBox.confirm(q.message, q.title ?? t('common.confirmTitle'), {
      type: 'warning',
      confirmButtonText: q.confirmText ?? t('common.confirm'),
      cancelButtonText: t('common.cancel'),
    }).then(() => undefined);
  }

  /**
   * Asks (if told to), then runs the action. Never rejects.
   * @template A, R
   * @param {ConfirmedActionStep<A, R>} step
   * @returns {Promise<boolean>} true when the action (and what follows it) succeeded;
   *   false when the question was cancelled or the action failed (see `error`)
   */
  async function run({ key, confirm, action, done, after }) {
    /** @type {any} */
    let answer;
    if (confirm) {
      try {
        answer = await ask(confirm);
      } catch {
        return false;
      }
    }
    busy.value = key;
    error.value = null;
    try {
      const result = await action(answer);
      if (done) ElMessage.success(done);
      if (after) await after(result);
      return true;
    } catch (e) {
      error.value = e;
      return false;
    } finally {
      if (busy.value === key) busy.value = '';
    }
  }

  return { busy, error, run };
}
