// Zip archives a well-behaved writer would not produce, made by patching fflate's output: lying
// size fields, duplicate names, Info-ZIP Unicode Path extra fields.
import { crc32 } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

/** Offsets of every local and central header (fflate writes no comments or data descriptors). */
function headers(zip: Buffer): { local: number[]; central: number[] } {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== END) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const local: number[] = [];
  const central: number[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error('bad central header');
    central.push(at);
    local.push(zip.readUInt32LE(at + 42));
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  for (const l of local) if (zip.readUInt32LE(l) !== LOCAL) throw new Error('bad local header');
  return { local, central };
}

/** Entry `name` declares `declared` uncompressed bytes, in both its headers, whatever it holds. */
export function lieAboutSize(zip: Buffer, name: string, declared: number): Buffer {
  const out = Buffer.from(zip);
  const { local, central } = headers(out);
  let found = 0;
  for (let i = 0; i < central.length; i++) {
    const c = central[i]!;
    const l = local[i]!;
    const entry = out.subarray(c + 46, c + 46 + out.readUInt16LE(c + 28)).toString();
    if (entry !== name) continue;
    out.writeUInt32LE(declared, l + 22);
    out.writeUInt32LE(declared, c + 24);
    found += 1;
  }
  if (found === 0) throw new Error(`no entry ${name}`);
  return out;
}

/** Renames entry `from` to `to` (same byte length) in every header: two entries can share a name. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('names must have the same length');
  const out = Buffer.from(zip);
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + 1)) b.copy(out, at);
  return out;
}

/** An Info-ZIP Unicode Path extra field (0x7075) that names `unicodeName` for header `headerName`. */
export function unicodePathField(headerName: string, unicodeName: string): Uint8Array {
  const name = Buffer.from(unicodeName, 'utf8');
  const field = Buffer.alloc(5 + name.length);
  field.writeUInt8(1, 0);
  field.writeUInt32LE(crc32(Buffer.from(headerName, 'utf8')), 1);
  name.copy(field, 5);
  return field;
}

export function zip(files: Zippable): Buffer {
  return Buffer.from(zipSync(files, { level: 6 }));
}
