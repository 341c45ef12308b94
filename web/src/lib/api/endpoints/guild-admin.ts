/** Guild settings: guild, channels, roles, overwrites, members, invites, bans, audit log, AutoMod, reports. */
import type { ApiClient } from '../client';
import type { Guild } from '../types';
import type { components } from '../schema';

type S = components['schemas'];

export function guildAdminEndpoints(api: ApiClient) {
  return {
    updateGuild: (guildId: string, body: S['UpdateGuild']) => api.request<Guild>('PATCH', `/guilds/${guildId}`, body),
  };
}
