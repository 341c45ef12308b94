/** The admin panel's shared account look-up cache. */
import { api } from '../../lib/app';
import { createUserCache } from '../../lib/settings/user-cache';

export const adminUsers = createUserCache((id) => api.adminUser(id));
