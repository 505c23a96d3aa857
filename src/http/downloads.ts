// Headers of a file sent for download or shown inline.
import { foldDiacritics } from '../domain/text.ts';

/**
 * `Content-Disposition` with the original Vietnamese name (RFC 6266 / 5987) and a plain-ASCII name for clients that do
 * not read `filename*`: the one given, else the name with its diacritics folded.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string, plain?: string): string {
  const ascii = plain ?? foldDiacritics(name).replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
