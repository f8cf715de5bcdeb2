import { openSync, readSync, fstatSync, closeSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Reads files out of a jar (a zip) without an unzip tool on the machine: the central directory at
 * the end of the file lists each entry and where its (stored or deflated) bytes are.
 */
export function readZipEntries(file: string, wanted: (name: string) => boolean): Map<string, Buffer> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${file} is not a zip/jar file`);
    const entryCount = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    const directory = Buffer.alloc(directorySize);
    readSync(fd, directory, 0, directorySize, directoryOffset);

    const found = new Map<string, Buffer>();
    let at = 0;
    for (let i = 0; i < entryCount; i++) {
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localHeaderOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/') || !wanted(name)) continue;

      const header = Buffer.alloc(30);
      readSync(fd, header, 0, 30, localHeaderOffset);
      const dataStart = localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const raw = Buffer.alloc(compressedSize);
      readSync(fd, raw, 0, compressedSize, dataStart);
      if (method === 0) found.set(name, raw);
      else if (method === 8) found.set(name, inflateRawSync(raw));
      else throw new Error(`${file}: entry ${name} uses unsupported zip method ${method}`);
    }
    return found;
  } finally {
    closeSync(fd);
  }
}
