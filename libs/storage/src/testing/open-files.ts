import { readdirSync, readlinkSync } from 'node:fs';

/** This process's open descriptors of files whose path starts with `prefix` (a folder or a file). */
export function openFilesUnder(prefix: string): string[] {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(prefix);
    } catch {
      return false; // closed while listed
    }
  });
}
