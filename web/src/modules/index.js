// The front-end modules compiled into the app, listed explicitly (as the server's
// main.cpp lists its modules). A module adds its folder under src/modules/ and one line
// here; see README.md ("Adding a module's pages").
import { createNavigation } from '@/navigation.js';
import audit from './audit/index.js';
import catalog from './catalog/index.js';
import identity from './identity/index.js';
import sharing from './sharing/index.js';
import system from './system/index.js';

/** @type {readonly import('@/navigation.js').ModuleDef[]} */
export const modules = Object.freeze([system, identity, audit, catalog, sharing]);

/** Routes and menus of the modules above. */
export const navigation = createNavigation(modules);
