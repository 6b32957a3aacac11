// The packages a Node program's own sources load, read from tree-sitter's JavaScript syntax tree:
// `import … from 'x'`, `export … from 'x'`, `require('x')` and `import('x')` with a literal name.
// A dev dependency among them must survive `npm ci --omit=dev`. TypeScript files are read with the
// same grammar: their import statements parse, and type-only imports are not loaded at run time.
import type { Node } from 'web-tree-sitter';
import type { ProjectFacts } from '../../project';
import { query, type AnalysisContext } from '../../context';
import { javascriptParser } from '../../webRoutes';

export interface NodeImports {
  /** Package name -> the first place that loads it. */
  readonly packages: ReadonlyMap<string, { readonly file: string; readonly line: number }>;
  /** `process.env.npm_…` names the sources read: npm sets them only when it starts the program. */
  readonly npmVariables: readonly string[];
  /** Why the reading may have missed some (files not read, a name that is not a literal). */
  readonly gaps: readonly string[];
}

const NODE_IMPORTS = query<NodeImports | undefined>('nodeImports');
const NODE_SOURCE = /\.(c|m)?(js|ts)$/;

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for relative paths, URLs and node: built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|node:|[a-z]+:\/\/)/.test(specifier) || specifier === '') return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const parts = node.namedChildren.filter((c): c is Node => c !== null);
  return parts.every((c) => c.type === 'string_fragment') ? parts.map((c) => c.text).join('') : undefined;
}

/** What the context's JavaScript and TypeScript files import; undefined when the parser is not loaded. */
export function nodeImportsOf(project: ProjectFacts, context: AnalysisContext): NodeImports | undefined {
  return context.memoProject(NODE_IMPORTS, [project], () => {
    const files = [...project.sources].filter(([file]) => NODE_SOURCE.test(file) && !file.startsWith('node_modules/') && !file.includes('/node_modules/'));
    const parser = javascriptParser();
    if (!parser && files.length > 0) return undefined;
    const packages = new Map<string, { file: string; line: number }>();
    const npmVariables = new Set<string>();
    const gaps: string[] = project.sourcesTruncated ? ['not every source file was read'] : [];
    for (const [file, text] of files) {
      const tree = parser?.parse(text);
      if (!tree) {
        gaps.push(`${file} could not be parsed`);
        continue;
      }
      try {
        const found = (specifier: string | undefined, node: Node): void => {
          const name = specifier === undefined ? undefined : packageOf(specifier);
          if (name !== undefined && !packages.has(name)) packages.set(name, { file, line: node.startPosition.row });
        };
        const root = tree.rootNode;
        for (const statement of [...root.descendantsOfType('import_statement'), ...root.descendantsOfType('export_statement')]) {
          if (statement) found(stringValue(statement.childForFieldName('source')), statement);
        }
        for (const call of root.descendantsOfType('call_expression')) {
          const callee = call?.childForFieldName('function');
          if (!call || !callee || !(callee.type === 'import' || (callee.type === 'identifier' && callee.text === 'require'))) continue;
          const argument = call.childForFieldName('arguments')?.namedChildren[0];
          const specifier = stringValue(argument);
          if (specifier === undefined) gaps.push(`${file}:${call.startPosition.row + 1} loads a module whose name is computed`);
          else found(specifier, call);
        }
        for (const member of root.descendantsOfType('member_expression')) {
          const property = member?.childForFieldName('property')?.text ?? '';
          if (member?.childForFieldName('object')?.text === 'process.env' && property.startsWith('npm_')) npmVariables.add(property);
        }
      } finally {
        tree.delete();
      }
    }
    return { packages, npmVariables: [...npmVariables], gaps };
  });
}
