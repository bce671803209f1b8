import { acceptsFile, fileContent, validateUploads } from '../../lib/core/files';

const upload = (id: string, name: string, type: string, size: number) => ({ id, file: Object.assign(new Blob(['x'.repeat(size)], { type }), { name }) });

describe('file checks', () => {
  it('acceptsFile reads an accept string: extensions, wildcards, exact types, empty', () => {
    expect(acceptsFile('.pdf,image/*', 'Scan.PDF', 'application/pdf')).toBe(true);
    expect(acceptsFile('.pdf,image/*', 'photo.heic', 'image/heic')).toBe(true);
    expect(acceptsFile('text/plain', 'notes.txt', 'text/plain')).toBe(true);
    expect(acceptsFile('.pdf, image/*', 'run.exe', 'application/x-msdownload')).toBe(false);
    expect(acceptsFile('', 'anything.bin', '')).toBe(true);
  });

  it('validateUploads rejects each file with a reason the user can act on', () => {
    const caps = { allowFileUploads: true, allowMultipleFileUploads: false, allowedFileUploadTypes: '.pdf', maxFileSizeBytes: 2 * 1024 * 1024 };
    expect(validateUploads([upload('a', 'a.pdf', 'application/pdf', 10)], caps)).toEqual([]);
    expect(validateUploads([upload('a', 'a.pdf', 'application/pdf', 10), upload('b', 'b.pdf', 'application/pdf', 10)], caps)).toEqual([
      { type: 'fileUploadStatus', fileId: 'b', error: 'Only one file can be sent at a time.' },
    ]);
    expect(validateUploads([upload('c', 'c.pdf', 'application/pdf', 3 * 1024 * 1024)], caps)[0]?.error).toBe('c.pdf is larger than the 2 MB limit.');
    expect(validateUploads([upload('d', 'd.pdf', 'application/pdf', 10)], { ...caps, allowFileUploads: false })[0]?.error).toBe('File uploads are not available in this chat.');
  });
});

describe('fileContent', () => {
  it('maps an image/* file to an image with its name as title and alternative text, any other to a file', () => {
    expect(fileContent({ url: 'https://x/a.png', name: 'a.png', mimeType: 'image/png', size: 3 })).toStrictEqual({ kind: 'image', url: 'https://x/a.png', title: 'a.png', altText: 'a.png' });
    expect(fileContent({ url: 'https://x/a.png', mimeType: 'image/png' })).toStrictEqual({ kind: 'image', url: 'https://x/a.png' });
    expect(fileContent({ url: 'https://x/f.pdf', name: 'f.pdf', mimeType: 'application/pdf', size: 9 })).toStrictEqual({ kind: 'file', url: 'https://x/f.pdf', name: 'f.pdf', mimeType: 'application/pdf', size: 9 });
    expect(fileContent({ url: 'https://x/f' })).toStrictEqual({ kind: 'file', url: 'https://x/f' });
  });
});
