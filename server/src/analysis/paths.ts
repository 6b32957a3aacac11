// Container paths (always POSIX, whatever the host): joining WORKDIR-relative paths.

/** Joins `path` onto `dir` and normalises it; paths still holding a variable are returned as written. */
export function joinPath(dir: string, path: string): string {
  if (path === '') return dir;
  if (path.includes('$')) return path;
  const joined = path.startsWith('/') ? path : `${dir.replace(/\/$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
