import type { HostFileUpload } from '../host/types.js';
import type { AgentContent, Attachment, Capabilities, EventOf } from './events.js';

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

/**
 * A file a vendor carries as typed rich content: an image (`image/*`, its name as title and alternative text) or a
 * file (a link button card on Carbon AI Chat, a markdown link on watsonx). The dialect removes unsafe URLs.
 *
 * @example
 * fileContent({ url: 'https://x/a.png', name: 'a.png', mimeType: 'image/png' }); // { kind: 'image', url: 'https://x/a.png', title: 'a.png', altText: 'a.png' }
 * fileContent({ url: 'https://x/f.pdf', name: 'f.pdf' }); // { kind: 'file', url: 'https://x/f.pdf', name: 'f.pdf' }
 */
export function fileContent(file: Attachment): AgentContent {
  const { url, name, mimeType, size } = file;
  if (mimeType?.startsWith('image/')) return { kind: 'image', url, ...(name ? { title: name, altText: name } : {}) };
  return { kind: 'file', url, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}), ...(size !== undefined ? { size } : {}) };
}
