import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: Spring (Java / Kotlin), Micronaut, JAX-RS', () => {
  it('Java: class-level @RequestMapping prefix, mapping variants, line of the method declaration', () => {
    const routes = findRoutes('src/main/java/com/acme/TrackingController.java', [
      'package com.acme;',
      '',
      '@RestController',
      '@RequestMapping("/api/tracking")',
      'public class TrackingController {',
      '    private static final String BY_ID = "/{id}";',
      '',
      '    @GetMapping(BY_ID)',
      '    public ResponseEntity<Tracking> get(@PathVariable("id") String id) {',
      '        return null;',
      '    }',
      '',
      '    @PostMapping(value = "", consumes = "application/json")',
      '    @ResponseStatus(HttpStatus.CREATED)',
      '    public Tracking create(@RequestBody Tracking t) { return t; }',
      '',
      '    // @DeleteMapping("/{id}")',
      '    @RequestMapping(value = "/{id}/events", method = {RequestMethod.GET, RequestMethod.HEAD})',
      '    List<Event> events(@PathVariable long id) { return List.of(); }',
      '',
      '    @RequestMapping(path = {"/a", "/b"})',
      '    public void any() {}',
      '}',
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => [r.method, r.path, r.line, r.column, r.symbol, r.framework]),
      [
        ['GET', '/api/tracking/:id', 8, 4, 'TrackingController.get', 'spring'],
        ['POST', '/api/tracking', 14, 4, 'TrackingController.create', 'spring'],
        ['GET', '/api/tracking/:id/events', 18, 4, 'TrackingController.events', 'spring'],
        ['HEAD', '/api/tracking/:id/events', 18, 4, 'TrackingController.events', 'spring'],
        [null, '/api/tracking/a', 21, 4, 'TrackingController.any', 'spring'],
        [null, '/api/tracking/b', 21, 4, 'TrackingController.any', 'spring'],
      ],
    );
  });

  it('Kotlin: arrays, fun declarations, a controller without class prefix', () => {
    assert.deepEqual(
      routesOf('src/main/kotlin/UserController.kt', [
        '@RestController',
        'class UserController(private val repo: UserRepository) {',
        '    @GetMapping(value = ["/users/{id}", "/people/{id}"])',
        '    suspend fun user(@PathVariable id: Long): User = repo.find(id)',
        '',
        '    @PutMapping("/users/{id:[0-9]+}")',
        '    fun update(@PathVariable id: Long) {}',
        '}',
      ]),
      ['GET /users/:id @3 UserController.user', 'GET /people/:id @3 UserController.user', 'PUT /users/:id @6 UserController.update'],
    );
  });

  it('Micronaut @Controller + @Get and JAX-RS @Path + @GET', () => {
    assert.deepEqual(routesOf('HelloController.java', ['@Controller("/hello")', 'public class HelloController {', '    @Get("/{name}")', '    public String greet(String name) { return name; }', '}']), ['GET /hello/:name @3 HelloController.greet']);
    assert.deepEqual(
      routesOf('OrderResource.java', ['@Path("/orders")', 'public class OrderResource {', '    @GET', '    @Path("{id}")', '    public Order get(@PathParam("id") long id) { return null; }', '    @POST', '    public Response create(Order o) { return null; }', '}']),
      ['GET /orders/:id @4 OrderResource.get', 'POST /orders @6 OrderResource.create'],
    );
  });
});
