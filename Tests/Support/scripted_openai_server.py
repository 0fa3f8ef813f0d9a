"""A scripted OpenAI-compatible chat completions server for selfdebug's tests.

It listens on 127.0.0.1 only, prints `PORT <n>` when ready, answers each POST to
/v1/chat/completions with the next step of its script, logs every request body as one JSON line,
and exits by itself when its parent dies or after --idle seconds without a request.

Script: a JSON list of steps, each one of
  {"reply": "text"}                         a completion (streamed when the request asks)
  {"status": 429, "headers": {...}, "body": {...}}   an HTTP error
  {"drop": true}                            close the connection without answering
  {"delay": 2.5, "reply": "..."}            wait first
  {"hang": true}                            answer nothing; print `EVENT closed` when the client hangs up
  {"reply": "...", "hold": true}            stream the first piece, print `EVENT held`, and send the rest
                                            only after a `release` line on stdin
  {"reply": "...", "gap": 0.4}              stream the pieces this many seconds apart
  {"reply": "...", "interim": true}         send `100 Continue` (with a header of its own) first

Events on stdout, one line each, for tests to wait on: `EVENT request` when a chat request has
been logged, and the ones above.

With --canonical DATA.jsonl (a benchmark set) it ignores the script and answers each problem,
found by its prompt in the first user message, wrong first (a stub, or the buggy program) and
with the set's canonical solution on every later turn (a later turn: the conversation holds an
answer, or the user's message shows the failing attempt, a rewrite repair, or how earlier
attempts failed, a fresh repair).
"""
import argparse, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--script")
parser.add_argument("--canonical")
parser.add_argument("--log", required=True)
parser.add_argument("--idle", type=float, default=120)
options = parser.parse_args()

steps = json.load(open(options.script)) if options.script else []
problems = [json.loads(line) for line in open(options.canonical)] if options.canonical else []


def canonical_reply(request):
    """Wrong on the first turn, the canonical solution after: for measuring the agent itself."""
    messages = request.get("messages", [])
    first = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
    found = [p for p in problems if p["prompt"].strip()[:300] in first and ("`%s`" % p["entry_point"] in first or p.get("instruction"))]
    if not found:
        return "I cannot tell which problem this is."
    problem = max(found, key=lambda p: len(p["prompt"]))
    fence = "python" if problem["language"] == "python" else "swift"
    turns = sum(1 for m in messages if m.get("role") == "assistant")
    # A rewrite repair is a new request that shows the failing attempt inside the user's message,
    # a fresh repair one that shows how the earlier attempts failed.
    turns += sum(1 for m in messages if m.get("role") == "user"
                 and ("## An attempt that does not pass yet" in m.get("content", "") or "## Earlier attempts that failed" in m.get("content", "")))
    if turns > 0 and problem.get("canonical_solution"):
        return "```%s\n%s\n```\n" % (fence, problem["canonical_solution"])
    if problem.get("instruction"):
        wrong = problem["prompt"]
    elif problem["language"] == "swift":
        wrong = problem["prompt"] + "\n    fatalError(\"not implemented\")\n}\n"
    elif "def " in problem["prompt"]:
        wrong = problem["prompt"] + "\n    raise NotImplementedError\n"
    else:
        wrong = "def %s(*args, **kwargs):\n    raise NotImplementedError\n" % problem["entry_point"]
    return "```%s\n%s\n```\n" % (fence, wrong)
lock = threading.Lock()
last_request = [time.monotonic()]
parent = os.getppid()
released = threading.Event()


def event(name):
    with lock:
        sys.stdout.write("EVENT %s\n" % name)
        sys.stdout.flush()


def read_stdin():
    """`release` lines let held streams go on."""
    for line in sys.stdin:
        if line.strip() == "release":
            released.set()


