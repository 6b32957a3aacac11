// What a package installed in a final stage is to the program it runs beside: a build-only tool
// (compilers, -dev headers, make, git used while building), a shared library a binary may link,
// a program the image may start, or files every small runtime already has. Minimize and the
// language conversions decide the runtime from the class, and from what the image starts, rather
// than refusing on any package. Pure: names in (with Alpine's index when it is at hand), classes out.
import { alpineCommands, alpineLibraries, type AlpineIndex } from './alpineIndex';

export type PackageClass = 'build' | 'library' | 'program' | 'files';

export interface PackageClassification {
  /** The name without a version or architecture (`curl=7.88.1-10` -> curl). */
  readonly name: string;
  readonly class: PackageClass;
  /** The programs it installs (what exec.Command, a CMD or a HEALTHCHECK would name). */
  readonly programs: readonly string[];
  /**
   * The library a binary would link for it to be needed: `sqlite`, which the Go analysis can
   * follow through mattn/go-sqlite3, or the package's own stem for any other library and header set.
   */
  readonly library?: string;
  /** Where the class comes from, for notes: Slimfile's list, the distribution's naming rules, or the index. */
  readonly from: 'list' | 'name' | 'index';
}

interface Listed {
  readonly class: PackageClass;
  readonly programs: readonly string[];
  readonly library?: string;
}

const build = (...programs: string[]): Listed => ({ class: 'build', programs });
const program = (...programs: string[]): Listed => ({ class: 'program', programs });
const files: Listed = { class: 'files', programs: [] };

/** Debian and Alpine packages whose use Slimfile knows by name; the naming rules below cover the rest they can. */
const LISTED: ReadonlyMap<string, Listed> = new Map<string, Listed>([
  // C toolchains and build tools (Alpine's alpine-sdk and build-base, Debian's build-essential).
  ['alpine-sdk', build('gcc', 'cc', 'g++', 'c++', 'make', 'git', 'abuild', 'fakeroot')],
  ['build-base', build('gcc', 'cc', 'g++', 'c++', 'make')],
  ['build-essential', build('gcc', 'cc', 'g++', 'c++', 'make', 'dpkg-buildpackage')],
  ['gcc', build('gcc', 'cc')],
  ['g++', build('g++', 'c++')],
  ['clang', build('clang', 'clang++', 'cc')],
  ['make', build('make')],
  ['cmake', build('cmake')],
  ['autoconf', build('autoconf')],
  ['automake', build('automake')],
  ['libtool', build('libtool', 'libtoolize')],
  ['pkgconf', build('pkgconf', 'pkg-config')],
  ['pkgconfig', build('pkg-config')],
  ['pkg-config', build('pkg-config')],
  ['binutils', build('ld', 'as', 'strip', 'objdump')],
  ['lld', build('ld.lld', 'lld')],
  ['musl-tools', build('musl-gcc')],
  ['ninja-build', build('ninja')],
  ['meson', build('meson')],
  ['upx', build('upx')],
  ['upx-ucl', build('upx')],
  // Version control for `go get` / `go mod download` of private modules.
  ['git', build('git')],
  ['mercurial', build('hg')],
  ['bzr', build('bzr')],
  ['subversion', build('svn')],
  ['protobuf', build('protoc')],
  ['protobuf-compiler', build('protoc')],
  // The files these install are in every distroless image; a scratch runtime copies them from the
  // build stage when the program needs them. libc is in every runtime a cgo binary is given.
  ['ca-certificates', files],
  ['tzdata', files],
  ['libc6', files],
  ['musl', files],
  // SQLite: the CLI (Debian sqlite3, Alpine sqlite, which also pulls in the library), the library, its headers.
  ['sqlite3', program('sqlite3')],
  ['sqlite', { class: 'program', programs: ['sqlite3'], library: 'sqlite' }],
  ['sqlite-libs', { class: 'library', programs: [], library: 'sqlite' }],
  ['libsqlite3-0', { class: 'library', programs: [], library: 'sqlite' }],
  ['sqlite-dev', { class: 'build', programs: [], library: 'sqlite' }],
  ['libsqlite3-dev', { class: 'build', programs: [], library: 'sqlite' }],
  // Shells, editors and tools people install to look around in a container.
  ['bash', program('bash')],
  ['zsh', program('zsh')],
  ['curl', program('curl')],
  ['wget', program('wget')],
  ['vim', program('vim', 'vi')],
  ['nano', program('nano')],
  ['less', program('less')],
  ['jq', program('jq')],
  ['htop', program('htop')],
  ['procps', program('ps', 'top', 'free', 'kill', 'pgrep', 'pkill')],
  ['net-tools', program('netstat', 'ifconfig', 'route')],
  ['iputils', program('ping')],
  ['iputils-ping', program('ping')],
  ['iproute2', program('ip', 'ss')],
  ['bind-tools', program('dig', 'nslookup', 'host')],
  ['dnsutils', program('dig', 'nslookup', 'host')],
  ['netcat-openbsd', program('nc', 'netcat')],
  ['openssh-client', program('ssh', 'scp', 'ssh-keygen', 'ssh-keyscan')],
  ['tree', program('tree')],
  ['unzip', program('unzip')],
  ['zip', program('zip')],
  ['file', program('file')],
  ['strace', program('strace')],
  ['gdb', program('gdb')],
  ['tini', program('tini')],
  ['dumb-init', program('dumb-init')],
]);

