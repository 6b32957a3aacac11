// Learns from the Go sources and go.mod what the binary needs at run time: CA certificates for
// outgoing TLS, zoneinfo, cgo (and so libc), /etc/passwd lookups. Each need keeps its evidence so a
// diagnostic can point at the line that causes it. Pure: it is handed file contents, and reads them
// through the syntax tree, so aliases, dot imports and build constraints count as Go counts them.
import { noFileAccess, programFileAccess, type FileAccess } from './fileAccess';
import { Program } from './program';
import type { GoMod } from '../gomod';
import { LINUX_AMD64, type BuildTarget } from './build';
import { parseSources, walk, type Evidence, type GoFile, type SourceFile } from './source';
import type { Node } from './parser';

export type { Evidence, SourceFile } from './source';
export { readImports, mainPackageFolders, mainPackagesOf, ParsedSourceCache } from './source';

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
  // Wrappers of mattn/go-sqlite3: importing them links it.
  { path: 'gorm.io/driver/sqlite', alternative: 'github.com/glebarez/sqlite' },
  { path: 'github.com/jinzhu/gorm/dialects/sqlite', alternative: 'github.com/glebarez/sqlite' },
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
  // HTTP client libraries and bot APIs: their calls go to remote HTTPS endpoints.
  'github.com/go-resty/resty',
  'resty.dev/v3',
  'github.com/go-telegram-bot-api/telegram-bot-api',
  'github.com/bwmarrin/discordgo',
  'gopkg.in/telebot.v3',
  'github.com/minio/minio-go',
];

/** What a use of a package member means: `call` only as a call, `literal` only as `T{…}`, `any` anyhow. */
interface MemberUse {
  readonly importPath: string;
  readonly names: readonly string[];
  readonly as: 'call' | 'literal' | 'any';
  readonly what: string;
}

// Uses that open outgoing HTTP(S) or TLS connections.
const TLS_USES: readonly MemberUse[] = [
  { importPath: 'net/http', names: ['Get', 'Post', 'PostForm', 'Head'], as: 'call', what: 'http client call' },
  { importPath: 'net/http', names: ['DefaultClient', 'DefaultTransport'], as: 'any', what: 'http default client' },
  { importPath: 'net/http', names: ['Client'], as: 'literal', what: 'http.Client' },
  { importPath: 'net/http', names: ['Transport'], as: 'literal', what: 'http.Transport' },
  { importPath: 'net/http', names: ['NewRequest', 'NewRequestWithContext'], as: 'call', what: 'http.NewRequest' },
  { importPath: 'crypto/tls', names: ['Dial', 'DialWithDialer'], as: 'call', what: 'tls.Dial' },
  { importPath: 'crypto/tls', names: ['Dialer'], as: 'literal', what: 'tls.Dialer' },
  { importPath: 'google.golang.org/grpc/credentials', names: ['NewClientTLSFromCert', 'NewTLS'], as: 'call', what: 'gRPC TLS credentials' },
  { importPath: 'crypto/x509', names: ['SystemCertPool'], as: 'call', what: 'x509.SystemCertPool' },
  { importPath: 'net/smtp', names: ['SendMail'], as: 'call', what: 'smtp.SendMail' },
];
const ZONEINFO_USES: readonly MemberUse[] = [{ importPath: 'time', names: ['LoadLocation'], as: 'call', what: 'time.LoadLocation' }];
const USER_USES: readonly MemberUse[] = [
  { importPath: 'os/user', names: ['Current', 'Lookup', 'LookupId', 'LookupGroup', 'LookupGroupId'], as: 'call', what: 'os/user lookup' },
];

/**
 * Uses of imported package members in one file, found in the tree: `alias.Name` through the
 * file's import names, and a bare `Name` when the package is dot-imported. Strings and comments
 * are not code in a tree, so they never count.
 */
function findUses(program: Program, file: GoFile, uses: readonly MemberUse[]): Evidence[] {
  const found: Evidence[] = [];
  const seen = new Set<string>();
  const add = (node: Node, what: string): void => {
    const line = node.startPosition.row;
    if (seen.has(`${line}\n${what}`)) return;
    seen.add(`${line}\n${what}`);
    found.push({ file: file.source.path, line, what });
  };
  const relevant = uses.filter((u) => [...file.importNames.values()].includes(u.importPath) || file.dotImports.includes(u.importPath));
  if (relevant.length === 0) return found;
  walk(file.root, file.dotImports.length > 0 ? MEMBERS_AND_NAMES : MEMBERS, (node) => {
    const members = membersOf(program, file, node);
    if (members.length === 0) return true;
    const parent = node.parent;
    const called = parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id;
    const literal = parent?.type === 'composite_literal' && parent.childForFieldName('type')?.id === node.id;
    for (const member of members) for (const use of relevant) {
      if (use.importPath !== member.importPath || !use.names.includes(member.name)) continue;
      if ((use.as === 'call' && !called) || (use.as === 'literal' && !literal)) continue;
      add(node, use.what);
    }
    return true;
  });
  return found.sort((a, b) => a.line - b.line);
}

const MEMBERS = new Set(['selector_expression', 'qualified_type']);
const MEMBERS_AND_NAMES = new Set([...MEMBERS, 'identifier', 'type_identifier']);

