/**
 * Builds the static assets into public/ with fingerprinted names and a manifest, so they can be
 * cached forever. Runs on `npm install` (prepare) and `npm run build`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src/kernel/views/assets');
const out = path.join(root, 'public');

function fingerprint(name: string, content: string | Uint8Array): [string, string] {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10);
  const ext = path.extname(name);
  const hashed = `${path.basename(name, ext)}.${hash}${ext}`;
  fs.writeFileSync(path.join(out, hashed), content);
  // Pre-compressed copies: @fastify/static sends them to browsers that accept them, so assets are
  // compressed once at build time instead of on every request.
  fs.writeFileSync(path.join(out, `${hashed}.br`), zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  fs.writeFileSync(path.join(out, `${hashed}.gz`), zlib.gzipSync(content, { level: 9 }));
  return [name, hashed];
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const css = sass.compile(path.join(source, 'app.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
}).css;

const js = await esbuild.build({
  entryPoints: [path.join(source, 'app.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  write: false,
  legalComments: 'none',
});

const manifest = Object.fromEntries([
  fingerprint('app.css', css),
  fingerprint('app.js', js.outputFiles[0]!.contents),
  fingerprint('favicon.svg', fs.readFileSync(path.join(source, 'favicon.svg'))),
]);
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
console.log(`assets: ${Object.values(manifest).join(', ')}`);
