import { type NextFunction, type Request, type Response } from 'express';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Not worth compressing: the headers would outweigh the bytes saved. */
const MIN_COMPRESSED_BYTES = 1024;

type Encoding = 'br' | 'gzip' | 'identity';

const compressors: Record<Exclude<Encoding, 'identity'>, (bytes: Buffer) => Promise<Buffer>> = {
  br: (bytes) =>
    promisify(brotliCompress)(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
  gzip: (bytes) => promisify(gzip)(bytes, { level: 9 }),
};

/** Where the files of a URL prefix come from, and how long a browser may keep them unasked. */
export type AssetFolder = { prefix: string; folders: string[]; maxAgeSeconds: number };

/**
 * Serves the dashboard's files compressed (Brotli or gzip, as the browser accepts), each file
 * compressed once per version and kept in memory (a few hundred kB in all), with an ETag so
 * that a browser revalidating gets 304. Our own files are `no-cache` (always revalidated: their
 * names carry no version); Chart.js, whose version only changes with package.json, is kept a day.
 */
export function dashboardAssets(mounts: AssetFolder[]) {
  const compressed = new Map<string, Promise<Buffer>>();
  return async (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const mount = mounts.find(({ prefix }) => request.path.startsWith(prefix));
    if (!mount) return next();
    let relative: string;
    try {
      relative = normalize(
        decodeURIComponent(request.path.slice(mount.prefix.length)) || 'index.html',
      );
    } catch {
      return next();
    }
    if (relative.startsWith('..') || relative.includes(`${sep}..`) || relative.startsWith(sep))
      return next();
    const file = await firstFile(mount.folders.map((folder) => join(folder, relative)));
    const type = CONTENT_TYPES[extname(relative)];
    if (!file || !type) return next();
    const encoding = file.size < MIN_COMPRESSED_BYTES ? 'identity' : chooseEncoding(request);
    const version = `${file.size.toString(36)}-${Math.trunc(file.mtimeMs).toString(36)}`;
    const etag = `"${version}-${encoding}"`;
    response.setHeader('Content-Type', type);
    response.setHeader('Vary', 'Accept-Encoding');
    response.setHeader('ETag', etag);
    response.setHeader(
      'Cache-Control',
      mount.maxAgeSeconds > 0 ? `public, max-age=${mount.maxAgeSeconds}` : 'no-cache',
    );
    if (request.headers['if-none-match'] === etag) {
      response.status(304).end();
      return;
    }
    try {
      let body: Buffer = await readFile(file.path);
      if (encoding !== 'identity') {
        const key = `${file.path}:${version}:${encoding}`;
        if (!compressed.has(key)) compressed.set(key, compressors[encoding](body));
        body = await compressed.get(key)!;
        response.setHeader('Content-Encoding', encoding);
      }
      response.setHeader('Content-Length', body.length);
      response.status(200).end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      next(error);
    }
  };
}

async function firstFile(paths: string[]) {
  for (const path of paths) {
    const found = await stat(path).catch(() => undefined);
    if (found?.isFile()) return { path, size: found.size, mtimeMs: found.mtimeMs };
  }
  return undefined;
}

/** Brotli if the browser takes it, else gzip, else none (an encoding with q=0 is refused). */
function chooseEncoding(request: Request): Encoding {
  const accepted = new Set(
    String(request.headers['accept-encoding'] ?? '')
      .split(',')
      .map((part) => part.trim().split(/\s*;\s*q=/))
      .filter(([, quality]) => quality === undefined || Number(quality) > 0)
      .map(([name]) => name.toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}
