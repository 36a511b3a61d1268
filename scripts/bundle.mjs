#!/usr/bin/env node
// Bundles the CLI for start-up speed. Every `adctl` is a fresh Node process, and loading many small
// files costs more than their code, so:
// - commander and our start-up modules go into one small entry chunk; every command's services, the
//   sandbox and each plugin adapter become lazy chunks, with zod, conf, chalk and yaml bundled into
//   them (a few files instead of hundreds under node_modules);
// - each SDK is pre-bundled into one CommonJS file under dist/bundle/vendor/ (Meta's with its own
//   axios) and required only when its plugin's adapter is created, through a V8 code cache kept in
//   the config dir (src/core/code-cache.ts).
// (tsc still type-checks and emits dist/ for the multi-process tests that import modules.)
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });

// Whitespace and comments are dropped from every output file (names and code stay as written):
// V8 scans every byte of a file it loads, and a quarter of the bundle was comments and indentation.
const minifyWhitespace = true;

// Bundled CommonJS calls require() for Node built-ins: give ESM output a real one.
const requireBanner = "import { createRequire as __adctlCreateRequire } from 'node:module'; const require = __adctlCreateRequire(import.meta.url);";

/**
 * The SDKs, one CommonJS file each, exporting what the adapters take from them. Meta's is the SDK's
 * ES build tree-shaken down to FacebookAdsApi (the adapter sends every call through `api.call`;
 * the ~950 generated ad-object classes are never used), plus the SDK's own axios, which the
 * adapter hooks.
 */
const VENDOR = {
  // Its ES build (the same TypeScript, compiled to ES modules) tree-shakes a little.
  'twitter-api-v2': { contents: "import { TwitterApi } from 'twitter-api-v2'; module.exports = { TwitterApi };", mainFields: ['module', 'main'] },
  'facebook-nodejs-business-sdk': {
    contents: "import { FacebookAdsApi } from 'facebook-nodejs-business-sdk/dist/es.js'; module.exports = { FacebookAdsApi, axios: require('axios') };",
    plugins: [sdkOwnAxios(), pureSdkClasses(), lazyAxiosGlobals(), jsonAsParse()],
  },
};
for (const [name, { contents, plugins = [], mainFields }] of Object.entries(VENDOR)) {
  await build({
    stdin: { contents, resolveDir: root, sourcefile: `vendor-${name}.js`, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: join(outdir, 'vendor', `${name}.cjs`),
    plugins,
    ...(mainFields ? { mainFields } : {}),
    minifyWhitespace,
    logLevel: 'warning',
  });
}
const vendored = createRequire(import.meta.url)(join(outdir, 'vendor/facebook-nodejs-business-sdk.cjs'));
if (typeof vendored.FacebookAdsApi?.init !== 'function' || typeof vendored.axios?.interceptors?.request?.use !== 'function') {
  throw new Error('bundle: the vendored Meta SDK lacks FacebookAdsApi.init or axios');
}

// The source's sdk.ts modules require the SDK packages; the bundle requires the vendor files,
// through a V8 code cache (src/core/code-cache.ts).
const codeCache = JSON.stringify(join(root, 'src/core/code-cache.ts'));
const vendorLoader = (fn, name) => `import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from ${codeCache};
export function ${fn}(codeCacheDir) { return requireWithCodeCache(fileURLToPath(new URL('../vendor/${name}.cjs', import.meta.url)), codeCacheDir); }`;
const SDK_MODULES = {
  [join(root, 'src/plugins/x/sdk.ts')]: vendorLoader('loadTwitterSdk', 'twitter-api-v2'),
  [join(root, 'src/plugins/meta/sdk.ts')]: vendorLoader('loadMetaSdk', 'facebook-nodejs-business-sdk'),
};

const result = await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  // Prompts only run on a terminal; they stay a package.
  external: ['@inquirer/prompts'],
  banner: { js: requireBanner },
  plugins: [{
    name: 'adctl-vendor-sdks',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]plugins[\\/](x|meta)[\\/]sdk\.ts$/ }, (args) => ({ contents: SDK_MODULES[args.path], loader: 'js' }));
    },
  }],
  metafile: true,
  minifyWhitespace,
  logLevel: 'warning',
});