/** `alias.Name` (or a qualified type) naming a member of an imported package, or a dot-imported `Name`. */
function membersOf(program: Program, file: GoFile, node: Node): Array<{ importPath: string; name: string }> {
  if (node.type === 'selector_expression' || node.type === 'qualified_type') {
    const operand = node.childForFieldName(node.type === 'selector_expression' ? 'operand' : 'package');
    const field = node.childForFieldName(node.type === 'selector_expression' ? 'field' : 'name');
    // A local variable named like the package (`http := client{}`) is not the package.
    const named = operand && (operand.type === 'identifier' || operand.type === 'package_identifier') && !program.isVariable(file, operand);
    const importPath = named ? file.importNames.get(operand.text) : undefined;
    return importPath && field ? [{ importPath, name: field.text }] : [];
  }
  if ((node.type === 'identifier' || node.type === 'type_identifier') && file.dotImports.length > 0) {
    if (node.type === 'identifier' && program.isVariable(file, node)) return [];
    const parent = node.parent;
    if (parent?.type === 'selector_expression' && parent.childForFieldName('field')?.id === node.id) return [];
    // Which dot import a bare name comes from is not known without the package's exports: the
    // use tables name few enough members that every dot import is tried.
    return file.dotImports.map((importPath) => ({ importPath, name: node.text }));
  }
  return [];
}

function need(evidence: Evidence[]): RuntimeNeed {
  return { needed: evidence.length > 0, evidence: evidence.slice(0, 5) };
}

function moduleMatches(required: string, prefix: string): boolean {
  return required === prefix || required.startsWith(`${prefix}/`);
}

export interface GoSourceOptions {
  /** Not every source was read (the file cap). */
  readonly truncated?: boolean;
  /** `go build -tags`. */
  readonly buildTags?: readonly string[];
  /** CGO_ENABLED when the build says; undefined: files built with cgo on or off both count. */
  readonly cgo?: boolean;
}

/**
 * What the program whose sources are `files` needs at run time. Files `go build` leaves out for
 * linux/amd64 (_test.go, other platforms, build constraints) say nothing. The Go parser must be
 * loaded (GO_GRAMMARS, through workspace/grammars.ts).
 */
export function analyzeGoSources(files: readonly SourceFile[], goMod: GoMod | undefined, options: GoSourceOptions = {}): RuntimeNeeds {
  const target: BuildTarget = { ...LINUX_AMD64, cgo: options.cgo, tags: options.buildTags };
  const parsed = parseSources(files, target);
  try {
    return analyzeParsedGoSources(parsed.files, files.length, goMod, options);
  } finally {
    parsed.dispose();
  }
}

/**
 * `analyzeGoSources` over files parsed already (a ParsedSourceCache keeps them between saves);
 * `filesRead` counts every source handed to the parse, compiled or not.
 */
export function analyzeParsedGoSources(files: readonly GoFile[], filesRead: number, goMod: GoMod | undefined, options: GoSourceOptions = {}): RuntimeNeeds {
  const imports = new Set<string>();
  const tls: Evidence[] = [];
  const zoneinfo: Evidence[] = [];
  const tzdata: Evidence[] = [];
  const cgo: Evidence[] = [];
  const users: Evidence[] = [];
  const libc: Evidence[] = [];
  const roots: Evidence[] = [];
  const program = new Program(files, goMod?.module, !options.truncated);
  for (const file of files) {
    for (const site of file.imports) {
      imports.add(site.path);
      const at = { file: file.source.path, line: site.line };
      if (site.path === 'C') cgo.push({ ...at, what: 'import "C"' });
      if (site.path === 'time/tzdata') tzdata.push({ ...at, what: 'import _ "time/tzdata"' });
      if (site.path === 'golang.org/x/crypto/x509roots/fallback') roots.push({ ...at, what: 'x509roots/fallback' });
      if (site.path === 'net' || site.path === 'net/http' || site.path === 'os/user') libc.push({ ...at, what: `import "${site.path}"` });
      const cgoModule = CGO_MODULES.find((m) => moduleMatches(site.path, m.path));
      if (cgoModule) cgo.push({ ...at, what: `import "${site.path}" needs cgo` });
      const client = TLS_CLIENT_MODULES.find((m) => moduleMatches(site.path, m));
      if (client) tls.push({ ...at, what: `import "${site.path}" calls remote services` });
    }
    tls.push(...findUses(program, file, TLS_USES));
    zoneinfo.push(...findUses(program, file, ZONEINFO_USES));
    users.push(...findUses(program, file, USER_USES));
  }
  if (options.buildTags?.includes('timetzdata')) tzdata.push({ file: 'go build -tags', line: 0, what: '-tags timetzdata' });
  for (const req of goMod?.requires ?? []) {
    // An indirect cgo module is there because a dependency imports it (gorm.io/driver/sqlite and
    // mattn/go-sqlite3): it may be linked, and with CGO_ENABLED=0 go-sqlite3 still builds but fails
    // at run time. Keeping cgo costs a larger runtime; turning it off could break the image.
    const cgoModule = CGO_MODULES.find((m) => moduleMatches(req.path, m.path) || moduleMatches(m.path, req.path));
    if (cgoModule && !cgo.some((e) => e.what.includes(req.path))) {
      const how = req.indirect ? ' (indirect: a dependency may link it)' : '';
      cgo.push({ file: 'go.mod', line: req.range.start.line, what: `requires ${req.path}${how}, which needs cgo` });
    }
    if (req.indirect) continue;
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
    files: programFileAccess(program),
    imports,
    filesScanned: filesRead,
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
