/** The signed-in user's own account: profile, password, sessions. */
import type { ApiClient } from '../client';
import type { CurrentUser } from '../types';
import type { components } from '../schema';

type S = components['schemas'];

export function accountEndpoints(api: ApiClient) {
  return {
    updateMe: (body: S['UpdateCurrentUser']) => api.request<CurrentUser>('PATCH', '/users/@me', body),
    /** Changes the password; every other session is signed out (`revoked` counts them). */
    changePassword: (body: S['ChangePasswordRequest']) => api.request<S['RevokedSessions']>('POST', '/auth/password', body),
    /** Your signed-in sessions, oldest first. */
    sessions: () => api.request<S['Session'][]>('GET', '/auth/sessions'),
    revokeSession: (sessionId: string) => api.request<void>('DELETE', `/auth/sessions/${encodeURIComponent(sessionId)}`),
    revokeOtherSessions: () => api.request<S['RevokedSessions']>('POST', '/auth/sessions/revoke-others'),
  };
}
