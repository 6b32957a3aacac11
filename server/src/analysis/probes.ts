// The probes a Dockerfile declares for Compare with run: `# slimfile: probe GET /health 200` asks
// an HTTP path of the running image (the status is what the user expects), `# slimfile: probe run
// --version` runs the image once more with those arguments and compares how it exits. The same
// lines may come from the `slimfile.probes` setting.

export type DeclaredProbe =
  | { readonly kind: 'http'; readonly method: string; readonly path: string; readonly port: number | undefined; readonly status: number | undefined; readonly line: number | undefined }
  | { readonly kind: 'run'; readonly args: readonly string[]; readonly line: number | undefined };

export interface ProbeProblem {
  readonly line: number | undefined;
  readonly message: string;
}

const DIRECTIVE = /^\s*#\s*slimfile:\s*probe\b(.*)$/i;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One probe as written after `probe` (also a `slimfile.probes` entry): `GET /health 200`, `GET :8081/ready`, `run --version`. */
export function parseProbe(written: string, line?: number): DeclaredProbe | ProbeProblem {
  const words = written.trim().split(/\s+/).filter((w) => w !== '');
  const [first, ...rest] = words;
  if (first === undefined) return { line, message: 'probe needs a request (GET /health 200) or a run (run --version).' };
  if (first === 'run') return { kind: 'run', args: rest, line };
  const method = first.toUpperCase();
  if (!METHODS.has(method)) return { line, message: `probe takes an HTTP method (${[...METHODS].join(', ')}) or "run", not ${JSON.stringify(first)}.` };
  const target = rest[0];
  const m = target === undefined ? null : /^(?::(\d{1,5}))?(\/\S*)$/.exec(target);
  if (!m) return { line, message: `probe ${method} needs a path that starts with / (or :PORT/path), not ${JSON.stringify(target ?? '')}.` };
  const statusWord = rest[1];
  if (statusWord !== undefined && !/^[1-5]\d\d$/.test(statusWord)) return { line, message: `the expected status of a probe is a number from 100 to 599, not ${JSON.stringify(statusWord)}.` };
  if (rest.length > 2) return { line, message: `probe ${method} takes a path and a status; "${rest.slice(2).join(' ')}" is left over.` };
  return { kind: 'http', method, path: m[2] as string, port: m[1] === undefined ? undefined : Number(m[1]), status: statusWord === undefined ? undefined : Number(statusWord), line };
}

function isProblem(parsed: DeclaredProbe | ProbeProblem): parsed is ProbeProblem {
  return 'message' in parsed;
}

/** The probes a Dockerfile declares in its comments, then those of the setting, with what could not be read. */
export function declaredProbes(dockerfileText: string, setting: readonly string[] = []): { probes: DeclaredProbe[]; problems: ProbeProblem[] } {
  const probes: DeclaredProbe[] = [];
  const problems: ProbeProblem[] = [];
  const add = (parsed: DeclaredProbe | ProbeProblem): void => {
    if (isProblem(parsed)) problems.push(parsed);
    else probes.push(parsed);
  };
  dockerfileText.split(/\r?\n/).forEach((text, line) => {
    const m = DIRECTIVE.exec(text);
    if (m) add(parseProbe(m[1] as string, line));
  });
  for (const entry of setting) add(parseProbe(entry));
  return { probes, problems };
}
