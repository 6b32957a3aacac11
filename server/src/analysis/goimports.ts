// Learns from the Go sources and go.mod what the binary needs at run time: CA certificates for
// outgoing TLS, zoneinfo, cgo (and so libc), /etc/passwd lookups. Each need keeps its evidence so a
// diagnostic can point at the line that causes it. Pure: it is handed file contents.
import { analyzeFileAccess, noFileAccess, type FileAccess } from './fileAccess';
import type { GoMod } from './gomod';

export interface SourceFile {
  /** Path relative to the build context, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface Evidence {
  readonly file: string;
  /** 0-based line. */
  readonly line: number;
  readonly what: string;
}

export interface RuntimeNeed {
  readonly needed: boolean;
  readonly evidence: readonly Evidence[];
}

export interface RuntimeNeeds {
  /** The program makes outgoing TLS connections and needs CA roots in the image. */
  readonly tls: RuntimeNeed;
  /** The program loads time zones from the system. */
  readonly zoneinfo: RuntimeNeed;
  /** time/tzdata is linked in, so zoneinfo is not needed from the image. */
  readonly embeddedTzdata: RuntimeNeed;
  /** The program cannot be built without cgo (import "C", or a module that requires it). */
  readonly cgo: RuntimeNeed;
  /** The program reads users or groups (os/user). */
  readonly userLookup: RuntimeNeed;
  /** net or os/user are linked: with cgo on, the binary links libc dynamically. */
  readonly libcWhenCgo: RuntimeNeed;
  /** The embedded x509 roots fallback is linked, so CA certificates are not needed. */
  readonly embeddedRoots: RuntimeNeed;
  /** Files and folders the program reads and writes, and what it embeds. */
  readonly files: FileAccess;
  readonly imports: ReadonlySet<string>;
  readonly filesScanned: number;
  /** The scan stopped at the file cap; needs may be missing. */
  readonly truncated: boolean;
}

/** Modules that cannot build without cgo, with a pure-Go alternative when one exists. */
export const CGO_MODULES: ReadonlyArray<{ readonly path: string; readonly alternative?: string }> = [
  { path: 'github.com/mattn/go-sqlite3', alternative: 'modernc.org/sqlite' },
  { path: 'github.com/confluentinc/confluent-kafka-go', alternative: 'github.com/segmentio/kafka-go or github.com/twmb/franz-go' },
  { path: 'github.com/tecbot/gorocksdb' },
  { path: 'github.com/linxGnu/grocksdb' },
  { path: 'gopkg.in/gographics/imagick.v3' },
  { path: 'gopkg.in/gographics/imagick.v2' },
  { path: 'github.com/davidbyttow/govips' },
  { path: 'github.com/h2non/bimg' },
  { path: 'github.com/google/gopacket/pcap' },
  { path: 'github.com/go-gl/glfw' },
  { path: 'github.com/libgit2/git2go', alternative: 'github.com/go-git/go-git' },
  { path: 'github.com/ceph/go-ceph' },
  { path: 'github.com/godror/godror' },
  { path: 'github.com/ibmdb/go_ibm_db' },
  { path: 'github.com/mutecomm/go-sqlcipher' },
];

/**
 * Client modules whose whole purpose is calling remote HTTPS/TLS services, so a program that
 * requires them directly needs CA roots.
 */
export const TLS_CLIENT_MODULES: readonly string[] = [
  'cloud.google.com/go',
  'google.golang.org/api',
  'github.com/aws/aws-sdk-go',
  'github.com/aws/aws-sdk-go-v2',
  'github.com/Azure/azure-sdk-for-go',
  'github.com/stripe/stripe-go',
  'github.com/slack-go/slack',
  'github.com/google/go-github',
  'github.com/sendgrid/sendgrid-go',
  'github.com/twilio/twilio-go',
  'github.com/getsentry/sentry-go',
  'github.com/DataDog/datadog-go',
  'firebase.google.com/go',
  'github.com/openai/openai-go',
  'github.com/sashabaranov/go-openai',
];

