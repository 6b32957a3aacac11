// Reads the `moby.buildkit.trace` messages of a BuildKit build (base64 protobuf StatusResponse):
// which steps started, finished, failed, and what each printed. Only the fields the log uses.

export interface TraceVertex {
  readonly digest: string;
  readonly name: string;
  readonly cached: boolean;
  readonly started: boolean;
  readonly completed: boolean;
  readonly error: string;
}

export interface TraceLog {
  readonly vertex: string;
  readonly text: string;
}

export interface TraceStatus {
  readonly vertexes: readonly TraceVertex[];
  readonly logs: readonly TraceLog[];
}

interface Field {
  readonly number: number;
  readonly wireType: number;
  readonly varint: number;
  readonly bytes: Uint8Array;
}

/** The fields of one protobuf message, in order (repeated fields appear once per value). */
function* fields(buffer: Uint8Array): Generator<Field> {
  let offset = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= buffer.length) throw new Error('truncated varint');
      const byte = buffer[offset++] as number;
      // Multiplication instead of << keeps values above 2^31 (int64 sizes) correct.
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const empty = new Uint8Array(0);
  while (offset < buffer.length) {
    const key = readVarint();
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) {
      yield { number, wireType, varint: readVarint(), bytes: empty };
    } else if (wireType === 2) {
      const length = readVarint();
      yield { number, wireType, varint: 0, bytes: buffer.subarray(offset, offset + length) };
      offset += length;
    } else if (wireType === 1) {
      offset += 8;
    } else if (wireType === 5) {
      offset += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder();

function decodeVertex(bytes: Uint8Array): TraceVertex {
  let digest = '';
  let name = '';
  let cached = false;
  let started = false;
  let completed = false;
  let error = '';
  for (const f of fields(bytes)) {
    if (f.number === 1 && f.wireType === 2) digest = utf8.decode(f.bytes);
    else if (f.number === 3 && f.wireType === 2) name = utf8.decode(f.bytes);
    else if (f.number === 4 && f.wireType === 0) cached = f.varint !== 0;
    else if (f.number === 5 && f.wireType === 2) started = true;
    else if (f.number === 6 && f.wireType === 2) completed = true;
    else if (f.number === 7 && f.wireType === 2) error = utf8.decode(f.bytes);
  }
  return { digest, name, cached, started, completed, error };
}

function decodeLog(bytes: Uint8Array): TraceLog {
  let vertex = '';
  let text = '';
  for (const f of fields(bytes)) {
    if (f.number === 1 && f.wireType === 2) vertex = utf8.decode(f.bytes);
    else if (f.number === 4 && f.wireType === 2) text = utf8.decode(f.bytes);
  }
  return { vertex, text };
}

/** Decodes the `aux` of a `moby.buildkit.trace` line. */
export function decodeTrace(base64: string): TraceStatus {
  const vertexes: TraceVertex[] = [];
  const logs: TraceLog[] = [];
  for (const f of fields(Buffer.from(base64, 'base64'))) {
    if (f.wireType !== 2) continue;
    if (f.number === 1) vertexes.push(decodeVertex(f.bytes));
    else if (f.number === 3) logs.push(decodeLog(f.bytes));
  }
  return { vertexes, logs };
}
