/**
 * multipart/related bodies, as googleapis sends for objects.insert with both requestBody and
 * media: a JSON metadata part, then the data part. Binary-safe: the data may be a zip.
 */

export interface Part {
  contentType: string;
  body: Buffer;
}

export function parseMultipart(body: Buffer, contentTypeHeader: string): Part[] | undefined {
  const match = /boundary="?([^";]+)"?/i.exec(contentTypeHeader);
  if (!match?.[1]) return undefined;
  const delimiter = Buffer.from(`--${match[1]}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(afterDelimiter, headerEnd).toString('utf8');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) return undefined;
    // The CRLF before the next delimiter belongs to the delimiter, not the data.
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
    parts.push({ contentType: type, body: body.subarray(headerEnd + 4, end) });
    at = next;
  }
}
