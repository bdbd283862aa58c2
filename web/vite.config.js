import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Where `npm run dev` and `npm run preview` send API calls: a running `zhengwu serve`.
const apiTarget = process.env.ZHENGWU_DEV_API || 'http://127.0.0.1:8080';
const proxy = Object.fromEntries(
  ['/api', '/healthz', '/readyz', '/metrics'].map((path) => [path, { target: apiTarget, changeOrigin: false }]),
);

/** @param {string} id @param {string[]} packages */
const fromPackages = (id, packages) =>
  packages.some((p) => id.includes(`/node_modules/${p}/`) || id.includes(`\\node_modules\\${p}\\`));

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n's bundler build asks for its feature flags to be fixed at build time.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    // Element Plus is one large, rarely changing chunk; it is served gzipped.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'vue',
              test: (id) => fromPackages(id, ['vue', '@vue', 'vue-router', 'pinia', 'vue-i18n', '@intlify']),
              priority: 20,
            },
            {
              name: 'element-plus',
              test: (id) =>
                fromPackages(id, [
                  'element-plus',
                  '@element-plus',
                  '@vueuse',
                  '@floating-ui',
                  '@ctrl',
                  '@popperjs',
                  'lodash-es',
                  'lodash-unified',
                  'dayjs',
                  'async-validator',
                  'memoize-one',
                  'normalize-wheel-es',
                ]),
              priority: 10,
            },
          ],
        },
      },
    },
  },
  test: {
    include: ['src/**/*.test.js'],
    environment: 'node',
  },
});