// Calls that open outgoing HTTP(S) or TLS connections.
const TLS_CLIENT_CALLS: ReadonlyArray<[RegExp, string]> = [
  [/\bhttp\.(Get|Post|PostForm|Head)\s*\(/, 'http client call'],
  [/\bhttp\.(DefaultClient|DefaultTransport)\b/, 'http default client'],
  [/\bhttp\.Client\s*\{/, 'http.Client'],
  [/&?http\.Transport\s*\{/, 'http.Transport'],
  [/\bhttp\.NewRequest(WithContext)?\s*\(/, 'http.NewRequest'],
  [/\btls\.(Dial|DialWithDialer)\s*\(/, 'tls.Dial'],
  [/\btls\.Dialer\s*\{/, 'tls.Dialer'],
  [/\bcredentials\.NewClientTLSFromCert\s*\(|\bcredentials\.NewTLS\s*\(/, 'gRPC TLS credentials'],
  [/\bx509\.SystemCertPool\s*\(/, 'x509.SystemCertPool'],
  [/\bsmtp\.SendMail\s*\(/, 'smtp.SendMail'],
];

const ZONEINFO_CALLS: ReadonlyArray<[RegExp, string]> = [[/\btime\.LoadLocation\s*\(/, 'time.LoadLocation']];
const USER_CALLS: ReadonlyArray<[RegExp, string]> = [[/\buser\.(Current|Lookup|LookupId|LookupGroup|LookupGroupId)\s*\(/, 'os/user lookup']];

interface ImportSite {
  readonly path: string;
  readonly line: number;
  readonly alias: string | undefined;
}

/** Import paths of one Go file, with their lines. Comments and strings elsewhere are ignored. */
export function readImports(text: string): ImportSite[] {
  const code = stripComments(text);
  // Statements are found where strings are blanked too, so `import "C"` inside a raw string
  // does not count; the path itself is read from the same offsets of `code`.
  const bare = blankStrings(code);
  const sites: ImportSite[] = [];
  const lineAt = (offset: number): number => countNewlines(code, offset);
  const single = /^\s*import\s+(?:([\w.]+)\s+)?"[^"\n]*"/gm;
  for (let m = single.exec(bare); m; m = single.exec(bare)) {
    const written = /import\s+(?:([\w.]+)\s+)?"([^"]+)"/.exec(code.slice(m.index, m.index + m[0].length));
    if (!written) continue;
    sites.push({ alias: written[1], path: written[2] as string, line: lineAt(m.index + m[0].indexOf('"')) });
  }
  const block = /^\s*import\s*\(([^)]*)\)/gm;
  for (let m = block.exec(bare); m; m = block.exec(bare)) {
    const bodyStart = m.index + m[0].indexOf('(') + 1;
    const body = code.slice(bodyStart, bodyStart + (m[1] as string).length);
    const entry = /(?:([\w.]+)\s+)?"([^"]+)"/g;
    for (let e = entry.exec(body); e; e = entry.exec(body)) {
      sites.push({ alias: e[1], path: e[2] as string, line: lineAt(bodyStart + e.index) });
    }
  }
  return sites;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Go's comments, interpreted and raw strings, and rune literals (`'"'` must not open a string). */
const LEXICAL = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'/g;

/** Blanks out comments but keeps line breaks and string literals, so offsets keep their lines. */
export function stripComments(text: string): string {
  return text.replace(LEXICAL, (m) => (m.startsWith('/') ? m.replace(/[^\n]/g, ' ') : m));
}

/** Blanks the inside of strings and runes (keeping delimiters and line breaks): only code is left to search. */
export function blankStrings(code: string): string {
  return code.replace(LEXICAL, (m) => (m.startsWith('/') ? m : `${m[0]}${m.slice(1, -1).replace(/[^\n]/g, ' ')}${m[m.length - 1]}`));
}

function findCalls(file: SourceFile, code: string, patterns: ReadonlyArray<[RegExp, string]>): Evidence[] {
  const found: Evidence[] = [];
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    for (const [re, what] of patterns) if (re.test(line)) found.push({ file: file.path, line: i, what });
  });
  return found;
}

function need(evidence: Evidence[]): RuntimeNeed {
  return { needed: evidence.length > 0, evidence: evidence.slice(0, 5) };
}

function moduleMatches(required: string, prefix: string): boolean {
  return required === prefix || required.startsWith(`${prefix}/`);
}

export function analyzeGoSources(
  files: readonly SourceFile[],
  goMod: GoMod | undefined,
  options: { truncated?: boolean; buildTags?: readonly string[] } = {},
): RuntimeNeeds {
  const imports = new Set<string>();
  const tls: Evidence[] = [];
  const zoneinfo: Evidence[] = [];
  const tzdata: Evidence[] = [];
  const cgo: Evidence[] = [];
  const users: Evidence[] = [];
  const libc: Evidence[] = [];
  const roots: Evidence[] = [];
  for (const file of files) {
    if (file.path.endsWith('_test.go')) continue;
    const code = blankStrings(stripComments(file.text));
    const sites = readImports(file.text);
    const has = (path: string): ImportSite | undefined => sites.find((s) => s.path === path);
    for (const site of sites) {
      imports.add(site.path);
      const at = { file: file.path, line: site.line };
      if (site.path === 'C') cgo.push({ ...at, what: 'import "C"' });
      if (site.path === 'time/tzdata') tzdata.push({ ...at, what: 'import _ "time/tzdata"' });
      if (site.path === 'golang.org/x/crypto/x509roots/fallback') roots.push({ ...at, what: 'x509roots/fallback' });
      if (site.path === 'net' || site.path === 'net/http' || site.path === 'os/user') libc.push({ ...at, what: `import "${site.path}"` });
      const cgoModule = CGO_MODULES.find((m) => moduleMatches(site.path, m.path));
      if (cgoModule) cgo.push({ ...at, what: `import "${site.path}" needs cgo` });
      const client = TLS_CLIENT_MODULES.find((m) => moduleMatches(site.path, m));
      if (client) tls.push({ ...at, what: `import "${site.path}" calls remote services` });
    }
    if (has('net/http') || has('crypto/tls') || sites.some((s) => s.path.startsWith('google.golang.org/grpc'))) {
      tls.push(...findCalls(file, code, TLS_CLIENT_CALLS));
    }
    if (has('time')) zoneinfo.push(...findCalls(file, code, ZONEINFO_CALLS));
    if (has('os/user')) users.push(...findCalls(file, code, USER_CALLS));
  }
  if (options.buildTags?.includes('timetzdata')) tzdata.push({ file: 'go build -tags', line: 0, what: '-tags timetzdata' });
  for (const req of goMod?.requires ?? []) {
    if (req.indirect) continue;
    const cgoModule = CGO_MODULES.find((m) => moduleMatches(req.path, m.path) || moduleMatches(m.path, req.path));
    if (cgoModule && !cgo.some((e) => e.what.includes(req.path))) {
      cgo.push({ file: 'go.mod', line: req.range.start.line, what: `requires ${req.path}, which needs cgo` });
    }
    if (TLS_CLIENT_MODULES.some((m) => moduleMatches(req.path, m)) && !tls.some((e) => e.what.includes(req.path))) {
      tls.push({ file: 'go.mod', line: req.range.start.line, what: `requires ${req.path}, which calls remote services` });
    }
  }
  return {
    tls: need(tls),
    zoneinfo: need(zoneinfo),
    embeddedTzdata: need(tzdata),
    cgo: need(cgo),
    userLookup: need(users),
    libcWhenCgo: need([...libc, ...cgo]),
    embeddedRoots: need(roots),
    files: analyzeFileAccess(files, { module: goMod?.module, truncated: options.truncated }),
    imports,
    filesScanned: files.length,
    truncated: options.truncated ?? false,
  };
}

/** What is known when no Go sources could be read: nothing is claimed. */
export function unknownNeeds(): RuntimeNeeds {
  const none: RuntimeNeed = { needed: false, evidence: [] };
  return {
    tls: none,
    zoneinfo: none,
    embeddedTzdata: none,
    cgo: none,
    userLookup: none,
    libcWhenCgo: none,
    embeddedRoots: none,
    files: noFileAccess(),
    imports: new Set(),
    filesScanned: 0,
    truncated: false,
  };
}
