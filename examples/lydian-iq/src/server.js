// Lydian-IQ API (Express). Latencies are simulated with timers, shaped like production:
// the chat tool call waits on a model, the batch import walks its products, tracking is a
// lookup, and the civic-grid insights aggregate a grid that has outgrown its budget.
const express = require('express');

const app = express();
app.use(express.json());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo, hi) => lo + Math.random() * (hi - lo);

app.get('/health', (_req, res) => res.json({ ok: true }));

app.post('/api/chat/tool-call', async (req, res) => {
  await sleep(jitter(120, 260)); // model round trip + tool dispatch
  await sleep(jitter(150, 250)); // a second model call that summarizes the tool's result (the new "summary" step)
  res.json({ tool: req.body?.tool ?? 'search', status: 'done' });
});

app.post('/api/products/batch', async (req, res) => {
  const products = req.body?.products ?? [];
  for (let i = 0; i < products.length; i += 8) await sleep(jitter(30, 50)); // upserts, 8 products per round trip
  res.json({ imported: products.length });
});

app.get('/api/logistics/track/:id', async (req, res) => {
  await sleep(jitter(10, 40));
  res.json({ id: req.params.id, status: 'in transit', eta: '2h' });
});

app.get('/api/civic-grid/insights', async (_req, res) => {
  await sleep(jitter(480, 700)); // aggregates every grid cell on each request: over its 500 ms budget
  res.json({ cells: 4096, hotspots: 12 });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`lydian-iq listening on http://127.0.0.1:${port}`));
