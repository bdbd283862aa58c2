// Addresses of the catalog's pages. Resource codes hold dots (gaj.population); the server
// still answers a browser's navigation to such an address with the app
// (kernel/http/static_files.cpp), so a reload works.

export const CATALOG_PATH = '/workbench/catalog';

/** @param {string} code @returns {string} e.g. '/workbench/catalog/gaj.population' */
export const resourcePath = (code) => `${CATALOG_PATH}/${encodeURIComponent(code)}`;

/** @param {string} code @returns {string} e.g. '/workbench/catalog/gaj.population/edit' */
export const editPath = (code) => `${CATALOG_PATH}/${encodeURIComponent(code)}/edit`;

export const NEW_PATH = `${CATALOG_PATH}/new`;

/** @param {string} code @returns {string} e.g. '/workbench/catalog/gaj.population/imports' */
export const importsPath = (code) => `${CATALOG_PATH}/${encodeURIComponent(code)}/imports`;
