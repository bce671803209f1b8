import { dialectFor, escapeMarkdown } from '../../lib/host/dialect';

describe('dialects', () => {
  it('Carbon: camelCase availability, user_type human', () => {
    const carbon = dialectFor('carbon');
    expect(carbon.availability({ type: 'queueUpdate', position: 3, waitMinutes: 5, message: 'busy' })).toEqual({ positionInQueue: 3, estimatedWaitTime: 5, message: 'busy' });
    expect(carbon.profile({ id: 'a', nickname: 'Ann', avatarUrl: 'https://x/a.png' })).toEqual({ id: 'a', nickname: 'Ann', user_type: 'human', profile_picture_url: 'https://x/a.png' });
  });

  it('watsonx: snake_case availability, no user_type', () => {
    const watsonx = dialectFor('watsonx');
    expect(watsonx.availability({ type: 'queueUpdate', position: 3 })).toEqual({ position_in_queue: 3 });
    expect(watsonx.profile({ id: 'a', nickname: 'Ann' })).toEqual({ id: 'a', nickname: 'Ann' });
  });

  it('messages: text, image attachments as images, other files as links', () => {
    const message = dialectFor('carbon').message('m1', 'here you go', [
      { url: 'https://files/x.png', name: 'x.png', mimeType: 'image/png' },
      { url: 'https://files/form 1.pdf', name: 'form [v2].pdf', mimeType: 'application/pdf' },
    ]);
    expect(message).toEqual({
      id: 'm1',
      output: {
        generic: [
          { response_type: 'text', text: 'here you go' },
          { response_type: 'image', source: 'https://files/x.png', title: 'x.png' },
          { response_type: 'text', text: '[form \\[v2\\].pdf](https://files/form%201.pdf)' },
        ],
      },
    });
  });

  it('hostile content reaches the host as data, never as markup or script we built', () => {
    const carbon = dialectFor('carbon');
    const evil = '<img src=x onerror=alert(1)>';
    // Names and texts are passed as data: Carbon sanitises human agent content (user_type 'human').
    expect(carbon.profile({ id: 'a', nickname: evil, avatarUrl: 'javascript:alert(1)' })).toEqual({ id: 'a', nickname: evil, user_type: 'human' });
    expect(carbon.message('m', evil).output.generic).toEqual([{ response_type: 'text', text: evil }]);
    // Links we build from attachments: unsafe schemes are dropped, names are escaped.
    const [link] = carbon.message('m', '', [{ url: 'javascript:alert(1)', name: evil }]).output.generic ?? [];
    expect(link).toEqual({ response_type: 'text', text: '\\<img src=x onerror=alert\\(1\\)\\> (link removed)' });
    // A parenthesis in the URL (or %29, which decodes to one) cannot close the link early.
    const [paren] = carbon.message('m', '', [{ url: 'https://files/a)b%29c.pdf?x=(1)', name: 'a.pdf' }]).output.generic ?? [];
    expect(paren).toEqual({ response_type: 'text', text: '[a.pdf](https://files/a%29b%29c.pdf?x=%281%29)' });
    expect(escapeMarkdown('[a](b) *c* `d`')).toBe('\\[a\\]\\(b\\) \\*c\\* \\`d\\`');
  });
});
