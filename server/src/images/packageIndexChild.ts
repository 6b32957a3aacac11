// The process a release's index is fetched and parsed in (packageIndex.ts starts it): it leaves
// the release's file in the cache folder and answers whether it could. The parent reads the file
// one package at a time, so the text and the parse live and die here.
import { DebianPackageIndexes, type ChildAnswer, type ChildRequest } from './packageIndex';

process.once('message', (request: ChildRequest) => {
  void new DebianPackageIndexes({ ...request.options, inProcess: true })
    .release(request.release, request.arch)
    .then(
      (): ChildAnswer => ({ ok: true }),
      (error: unknown): ChildAnswer => ({ error: (error as Error).message }),
    )
    .then((answer) => process.send?.(answer, () => process.disconnect()));
});
