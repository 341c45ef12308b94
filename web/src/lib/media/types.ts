/**
 * The media wire shapes, as generated from the server's OpenAPI document (hearth-protocol `media.rs`).
 */
import type { components } from '../api/schema';

type S = components['schemas'];

export type Attachment = S['Attachment'];
export type Embed = S['Embed'];
export type EmbedMedia = S['EmbedMedia'];
export type EmbedFooter = S['EmbedFooter'];
export type EmbedAuthor = S['EmbedAuthor'];
export type EmbedProvider = S['EmbedProvider'];
export type EmbedField = S['EmbedField'];

/**
 * In `payload_json.attachments`. The server reads `id` as a number or a string (a JSON value), which
 * the schema can only call an object; the client always sends the part's number.
 */
export type AttachmentDescriptor = Omit<S['AttachmentDescriptor'], 'id'> & { id: number };

export const ATTACHMENT_SPOILER = 1 << 3;
export const ATTACHMENT_ANIMATED = 1 << 5;
