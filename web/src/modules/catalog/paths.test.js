import { describe, expect, it } from 'vitest';
import { NEW_PATH, editPath, resourcePath } from './paths.js';

describe('catalog addresses', () => {
  it('ends a resource’s address with a slash, so that a code with dots is not taken for a file', () => {
    expect(resourcePath('gaj.population')).toBe('/workbench/catalog/gaj.population');
    expect(resourcePath('a b')).toBe('/workbench/catalog/a%20b');
    expect(editPath('rsj.social_insurance')).toBe('/workbench/catalog/rsj.social_insurance/edit');
    expect(NEW_PATH).toBe('/workbench/catalog/new');
  });
});
