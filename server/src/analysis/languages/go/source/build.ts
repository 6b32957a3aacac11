// Which files a `go build` for the image's platform compiles: GOOS/GOARCH file-name suffixes and
// build constraints (`//go:build` expressions, or the older `// +build` lines). A file built only
// for windows or darwin says nothing about what the Linux binary in the image reads or needs.

export interface BuildTarget {
  readonly goos: string;
  readonly goarch: string;
  /** CGO_ENABLED when known; undefined: a file counts when it builds with cgo on or off. */
  readonly cgo?: boolean;
  /** `go build -tags`. */
  readonly tags?: readonly string[];
}

/** The image's platform: what Slimfile converts to. */
export const LINUX_AMD64: BuildTarget = { goos: 'linux', goarch: 'amd64' };

const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64',
  'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x',
  'sparc', 'sparc64', 'wasm',
]);
const UNIX = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);

/** Go's rule for `name_GOOS_GOARCH.go`, `name_GOOS.go`, `name_GOARCH.go` (after `_test`). */
export function fileNameMatches(fileName: string, target: BuildTarget): boolean {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.go$/, '').replace(/_test$/, '');
  const parts = base.split('_');
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1] as string;
  const before = parts.length > 2 ? (parts[parts.length - 2] as string) : undefined;
  if (before !== undefined && KNOWN_OS.has(before) && KNOWN_ARCH.has(last)) return osMatches(before, target) && last === target.goarch;
  if (KNOWN_OS.has(last)) return osMatches(last, target);
  if (KNOWN_ARCH.has(last)) return last === target.goarch;
  return true;
}

function osMatches(goos: string, target: BuildTarget): boolean {
  return goos === target.goos;
}

type Expr = { readonly tag: string } | { readonly not: Expr } | { readonly and: readonly [Expr, Expr] } | { readonly or: readonly [Expr, Expr] };

/**
 * Whether the constraint lines before the package clause allow the target. `//go:build` wins over
 * `// +build` when both are there (Go 1.17+); a constraint that does not parse counts as met, so
 * a file is never dropped on a misreading.
 */
export function constraintsAllow(comments: readonly string[], target: BuildTarget): boolean {
  const goBuild = comments.find((c) => /^\/\/go:build\s/.test(c));
  if (goBuild !== undefined) {
    const expr = parseExpression(goBuild.replace(/^\/\/go:build\s+/, ''));
    return expr === undefined || holds(expr, target);
  }
  const plusBuild = comments.filter((c) => /^\/\/\s*\+build\s/.test(c));
  // Lines are ANDed; space-separated options ORed; comma-separated terms ANDed.
  return plusBuild.every((line) =>
    line
      .replace(/^\/\/\s*\+build\s+/, '')
      .trim()
      .split(/\s+/)
      .some((option) => option.split(',').every((term) => (term.startsWith('!') ? !holds({ tag: term.slice(1) }, target) : holds({ tag: term }, target)))),
  );
}

function holds(expr: Expr, target: BuildTarget): boolean {
  if (target.cgo === undefined && mentionsCgo(expr)) {
    return holds(expr, { ...target, cgo: true }) || holds(expr, { ...target, cgo: false });
  }
  if ('tag' in expr) return tagHolds(expr.tag, target);
  if ('not' in expr) return !holds(expr.not, target);
  if ('and' in expr) return holds(expr.and[0], target) && holds(expr.and[1], target);
  return holds(expr.or[0], target) || holds(expr.or[1], target);
}

function mentionsCgo(expr: Expr): boolean {
  if ('tag' in expr) return expr.tag === 'cgo';
  if ('not' in expr) return mentionsCgo(expr.not);
  const [a, b] = 'and' in expr ? expr.and : expr.or;
  return mentionsCgo(a) || mentionsCgo(b);
}

function tagHolds(tag: string, target: BuildTarget): boolean {
  if (tag === target.goos || tag === target.goarch) return true;
  if (tag === 'unix') return UNIX.has(target.goos);
  if (tag === 'cgo') return target.cgo === true;
  if (tag === 'gc') return true;
  // Release tags: the image's Go is recent enough for any go1.N a module still builds with.
  if (/^go1\.\d+$/.test(tag)) return true;
  return target.tags?.includes(tag) ?? false;
}

/** `a && !(b || c)`: Go's grammar, || binding looser than &&. */
function parseExpression(text: string): Expr | undefined {
  const tokens = text.match(/&&|\|\||[!()]|[\w.]+|\S/g) ?? [];
  let i = 0;
  const or = (): Expr | undefined => {
    let left = and();
    while (left && tokens[i] === '||') {
      i++;
      const right = and();
      left = right && { or: [left, right] };
    }
    return left;
  };
  const and = (): Expr | undefined => {
    let left = unary();
    while (left && tokens[i] === '&&') {
      i++;
      const right = unary();
      left = right && { and: [left, right] };
    }
    return left;
  };
  const unary = (): Expr | undefined => {
    const token = tokens[i++];
    if (token === '!') {
      const inner = unary();
      return inner && { not: inner };
    }
    if (token === '(') {
      const inner = or();
      return tokens[i++] === ')' ? inner : undefined;
    }
    return token !== undefined && /^[\w.]+$/.test(token) ? { tag: token } : undefined;
  };
  const expr = or();
  return i === tokens.length ? expr : undefined;
}
