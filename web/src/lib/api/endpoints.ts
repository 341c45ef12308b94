/** Typed endpoint functions. Request and response types come from the generated OpenAPI schema. */
import type { ApiClient } from './client';
import type { AuthResponse, Channel, CreateGuild, CurrentUser, Guild, InstanceInfo, LoginRequest, Message, RegisterRequest } from './types';
import type { components } from './schema';
import { accountEndpoints } from './endpoints/account';
import { adminEndpoints } from './endpoints/admin';
import { guildAdminEndpoints } from './endpoints/guild-admin';
import { mediaEndpoints } from './endpoints/media';
import { messageEndpoints } from './endpoints/messages';
import { navEndpoints } from './endpoints/nav';
import { uploadEndpoints } from './endpoints/uploads';

type CreateMessage = components['schemas']['CreateMessage'];

export function endpoints(api: ApiClient) {
  return {
    // Each area's endpoints live in their own module (endpoints/*.ts); names must not collide.
    ...messageEndpoints(api),
    ...accountEndpoints(api),
    ...adminEndpoints(api),
    ...guildAdminEndpoints(api),
    ...navEndpoints(api),
    ...uploadEndpoints(api),
    ...mediaEndpoints(api),
    instance: () => api.request<InstanceInfo>('GET', '/instance'),
    login: (body: LoginRequest) => api.request<AuthResponse>('POST', '/auth/login', body),
    register: (body: RegisterRequest) => api.request<AuthResponse>('POST', '/auth/register', body),
    logout: () => api.request<void>('POST', '/auth/logout'),
    me: () => api.request<CurrentUser>('GET', '/users/@me'),
    createGuild: (body: CreateGuild) => api.request<Guild>('POST', '/guilds', body),
    invite: (code: string) => api.request<components['schemas']['Invite']>('GET', `/invites/${encodeURIComponent(code)}`),
    joinInvite: (code: string) => api.request<Guild>('POST', `/invites/${encodeURIComponent(code)}`),
    guildChannels: (guildId: string) => api.request<Channel[]>('GET', `/guilds/${guildId}/channels`),
    messages: (channelId: string, q: { before?: string; limit?: number }) =>
      api.request<Message[]>('GET', `/channels/${channelId}/messages`, undefined, q),
    sendMessage: (channelId: string, body: CreateMessage) => api.request<Message>('POST', `/channels/${channelId}/messages`, body),
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
