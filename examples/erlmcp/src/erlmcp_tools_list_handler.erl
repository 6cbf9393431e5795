-module(erlmcp_tools_list_handler).
-export([init/2]).

%% Lists the registered MCP tools (an ETS read in production): 2-10 ms.
init(_Req, State) ->
    timer:sleep(2 + rand:uniform(8)),
    {ok, 200, <<"{\"tools\":[\"search\",\"fetch\",\"summarize\"]}">>, State}.
