// The fields of the resources that applications and grants name, for their labels and
// sensitivity (the sharing answers carry field names only). Loaded from the catalog once
// per resource and kept for the visit: a field's label changes rarely, and a stale one
// costs nothing but a slightly old word. A failure leaves the names as they are and is
// tried again at the next ask.
import { shallowReactive } from 'vue';
import { getResource } from '@/modules/catalog/api.js';

/** @typedef {import('@/modules/catalog/api.js').ResourceField} ResourceField */

/** resource code → its fields */
const fieldsByCode = shallowReactive(/** @type {Record<string, ResourceField[]>} */ ({}));
/** resource codes asked for and not failed */
const asked = new Set();

/** @param {string} code */
async function load(code) {
  try {
    const r = await getResource(code);
    fieldsByCode[code] = r.fields ?? [];
  } catch {
    asked.delete(code);
  }
}

export function useResourceFields() {
  /**
   * Loads the fields of resources not known yet (in the background).
   * @param {Iterable<string>} codes
   */
  function ensure(codes) {
    for (const code of codes) {
      if (!code || asked.has(code)) continue;
      asked.add(code);
      void load(code);
    }
  }

  /** @param {string} code @returns {ResourceField[] | undefined} */
  const fieldsOf = (code) => fieldsByCode[code];

  /**
   * A field's label, when its resource is known.
   * @param {string} code @returns {(name: string) => string | undefined}
   */
  const labelsOf = (code) => (name) => fieldsByCode[code]?.find((f) => f.name === name)?.label;

  return { ensure, fieldsOf, labelsOf };
}