def next_step():
    with lock:
        last_request[0] = time.monotonic()
        return steps.pop(0) if steps else {"status": 400, "body": {"error": {"message": "the script has no more steps"}}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            return self.send_json(200, {"object": "list", "data": [{"id": "scripted-model", "object": "model", "type": "model"}]})
        self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            request = json.loads(raw)
        except ValueError:
            request = {"unparsed": raw.decode(errors="replace")}
        with lock:
            with open(options.log, "a") as log:
                log.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization"),
                                      "x_api_key": self.headers.get("x-api-key"), "anthropic_version": self.headers.get("anthropic-version"),
                                      "body": request}) + "\n")
        event("request")
        anthropic = self.path.rstrip("/").endswith("/v1/messages")
        if not anthropic and not self.path.rstrip("/").endswith("/chat/completions"):
            return self.send_json(404, {"error": {"message": "no such endpoint: " + self.path}})
        step = {"reply": canonical_reply(request)} if problems else next_step()
        if step.get("delay"):
            time.sleep(step["delay"])
        if step.get("hang"):
            self.close_connection = True
            self.connection.settimeout(300)
            try:
                while self.connection.recv(4096):
                    pass
            except OSError:
                pass
            event("closed")
            return
        if step.get("interim"):
            self.wfile.write(b"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n")
        if step.get("drop"):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if "status" in step:
            return self.send_json(step["status"], step.get("body", {"error": {"message": "scripted failure"}}), step.get("headers"))
        text = step.get("reply", "")
        prompt_tokens = (sum(len(m.get("content", "")) for m in request.get("messages", [])) + len(request.get("system", ""))) // 4
        if anthropic:
            return self.anthropic_reply(request, text, prompt_tokens)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(text) // 4, "total_tokens": prompt_tokens + len(text) // 4}
        model = request.get("model", "scripted-model")
        if not request.get("stream"):
            return self.send_json(200, {
                "id": "chatcmpl-scripted", "object": "chat.completion", "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        pieces = [text[i:i + 40] for i in range(0, len(text), 40)] or [""]
        for index, piece in enumerate(pieces):
            chunk = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "model": model,
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(("data: " + json.dumps(chunk) + "\n\n").encode())
            self.wfile.flush()
            if step.get("hold") and index == 0:
                event("held")
                released.wait(300)
            if step.get("gap"):
                time.sleep(step["gap"])
        final = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "model": model,
                 "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(("data: " + json.dumps(final) + "\n\n").encode())
        self.wfile.write(("data: " + json.dumps({"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "model": model, "choices": [], "usage": usage}) + "\n\n").encode())
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def anthropic_reply(self, request, text, prompt_tokens):
    """The Messages API's shape: a message, or its stream of typed events."""
    model = request.get("model", "scripted-model")
    output_tokens = len(text) // 4
    if not request.get("stream"):
        return self.send_json(200, {
            "id": "msg_scripted", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "usage": {"input_tokens": prompt_tokens, "output_tokens": output_tokens}})
    self.send_response(200)
    self.send_header("Content-Type", "text/event-stream")
    self.send_header("Connection", "close")
    self.end_headers()
    self.close_connection = True

    def event(kind, data):
        self.wfile.write(("event: %s\ndata: %s\n\n" % (kind, json.dumps(dict(data, type=kind)))).encode())
        self.wfile.flush()

    event("message_start", {"message": {"id": "msg_scripted", "type": "message", "role": "assistant", "model": model, "content": [],
                                        "usage": {"input_tokens": prompt_tokens, "output_tokens": 1}}})
    event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}})
    event("ping", {})
    for index in range(0, len(text), 40):
        event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": text[index:index + 40]}})
    event("content_block_stop", {"index": 0})
    event("message_delta", {"delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": output_tokens}})
    event("message_stop", {})


Handler.anthropic_reply = anthropic_reply
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True


def watchdog():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent or time.monotonic() - last_request[0] > options.idle:
            os._exit(0)


threading.Thread(target=watchdog, daemon=True).start()
threading.Thread(target=read_stdin, daemon=True).start()
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
