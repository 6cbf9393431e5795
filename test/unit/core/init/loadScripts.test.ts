// Load-test scripts recognised by what they contain, not by their names; broken ones reported.
import * as assert from 'node:assert/strict';
import { detectLoadScript } from '../../../../src/core/init/loadScripts';

const test = (file: string, text: string) => {
  const f = detectLoadScript(file, text);
  assert.ok(f && 'test' in f, `expected a load test in ${file}, got ${JSON.stringify(f)}`);
  return f.test;
};
const problem = (file: string, text: string) => {
  const f = detectLoadScript(file, text);
  assert.ok(f && 'problem' in f, `expected a parse problem in ${file}, got ${JSON.stringify(f)}`);
  return f.problem;
};

describe('load-test scripts', () => {
  describe('k6', () => {
    it('a script importing k6/http: its base URL and the requests it sends', () => {
      const t = test(
        'load/script.js',
        `import http from 'k6/http';
import { check, sleep } from 'k6';
const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:5000';
export const options = { vus: 5, duration: '10s' };
export default function () {
  http.get(\`\${BASE_URL}/health\`);
  http.get(\`\${BASE_URL}/api/users/\${Math.ceil(Math.random() * 3)}\`);
  http.post(BASE_URL + '/api/users', JSON.stringify({ name: 'x' }));
  http.request('DELETE', \`\${BASE_URL}/api/users/1\`);
  http.batch([['GET', \`\${BASE_URL}/api/a\`], { method: 'PUT', url: BASE_URL + '/api/b' }, BASE_URL + '/api/c']);
  sleep(1);
}
`,
      );
      assert.deepEqual(t, {
        tool: 'k6',
        file: 'load/script.js',
        line: 1,
        target: 'http://127.0.0.1:5000',
        requests: ['GET /health', 'GET /api/users/:param', 'POST /api/users', 'DELETE /api/users/1', 'GET /api/a', 'PUT /api/b', 'GET /api/c'],
      });
    });

    it('require("k6/http") counts; a URL-only script gives its origin as target', () => {
      const t = test('k6.cjs', `const http = require("k6/http");\nmodule.exports.default = () => { http.get("http://localhost:8080/api/x?y=1"); };\n`);
      assert.equal(t.target, 'http://localhost:8080');
      assert.deepEqual(t.requests, ['GET /api/x']);
    });

    it('a .js file that mentions k6 only in a comment or a string is not k6', () => {
      assert.equal(detectLoadScript('src/notes.js', `// we could use k6/http here, as in: import http from 'k6/http'\nconst s = "import http from 'k6/http'";\nexport default function () {}\n`), null);
      assert.equal(detectLoadScript('src/k6.js', `import http from 'node:http';\nhttp.get('http://127.0.0.1:3000/');\n`), null);
    });

    it('a k6 script whose brackets do not close is reported, not read', () => {
      assert.equal(
        problem('load/broken.js', `import http from 'k6/http';\nexport default function () {\n  http.get('http://127.0.0.1:3000/x';\n}\n`),
        'load/broken.js: could not be parsed: "}" at line 4 does not close the bracket opened at line 3',
      );
    });
  });

  describe('Locust', () => {
    it('a class deriving HttpUser: its host and the requests with their names', () => {
      const t = test(
        'load/locustfile.py',
        `from locust import HttpUser, task, between

class ShopUser(HttpUser):
    host = "http://127.0.0.1:8000"
    wait_time = between(0.1, 0.2)

    @task(3)
    def orders(self):
        self.client.get("/api/orders")
        self.client.get(f"/api/orders/{self.order_id}", name="/api/orders/[id]")
        self.client.post("/api/orders", json={"sku": "a"})
`,
      );
      assert.deepEqual(t, { tool: 'locust', file: 'load/locustfile.py', line: 3, target: 'http://127.0.0.1:8000', requests: ['GET /api/orders', 'GET /api/orders/[id]', 'POST /api/orders'] });
    });

    it('FastHttpUser counts too, with the module prefix', () => {
      assert.equal(test('perf/users.py', `import locust\nfrom locust.contrib.fasthttp import FastHttpUser\nclass U(locust.FastHttpUser):\n    pass\n`).tool, 'locust');
    });

    it('a file named locustfile.py without an HttpUser class is not Locust', () => {
      assert.equal(detectLoadScript('locustfile.py', `# HttpUser would go here\nclass Helper(object):\n    host = "http://127.0.0.1:8000"\n`), null);
      assert.equal(detectLoadScript('locustfile.py', `"""class Fake(HttpUser): pass"""\n`), null);
    });

    it('a Locust file with an unclosed bracket is reported', () => {
      assert.match(problem('load/locustfile.py', `from locust import HttpUser\nclass U(HttpUser):\n    def t(self):\n        self.client.get("/x"\n`), /^load\/locustfile\.py: could not be parsed: the bracket opened at line 4 is never closed$/);
    });
  });

  describe('JMeter', () => {
    const plan = (samplers: string) => `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="2.8">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true"/>
    <hashTree>
      <ConfigTestElement guiclass="HttpDefaultsGui" testclass="ConfigTestElement" testname="Defaults" enabled="true">
        <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
        <stringProp name="HTTPSampler.port">\${__P(port,3000)}</stringProp>
        <stringProp name="HTTPSampler.protocol">http</stringProp>
      </ConfigTestElement>
      ${samplers}
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`;
    it('an XML test plan: its target from the HTTP defaults and the sampler labels', () => {
      const t = test(
        'load/plan.jmx',
        plan(`<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="GET /api/products/:id" enabled="true">
        <stringProp name="HTTPSampler.path">/api/products/1</stringProp>
        <stringProp name="HTTPSampler.method">GET</stringProp>
      </HTTPSamplerProxy>
      <hashTree/>
      <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="GET /health" enabled="true">
        <stringProp name="HTTPSampler.path">/health</stringProp>
      </HTTPSamplerProxy>`),
      );
      assert.deepEqual(t, { tool: 'jmeter', file: 'load/plan.jmx', line: 2, target: 'http://127.0.0.1:3000', requests: ['GET /api/products/:id', 'GET /health'] });
    });

    it('a plan whose elements do not close is reported', () => {
      assert.equal(
        problem('load/plan.jmx', plan('<HTTPSamplerProxy testname="x">\n<stringProp name="HTTPSampler.path">/x</stringProp>').replace('</jmeterTestPlan>\n', '')),
        'load/plan.jmx: could not be parsed: </hashTree> at line 13 does not close <HTTPSamplerProxy> (line 11)',
      );
    });

    it('other XML is not JMeter', () => {
      assert.equal(detectLoadScript('pom.xml', '<project><modelVersion>4.0.0</modelVersion></project>'), null);
    });
  });

  describe('Artillery and Gatling', () => {
    it('Artillery: config with a target, and its scenario requests', () => {
      const t = test('load/artillery.yml', `config:\n  target: "http://127.0.0.1:3000"\n  phases:\n    - duration: 10\n      arrivalRate: 5\nscenarios:\n  - flow:\n      - get:\n          url: "/api/items"\n      - post: { url: "/api/items", json: { a: 1 } }\n`);
      assert.deepEqual(t, { tool: 'artillery', file: 'load/artillery.yml', line: 1, target: 'http://127.0.0.1:3000', requests: ['GET /api/items', 'POST /api/items'] });
    });

    it('a YAML file without config.target is not Artillery; one indented with a tab is reported', () => {
      assert.equal(detectLoadScript('.github/workflows/ci.yml', `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n`), null);
      assert.equal(problem('load/a.yml', `config:\n  target: http://127.0.0.1:3000\nscenarios:\n\t- flow: []\n`), 'load/a.yml: could not be parsed: a tab indents line 4 (YAML indents with spaces)');
    });

    it('Gatling: a Scala, Java or Kotlin class extending Simulation', () => {
      const scala = test('src/test/scala/ApiSimulation.scala', `import io.gatling.core.Predef._\nclass ApiSimulation extends Simulation {\n  val httpProtocol = http.baseUrl("http://127.0.0.1:8080")\n  val scn = scenario("api").exec(http("list").get("/api/items"))\n  setUp(scn.inject(atOnceUsers(1))).protocols(httpProtocol)\n}\n`);
      assert.deepEqual(scala, { tool: 'gatling', file: 'src/test/scala/ApiSimulation.scala', line: 2, target: 'http://127.0.0.1:8080', requests: ['GET /api/items'] });
      assert.equal(test('Sim.kt', `class Sim : Simulation() {\n  init { }\n}\n`).tool, 'gatling');
      assert.equal(detectLoadScript('Other.java', `class Other extends Thread {\n}\n`), null);
    });
  });
});
