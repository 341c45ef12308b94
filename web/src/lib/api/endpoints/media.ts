/**
 * Custom emoji and the images of users, guilds and roles: the emoji endpoints, reading a picked file
 * into the data URI the API takes, and the addresses images are served at (docs: media-api contract).
 */
import type { ApiClient } from '../client';
import type { components } from '../schema';
import type { Guild, InstanceInfo, Role, User } from '../types';
import { auditReason } from './guild-admin';

type S = components['schemas'];

/** A guild's custom emoji. */
export type GuildEmoji = S['GuildEmoji'];
/** `GET /instance` → `media`: what the instance accepts in uploads. */
export type MediaLimits = InstanceInfo['media'];

// The emoji request bodies (hearth-protocol media.rs) have no route in the OpenAPI document yet, so
// they are not in the generated schema: written out until the emoji endpoints are served.

export interface CreateGuildEmoji {
  name: string;
  /** `data:image/png;base64,…` (PNG, GIF or WebP). */
  image: string;
  roles?: string[] | null;
}

export interface UpdateGuildEmoji {
  name?: string;
  roles?: string[] | null;
}

/** In a PATCH body: a data URI sets the image, null removes it, absent leaves it. */
export type ImageUpload = Exclude<S['UpdateCurrentUser']['avatar'], undefined>;

/**
 * What names a user's, guild's or role's images (hashes; `a_` prefix = animated). The hashes may be
 * absent: partial objects (a reaction's user, a mention) leave them out.
 */
export type UserImages = Pick<User, 'id'> & Partial<Pick<User, 'avatar' | 'banner'>>;
export type GuildImages = Pick<Guild, 'id'> & Partial<Pick<Guild, 'icon' | 'banner'>>;
export type RoleImages = Pick<Role, 'id'> & Partial<Pick<Role, 'icon'>>;

/** The contract's emoji limit, used when the instance does not say (an older server). */
export const DEFAULT_MAX_EMOJI_BYTES = 256 * 1024;

export function mediaEndpoints(api: ApiClient) {
  const emojis = (guildId: string) => `/guilds/${guildId}/emojis`;
  let limits: Promise<MediaLimits> | null = null;
  return {
    guildEmojis: (guildId: string) => api.request<GuildEmoji[]>('GET', emojis(guildId)),
    guildEmoji: (guildId: string, emojiId: string) => api.request<GuildEmoji>('GET', `${emojis(guildId)}/${emojiId}`),
    createGuildEmoji: (guildId: string, body: CreateGuildEmoji, reason?: string) => api.request<GuildEmoji>('POST', emojis(guildId), body, undefined, auditReason(reason)),
    updateGuildEmoji: (guildId: string, emojiId: string, body: UpdateGuildEmoji, reason?: string) =>
      api.request<GuildEmoji>('PATCH', `${emojis(guildId)}/${emojiId}`, body, undefined, auditReason(reason)),
    deleteGuildEmoji: (guildId: string, emojiId: string, reason?: string) => api.request<void>('DELETE', `${emojis(guildId)}/${emojiId}`, undefined, undefined, auditReason(reason)),
    /** The instance's upload limits, asked once (a failed ask is retried next time). */
    mediaLimits: (): Promise<MediaLimits> => {
      limits ??= api.request<InstanceInfo>('GET', '/instance').then(
        (i) => i.media,
        (e: unknown) => {
          limits = null;
          throw e;
        },
      );
      return limits;
    },
  };
}

// ---- reading a picked file ----

/** Types the server takes for avatars, banners and icons; emoji take all but JPEG. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const EMOJI_TYPES = ['image/png', 'image/gif', 'image/webp'] as const;

const TYPE_BY_EXTENSION: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** Why a picked file cannot be sent (shown to the user as it is). */
export class ImageFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFileError';
  }
}

/** "256 KiB", "8 MiB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

/** The file's type, from the browser or else its extension (some systems report none). */
function typeOf(file: Pick<File, 'type' | 'name'>): string {
  if (file.type) return file.type;
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return TYPE_BY_EXTENSION[ext] ?? '';
}

/** Why the file does not fit (type, size), or null. `maxBytes` undefined: the server decides. */
export function imageFileProblem(file: Pick<File, 'type' | 'name' | 'size'>, types: readonly string[], maxBytes: number | undefined): string | null {
  if (!types.includes(typeOf(file))) return `Choose a ${types.map((t) => t.slice('image/'.length).toUpperCase()).join(', ')} image.`;
  if (file.size === 0) return 'That file is empty.';
  if (maxBytes !== undefined && file.size > maxBytes) return `That image is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`;
  return null;
}

/**
 * A picked image as a `data:` URI for the API, after checking its type and size (throws
 * ImageFileError with a sentence for the user).
 */
export function readImageFile(file: File, types: readonly string[], maxBytes: number | undefined): Promise<string> {
  const problem = imageFileProblem(file, types, maxBytes);
  if (problem) return Promise.reject(new ImageFileError(problem));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const uri = typeof reader.result === 'string' ? reader.result : '';
      // A browser that left out the type (no extension known to it) gets the one we worked out.
      resolve(uri.startsWith('data:;') || uri.startsWith('data:application/octet-stream;') ? uri.replace(/^data:[^;]*;/, `data:${typeOf(file)};`) : uri);
    };
    reader.onerror = () => reject(new ImageFileError('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

// ---- image addresses ----

/** The sizes the server renders (`?size=`); others are rounded up to one of these. */
export const IMAGE_SIZES = [64, 128, 256, 512] as const;

/** The smallest served size that is sharp at `cssPx` on a screen of `dpr` device pixels per CSS pixel. */
export function imageSize(cssPx: number, dpr = 1): number {
  const want = cssPx * (Number.isFinite(dpr) && dpr > 0 ? dpr : 1);
  return IMAGE_SIZES.find((s) => s >= want) ?? 512;
}

/** Hashes are made by the server; anything else is kept out of URLs. */
const HASH = /^(a_)?[A-Za-z0-9_-]{1,64}$/;
const ID = /^\d{1,20}$/;

function image(dir: string, ownerId: string, hash: string | null | undefined, size?: number): string | null {
  if (!hash || !HASH.test(hash) || !ID.test(ownerId)) return null;
  const ext = hash.startsWith('a_') ? 'gif' : 'png';
  return `/${dir}/${ownerId}/${hash}.${ext}${size === undefined ? '' : `?size=${size}`}`;
}

/** The user's avatar at `size` pixels (a served size), or null when they have none. */
export function avatarUrl(user: UserImages, size = 128): string | null {
  return image('avatars', user.id, user.avatar, size);
}

/** A user's or a guild's banner (both live under `/banners/{id}/`), or null. */
export function bannerUrl(owner: UserImages | GuildImages): string | null {
  return image('banners', owner.id, owner.banner);
}

export function guildIconUrl(guild: GuildImages, size = 128): string | null {
  return image('icons', guild.id, guild.icon, size);
}

export function roleIconUrl(role: RoleImages, size = 64): string | null {
  return image('role-icons', role.id, role.icon, size);
}

/** A custom emoji's image: `.gif` when animated. Empty for an id that is not one. */
export function emojiUrl(emoji: { id: string; animated?: boolean | null }): string {
  return ID.test(emoji.id) ? `/emojis/${emoji.id}.${emoji.animated ? 'gif' : 'png'}` : '';
}
