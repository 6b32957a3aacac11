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

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
