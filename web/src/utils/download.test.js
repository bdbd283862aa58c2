import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveBlob } from './download.js';

/** A document stand-in that records the link it is given. */
function fakeDocument() {
  const appended = /** @type {any[]} */ ([]);
  const link = {
    href: '',
    download: '',
    rel: '',
    style: /** @type {Record<string, string>} */ ({}),
    click: vi.fn(),
    remove: vi.fn(),
  };
  const doc = {
    createElement: vi.fn(() => link),
    body: { appendChild: vi.fn((el) => appended.push(el)) },
  };
  return { doc: /** @type {Document} */ (/** @type {unknown} */ (doc)), link, appended };
}

describe('saveBlob', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('clicks a hidden download link to an object address, then removes it and later revokes the address', () => {
    vi.useFakeTimers();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const { doc, link, appended } = fakeDocument();
    saveBlob(new Blob(['\ufeffseq\r\n'], { type: 'text/csv' }), 'audit-20261204-173000.csv', doc);

    expect(appended).toEqual([link]);
    expect(link.href).toMatch(/^blob:/);
    expect(link.download).toBe('audit-20261204-173000.csv');
    expect(link.style.display).toBe('none');
    expect(link.click).toHaveBeenCalledOnce();
    expect(link.remove).toHaveBeenCalledOnce();
    expect(revoke).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith(link.href);
  });
});
