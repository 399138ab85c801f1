/**
 * Reads a multipart/form-data body (RFC 7578) as the Bot API receives an upload: text fields as
 * strings, files as their bytes. grammY sends InputFile uploads this way (sendPhoto with a Buffer).
 */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): Record<string, string | { filename: string; bytes: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error('multipart without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string | { filename: string; bytes: Buffer }> = {};
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /(?:^|;)\s*name="([^"]*)"/.exec(headers.replace(/^content-disposition:\s*form-data/i, ''))?.[1];
    // grammY writes the filename unquoted.
    const filename = /filename="?([^";\r\n]*)"?/.exec(headers)?.[1];
    if (name)
      fields[name] = filename !== undefined ? { filename, bytes: Buffer.from(content) } : content.toString('utf8');
    at = next;
  }
  return fields;
}
