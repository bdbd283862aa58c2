import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { ApiError } from '@/api/client.js';
import { deferred } from '@/utils/deferred.js';
import { useFormErrors } from './useFormErrors.js';
import { useFormSubmit, validateForm } from './useFormSubmit.js';

/** An el-form stand-in: validate() resolves true, or rejects with the failing fields as el-form does. */
const fakeForm = (valid = true) =>
  ref({
    validate: vi.fn(() => (valid ? Promise.resolve(true) : Promise.reject({ name: [{ message: 'required' }] }))),
  });

const conflict = () =>
  new ApiError({
    message: 'taken',
    kind: 'http',
    status: 409,
    problem: { status: 409, detail: 'taken', errors: [{ field: 'name', message: 'is taken' }] },
  });

describe('validateForm', () => {
  it('is true only for a mounted form whose rules pass', async () => {
    await expect(validateForm(fakeForm(true))).resolves.toBe(true);
    await expect(validateForm(fakeForm(false))).resolves.toBe(false);
    await expect(validateForm(ref(undefined))).resolves.toBe(false);
  });
});

describe('useFormSubmit', () => {
  it('sends nothing when the rules refuse, and clears the last error', async () => {
    const errors = useFormErrors(['name']);
    errors.set(conflict());
    const { busy, submit } = useFormSubmit(fakeForm(false), errors);
    const action = vi.fn();
    await expect(submit(action)).resolves.toBe(false);
    expect(action).not.toHaveBeenCalled();
    expect(errors.error.value).toBeNull();
    expect(busy.value).toBe(false);
  });

  it('refuses when the form is not mounted', async () => {
    const action = vi.fn();
    await expect(useFormSubmit(ref(null), useFormErrors([])).submit(action)).resolves.toBe(false);
    expect(action).not.toHaveBeenCalled();
  });

  it('keeps a failure of the action in the errors, beside its field, and never rejects', async () => {
    const errors = useFormErrors(['name']);
    const { busy, submit } = useFormSubmit(fakeForm(), errors);
    await expect(
      submit(async () => {
        throw conflict();
      }),
    ).resolves.toBe(false);
    expect(errors.field('name')).toBe('is taken');
    expect(errors.state.value.message).toBe('taken');
    expect(busy.value).toBe(false);
  });

  it('is busy while the action runs, and resolves true when it succeeded', async () => {
    const errors = useFormErrors(['name']);
    errors.set(conflict());
    const { busy, submit } = useFormSubmit(fakeForm(), errors);
    const d = deferred();
    const pending = submit(() => d.promise);
    await vi.waitFor(() => expect(busy.value).toBe(true));
    expect(errors.error.value).toBeNull();
    d.resolve(undefined);
    await expect(pending).resolves.toBe(true);
    expect(busy.value).toBe(false);
    expect(errors.error.value).toBeNull();
  });

  it('sends the form once when submitted twice, and again once the first is over', async () => {
    const form = fakeForm();
    const { submit } = useFormSubmit(form, useFormErrors([]));
    const d = deferred();
    const action = vi.fn(() => d.promise);
    const first = submit(action);
    // a second submit while the rules are checked, then while the action runs
    await expect(submit(action)).resolves.toBe(false);
    await vi.waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    await expect(submit(action)).resolves.toBe(false);
    d.resolve(undefined);
    await expect(first).resolves.toBe(true);
    expect(action).toHaveBeenCalledTimes(1);
    expect(form.value.validate).toHaveBeenCalledTimes(1);
    await expect(submit(async () => {})).resolves.toBe(true);
  });

  it('runs the action without rules when there is no form to check', async () => {
    const errors = useFormErrors([]);
    const action = vi.fn();
    await expect(useFormSubmit(null, errors).submit(action)).resolves.toBe(true);
    expect(action).toHaveBeenCalledTimes(1);
  });
});