for (const [out, meta] of Object.entries(result.metafile.outputs)) {
  // The vendor URLs above are relative to the chunks directory: check each sdk module landed there.
  const sdk = Object.keys(meta.inputs).find((i) => /src\/plugins\/(x|meta)\/sdk\.ts$/.test(i));
  if (sdk && relative(outdir, join(root, out)).split(/[\\/]/)[0] !== 'chunks') throw new Error(`bundle: ${sdk} is in ${out}, outside dist/bundle/chunks/`);
  // SDK code lives only in the vendor files (what the start-up test's module trace looks for).
  const leaked = Object.keys(meta.inputs).find((i) => /node_modules\/(twitter-api-v2|facebook-nodejs-business-sdk|axios)\//.test(i));
  if (leaked) throw new Error(`bundle: ${out} contains ${leaked}; SDKs belong in dist/bundle/vendor/ only`);
}

/**
 * axios, at load, reads the global FormData and seeds its fetch adapter with the global Request
 * and Response, and requires http2. On Node each of those globals loads undici (Node's fetch, a
 * large module) and http2 is only for `httpVersion: 2`; the SDK uses neither (axios picks its http
 * adapter, and FormData only matters when a body is one). These edits make the same reads happen
 * when they are needed instead: FormData when a body with an append method is checked (a FormData
 * for a Page photo upload, URLSearchParams), the fetch seed on the first use of the fetch adapter (never,
 * on Node), http2 on the first HTTP/2 request (never).
 */
function lazyAxiosGlobals() {
  const edits = [
    // The same checks in another order: a plain object or a string (every SDK request's body,
    // before and after serialising) is rejected before the global FormData is read. A FormData
    // never has Object.prototype as prototype and always has an append method.
    ['const FormDataCtor = typeof G.FormData !== \'undefined\' ? G.FormData : undefined;\n'
      + 'const isFormData = thing => {\n'
      + '  if (!thing) return false;\n'
      + '  if (FormDataCtor && thing instanceof FormDataCtor) return true;\n'
      + '  // Reject plain objects inheriting directly from Object.prototype so prototype-pollution gadgets can\'t spoof FormData.\n'
      + '  const proto = getPrototypeOf(thing);\n'
      + '  if (!proto || proto === Object.prototype) return false;\n'
      + '  if (!isFunction$1(thing.append)) return false;\n',
    'const isFormData = thing => {\n'
      + '  if (!thing) return false;\n'
      + '  const proto = getPrototypeOf(thing);\n'
      + '  if (!proto || proto === Object.prototype) return false;\n'
      + '  if (!isFunction$1(thing.append)) return false;\n'
      + '  const FormDataCtor = typeof G.FormData !== \'undefined\' ? G.FormData : undefined;\n'
      + '  if (FormDataCtor && thing instanceof FormDataCtor) return true;\n'],
    ['\ngetFetch();\n', '\n'],
    ["var http2 = require('http2');", "var http2 = { get connect() { return require('http2').connect; }, get constants() { return require('http2').constants; } };"],
  ];
  return {
    name: 'lazy-axios-globals',
    setup(b) {
      b.onLoad({ filter: /[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, (args) => {
        let contents = readFileSync(args.path, 'utf8');
        for (const [from, to] of edits) {
          // Another axios version: keep it as it is (correct, only slower to load).
          if (contents.split(from).length !== 2) console.warn(`bundle: axios edit not applied (text not found once): ${from.split('\n')[0]}`);
          else contents = contents.replace(from, to);
        }
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * A JSON file as `JSON.parse('…')` instead of an object literal: V8 parses JSON text several times
 * faster than the same data as JavaScript. (mime-db's 200 kB table, which axios's form-data loads
 * at start-up.)
 */
function jsonAsParse() {
  return {
    name: 'json-as-parse',
    setup(b) {
      b.onLoad({ filter: /\.json$/ }, (args) => {
        const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
        return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
      });
    },
  };
}

/** The Meta vendor file's `axios` resolves from the SDK's directory, so it is the SDK's own. */
function sdkOwnAxios() {
  return {
    name: 'sdk-own-axios',
    setup(b) {
      b.onResolve({ filter: /^axios$/ }, async (args) => {
        if (args.pluginData?.sdkAxios) return undefined;
        const sdkDir = dirname(createRequire(join(root, 'package.json')).resolve('facebook-nodejs-business-sdk/package.json'));
        return b.resolve('axios', { kind: args.kind, resolveDir: sdkDir, pluginData: { sdkAxios: true } });
      });
    },
  };
}

/**
 * The SDK's ES build defines each class as `var X = function (_Base) { … }(Base);` (Babel): an
 * IIFE that only defines the class. Marked pure, esbuild drops the classes FacebookAdsApi never
 * reaches (2.3 MB of the SDK's 2.4 MB).
 */
function pureSdkClasses() {
  return {
    name: 'pure-sdk-classes',
    setup(b) {
      b.onLoad({ filter: /facebook-nodejs-business-sdk[\\/]dist[\\/]es\.js$/ }, (args) => {
        let marked = 0;
        const contents = readFileSync(args.path, 'utf8')
          .replace(/^var (\w+) = function \((_\w+)?\) \{$/gm, (_m, name, base) => (marked++, `var ${name} = /*#__PURE__*/ function (${base ?? ''}) {`));
        // Fewer marks means a changed SDK layout: the bundle would still work, only bigger.
        if (marked < 500) console.warn(`bundle: only ${marked} SDK classes marked pure; check pureSdkClasses against this SDK version`);
        return { contents, loader: 'js' };
      });
    },
  };
}
