// The HTTP routes a Go program registers with a literal path (net/http, gorilla/mux, chi, gin,
// echo, fiber), read from the syntax tree: Compare with run asks each of them with GET on both
// images. Routes with parameters or wildcards are left out: there is no value to fill them with.
import { parseSources, isStringLiteral, stringValue, walk, type SourceFile } from './source';
import { argumentsOf } from './program';
import type { Route } from '../../../webRoutes';

/** Router packages and the methods that register a GET-able route on them. */
const ROUTERS: ReadonlyArray<{ readonly importPath: string; readonly methods: readonly string[] }> = [
  { importPath: 'net/http', methods: ['HandleFunc', 'Handle'] },
  { importPath: 'github.com/gorilla/mux', methods: ['HandleFunc', 'Handle'] },
  { importPath: 'github.com/go-chi/chi', methods: ['HandleFunc', 'Handle', 'Get'] },
  { importPath: 'github.com/go-chi/chi/v5', methods: ['HandleFunc', 'Handle', 'Get'] },
  { importPath: 'github.com/gin-gonic/gin', methods: ['GET', 'Any'] },
  { importPath: 'github.com/labstack/echo/v4', methods: ['GET', 'Any'] },
  { importPath: 'github.com/labstack/echo', methods: ['GET', 'Any'] },
  { importPath: 'github.com/gofiber/fiber/v2', methods: ['Get', 'All'] },
  { importPath: 'github.com/gofiber/fiber', methods: ['Get', 'All'] },
];

const CALLS = new Set(['call_expression']);

/** A registered path that can be asked as it is: "/x" or Go 1.22's "GET /x", without parameters. */
function askablePath(pattern: string): string | undefined {
  const m = /^(?:(GET|HEAD) +)?(\/\S*)$/.exec(pattern.trim());
  if (!m) return undefined;
  const path = m[2] as string;
  return /[:{}*]/.test(path) ? undefined : path;
}

/** Routes registered with a literal path, in source order, each path once. */
export function goRoutes(files: readonly SourceFile[]): Route[] {
  const parsed = parseSources(files);
  try {
    const routes: Route[] = [];
    const seen = new Set<string>();
    for (const file of parsed.files) {
      const imported = new Set([...file.importNames.values(), ...file.dotImports]);
      const methods = new Set(ROUTERS.filter((r) => imported.has(r.importPath)).flatMap((r) => r.methods));
      if (methods.size === 0) continue;
      walk(file.root, CALLS, (call) => {
        const callee = call.childForFieldName('function');
        if (callee?.type !== 'selector_expression') return;
        const method = callee.childForFieldName('field')?.text;
        if (!method || !methods.has(method)) return;
        const first = argumentsOf(call)[0];
        if (!first || !isStringLiteral(first)) return;
        const path = askablePath(stringValue(first));
        if (path === undefined || seen.has(path)) return;
        seen.add(path);
        routes.push({ path, file: file.source.path, line: call.startPosition.row });
      });
    }
    return routes;
  } finally {
    parsed.dispose();
  }
}
