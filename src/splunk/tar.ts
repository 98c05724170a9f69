/**
 * A minimal deterministic tar.gz writer (POSIX ustar + gzip from node:zlib) for the .spl package.
 * Why not the system `tar`: GNU and BSD tar differ in flags and defaults (PAX headers, macOS `._` AppleDouble
 * files and extended attributes that AppInspect flags), and their output depends on the build machine (owner,
 * mtimes). This writer stores regular files and directories only, owner 0/0, fixed mode and mtime, sorted paths,
 * so the same app gives the same bytes everywhere.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** path inside the archive, `/`-separated; directories end with `/` */
  path: string;
  data?: Buffer;
  mode?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, mode: number, type: '0' | '5', mtime: number): Buffer {
  const buf = Buffer.alloc(512, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 2);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for ustar: ${path}`);
  }
  buf.write(name, 0, 100, 'utf8');
  buf.write(octal(mode, 8), 100, 8, 'ascii');
  buf.write(octal(0, 8), 108, 8, 'ascii');
  buf.write(octal(0, 8), 116, 8, 'ascii');
  buf.write(octal(size, 12), 124, 12, 'ascii');
  buf.write(octal(mtime, 12), 136, 12, 'ascii');
  buf.write('        ', 148, 8, 'ascii');
  buf.write(type, 156, 1, 'ascii');
  buf.write('ustar\0', 257, 6, 'ascii');
  buf.write('00', 263, 2, 'ascii');
  buf.write('root', 265, 32, 'ascii');
  buf.write('root', 297, 32, 'ascii');
  buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of buf) sum += b;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return buf;
}

/** A gzipped tar of the entries (sorted by path; parent directories added). */
export function tarGzip(entries: TarEntry[], mtime = 0): Buffer {
  const all = new Map<string, TarEntry>();
  for (const e of entries) {
    const parts = e.path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (!all.has(dir)) all.set(dir, { path: dir });
    }
    all.set(e.path, e);
  }
  const chunks: Buffer[] = [];
  for (const path of [...all.keys()].sort()) {
    const e = all.get(path)!;
    if (path.endsWith('/')) {
      chunks.push(header(path, 0, e.mode ?? 0o755, '5', mtime));
    } else {
      const data = e.data ?? Buffer.alloc(0);
      chunks.push(header(path, data.length, e.mode ?? 0o644, '0', mtime), data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) chunks.push(Buffer.alloc(pad, 0));
    }
  }
  chunks.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
