-module(erlmcp_resources_handler).
-export([init/2]).

%% Reads a resource from the cache: 5-25 ms.
init(_Req, State) ->
    timer:sleep(5 + rand:uniform(20)),
    {ok, 200, <<"{\"uri\":\"mcp://docs/readme\",\"bytes\":2048}">>, State}.
