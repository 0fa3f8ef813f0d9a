import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// The HTTP transport (libcurl) honours the proxy environment as curl does: `http_proxy` for plain
/// http, and `NO_PROXY` to go around it.
@Suite("selfdebug behind an HTTP proxy, end to end")
struct ProxyEndToEndTests {
    func modelCheck(_ stdout: String) throws -> JSONValue? {
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(stdout.utf8))
        return report["checks"]?.arrayValue?.first { $0["name"]?.stringValue == "model" }
    }

    @Test func doctorListsModelsThroughTheProxy() async throws {
        let server = try ScriptedServer([])
        let proxy = try LoopbackProxy()
        let environment = CLI.environment(server, extra: ["http_proxy": proxy.url])
        let result = try await CLI.run(["doctor", "--model", "scripted-model", "--json"], in: NSTemporaryDirectory(), environment: environment)
        #expect(try modelCheck(result.stdout)?["ok"]?.boolValue == true, "\(result.stdout)")
        #expect(proxy.forwarded() == ["GET http://127.0.0.1:\(server.port)/v1/models"])
    }

    @Test func aStreamedSolveGoesThroughTheProxy() async throws {
        let server = try ScriptedServer([.reply("```python\ndef double(x):\n    return 2 * x\n```\n")])
        let proxy = try LoopbackProxy()
        let folder = try TemporaryFolder.make(prefix: "e2e-proxy")
        try TemporaryFolder.write([
            "task.md": "---\nlanguage: python\nsolution: double.py\ntests: test_double.py\ntimeout: 10\nmax_iterations: 1\n---\nWrite `double(x)`.\n",
            "test_double.py": "from double import double\n\ndef test_double():\n    assert double(2) == 4\n",
        ], in: folder)
        let environment = CLI.environment(server, extra: ["http_proxy": proxy.url])
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(proxy.forwarded() == ["POST http://127.0.0.1:\(server.port)/v1/chat/completions"])
        #expect(server.requests().first?["body"]?["stream"]?.boolValue == true)
    }

    @Test func noProxyGoesAroundIt() async throws {
        let server = try ScriptedServer([])
        let proxy = try LoopbackProxy()
        let environment = CLI.environment(server, extra: ["http_proxy": proxy.url, "NO_PROXY": "127.0.0.1"])
        let result = try await CLI.run(["doctor", "--model", "scripted-model", "--json"], in: NSTemporaryDirectory(), environment: environment)
        #expect(try modelCheck(result.stdout)?["ok"]?.boolValue == true, "\(result.stdout)")
        #expect(proxy.forwarded().isEmpty)
    }
}
