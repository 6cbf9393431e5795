%% A small HTTP/1.1 server on gen_tcp (keep-alive, Content-Length bodies) that dispatches to the
%% handlers of erlmcp_router. Listens on 127.0.0.1:$PORT.
%%   erl -noshell -pa ebin -s erlmcp_http main
-module(erlmcp_http).
-export([main/0, accept/1, conn/1]).

main() ->
    Port = list_to_integer(os:getenv("PORT", "8080")),
    {ok, L} = gen_tcp:listen(Port, [binary, {packet, http_bin}, {active, false}, {reuseaddr, true},
                                    {ip, {127, 0, 0, 1}}, {backlog, 1024}]),
    io:format("erlmcp listening on http://127.0.0.1:~p~n", [Port]),
    spawn(?MODULE, accept, [L]),
    receive stop -> ok end.

accept(L) ->
    {ok, S} = gen_tcp:accept(L),
    Pid = spawn(?MODULE, conn, [S]),
    ok = gen_tcp:controlling_process(S, Pid),
    Pid ! go,
    accept(L).

conn(S) ->
    receive go -> ok end,
    loop(S).

loop(S) ->
    case gen_tcp:recv(S, 0, 30000) of
        {ok, {http_request, Method, {abs_path, Path}, _Vsn}} ->
            case headers(S, #{}) of
                {ok, Headers} ->
                    Body = body(S, Headers),
                    Req = #{method => Method, path => Path, headers => Headers, body => Body},
                    {Status, Resp} = dispatch(Req),
                    ok = gen_tcp:send(S, [<<"HTTP/1.1 ">>, integer_to_binary(Status), <<" OK\r\n">>,
                                          <<"content-type: application/json\r\ncontent-length: ">>,
                                          integer_to_binary(byte_size(Resp)), <<"\r\n\r\n">>, Resp]),
                    loop(S);
                closed -> gen_tcp:close(S)
            end;
        _ -> gen_tcp:close(S)
    end.

headers(S, Acc) ->
    case gen_tcp:recv(S, 0, 30000) of
        {ok, {http_header, _, Name, _, Value}} -> headers(S, Acc#{header_name(Name) => Value});
        {ok, http_eoh} -> {ok, Acc};
        _ -> closed
    end.

header_name(N) when is_atom(N) -> string:lowercase(atom_to_binary(N));
header_name(N) -> string:lowercase(N).

body(S, Headers) ->
    case maps:get(<<"content-length">>, Headers, <<"0">>) of
        <<"0">> -> <<>>;
        Len ->
            ok = inet:setopts(S, [{packet, raw}]),
            {ok, B} = gen_tcp:recv(S, binary_to_integer(Len), 30000),
            ok = inet:setopts(S, [{packet, http_bin}]),
            B
    end.

dispatch(#{path := Path} = Req) ->
    [Route | _] = binary:split(Path, <<"?">>),
    case erlmcp_router:match(binary_to_list(Route)) of
        {ok, Handler, Opts} ->
            try Handler:init(Req, Opts) of
                {ok, Status, Body, _} -> {Status, Body}
            catch _:_ -> {500, <<"{\"error\":\"handler crashed\"}">>}
            end;
        not_found -> {404, <<"{\"error\":\"not found\"}">>}
    end.
