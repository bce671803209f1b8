import type { HostFileUpload } from '../host/types.js';
import type { Capabilities, EventOf } from './events.js';

/**
 * Whether a file matches an `accept` string (`".pdf,image/*,text/plain"`). An empty string accepts everything.
 *
 * @example
 * acceptsFile('.pdf,image/*', 'scan.PNG', 'image/png'); // true
 */
export function acceptsFile(accept: string, name: string, mimeType: string): boolean {
  const rules = accept
    .split(',')
    .map((rule) => rule.trim().toLowerCase())
    .filter(Boolean);
  if (rules.length === 0) return true;
  const lowerName = name.toLowerCase();
  const lowerType = mimeType.toLowerCase();
  return rules.some((rule) => {
    if (rule.startsWith('.')) return lowerName.endsWith(rule);
    if (rule.endsWith('/*')) return lowerType.startsWith(rule.slice(0, -1));
    return lowerType === rule;
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Checks files the user picked against what the desk takes: whether uploads are allowed, how many at once, type
 * and size. Returns one failed `fileUploadStatus` event per rejected file, with a message for the user.
 *
 * @example
 * validateUploads(uploads, { allowFileUploads: true, allowMultipleFileUploads: false, allowedFileUploadTypes: 'image/*' });
 */
export function validateUploads(
  uploads: readonly HostFileUpload[],
  capabilities: Partial<Capabilities>,
): EventOf<'fileUploadStatus'>[] {
  const maxFiles = capabilities.allowMultipleFileUploads ? (capabilities.maxFiles ?? Infinity) : 1;
  return uploads.flatMap((upload, index) => {
    const { name, size, type } = upload.file;
    let error: string | undefined;
    if (!capabilities.allowFileUploads) error = 'File uploads are not available in this chat.';
    else if (index >= maxFiles) error = maxFiles === 1 ? 'Only one file can be sent at a time.' : `At most ${maxFiles} files can be sent at a time.`;
    else if (size === 0) error = `${name} is empty.`;
    else if (capabilities.maxFileSizeBytes !== undefined && size > capabilities.maxFileSizeBytes)
      error = `${name} is larger than the ${formatBytes(capabilities.maxFileSizeBytes)} limit.`;
    else if (!acceptsFile(capabilities.allowedFileUploadTypes ?? '', name, type)) error = `Files like ${name} cannot be sent here.`;
    return error === undefined ? [] : [{ type: 'fileUploadStatus' as const, fileId: upload.id, error }];
  });
}
