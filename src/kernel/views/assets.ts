import fs from 'node:fs';
import path from 'node:path';

/** Logical asset name (e.g. `app.css`) → fingerprinted file name (e.g. `app.3f9a1c2e.css`). */
export type AssetManifest = Record<string, string>;

/** Reads `public/manifest.json` written by `npm run build` (run automatically on install). */
export function readAssetManifest(publicDir: string): AssetManifest {
  const file = path.join(publicDir, 'manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as AssetManifest;
  } catch {
    throw new Error(`Static assets are missing (${file}). Run "npm run build" (npm install runs it for you).`);
  }
}
