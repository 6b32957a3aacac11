// Gunzip for the downloaded package indexes (Debian's Packages.gz, Alpine's APKINDEX.tar.gz).
// node's zlib is loaded on the first call, not when the server starts: the first diagnostics never
// need it, and most sessions never download an index (bench/findings.md, "start3").

/** The decompressed bytes; throws past `maxOutputLength` or on input that is not gzip. */
export async function gunzip(body: Buffer, maxOutputLength: number): Promise<Buffer> {
  const zlib = await import('node:zlib');
  return new Promise((resolve, reject) => zlib.gunzip(body, { maxOutputLength }, (error, result) => (error ? reject(error) : resolve(result))));
}
