import { strict as assert } from 'node:assert';
import { remoteHostsRefused, remoteRefusal } from '../../../../src/core/config/httpBenchmark';
import { parseConfig } from '../../../../src/core/config/parseConfig';

describe('remoteHostsRefused: "allowRemote" needs the user to allow the host', () => {
  const at = (baseUrl: string, ready?: string) => (ready === undefined ? { baseUrl } : { baseUrl, ready });

  it('loopback is always allowed, with or without a list', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://localhost:8080', 'http://LOCALHOST', 'http://[::1]:9', 'https://127.0.0.1']) {
      assert.equal(remoteHostsRefused(at(url), []), null, url);
      assert.equal(remoteHostsRefused(at(url), ['example.com']), null, url);
    }
  });

  it('a non-loopback host is refused without an allow list, even when the config says allowRemote', () => {
    const config = parseConfig(
      '{"budgets": {}, "benchmarks": {"b": {"http": {"baseUrl": "http://example.com:80", "allowRemote": true, "requests": [{"handler": "h", "path": "/"}]}}}}',
      'perf-budgets.json',
    );
    const http = config.benchmarks[0]!.http!;
    assert.equal(http.allowRemote, true, 'the config check lets it through');
    assert.equal(remoteHostsRefused(http, []), 'example.com');
    assert.equal(remoteHostsRefused(http, ['other.example.com', 'example.org']), 'example.com');
    // 127.0.0.2 is loopback to the kernel, but not one of the three loopback names: refused like any host.
    assert.equal(remoteHostsRefused(at('http://127.0.0.2:80'), []), '127.0.0.2');
  });

  it('allows a host in the list, compared case-insensitively', () => {
    assert.equal(remoteHostsRefused(at('http://example.com:80'), ['example.com']), null);
    assert.equal(remoteHostsRefused(at('https://API.Example.COM/x'), ['api.example.com']), null);
    assert.equal(remoteHostsRefused(at('https://api.example.com'), [' Api.EXAMPLE.com ']), null);
  });

  it('IPv6 hosts compare in their canonical form, with or without brackets in the list', () => {
    const v6 = at('http://[2001:DB8:0:0::1]:8080');
    assert.equal(remoteHostsRefused(v6, []), '[2001:db8::1]');
    assert.equal(remoteHostsRefused(v6, ['2001:db8::1']), null);
    assert.equal(remoteHostsRefused(v6, ['[2001:db8:0::1]']), null);
    assert.equal(remoteHostsRefused(v6, ['2001:db8::2']), '[2001:db8::1]');
  });

  it('checks the ready URL too', () => {
    assert.equal(remoteHostsRefused(at('http://127.0.0.1:3000', 'http://10.0.0.1/health'), []), '10.0.0.1');
    assert.equal(remoteHostsRefused(at('http://127.0.0.1:3000', 'http://10.0.0.1/health'), ['10.0.0.1']), null);
    assert.equal(remoteHostsRefused(at('http://example.com', 'http://localhost/health'), ['example.com']), null);
    assert.equal(remoteHostsRefused(at('http://example.com', 'http://example.net/health'), ['example.com']), 'example.net');
  });

  it('an allow-list entry is a host name only: one with a port, a path, credentials or a scheme allows nothing', () => {
    for (const entry of ['example.com:80', 'example.com/x', 'user@example.com', 'http://example.com', '', '  ']) {
      assert.equal(remoteHostsRefused(at('http://example.com'), [entry]), 'example.com', JSON.stringify(entry));
    }
  });

  it('the refusal is one line naming the benchmark, the host and how to allow it', () => {
    const text = remoteRefusal('api', 'example.com', 'pass --allow-remote example.com to allow it');
    assert.equal(
      text,
      'benchmark "api" would send requests to example.com, which is not loopback; "allowRemote" in the workspace\'s config is not enough: pass --allow-remote example.com to allow it',
    );
  });
});
