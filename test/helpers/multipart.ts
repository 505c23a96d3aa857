import { randomBytes } from 'node:crypto';

/** A part of a multipart/form-data body: a field, or a file with its name and media type. */
export type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

/** A multipart/form-data body of `parts` in their order, as a browser's form sends it, with its boundary. */
export function multipartParts(parts: Part[]): { body: Buffer; boundary: string } {
  const boundary = `----cchc${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'filename' in p
        ? `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n`
        : `Content-Disposition: form-data; name="${p.name}"\r\n`;
    chunks.push(
      Buffer.from(`--${boundary}\r\n${head}\r\n`),
      'filename' in p ? p.content : Buffer.from(p.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), boundary };
}

/** The fields, then the file (if any) as the form's `file` field. */
export function multipart(
  fields: Record<string, string>,
  file?: { filename: string; content: Buffer; type?: string },
): { body: Buffer; boundary: string } {
  return multipartParts([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...(file ? [{ name: 'file', ...file }] : []),
  ]);
}
