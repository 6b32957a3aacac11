// Reading a large file without a malloc'd block of its size: the loader's bundle and code cache
// (start.ts), and the tree-sitter grammars (workspace/grammars.ts).
import * as fs from 'node:fs';

/** WebAssembly.Memory, which the project's type libraries (ES2022, node's) do not declare. */
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory;

/**
 * Reads files' bytes without a malloc'd block of their size (the bundle, 1.45 MB, the code cache,
 * 1.3 MB, the grammars, 0.2-3.4 MB). `readFileSync` reads into such a block, and glibc answers the
 * free of a block that large by raising its mmap threshold to that size for the rest of the
 * process (and its trim threshold to twice that): from then on every block under it, the
 * compile's, the Go parser's, each worker thread's, comes from the malloc heaps and stays there
 * once freed. A WebAssembly memory is mapped by V8 itself, not by malloc, so reading the file into
 * one leaves glibc's thresholds at their defaults. (Reading in blocks under 128 KiB keeps malloc
 * out too, but for the bundle the blocks' strings then fill the young generation while the server
 * starts, and it grew to twice its size.) Measured in bench/findings.md ("mem4").
 *
 * Each read reuses the memory of the one before when it is large enough, so it overwrites what
 * that read returned. Reusing it matters for time: the first write to each page of a new memory is
 * a page fault, about 12 µs each on the bench's machine, and the cache's 330 pages were 4 ms of a
 * start (bench/findings.md, "start3").
 */
export class ReadMemory {
  private bytes: Buffer | undefined;

  /** `file`'s bytes between `before` and `after` (latin1), valid until the next read. */
  read(file: string, before = '', after = ''): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
      const size = before.length + fs.fstatSync(fd).size + after.length;
      let bytes = this.bytes;
      if (!bytes || bytes.length < size) {
        try {
          bytes = this.bytes = Buffer.from(new WasmMemory({ initial: Math.ceil(size / 65536) }).buffer);
        } catch {
          // No room for the memory's reservation (a limit on address space): the plain read.
          return Buffer.concat([Buffer.from(before, 'latin1'), fs.readFileSync(fd), Buffer.from(after, 'latin1')]);
        }
      }
      let read = bytes.write(before, 'latin1');
      for (let n = 1; n > 0; read += n) n = fs.readSync(fd, bytes, read, bytes.length - read, read - before.length);
      read += bytes.write(after, read, 'latin1');
      return bytes.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** A file's bytes in a memory of their own (see ReadMemory). */
export function readOutsideMalloc(file: string): Buffer {
  return new ReadMemory().read(file);
}
