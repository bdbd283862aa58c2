import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ElMessage, ElMessageBox } from 'element-plus';
import { deferred } from '@/utils/deferred.js';
import { useConfirmedAction } from './useConfirmedAction.js';

vi.mock('element-plus', () => ({
  ElMessage: { success: vi.fn() },
  ElMessageBox: { confirm: vi.fn() },
}));

const confirmBox = /** @type {import('vitest').Mock} */ (/** @type {unknown} */ (ElMessageBox.confirm));
const success = /** @type {import('vitest').Mock} */ (/** @type {unknown} */ (ElMessage.success));

/** The keys themselves stand in for the texts. */
const t = (/** @type {string} */ key) => `<${key}>`;

beforeEach(() => {
  confirmBox.mockReset();
  success.mockReset();
});

describe('useConfirmedAction', () => {
  it('does nothing when the question is cancelled, and keeps the last error', async () => {
    confirmBox.mockRejectedValueOnce('cancel');
    const { busy, error, run } = useConfirmedAction({ t });
    error.value = new Error('earlier');
    const action = vi.fn();
    const after = vi.fn();
    await expect(run({ key: 'disable-1', confirm: 'Disable?', action, done: 'Disabled', after })).resolves.toBe(false);
    expect(action).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
    expect(success).not.toHaveBeenCalled();
    expect(busy.value).toBe('');
    expect(/** @type {Error} */ (error.value).message).toBe('earlier');
  });

  it('asks with the default title and buttons, or with its own', async () => {
    confirmBox.mockResolvedValue('confirm');
    const { run } = useConfirmedAction({ t });
    await run({ key: 'a', confirm: 'Sure?', action: async () => {} });
    expect(confirmBox).toHaveBeenLastCalledWith('Sure?', '<common.confirmTitle>', {
      type: 'warning',
      confirmButtonText: '<common.confirm>',
      cancelButtonText: '<common.cancel>',
    });
    await run({ key: 'b', confirm: { message: 'End it?', title: 'End session', confirmText: 'End' }, action: async () => {} });
    expect(confirmBox).toHaveBeenLastCalledWith('End it?', 'End session', {
      type: 'warning',
      confirmButtonText: 'End',
      cancelButtonText: '<common.cancel>',
    });
  });

  it('passes what its own question answered to the action', async () => {
    const { run } = useConfirmedAction({ t });
    const action = vi.fn(async () => {});
    await expect(run({ key: 'revoke-3', confirm: async () => ({ value: 'left' }), action })).resolves.toBe(true);
    expect(action).toHaveBeenCalledWith({ value: 'left' });
    expect(confirmBox).not.toHaveBeenCalled();

    const cancelled = vi.fn();
    await expect(run({ key: 'revoke-3', confirm: () => Promise.reject('cancel'), action: cancelled })).resolves.toBe(false);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('keeps a failed action in error, with no success message and nothing after it', async () => {
    confirmBox.mockResolvedValue('confirm');
    const { busy, error, run } = useConfirmedAction({ t });
    const after = vi.fn();
    const ok = await run({
      key: 'delete',
      confirm: 'Delete?',
      action: async () => {
        throw new Error('refused');
      },
      done: 'Deleted',
      after,
    });
    expect(ok).toBe(false);
    expect(/** @type {Error} */ (error.value).message).toBe('refused');
    expect(success).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
    expect(busy.value).toBe('');
  });

  it('keeps a failure of what follows the action in error too', async () => {
    const { error, run } = useConfirmedAction({ t });
    const ok = await run({ key: 'x', action: async () => 1, done: 'Done', after: () => Promise.reject(new Error('reload failed')) });
    expect(ok).toBe(false);
    expect(success).toHaveBeenCalledWith('Done');
    expect(/** @type {Error} */ (error.value).message).toBe('reload failed');
  });

  it('runs a successful action under its key: clears the error, says done, then runs what follows with its result', async () => {
    const { busy, error, run } = useConfirmedAction({ t });
    error.value = new Error('earlier');
    const d = deferred();
    /** @type {string[]} */
    const order = [];
    success.mockImplementation(() => order.push('message'));
    const pending = run({
      key: 'unlock-7',
      action: () => d.promise,
      done: 'Unlocked',
      after: (/** @type {unknown} */ r) => {
        order.push(`after ${r}`);
      },
    });
    expect(busy.value).toBe('unlock-7');
    expect(error.value).toBeNull();
    expect(confirmBox).not.toHaveBeenCalled();
    d.resolve('answer');
    await expect(pending).resolves.toBe(true);
    expect(success).toHaveBeenCalledWith('Unlocked');
    expect(order).toEqual(['message', 'after answer']);
    expect(busy.value).toBe('');
    expect(error.value).toBeNull();
  });

  it('names the action started last in busy while two run', async () => {
    const { busy, run } = useConfirmedAction({ t });
    const first = deferred();
    const second = deferred();
    const p1 = run({ key: 'enable-1', action: () => first.promise });
    const p2 = run({ key: 'enable-2', action: () => second.promise });
    expect(busy.value).toBe('enable-2');
    first.resolve(undefined);
    await p1;
    expect(busy.value).toBe('enable-2');
    second.resolve(undefined);
    await p2;
    expect(busy.value).toBe('');
  });
});
