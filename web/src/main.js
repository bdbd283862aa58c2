import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './styles/main.css';

import App from './App.vue';
import { configureClient } from './api/client.js';
import { i18n } from './i18n/index.js';
import { navigation } from './modules/index.js';
import { createAppRouter } from './router.js';
import { useAuthStore } from './stores/auth.js';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(ElementPlus);
app.use(createAppRouter(navigation));

const auth = useAuthStore(pinia);
configureClient({
  getToken: () => auth.token,
  getLocale: () => i18n.global.locale.value,
  translate: (key, params) => i18n.global.t(key, params ?? {}),
  onUnauthorized: () => auth.clear(),
});

app.mount('#app');
