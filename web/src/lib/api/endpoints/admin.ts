/** The instance admin panel (admins only; the server checks). */
import type { ApiClient } from '../client';
import type { components } from '../schema';

type S = components['schemas'];

export function adminEndpoints(api: ApiClient) {
  return {
    adminSettings: () => api.request<S['InstanceSettings']>('GET', '/admin/settings'),
  };
}
