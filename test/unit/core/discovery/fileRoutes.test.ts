import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: Next.js and Vercel file routes', () => {
  it('pages/api: any method at the default export, [id] as :id, index as the folder', () => {
    assert.deepEqual(findRoutes('pages/api/users/[id].ts', ['import type { NextApiRequest } from "next";', '', 'export default async function handler(req, res) {', '  res.json({})', '}'].join('\n')), [
      { method: null, path: '/api/users/:id', line: 2, column: 0, symbol: 'handler', framework: 'nextjs' },
    ]);
    assert.deepEqual(routesOf('apps/web/src/pages/api/orders/index.js', ['const h = (req, res) => res.end();', 'export default h;']), ['* /api/orders @1 h']);
    assert.deepEqual(routesOf('pages/api/files/[...path].ts', ['export default (req, res) => {}']), ['* /api/files/:path* @0 -']);
    assert.deepEqual(routesOf('pages/api/_lib/db.ts', ['export default {}']), []);
    assert.deepEqual(routesOf('pages/about.tsx', ['export default function About() {}']), []);
  });

  it('app router: one route per exported method, route groups and slots ignored', () => {
    assert.deepEqual(
      routesOf('src/app/(shop)/api/tracking/[trackingId]/route.ts', [
        "import { NextResponse } from 'next/server';",
        '',
        'export async function GET(req: Request) {',
        '  return NextResponse.json({});',
        '}',
        '// export async function DELETE() {}',
        'export const POST = withAuth(async (req) => new Response());',
      ]),
      ['GET /api/tracking/:trackingId @2 GET', 'POST /api/tracking/:trackingId @6 POST'],
    );
    assert.deepEqual(routesOf('app/route.ts', ['async function handler() {}', 'export { handler as GET, handler as HEAD }']), ['GET / @1 handler', 'HEAD / @1 handler']);
    assert.deepEqual(routesOf('app/_private/x/route.ts', ['export function GET() {}']), []);
  });

  it('Vercel api/: default export or method exports', () => {
    assert.deepEqual(routesOf('api/hello.ts', ["import type { VercelRequest } from '@vercel/node';", 'export default function (req: VercelRequest, res) {}']), ['* /api/hello @1 -']);
    assert.deepEqual(findRoutes('api/users/[id].js', 'module.exports = (req, res) => {}')[0]?.framework, 'vercel');
    assert.deepEqual(routesOf('api/items.ts', ['export function GET(request: Request) {}', 'export function POST(request: Request) {}']), ['GET /api/items @0 GET', 'POST /api/items @1 POST']);
  });
});
