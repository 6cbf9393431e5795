-module(erlmcp_health_handler).
-export([init/2]).

init(_Req, State) ->
    {ok, 200, <<"{\"status\":\"ok\"}">>, State}.
