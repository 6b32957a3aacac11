// A package mirror for the index tests: serves the given files by URL path, 404 for any other,
// and records every path asked, in order (into `asked` when the test keeps its own list).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMirror {
  /** `http://127.0.0.1:<port>`, the mirror's root. */
  readonly url: string;
  readonly asked: string[];
  close(): Promise<void>;
}

export async function startFakeMirror(files: Readonly<Record<string, Buffer>>, asked: string[] = []): Promise<FakeMirror> {
  const server = http.createServer((request, response) => {
    asked.push(request.url ?? '');
    const body = files[request.url ?? ''];
    response.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
