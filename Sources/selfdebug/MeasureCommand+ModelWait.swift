import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox
import SelfDebugModels

/// `selfdebug measure`'s "waiting for a model" section: selfdebug's own CPU while a slow model
/// thinks. A local model shares the machine's cores with selfdebug, so every cycle selfdebug burns
/// while it waits is taken from the model (URLSession on Linux spun at 88% of a core).
extension MeasureCommand {
    /// Requests a completion, streamed and not, from a loopback server that stays silent for
    /// `silence` seconds and then streams slowly, and prints selfdebug's CPU time (user + system,
    /// `getrusage(RUSAGE_SELF)`) as a share of the wall time it waited. The target is under 2%.
    func measureWaitingForAModel(silence: Double) async throws {
        guard silence >= 0 else { throw AppError(.badInput, "--wait-seconds must not be negative") }
        let python = try await Toolchain.python()
        let server: SpawnedProcess
        do {
            server = try ProcessRunner.spawn(python, arguments: ["-c", Self.slowModelServer, "\(silence)"],
                                             environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], standardOutput: .pipe)
        } catch {
            throw AppError(.unavailable, "the slow loopback model server did not start: \(error)")
        }
        defer { server.stop() }
        var text = ""
        // Its first line says the port; an empty read is its end (it did not start).
        while !text.contains("\n"), let data = server.standardOutput?.availableData, !data.isEmpty {
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            throw AppError(.unavailable, "the slow loopback model server did not start: \(text)")
        }
        var parts: [String] = []
        for stream in [true, false] {
            var configuration = OpenAICompatibleModel.Configuration(baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!)
            configuration.stream = stream
            configuration.requestTimeout = silence + 30
            let model = OpenAICompatibleModel(configuration: configuration)
            let request = ChatRequest(model: "slow-model", messages: [ChatMessage(role: .user, content: "Write f.")], maxTokens: 100)
            let cpuBefore = Self.cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await model.complete(request, onDelta: nil)
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = Self.cpuSeconds() - cpuBefore
            guard response.text.hasPrefix("def f") else {
                throw AppError(.unavailable, "the slow loopback model server answered something else: \(response.text.prefix(80))")
            }
            parts.append(String(format: "%@ %.2f%% of a core (%.3f s CPU over %.1f s)", stream ? "streamed" : "not streamed", 100 * cpu / wall, cpu, wall))
        }
        print(String(format: "waiting for a model   %@   (silent %.0f s, then a slow stream; target under 2%%)", parts.joined(separator: "   "), silence))
    }

    /// User plus system CPU seconds of this process, every thread.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// An OpenAI-compatible server on a loopback port that thinks like a slow local model: silent
    /// for `argv[1]` seconds, then 20 pieces a tenth of a second apart (or one JSON answer at the
    /// end). Prints `PORT <n>`; exits with its parent.
    static let slowModelServer = """
    import json, os, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    silence, parent = float(sys.argv[1]), os.getppid()
    pieces = ["def f(x):\\n"] + ["    x = x + 1\\n"] * 18 + ["    return x\\n"]
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            time.sleep(silence)
            usage = {"prompt_tokens": 5, "completion_tokens": 60}
            if not request.get("stream"):
                time.sleep(2)
                body = json.dumps({"model": "slow-model", "usage": usage, "choices": [{"index": 0, "finish_reason": "stop",
                                   "message": {"role": "assistant", "content": "".join(pieces)}}]}).encode()
                self.send_response(200); self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
            self.send_response(200); self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close"); self.end_headers(); self.close_connection = True
            def send(chunk):
                self.wfile.write(("data: " + json.dumps(chunk) + "\\n\\n").encode()); self.wfile.flush()
            for piece in pieces:
                send({"model": "slow-model", "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
                time.sleep(0.1)
            send({"model": "slow-model", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage})
            self.wfile.write(b"data: [DONE]\\n\\n"); self.wfile.flush()
    def watch():
        while os.getppid() == parent: time.sleep(0.5)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
    """
}
