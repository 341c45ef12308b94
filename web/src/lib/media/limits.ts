/**
 * The instance's upload limits (`GET /instance` → `media`) applied before anything is sent, with the
 * sentence the composer shows. A limit the server did not state is left to the server, except the
 * file count: the multipart form has parts `files[0]`…`files[9]` at most.
 */
import type { MediaLimits } from '../api/endpoints/media';
import { humanSize } from './filename';

/** Discord's count, and the most part names the server reads. */
export const DEFAULT_MAX_FILES = 10;

export interface FileLike {
  name: string;
  size: number;
}

export interface Admission {
  /** Indexes into the incoming list of the files taken, in order. */
  accepted: number[];
  /** Why some were left out, for the user; null when all were taken. */
  error: string | null;
}

function maxFiles(limits: Partial<MediaLimits>): number {
  const n = limits.max_files_per_message;
  return n !== undefined && n > 0 ? Math.min(n, DEFAULT_MAX_FILES) : DEFAULT_MAX_FILES;
}

function tooLarge(f: FileLike, max: number): string {
  const size = humanSize(f.size);
  const limit = humanSize(max);
  // Rounded, a file just over the limit reads as the limit itself ("is 1 MB; at most 1 MB").
  return size === limit ? `“${f.name}” is just over the ${limit} limit for files.` : `“${f.name}” is ${size}; files can be at most ${limit}.`;
}

function tooMany(max: number): string {
  return `You can attach at most ${max} file${max === 1 ? '' : 's'} to one message.`;
}

/** Which of `incoming` fit beside the `already` pending files: too-large files and those past the count are left out. */
export function admitFiles(already: number, incoming: readonly FileLike[], limits: Partial<MediaLimits>): Admission {
  const max = maxFiles(limits);
  const maxBytes = limits.max_file_bytes;
  const accepted: number[] = [];
  let error: string | null = null;
  incoming.forEach((f, i) => {
    if (maxBytes !== undefined && f.size > maxBytes) error ??= tooLarge(f, maxBytes);
    else if (already + accepted.length >= max) error ??= tooMany(max);
    else accepted.push(i);
  });
  return { accepted, error };
}

/** Why these files cannot be sent as one message (limits may have arrived after they were added), or null. */
export function sendProblem(files: readonly FileLike[], limits: Partial<MediaLimits>): string | null {
  const max = maxFiles(limits);
  if (files.length > max) return tooMany(max);
  const maxBytes = limits.max_file_bytes;
  const big = maxBytes === undefined ? undefined : files.find((f) => f.size > maxBytes);
  return big && maxBytes !== undefined ? tooLarge(big, maxBytes) : null;
}
