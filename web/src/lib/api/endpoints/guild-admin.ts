/** Guild settings: guild, channels, roles, overwrites, members, invites, bans, audit log, AutoMod, reports. */
import type { ApiClient } from '../client';
import type { Channel, Guild, Member, Role } from '../types';
import type { components } from '../schema';

type S = components['schemas'];

/**
 * `X-Audit-Log-Reason` for a change, percent-encoded UTF-8 as the server reads it (docs/api.md);
 * nothing when the reason is blank.
 */
export function auditReason(reason?: string | null): Record<string, string> | undefined {
  const r = reason?.trim();
  return r ? { 'X-Audit-Log-Reason': encodeURIComponent(r) } : undefined;
}

export interface AuditLogQuery {
  user_id?: string | undefined;
  action_type?: number | undefined;
  before?: string | undefined;
  limit?: number | undefined;
}

export function guildAdminEndpoints(api: ApiClient) {
  const g = (guildId: string) => `/guilds/${guildId}`;
  return {
    // Guild
    updateGuild: (guildId: string, body: S['UpdateGuild'], reason?: string) => api.request<Guild>('PATCH', g(guildId), body, undefined, auditReason(reason)),
    deleteGuild: (guildId: string) => api.request<void>('DELETE', g(guildId)),

    // Channels and overwrites
    createChannel: (guildId: string, body: S['CreateChannel'], reason?: string) => api.request<Channel>('POST', `${g(guildId)}/channels`, body, undefined, auditReason(reason)),
    updateChannel: (channelId: string, body: S['UpdateChannel'], reason?: string) => api.request<Channel>('PATCH', `/channels/${channelId}`, body, undefined, auditReason(reason)),
    deleteChannel: (channelId: string, reason?: string) => api.request<Channel>('DELETE', `/channels/${channelId}`, undefined, undefined, auditReason(reason)),
    reorderChannels: (guildId: string, body: S['ChannelPosition'][], reason?: string) => api.request<void>('PATCH', `${g(guildId)}/channels`, body, undefined, auditReason(reason)),
    putOverwrite: (channelId: string, overwriteId: string, body: S['PutOverwrite'], reason?: string) =>
      api.request<void>('PUT', `/channels/${channelId}/permissions/${overwriteId}`, body, undefined, auditReason(reason)),
    deleteOverwrite: (channelId: string, overwriteId: string, reason?: string) => api.request<void>('DELETE', `/channels/${channelId}/permissions/${overwriteId}`, undefined, undefined, auditReason(reason)),

    // Roles
    createRole: (guildId: string, body: S['CreateRole'], reason?: string) => api.request<Role>('POST', `${g(guildId)}/roles`, body, undefined, auditReason(reason)),
    updateRole: (guildId: string, roleId: string, body: S['CreateRole'], reason?: string) => api.request<Role>('PATCH', `${g(guildId)}/roles/${roleId}`, body, undefined, auditReason(reason)),
    deleteRole: (guildId: string, roleId: string, reason?: string) => api.request<void>('DELETE', `${g(guildId)}/roles/${roleId}`, undefined, undefined, auditReason(reason)),
    reorderRoles: (guildId: string, body: S['RolePosition'][], reason?: string) => api.request<Role[]>('PATCH', `${g(guildId)}/roles`, body, undefined, auditReason(reason)),

    // Members
    guildMembers: (guildId: string, q: { after?: string; limit?: number }) => api.request<Member[]>('GET', `${g(guildId)}/members`, undefined, q),
    guildMember: (guildId: string, userId: string) => api.request<Member>('GET', `${g(guildId)}/members/${userId}`),
    updateMember: (guildId: string, userId: string, body: S['UpdateMember'], reason?: string) => api.request<Member>('PATCH', `${g(guildId)}/members/${userId}`, body, undefined, auditReason(reason)),
    updateMyGuildMember: (guildId: string, body: S['UpdateCurrentMember']) => api.request<Member>('PATCH', `${g(guildId)}/members/@me`, body),
    addMemberRole: (guildId: string, userId: string, roleId: string, reason?: string) => api.request<void>('PUT', `${g(guildId)}/members/${userId}/roles/${roleId}`, undefined, undefined, auditReason(reason)),
    removeMemberRole: (guildId: string, userId: string, roleId: string, reason?: string) => api.request<void>('DELETE', `${g(guildId)}/members/${userId}/roles/${roleId}`, undefined, undefined, auditReason(reason)),
    kickMember: (guildId: string, userId: string, reason?: string) => api.request<void>('DELETE', `${g(guildId)}/members/${userId}`, undefined, undefined, auditReason(reason)),

    // Warnings
    memberWarnings: (guildId: string, userId: string, q: { before?: string; limit?: number } = {}) => api.request<S['Warning'][]>('GET', `${g(guildId)}/members/${userId}/warnings`, undefined, q),
    warnMember: (guildId: string, userId: string, body: S['CreateWarning']) => api.request<S['Warning']>('POST', `${g(guildId)}/members/${userId}/warnings`, body),
    deleteWarning: (guildId: string, userId: string, warningId: string, reason?: string) =>
      api.request<void>('DELETE', `${g(guildId)}/members/${userId}/warnings/${warningId}`, undefined, undefined, auditReason(reason)),

    // Bans
    guildBans: (guildId: string, q: { after?: string; limit?: number }) => api.request<S['Ban'][]>('GET', `${g(guildId)}/bans`, undefined, q),
    banMember: (guildId: string, userId: string, body: S['CreateBan']) => api.request<void>('PUT', `${g(guildId)}/bans/${userId}`, body),
    unbanUser: (guildId: string, userId: string, reason?: string) => api.request<void>('DELETE', `${g(guildId)}/bans/${userId}`, undefined, undefined, auditReason(reason)),

    // Invites
    guildInvites: (guildId: string) => api.request<S['InviteMetadata'][]>('GET', `${g(guildId)}/invites`),
    createChannelInvite: (channelId: string, body: S['CreateInvite'] = {}) => api.request<S['InviteMetadata']>('POST', `/channels/${channelId}/invites`, body),
    revokeInvite: (code: string, reason?: string) => api.request<S['InviteMetadata']>('DELETE', `/invites/${encodeURIComponent(code)}`, undefined, undefined, auditReason(reason)),

    // Audit log
    guildAuditLog: (guildId: string, q: AuditLogQuery) => api.request<S['AuditLog']>('GET', `${g(guildId)}/audit-logs`, undefined, { ...q }),

    // AutoMod
    autoModRules: (guildId: string) => api.request<S['AutoModRule'][]>('GET', `${g(guildId)}/auto-moderation/rules`),
    createAutoModRule: (guildId: string, body: S['CreateAutoModRule'], reason?: string) =>
      api.request<S['AutoModRule']>('POST', `${g(guildId)}/auto-moderation/rules`, body, undefined, auditReason(reason)),
    updateAutoModRule: (guildId: string, ruleId: string, body: S['UpdateAutoModRule'], reason?: string) =>
      api.request<S['AutoModRule']>('PATCH', `${g(guildId)}/auto-moderation/rules/${ruleId}`, body, undefined, auditReason(reason)),
    deleteAutoModRule: (guildId: string, ruleId: string, reason?: string) =>
      api.request<void>('DELETE', `${g(guildId)}/auto-moderation/rules/${ruleId}`, undefined, undefined, auditReason(reason)),

    // Reports
    guildReports: (guildId: string, q: { status?: string | undefined; before?: string | undefined; limit?: number }) => api.request<S['Report'][]>('GET', `${g(guildId)}/reports`, undefined, { ...q }),
    guildReport: (guildId: string, reportId: string) => api.request<S['Report']>('GET', `${g(guildId)}/reports/${reportId}`),
    updateGuildReport: (guildId: string, reportId: string, body: S['UpdateReport'], reason?: string) =>
      api.request<S['Report']>('PATCH', `${g(guildId)}/reports/${reportId}`, body, undefined, auditReason(reason)),
    addGuildReportNote: (guildId: string, reportId: string, body: S['CreateReportNote']) => api.request<S['Report']>('POST', `${g(guildId)}/reports/${reportId}/notes`, body),
    actOnGuildReport: (guildId: string, reportId: string, body: S['ReportAction']) => api.request<S['Report']>('POST', `${g(guildId)}/reports/${reportId}/actions`, body),

    // Voting moderation
    voteSettings: (guildId: string) => api.request<S['VoteSettings']>('GET', `${g(guildId)}/vote-settings`),
    updateVoteSettings: (guildId: string, body: S['VoteSettings'], reason?: string) => api.request<S['VoteSettings']>('PUT', `${g(guildId)}/vote-settings`, body, undefined, auditReason(reason)),

    // Users (names for reporters, moderators and audit targets not in the member cache)
    lookupUser: (userId: string) => api.request<S['User']>('GET', `/users/${userId}`),
  };
}
