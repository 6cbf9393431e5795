%% erlmcp's HTTP routes, written as a cowboy dispatch list: {Path, Handler, Opts}.
%% erlmcp_http serves them with gen_tcp (cowboy is not among Debian's packages); each handler
%% module exports init(Req, State) -> {ok, Status, Body, State}, as a cowboy handler would.
-module(erlmcp_router).
-export([routes/0, match/1]).

routes() ->
    [
        {"/health", erlmcp_health_handler, []},
        {"/mcp/tools/list", erlmcp_tools_list_handler, []},
        {"/mcp/tools/call", erlmcp_tools_call_handler, []},
        {"/mcp/resources/read", erlmcp_resources_handler, []}
    ].

match(Path) ->
    case lists:keyfind(Path, 1, routes()) of
        {_, Handler, Opts} -> {ok, Handler, Opts};
        false -> not_found
    end.
