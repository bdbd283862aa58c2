import { describe, expect, it } from 'vitest';
import { describeUserAgent, groupSecret, maskIdNumber, recoveryCodesText, svgDataUrl } from './format.js';

describe('identity display helpers', () => {
  it('writes recovery codes as a numbered text file', () => {
    const text = recoveryCodesText(['ab3d-9k2m-x7p4', 'zz22-3344-5566'], { title: 'T', note: 'N' });
    expect(text).toBe('T\r\nN\r\n\r\n 1. ab3d-9k2m-x7p4\r\n 2. zz22-3344-5566\r\n');
    expect(recoveryCodesText([], { title: 'T', note: 'N' })).toBe('T\r\nN\r\n\r\n');
  });

  it('masks an ID number to its first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber(null)).toBe('');
  });

  it('groups a secret by four', () => {
    expect(groupSecret('DNVFPFMXOHGZZIMFQRRB')).toBe('DNVF PFMX OHGZ ZIMF QRRB');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });

  it('makes an inert image address of an SVG document', () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toContain('<script>');
  });

  it('names the browser and system of a user agent', () => {
    expect(
      describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'),
    ).toBe('Chrome 120 · Linux');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox 128 · Windows',
    );
    expect(describeUserAgent('curl/7.88.1')).toBe('curl/7.88.1');
    expect(describeUserAgent('')).toBe('');
  });
});
