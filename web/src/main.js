import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './styles/main.css';

import App from './App.vue';
import { installAccessGuard } from './access.js';
import { configureClient } from './api/client.js';
import { i18n } from './i18n/index.js';
import { navigation } from './modules/index.js';
import { createAppRouter } from './router.js';
import { SESSION_STORAGE_KEY, useAuthStore } from './stores/auth.js';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(ElementPlus);

const auth = useAuthStore(pinia);
const router = createAppRouter(navigation);
const guard = installAccessGuard(router, auth);
configureClient({
  getToken: () => auth.token,
  getLocale: () => i18n.global.locale.value,
  translate: (key, params) => i18n.global.t(key, params ?? {}),
  onUnauthorized: guard.onUnauthorized,
});

// A sign-in or sign-out in another tab applies here too.
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
  const wasSignedIn = auth.isAuthenticated;
  auth.syncFromStorage();
  if (wasSignedIn && !auth.isAuthenticated) guard.onUnauthorized();
  else if (auth.isAuthenticated) void auth.loadMe();
});

app.use(router);
app.mount('#app');
