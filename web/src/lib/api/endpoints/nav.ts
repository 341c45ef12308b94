/** Navigation: leaving a community (the member list pages through `guildMembers`, read markers through `ack`). */
import type { ApiClient } from '../client';

export function navEndpoints(api: ApiClient) {
  return {
    leaveGuild: (guildId: string) => api.request<void>('DELETE', `/users/@me/guilds/${guildId}`),
  };
}
