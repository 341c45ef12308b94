/** The instance admin panel (admins only; the server checks). */
import type { ApiClient } from '../client';
import type { components } from '../schema';
import { auditReason } from './guild-admin';

type S = components['schemas'];

const u = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;

export function adminEndpoints(api: ApiClient) {
  return {
    adminSettings: () => api.request<S['InstanceSettings']>('GET', '/admin/settings'),
    updateAdminSettings: (body: S['UpdateInstanceSettings'], reason?: string) =>
      api.request<S['InstanceSettings']>('PATCH', '/admin/settings', body, undefined, auditReason(reason)),

    /** Accounts in id order; `query` matches username or display name; page with `after` (the last id). */
    adminUsers: (q: { query?: string; after?: string; limit?: number }) =>
      api.request<S['AdminUser'][]>('GET', '/admin/users', undefined, { query: q.query || undefined, after: q.after, limit: q.limit }),
    adminUser: (userId: string) => api.request<S['AdminUser']>('GET', u(userId)),
    disableUser: (userId: string, reason?: string) => api.request<S['AdminUser']>('POST', `${u(userId)}/disable`, undefined, undefined, auditReason(reason)),
    enableUser: (userId: string, reason?: string) => api.request<S['AdminUser']>('POST', `${u(userId)}/enable`, undefined, undefined, auditReason(reason)),
    promoteUser: (userId: string, reason?: string) => api.request<S['AdminUser']>('POST', `${u(userId)}/admin`, undefined, undefined, auditReason(reason)),
    demoteUser: (userId: string, reason?: string) => api.request<S['AdminUser']>('DELETE', `${u(userId)}/admin`, undefined, undefined, auditReason(reason)),
    deleteUser: (userId: string, deleteOwnedGuilds: boolean, reason?: string) =>
      api.request<void>('DELETE', u(userId), undefined, { delete_owned_guilds: deleteOwnedGuilds ? 'true' : undefined }, auditReason(reason)),

    /** Registration invites, newest first (expired and used-up ones included). */
    adminInvites: () => api.request<S['InstanceInvite'][]>('GET', '/admin/invites'),
    createAdminInvite: (body: S['CreateInstanceInvite'], reason?: string) =>
      api.request<S['InstanceInvite']>('POST', '/admin/invites', body, undefined, auditReason(reason)),
    deleteAdminInvite: (code: string, reason?: string) =>
      api.request<void>('DELETE', `/admin/invites/${encodeURIComponent(code)}`, undefined, undefined, auditReason(reason)),

    /** Every announcement, expired ones included, newest first. */
    adminAnnouncements: (q: { before?: string; limit?: number } = {}) =>
      api.request<S['Announcement'][]>('GET', '/admin/announcements', undefined, { before: q.before, limit: q.limit }),
    createAnnouncement: (body: S['CreateAnnouncement'], reason?: string) =>
      api.request<S['Announcement']>('POST', '/admin/announcements', body, undefined, auditReason(reason)),
    deleteAnnouncement: (id: string, reason?: string) =>
      api.request<void>('DELETE', `/admin/announcements/${encodeURIComponent(id)}`, undefined, undefined, auditReason(reason)),

    /** The instance's report queue (reports to the instance and escalated ones), newest first. */
    adminReports: (q: { status?: string; before?: string; limit?: number }) =>
      api.request<S['Report'][]>('GET', '/admin/reports', undefined, { status: q.status || undefined, before: q.before, limit: q.limit }),
    adminReport: (reportId: string) => api.request<S['Report']>('GET', `/admin/reports/${encodeURIComponent(reportId)}`),
    updateAdminReport: (reportId: string, body: S['UpdateReport']) => api.request<S['Report']>('PATCH', `/admin/reports/${encodeURIComponent(reportId)}`, body),
    addAdminReportNote: (reportId: string, content: string) =>
      api.request<S['Report']>('POST', `/admin/reports/${encodeURIComponent(reportId)}/notes`, { content } satisfies S['CreateReportNote']),

    /** The instance audit log, newest first; page with `before` (the last entry id). */
    adminAuditLog: (q: { user_id?: string; action?: string; before?: string; limit?: number }) =>
      api.request<S['InstanceAuditLog']>('GET', '/admin/audit-log', undefined, { user_id: q.user_id || undefined, action: q.action || undefined, before: q.before, limit: q.limit }),
  };
}
