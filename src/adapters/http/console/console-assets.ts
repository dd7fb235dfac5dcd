import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
}

/** The page's files, kept as they are in the source tree: the page has no build step. */
const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

export type ConsoleAssetName = keyof typeof ASSETS;

const ASSET_DIR = path.join('src', 'adapters', 'http', 'console');

/** The project's root: the first directory above this module that holds the page (from src/ or dist/). */
const assetDirectory = (): string => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ASSET_DIR);
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`the console's files (${ASSET_DIR}) are not found above ${fileURLToPath(import.meta.url)}`);
  }
};

/** Reads the page's files once, when the app is built. */
export const loadConsoleAssets = async (): Promise<Record<ConsoleAssetName, ConsoleAsset>> => {
  const dir = assetDirectory();
  const entries = await Promise.all(
    Object.entries(ASSETS).map(async ([name, contentType]) => [name, { body: await readFile(path.join(dir, name), 'utf8'), contentType }] as const),
  );
  return Object.fromEntries(entries) as Record<ConsoleAssetName, ConsoleAsset>;
};
