// The service's start command and port, from each place that says it.
import * as assert from 'node:assert/strict';
import { detectStart } from '../../../../src/core/init/startCommand';

const start = (files: Record<string, string>) => detectStart(new Map(Object.entries(files)));

describe('start command and port', () => {
  it('package.json scripts.start, the port from listen(process.env.PORT || N) in its entry file', () => {
    assert.deepEqual(
      start({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }), 'server.js': "const app = require('express')();\napp.listen(process.env.PORT || 38473, '127.0.0.1');\n" }),
      { command: 'npm start', port: 38473, source: 'package.json scripts.start' },
    );
  });

  it('PORT= in the script wins; scripts.dev when there is no start; const PORT = … || N', () => {
    assert.equal(start({ 'package.json': JSON.stringify({ scripts: { start: 'PORT=4100 node app.js' } }), 'app.js': 'app.listen(3000)' })!.port, 4100);
    assert.deepEqual(start({ 'package.json': JSON.stringify({ scripts: { dev: 'tsx src/index.ts' } }), 'src/index.ts': 'const PORT = Number(process.env.PORT) || 4567;\napp.listen(PORT);\n' }), {
      command: 'npm run dev',
      port: 4567,
      source: 'package.json scripts.dev',
    });
  });

  it('a Procfile web line: uvicorn with --port, and $PORT given a default', () => {
    assert.deepEqual(start({ Procfile: 'web: uvicorn app.main:app --host 127.0.0.1 --port 8010\nworker: celery -A x worker\n' }), { command: 'uvicorn app.main:app --host 127.0.0.1 --port 8010', port: 8010, source: 'Procfile:1' });
    assert.deepEqual(start({ Procfile: 'release: migrate\nweb: gunicorn app:app --bind 0.0.0.0:$PORT\n' }), { command: 'PORT=8000 gunicorn app:app --bind 0.0.0.0:$PORT', port: 8000, source: 'Procfile:2' });
  });

  it('a Makefile run target; manage.py runserver and flask defaults', () => {
    assert.deepEqual(start({ Makefile: 'test:\n\tpytest\nrun:\n\tpython manage.py runserver 127.0.0.1:8123\n' }), { command: 'make -s run', port: 8123, source: 'Makefile:3' });
    assert.equal(start({ Makefile: 'serve:\n\tflask --app app run\n' })!.port, 5000);
  });

  it("a Dockerfile's CMD in exec form, the port from the command or EXPOSE", () => {
    assert.deepEqual(start({ Dockerfile: 'FROM python:3.12\nEXPOSE 9000\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "9001"]\n' }), {
      command: 'uvicorn main:app --host 0.0.0.0 --port 9001',
      port: 9001,
      source: 'Dockerfile:3',
    });
    assert.equal(start({ Dockerfile: 'FROM node:20\nEXPOSE 9000\nCMD node server.js\n' })!.port, 9000);
  });

  it('pyproject [project.scripts] and [tool.poetry.scripts]', () => {
    assert.deepEqual(start({ 'pyproject.toml': '[project]\nname = "svc"\n[project.scripts]\nserve = "svc.main:run"\n', 'svc/main.py': 'def run():\n    uvicorn.run(app, host="127.0.0.1", port=8765)\n' }), {
      command: 'python3 -c "from svc.main import run; run()"',
      port: 8765,
      source: 'pyproject.toml [project.scripts] serve',
    });
    assert.equal(start({ 'pyproject.toml': '[tool.poetry.scripts]\napi = "api.app:main"\n' })!.source, 'pyproject.toml [tool.poetry.scripts] api');
  });

  it('go run with the port of ListenAndServe; cargo run; Spring with server.port', () => {
    assert.deepEqual(start({ 'go.mod': 'module x\n', 'main.go': 'package main\nfunc main() { http.ListenAndServe(":8081", mux) }\n' }), { command: 'go run .', port: 8081, source: 'go.mod (go run)' });
    assert.deepEqual(start({ 'Makefile': 'run:\n\tgo run .\n', 'go.mod': 'module x\n', 'main.go': 'package main\nport := os.Getenv("PORT")\nif port == "" {\n\tport = "8091"\n}\nhttp.ListenAndServe("127.0.0.1:"+port, mux)\n' }), { command: 'make -s run', port: 8091, source: 'Makefile:1' });
    assert.deepEqual(start({ 'Cargo.toml': '[package]\nname = "x"\n', 'src/main.rs': 'let listener = TcpListener::bind("127.0.0.1:3005").await?;' }), { command: 'cargo run', port: 3005, source: 'Cargo.toml (cargo run)' });
    assert.deepEqual(start({ 'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>', 'src/main/resources/application.properties': 'server.port=8089\n' }), {
      command: 'mvn spring-boot:run',
      port: 8089,
      source: 'pom.xml (spring-boot:run)',
    });
  });

  it('a FastAPI app in main.py runs under uvicorn on 127.0.0.1:8000; a Flask app under flask run', () => {
    assert.deepEqual(start({ 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' }), { command: 'python3 -m uvicorn main:app --host 127.0.0.1 --port 8000', port: 8000, source: 'main.py (FastAPI app)' });
    assert.deepEqual(start({ 'app/main.py': 'api = FastAPI(title="x")\n' }), { command: 'python3 -m uvicorn app.main:api --host 127.0.0.1 --port 8000', port: 8000, source: 'app/main.py (FastAPI app)' });
    assert.deepEqual(start({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }), { command: 'python3 -m flask --app app:app run --host 127.0.0.1 --port 5000', port: 5000, source: 'app.py (Flask app)' });
  });

  it('the first source in order wins (package.json before a Procfile), and nothing is null', () => {
    assert.equal(start({ 'package.json': JSON.stringify({ scripts: { start: 'node a.js' } }), Procfile: 'web: node b.js\n' })!.source, 'package.json scripts.start');
    assert.equal(start({ 'README.md': 'run it', 'package.json': JSON.stringify({ scripts: { test: 'mocha' } }) }), null);
    assert.equal(start({ 'package.json': '{ broken' }), null);
  });
});
