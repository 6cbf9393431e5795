import { strict as assert } from 'node:assert';
import { parseWebviewMessage } from '../../../src/vscode/webviewMessage';

describe('webview messages', () => {
  it('accepts exactly the protocol messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openHandler', handler: 'GET /x' }), { type: 'openHandler', handler: 'GET /x' });
    assert.deepEqual(parseWebviewMessage({ type: 'updateBaseline' }), { type: 'updateBaseline' });
  });

  it('refuses anything else: unknown types, extra fields (a path, a command), wrong shapes', () => {
    for (const bad of [
      null,
      'ready',
      { type: 'runCommand', command: 'rm -rf /' },
      { type: 'updateBaseline', path: '/etc/passwd' },
      { type: 'openHandler' },
      { type: 'openHandler', handler: '' },
      { type: 'openHandler', handler: 'x'.repeat(5000) },
      { type: 'openHandler', handler: 42 },
      { type: 'exportReport', file: '../../x.md' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 60));
    }
  });
});
