// A local lint rule: no static import cycle among the project's own modules, type-only imports
// included. A cycle makes module initialisation order matter (a module can see another
// half-initialised: an undefined export at run time), and even a type-only one blurs the layers:
// two modules that need each other are one module, or share a third. Dynamic `import()` is not
// counted: it loads on demand, after both modules have initialised.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const cache = new Map();

function resolveSpecifier(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, resolve(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The modules `file` names in static imports and re-exports (types included). */
export function runtimeImports(file) {
  if (cache.has(file)) return cache.get(file);
  const out = [];
  cache.set(file, out);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const st of source.statements) {
    let spec;
    if (ts.isImportDeclaration(st) || (ts.isExportDeclaration(st) && st.moduleSpecifier)) {
      spec = st.moduleSpecifier.text;
    }
    const target = spec && resolveSpecifier(file, spec);
    if (target) out.push({ target, line: source.getLineAndCharacterOfPosition(st.getStart(source)).line + 1 });
  }
  return out;
}

/** The shortest cycle through `file`, as a list of files starting and ending with it, or undefined. */
export function cycleThrough(file) {
  const start = resolve(file);
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift();
    for (const { target } of runtimeImports(at)) {
      if (target === start) {
        const path = [start];
        for (let f = at; f !== undefined && f !== start; f = previous.get(f)) path.unshift(f);
        path.unshift(start);
        return path;
      }
      if (!previous.has(target)) {
        previous.set(target, at);
        queue.push(target);
      }
    }
  }
  return undefined;
}

export const noImportCycle = {
  meta: { type: 'problem', docs: { description: 'no static import cycle among the project\'s modules' }, schema: [] },
  create(context) {
    return {
      Program(node) {
        const file = resolve(context.filename);
        const cycle = cycleThrough(file);
        if (!cycle) return;
        const root = context.cwd ?? process.cwd();
        const first = runtimeImports(file).find((i) => i.target === cycle[1]);
        context.report({
          node,
          loc: first ? { line: first.line, column: 0 } : node.loc,
          message: `import cycle: ${cycle.map((f) => relative(root, f)).join(' → ')}`,
        });
      },
    };
  },
};