/**
 * Build-only by the distributions' naming: headers (`-dev`), debug symbols (`-dbg`),
 * documentation (`-doc`), kernel headers, and Debian's packaged Go sources
 * (golang-github-gin-gonic-gin-dev, GOPATH-mode build inputs). Not `-static`: Alpine's zlib-static
 * is a static library, but busybox-static (Debian and Alpine) is a program an image may start.
 */
const BUILD_SUFFIX = /^(.+?)-(dev|dbg|doc)$/;
const KERNEL_HEADERS = /^linux-headers(-.*)?$/;
/**
 * A shared library by Debian's naming (Policy 8.1: the package is named after the library's
 * SONAME, so it ends in its version: libssl3, libpq5, libsqlite3-0, libldap-2.5-0, libcurl3t64)
 * or Alpine's (`-libs` subpackages: sqlite-libs, openssl-libs-static aside).
 */
const DEBIAN_LIBRARY = /^lib[a-z0-9][a-z0-9.+-]*\d(t64)?$/;
const ALPINE_LIBRARIES = /^(.+)-libs$/;

/** `apk add curl=8.5.0-r0`, `apt-get install curl=7.88.1-10 bash:amd64`: the name before the version or architecture. */
export function packageName(written: string): string {
  return written.replace(/[=<>~].*$/, '').replace(/@.*$/, '').replace(/:[a-z0-9]+$/, '');
}

/**
 * The class of one package, or undefined when neither Slimfile's list, the naming rules nor the
 * index tells (such a package keeps a conversion from leaving it behind). `alpine` is the index
 * of the image's Alpine branch when it is at hand: its `cmd:` and `so:` provides say which
 * programs and libraries a package installs.
 */
export function classifyPackage(written: string, alpine?: AlpineIndex): PackageClassification | undefined {
  const name = packageName(written);
  const listed = LISTED.get(name);
  if (listed) return { name, ...listed, from: 'list' };
  const suffixed = BUILD_SUFFIX.exec(name);
  if (suffixed || KERNEL_HEADERS.test(name)) return { name, class: 'build', programs: [], library: suffixed?.[1], from: 'name' };
  if (DEBIAN_LIBRARY.test(name)) return { name, class: 'library', programs: [], library: name, from: 'name' };
  const libs = ALPINE_LIBRARIES.exec(name);
  if (libs) return { name, class: 'library', programs: [], library: libs[1], from: 'name' };
  const indexed = alpine?.packages.get(name);
  if (indexed) {
    const commands = alpineCommands(indexed);
    const library = alpineLibraries(indexed).length > 0 ? name : undefined;
    if (commands.length > 0) return { name, class: 'program', programs: commands, library, from: 'index' };
    if (library) return { name, class: 'library', programs: [], library, from: 'index' };
  }
  return undefined;
}
