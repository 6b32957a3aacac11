// Reading a large file without a malloc'd block of its size: the loader's bundle and code cache
// (start.ts), and the tree-sitter grammars (workspace/grammars.ts).
import * as fs from 'node:fs';

/** WebAssembly.Memory, which the project's type libraries (ES2022, node's) do not declare. */
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory;

/**
 * A file's bytes, read without a malloc'd block of its size (the bundle, 1.45 MB, and the code
 * cache, 1.3 MB). `readFileSync` reads into such a block, and glibc answers the free of a block
 * that large by raising its mmap threshold to that size for the rest of the process (and its trim
 * threshold to twice that): from then on every block under it, the compile's, the Go parser's,
 * each worker thread's, comes from the malloc heaps and stays there once freed. A WebAssembly
 * memory is mapped by V8 itself, not by malloc, so reading the file into one leaves glibc's
 * thresholds at their defaults. (Reading in blocks under 128 KiB keeps malloc out too, but for
 * the bundle the blocks' strings then fill the young generation while the server starts, and it
 * grew to twice its size.) Measured in bench/findings.md ("mem4"). `before` and `after` are
 * written around the file's bytes (latin1), so that a wrapper costs no second copy.
 */
export function readOutsideMalloc(file: string, before = '', after = ''): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(new WasmMemory({ initial: Math.ceil((before.length + size + after.length) / 65536) }).buffer);
    } catch {
      // No room for the memory's reservation (a limit on address space): the plain read.
      return Buffer.concat([Buffer.from(before, 'latin1'), fs.readFileSync(fd), Buffer.from(after, 'latin1')]);
    }
    let read = bytes.write(before, 'latin1');
    for (let n = 1; n > 0; read += n) n = fs.readSync(fd, bytes, read, bytes.length - read, read - before.length);
    read += bytes.write(after, read, 'latin1');
    return bytes.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
