import { decodeText } from '@core/intake/text-file.js';

/** A file's bytes as standard base64 with padding, for a JSON body (an .xlsx workbook to try the rules on). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // btoa takes a "binary string"; built in slices, as one call per byte is slow and one spread of a large file overflows the stack.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const isWorkbook = (file: File): boolean => file.name.toLowerCase().endsWith('.xlsx');

/** A text file as it was written: UTF-8, UTF-16 or Windows-1251 (a CSV saved by Russian Excel), not mojibake. */
export async function fileText(file: Blob): Promise<string> {
  return decodeText(new Uint8Array(await file.arrayBuffer())).text;
}
