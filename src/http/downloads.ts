// Headers of a file sent for download or shown inline.
import type { FastifyReply } from 'fastify';
import { foldDiacritics } from '../domain/text.ts';
import { inlineKinds, kindOfMediaType } from '../features/evidence/inspect.ts';
import type { EvidenceStore } from '../features/evidence/store.ts';

/**
 * `Content-Disposition` with the original Vietnamese name (RFC 6266 / 5987) and a plain-ASCII name for clients that do
 * not read `filename*`: the one given, else the name with its diacritics folded.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string, plain?: string): string {
  const ascii = plain ?? foldDiacritics(name).replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

interface StoredFile {
  sha256: string;
  mediaType: string;
  /** The name it was uploaded with. */
  name: string;
  size: number | string;
}

/**
 * The headers of a stored file (evidence, an on-site visit's minutes) sent to a signed-in person: its own type, shown
 * inline only where a browser shows that kind safely, sandboxed as a document of its own origin (any script in it
 * cannot act as the portal), and never kept in a cache (who may see the bytes behind an id can change).
 */
export function storedFileHeaders(reply: FastifyReply, file: Pick<StoredFile, 'mediaType' | 'name'>): FastifyReply {
  const kind = kindOfMediaType(file.mediaType);
  return reply
    .header('Content-Type', file.mediaType)
    .header(
      'Content-Disposition',
      contentDisposition(kind && inlineKinds.includes(kind) ? 'inline' : 'attachment', file.name),
    )
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', 'sandbox')
    .header('Cache-Control', 'private, no-store');
}

/** A stored file's bytes, streamed from the evidence store with the headers above. */
export function sendStoredFile(reply: FastifyReply, store: EvidenceStore, file: StoredFile): FastifyReply {
  return storedFileHeaders(reply, file).header('Content-Length', file.size).send(store.open(file.sha256));
}
