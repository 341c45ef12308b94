/** Message actions beyond send and history: edit, delete, reactions, pins, typing, read markers. */
import type { ApiClient } from '../client';
import type { Message, User } from '../types';
import type { components } from '../schema';

type EditMessage = components['schemas']['EditMessage'];

export function messageEndpoints(api: ApiClient) {
  const msg = (channelId: string, messageId: string) => `/channels/${channelId}/messages/${messageId}`;
  return {
    message: (channelId: string, messageId: string) => api.request<Message>('GET', msg(channelId, messageId)),
    messagesAround: (channelId: string, around: string, limit = 50) => api.request<Message[]>('GET', `/channels/${channelId}/messages`, undefined, { around, limit }),
    messagesAfter: (channelId: string, after: string, limit = 50) => api.request<Message[]>('GET', `/channels/${channelId}/messages`, undefined, { after, limit }),
    editMessage: (channelId: string, messageId: string, body: EditMessage) => api.request<Message>('PATCH', msg(channelId, messageId), body),
    deleteMessage: (channelId: string, messageId: string) => api.request<void>('DELETE', msg(channelId, messageId)),
    ack: (channelId: string, messageId: string) => api.request<void>('POST', `${msg(channelId, messageId)}/ack`),
    typing: (channelId: string) => api.request<void>('POST', `/channels/${channelId}/typing`),
    addReaction: (channelId: string, messageId: string, emoji: string) => api.request<void>('PUT', `${msg(channelId, messageId)}/reactions/${encodeURIComponent(emoji)}/@me`),
    removeReaction: (channelId: string, messageId: string, emoji: string) => api.request<void>('DELETE', `${msg(channelId, messageId)}/reactions/${encodeURIComponent(emoji)}/@me`),
    /** Who reacted with an emoji, by user id (`limit` 1–100, default 25). */
    reactionUsers: (channelId: string, messageId: string, emoji: string, query: { after?: string; limit?: number } = {}) =>
      api.request<User[]>('GET', `${msg(channelId, messageId)}/reactions/${encodeURIComponent(emoji)}`, undefined, query),
    pins: (channelId: string) => api.request<Message[]>('GET', `/channels/${channelId}/pins`),
    pin: (channelId: string, messageId: string) => api.request<void>('PUT', `/channels/${channelId}/pins/${messageId}`),
    unpin: (channelId: string, messageId: string) => api.request<void>('DELETE', `/channels/${channelId}/pins/${messageId}`),
  };
}
