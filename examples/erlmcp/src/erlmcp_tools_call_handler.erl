-module(erlmcp_tools_call_handler).
-export([init/2]).

%% Calls a tool: the tool server is a single gen_server, so calls queue behind each other:
%% 60-140 ms, over the 100 ms p95 budget.
init(#{body := Body}, State) ->
    timer:sleep(60 + rand:uniform(80)),
    {ok, 200, <<"{\"result\":\"done\",\"request_bytes\":", (integer_to_binary(byte_size(Body)))/binary, "}">>, State}.
