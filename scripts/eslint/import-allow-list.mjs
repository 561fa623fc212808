// A local ESLint rule that states each process boundary as an allow-list: what a folder MAY import
// (packages by name, repository folders by path), so anything new is refused until someone decides
// it belongs there. A deny-list only catches the mistakes someone already thought of.
import path from 'node:path';
import { builtinModules } from 'node:module';

const builtins = new Set(builtinModules);

/** The package an import names: `@scope/name` or `name`, without subpaths; `node:` builtins as `node:*`. */
function packageOf(source) {
  if (source.startsWith('node:') || builtins.has(source.split('/')[0])) return 'node:*';
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports must be on the folder’s allow-list of packages and repository folders.' },
    schema: [
      {
        type: 'object',
        properties: {
          packages: { type: 'array', items: { type: 'string' } },
          folders: { type: 'array', items: { type: 'string' } },
          boundary: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { packages = [], folders = [], boundary = 'this folder' } = context.options[0] ?? {};
    const allowed = new Set(packages);
    const root = context.cwd;
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.resolve(path.dirname(context.filename), source.split('?')[0]);
        const rel = path.relative(root, target).split(path.sep).join('/');
        if (!folders.some((f) => rel === f || rel.startsWith(`${f}/`))) {
          context.report({ node, message: `${boundary} may import only from ${folders.join(', ')}; "${source}" reaches ${rel}.` });
        }
        return;
      }
      const pkg = packageOf(source);
      if (!allowed.has(pkg)) {
        context.report({ node, message: `${boundary} may not import "${pkg}": it is not on its allow-list (eslint.config.js).` });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { 'import-allow-list': rule } };
