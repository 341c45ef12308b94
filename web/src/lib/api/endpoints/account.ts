/** The signed-in user's own account: profile, password, sessions. */
import type { ApiClient } from '../client';
import type { CurrentUser } from '../types';
import type { components } from '../schema';

type S = components['schemas'];

export function accountEndpoints(api: ApiClient) {
  return {
    updateMe: (body: S['UpdateCurrentUser']) => api.request<CurrentUser>('PATCH', '/users/@me', body),
  };
}
