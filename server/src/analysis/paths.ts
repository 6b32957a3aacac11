// Container paths (POSIX, whatever the host; Windows drive paths kept as written): joining
// WORKDIR-relative paths.

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Joins `path` onto `dir` and normalises it; paths still holding a variable are returned as written. */
export function joinPath(dir: string, path: string): string {
  if (path === '') return dir;
  if (path.includes('$')) return path;
  // An unknown directory (`WORKDIR $HOME/src`) stays as written, with the relative part appended.
  if (dir.includes('$') && !path.startsWith('/')) {
    const relative = path.replace(/^\.(?:\/|$)/, '').replace(/\/$/, '');
    return relative === '' ? dir : `${dir.replace(/\/$/, '')}/${relative}`;
  }
  // Windows containers (`WORKDIR C:\app`): a drive path is absolute; a relative one joins with `\`.
  if (WINDOWS_ABSOLUTE.test(path)) return path;
  if (WINDOWS_ABSOLUTE.test(dir)) {
    const relative = path.replace(/^\.(?:[\\/]|$)/, '');
    return relative === '' ? dir : `${dir.replace(/[\\/]+$/, '')}\\${relative}`;
  }
  const joined = path.startsWith('/') ? path : `${dir.replace(/\/$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** `path` is `folder` or inside it. */
export function under(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

// Printable ASCII in the order of Unicode's root collation (CLDR, what `localeCompare` gives under
// English): space, punctuation and symbols, digits, then letters. A capital letter sorts with its
// small one. test/unit/compareNames.test.ts checks the table against Intl.Collator.
const ROOT_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';
const PRIMARY = new Uint8Array(128);
for (const [i, ch] of [...ROOT_ORDER].entries()) {
  PRIMARY[ch.charCodeAt(0)] = i + 1;
  PRIMARY[ch.toUpperCase().charCodeAt(0)] = i + 1;
}
let collator: Intl.Collator | undefined;

/**
 * Orders names and paths as `localeCompare` does under English (`Gopkg.lock` between
 * `docker-compose.yml` and `main.go`; `a` before `A` when nothing else differs), the same on every
 * machine. Printable ASCII is compared here: the first `localeCompare` or `Intl.Collator` of a
 * process loads ICU's collation into it for good (2.9 MiB resident; bench/findings.md, mem3).
 * Other text goes to ICU.
 */
export function compareNames(a: string, b: string): number {
  let caseOrder = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const px = x < 128 ? PRIMARY[x] ?? 0 : 0;
    const py = y < 128 ? PRIMARY[y] ?? 0 : 0;
    // NaN past the end: the shorter name sorts first, once every other character is known to be ASCII.
    if ((px === 0 && !Number.isNaN(x)) || (py === 0 && !Number.isNaN(y))) return (collator ??= new Intl.Collator('en')).compare(a, b);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (px !== py) return px - py;
    // Same letter, other case: small first, but only if no later character differs more.
    if (caseOrder === 0 && x !== y) caseOrder = x > y ? -1 : 1;
  }
  if (a.length !== b.length) return a.length - b.length;
  return caseOrder;
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
