// The identity module: sign-in, my account, an enterprise's profile and agents, a
// citizen's represented enterprises, and the administrators' pages for organisations,
// users, roles, connected systems, the login log and online users (admin face).
import { Connection, Key, List, Lock, OfficeBuilding, User } from '@element-plus/icons-vue';

/** @type {import('@/navigation.js').ModuleDef} */
export default {
  name: 'identity',
  pages: [
    {
      path: '/admin/orgs',
      name: 'admin-orgs',
      face: 'admin',
      component: () => import('./pages/OrgsPage.vue'),
      nav: { area: 'orgs', icon: OfficeBuilding },
      permission: 'org.read',
    },
    {
      path: '/admin/users',
      name: 'admin-users',
      face: 'admin',
      component: () => import('./pages/UsersPage.vue'),
      nav: { area: 'users', icon: User },
      permission: 'user.read',
    },
    {
      path: '/admin/roles',
      name: 'admin-roles',
      face: 'admin',
      component: () => import('./pages/RolesPage.vue'),
      nav: { area: 'roles', icon: Lock },
      permission: 'grant.manage',
    },
    {
      path: '/admin/clients',
      name: 'admin-clients',
      face: 'admin',
      component: () => import('./pages/ClientsPage.vue'),
      nav: { area: 'clients', icon: Key },
      permission: 'client.manage',
    },
    {
      path: '/admin/logins',
      name: 'admin-logins',
      face: 'admin',
      component: () => import('./pages/LoginLogPage.vue'),
      nav: { area: 'logins', icon: List },
      permission: 'login_log.read',
    },
    {
      path: '/admin/online',
      name: 'admin-online',
      face: 'admin',
      component: () => import('./pages/OnlineUsersPage.vue'),
      nav: { area: 'online', icon: Connection },
      permission: 'session.manage',
    },
  ],
  shellPages: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./pages/LoginPage.vue'),
      title: 'identity.login.title',
    },
    {
      path: '/account',
      name: 'account',
      component: () => import('./pages/AccountPage.vue'),
      title: 'identity.account.title',
      requiresAuth: true,
    },
    {
      path: '/account/password',
      name: 'account-password',
      component: () => import('./pages/ChangePasswordPage.vue'),
      title: 'identity.password.title',
      requiresAuth: true,
    },
    {
      // An enterprise account's profile and authorised agents.
      path: '/enterprise',
      name: 'enterprise',
      component: () => import('./pages/EnterprisePage.vue'),
      title: 'enterprise.title',
      requiresAuth: true,
    },
    {
      // A citizen: the enterprises that authorised them as agent.
      path: '/represented-enterprises',
      name: 'represented-enterprises',
      component: () => import('./pages/RepresentedEnterprisesPage.vue'),
      title: 'enterprise.represented.title',
      requiresAuth: true,
    },
  ],
};
