// The build step that proves a slim runtime has every shared library the built native code links
// (Python extensions, Node addons): ldd over the files, each library mapped to its Debian package
// with `dpkg -S`, and the build fails, naming the package, when neither the runtime image's own
// dpkg status (copied into the build stage) nor the runtime stage's install list has it.
import type { DockerfileModel } from '../model';
import { keyword } from '../fixes/edits';

export interface LinkCheck {
  /** The image the program will run on; its /var/lib/dpkg/status says what it has. */
  readonly runtimeImage: string;
  /** Debian packages the runtime stage installs itself. */
  readonly packages: readonly string[];
  /** Who links, for the messages: "an installed package", "a Node addon". */
  readonly what: string;
  /** Folders searched, as a shell word list (may be a command substitution). */
  readonly roots: string;
  /** The file name pattern of the native code (`*.so*`, `*.node`). */
  readonly files: string;
}

/**
 * Lines for the build stage. Libraries under /usr/local (the language's own) and inside the
 * packages (bundled copies, found through their RPATH) come with what is copied or installed.
 */
export function linkCheckLines(model: DockerfileModel, check: LinkCheck): string[] {
  const k = (w: string): string => keyword(model, w);
  const fail = (text: string): string => `echo "slimfile: ${text}" >&2; exit 1`;
  return [
    `${k('COPY')} --from=${check.runtimeImage} /var/lib/dpkg/status /tmp/runtime-dpkg-status`,
    `${k('RUN')} set -eu; \\`,
    `    find ${check.roots} -name '${check.files}' -type f -exec ldd {} + 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\\// { print $3 } $2 == "=>" && $3 == "not" { print "missing:" $1 }' | sort -u > /tmp/linked; \\`,
    `    if grep '^missing:' /tmp/linked; then ${fail(`the libraries above are linked by ${check.what} and missing even here`)}; fi; \\`,
    `    lacking=""; \\`,
    `    for lib in $(cat /tmp/linked); do \\`,
    `      case "$lib" in /usr/local/*|*/site-packages/*|*/dist-packages/*|*/node_modules/*) continue;; esac; \\`,
    `      pkg="$(dpkg -S "*/\${lib##*/}" 2>/dev/null | head -n 1 | cut -d: -f1)"; \\`,
    `      if [ -z "$pkg" ]; then ${fail(`$lib, linked by ${check.what}, belongs to no Debian package`)}; fi; \\`,
    `      if ! grep -qx "Package: $pkg" /tmp/runtime-dpkg-status && ! echo " ${check.packages.join(' ')} " | grep -q " $pkg "; then echo "slimfile: ${check.what} links $lib from $pkg" >&2; lacking="$lacking $pkg"; fi; \\`,
    '    done; \\',
    `    if [ -n "$lacking" ]; then ${fail(`${check.runtimeImage} lacks$lacking: install them in the runtime stage`)}; fi`,
  ];
}
