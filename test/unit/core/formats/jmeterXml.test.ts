import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { allRequestsOf } from '../../../../src/core/budgets/claim';
import { mergeSeries } from '../../../../src/core/budgets/mergeSeries';
import { detectFormat } from '../../../../src/core/formats/index';
import { jmeterXmlReader } from '../../../../src/core/formats/jmeterXml';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank } from '../../helpers';
import { readWith, rejectsInput, seriesNamed } from './formatTestUtil';

const XML = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n${body}</testResults>\n`;

describe('JMeter XML JTL reader', () => {
  it('JMeter\'s own TEST_HTTP.xml: a series per label, the 22 nested redirects as sub-samples of HR-FollowRedirect', async () => {
    const text = readFileSync(path.join(FIXTURES, 'jmeter/TEST_HTTP.xml'), 'utf8');
    assert.equal(detectFormat(text, 'TEST_HTTP.xml'), 'jmeter-xml');
    const series = await readWith(jmeterXmlReader, text, 'TEST_HTTP.xml');
    // Counted from the file's elements: top-level ones by label, nested ones under their parent.
    const top = [...text.matchAll(/^<(?:httpSample|sample) [^>]*lb="([^"]+)"/gm)].map((m) => m[1]!);
    const nested = [...text.matchAll(/^  <httpSample [^>]*lb="([^"]+)"/gm)].map((m) => m[1]!);
    assert.equal(top.length, 16);
    assert.equal(nested.length, 22);
    for (const label of new Set(top)) assert.equal(seriesNamed(series, label).count, top.filter((l) => l === label).length, label);
    const redirect = seriesNamed(series, 'http://localhost:8081/redirect');
    assert.equal(redirect.parent, 'HR-FollowRedirect');
    assert.equal(redirect.count, 21);
    assert.equal(redirect.errors, 1, 'the one s="false" redirect');
    assert.equal(seriesNamed(series, 'http://localhost:8081/').parent, 'HR-FollowRedirect');
    assert.equal(seriesNamed(series, 'HR-FollowRedirect').count, 2, 'its own two samples, not its 22 sub-results');
    assert.equal(seriesNamed(series, 'HR-FollowRedirect').parent, undefined);
    // No timings in this file: counted, no latency.
    assert.equal(percentileOf(seriesNamed(series, 'GET_WITH_BODY'), 95), null);
    // All requests together: the 16 top-level samples, never the sub-results again.
    assert.equal(mergeSeries('all', allRequestsOf(series)).count, 16);
  });

  it('latencies, errors and duration from t, s and ts: nearest rank within 0.1%, sub-samples and transaction children apart', async () => {
    const home = [494, 320, 610, 288, 1500, 402, 377, 356, 499, 800];
    const css = [40, 52, 61, 38, 44, 47, 39, 90, 41, 42];
    let ts = 1309735429539;
    let body = '';
    home.forEach((t, i) => {
      body += `<httpSample t="${t}" lt="${t - 20}" ts="${ts}" s="${i === 4 ? 'false' : 'true'}" lb="Home Page" rc="${i === 4 ? 500 : 200}" rm="OK" tn="First Group 1-1" dt="text" by="9711">\n`;
      body += `  <httpSample t="${css[i]}" ts="${ts + 5}" s="true" lb="http://www.example.test/style.css" rc="200" rm="OK" dt="text"/>\n`;
      body += '  <responseData class="java.lang.String">&lt;sample lb="not a tag"/&gt;</responseData>\n</httpSample>\n';
      ts += 1000;
    });
    // A transaction controller with "Generate parent sample": its children nested in it (Hailstorm's spec shape).
    body += '<sample t="14256" lt="0" ts="1354685431293" s="true" lb="Checkout &amp; Pay" rc="200" rm="Number of samples in transaction : 2, number of failing samples : 0" tn=" Static Pages 1-1" dt="" by="33154">\n';
    body += '  <httpSample t="13252" lt="13191" ts="1354685436312" s="true" lb="/cart"\n      rc="200" rm="OK" tn=" Static Pages 1-1" dt="text" by="21967"/>\n';
    body += '  <httpSample t="1004" ts="1354685449564" s="true" lb="/pay" rc="200" dt="text"/>\n</sample>\n';
    const series = await readWith(jmeterXmlReader, XML(body), 'results.xml');
    const h = seriesNamed(series, 'Home Page');
    assert.equal(h.count, 10);
    assert.equal(h.errors, 1);
    for (const p of [50, 90, 95, 99]) {
      const want = nearestRank(home, p);
      assert.ok(Math.abs(percentileOf(h, p)! - want) <= want * 1e-3, `p${p} ${percentileOf(h, p)} vs ${want}`);
    }
    assert.equal(h.durationSec, (9000 + 800) / 1000, 'first ts to the last ts + t');
    assert.equal(seriesNamed(series, 'http://www.example.test/style.css').parent, 'Home Page');
    assert.equal(seriesNamed(series, 'http://www.example.test/style.css').count, 10);
    assert.ok(!series.some((s) => s.name === 'not a tag'), 'escaped markup in responseData is text');
    const tc = seriesNamed(series, 'Checkout & Pay');
    assert.equal(tc.count, 1);
    assert.equal(percentileOf(tc, 100), 14256);
    assert.equal(seriesNamed(series, '/cart').parent, 'Checkout & Pay', 'a start tag over two lines');
    assert.equal(seriesNamed(series, '/pay').parent, 'Checkout & Pay');
    assert.equal(mergeSeries('all', allRequestsOf(series)).count, 11, '10 pages + 1 transaction');
  });

  it('a label under two parents (or also at the top) is named after its parent', async () => {
    const body = '<httpSample t="10" lb="A"><httpSample t="1" lb="/x.css"/></httpSample>\n<httpSample t="20" lb="B"><httpSample t="2" lb="/x.css"/></httpSample>\n<httpSample t="3" lb="/x.css"/>\n';
    const names = (await readWith(jmeterXmlReader, XML(body), 'r.xml')).map((s) => `${s.name}${s.parent ? ` <- ${s.parent}` : ''}`);
    assert.deepEqual(names.sort(), ['/x.css', 'A', 'A › /x.css <- A', 'B', 'B › /x.css <- B'].sort());
  });

  it('bad input: one line naming the file and the line', async () => {
    await rejectsInput(jmeterXmlReader, XML('<httpSample t="10" lb="A">\n'), 'r.xml', /sample "A" is not closed/, 3);
    await rejectsInput(jmeterXmlReader, XML('<httpSample t="10" lb="A"/>\n</httpSample>\n'), 'r.xml', /<\/httpSample> closes no open sample/, 4);
    await rejectsInput(jmeterXmlReader, XML('<httpSample t="ten" lb="A"/>\n'), 'r.xml', /t \(elapsed\) is not a number of ms: "ten"/, 3);
    await rejectsInput(jmeterXmlReader, XML('<httpSample t="10"/>\n'), 'r.xml', /has no label/, 3);
    await rejectsInput(jmeterXmlReader, XML('<httpSample t="10" s="maybe" lb="A"/>\n'), 'r.xml', /s \(success\) is not true or false/, 3);
    await rejectsInput(jmeterXmlReader, '<?xml version="1.0"?>\n<testResults version="1.2">\n<httpSample t="10"\n', 'r.xml', /not closed with ">"/, 3);
    await rejectsInput(jmeterXmlReader, XML(''), 'r.xml', /no samples/);
  });

  it('detection: XML JTL only; the CSV JTL and other XML stay with their readers', () => {
    assert.equal(detectFormat(XML('<httpSample t="1" lb="a"/>\n'), 'results.jtl'), 'jmeter-xml');
    assert.equal(detectFormat('<testResults version="1.2">\n<sample t="1" lb="a"/>\n</testResults>\n', 'r.jtl'), 'jmeter-xml');
    assert.equal(detectFormat(readFileSync(path.join(FIXTURES, 'jmeter/results-header.jtl'), 'utf8'), 'results-header.jtl'), 'jmeter');
    assert.throws(() => detectFormat('<?xml version="1.0"?>\n<project/>\n', 'pom.xml'));
  });
});
