import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// `selfdebug fix` on real projects with failing suites, against a scripted model.
@Suite("selfdebug fix, end to end")
struct FixEndToEndTests {
    static let cart = "def total(prices, discount=0):\n    \"\"\"Sum of prices minus a percentage discount.\"\"\"\n    return sum(prices) - discount\n"
    static let cartTests = "from shop.cart import total\n\ndef test_total():\n    assert total([10, 20]) == 30\n\ndef test_discount():\n    assert total([200], discount=10) == 180\n"
    static let fixReply = "src/shop/cart.py\n<<<<<<< SEARCH\n    return sum(prices) - discount\n=======\n    return sum(prices) * (100 - discount) // 100\n>>>>>>> REPLACE\n"

    /// A git repository with a src/ layout package, a failing test, and a secret.
    func pythonProject() async throws -> String {
        try await CLI.committedProject([
            "src/shop/__init__.py": "", "src/shop/cart.py": Self.cart, "tests/test_cart.py": Self.cartTests,
            ".env": "SECRET_KEY=sk-live-never-leave-this-machine\n", "notes/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n",
        ], prefix: "e2e-fix")
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func repairsAPythonProjectInPlaceWithAPatch() async throws {
        let project = try await pythonProject()
        let server = try ScriptedServer([.reply("READ: src/shop/__init__.py"), .reply(Self.fixReply)])
        let run = project + "/../run"
        let result = try await CLI.run(["fix", project, "--test", "python3 -m pytest -q", "--out", run, "--json"], in: project, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        // Only the source changed, in place.
        #expect(read(project + "/src/shop/cart.py").contains("(100 - discount) // 100"))
        #expect(read(project + "/tests/test_cart.py") == Self.cartTests)
        let patch = read(run + "/fix.patch")
        #expect(patch.contains("--- a/src/shop/cart.py"))
        #expect(patch.contains("+    return sum(prices) * (100 - discount) // 100"))
        #expect(!patch.contains("tests/"))
        // The model saw the failure, the map and the source, and never a secret.
        let first = try #require(server.requests().first?["body"]?["messages"]?.arrayValue?[1]["content"]?.stringValue)
        #expect(first.contains("assert 190 == 180"))
        #expect(first.contains("src/shop/cart.py: total"))
        #expect(first.contains("return sum(prices) - discount"))
        let everything = server.requests().map { $0.serialized() }.joined() + CLI.allText(under: run)
        #expect(!everything.contains("sk-live-never-leave"))
        #expect(!everything.contains("OPENSSH PRIVATE KEY"))
        // The READ request was answered with the file.
        #expect(server.lastUserMessages().dropFirst().first?.contains("src/shop/__init__.py\n```python") == true)
        let summary = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        #expect(summary["applied"]?.stringValue == "true")
        #expect(summary["status"]?.stringValue == "solved")
        // The baseline is recorded as iteration 0.
        let baseline = try #require(try CLI.events(run).first { $0["type"]?.stringValue == "exec" })
        #expect(baseline["iteration"]?.intValue == 0)
        #expect(baseline["baseline"]?.boolValue == true)
    }

    @Test func refusesADirtyTreeAndLosesNothing() async throws {
        let project = try await pythonProject()
        let edited = Self.cart + "# my unsaved work\n"
        try edited.write(toFile: project + "/src/shop/cart.py", atomically: true, encoding: .utf8)
        let server = try ScriptedServer([.reply(Self.fixReply)])
        let result = try await CLI.run(["fix", project, "--test", "python3 -m pytest -q", "--out", project + "/../run"], in: project, environment: CLI.environment(server))
        #expect(result.status == 2)
        #expect(result.stderr.contains("uncommitted changes"))
        #expect(result.stderr.contains("src/shop/cart.py"))
        #expect(result.stderr.contains("--force"))
        #expect(read(project + "/src/shop/cart.py") == edited)
        #expect(server.requests().isEmpty)
    }

    @Test func unsolvedLeavesTheProjectUntouchedAndSavesTheBestPatch() async throws {
        let project = try await pythonProject()
        let worse = "src/shop/cart.py\n<<<<<<< SEARCH\n    return sum(prices) - discount\n=======\n    return sum(prices) - discount - 1\n>>>>>>> REPLACE\n"
        let testEdit = "tests/test_cart.py\n```python\ndef test_nothing():\n    pass\n```\n"
        let server = try ScriptedServer([.reply(testEdit), .reply(worse)])
        let run = project + "/../run"
        let result = try await CLI.run(["fix", project, "--test", "python3 -m pytest -q", "--out", run, "--max-iterations", "2"], in: project, environment: CLI.environment(server))
        #expect(result.status == 1)
        #expect(read(project + "/src/shop/cart.py") == Self.cart)
        #expect(read(project + "/tests/test_cart.py") == Self.cartTests)
        #expect(read(run + "/fix.patch").contains("discount - 1"))
        #expect(server.lastUserMessages().dropFirst().first?.contains("test file 'tests/test_cart.py' was ignored") == true)
    }

    @Test func alreadyPassingIsNothingToFix() async throws {
        let project = try await pythonProject()
        let fixed = Self.cart.replacingOccurrences(of: "sum(prices) - discount", with: "sum(prices) * (100 - discount) // 100")
        try fixed.write(toFile: project + "/src/shop/cart.py", atomically: true, encoding: .utf8)
        let result = try await CLI.run(["fix", project, "--test", "python3 -m pytest -q", "--force"], in: project, environment: CLI.environment(nil))
        #expect(result.status == 0)
        #expect(result.stderr.contains("already passes"))
    }

    @Test func repairsASwiftPackage() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-fix-swift") + "/pkg"
        try TemporaryFolder.write([
            "Package.swift": "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"Geo\", targets: [.target(name: \"Geo\"), .testTarget(name: \"GeoTests\", dependencies: [\"Geo\"])])\n",
            "Sources/Geo/Area.swift": "public func area(width: Int, height: Int) -> Int {\n    width + height\n}\n",
            "Tests/GeoTests/AreaTests.swift": "import Testing\n@testable import Geo\n\n@Test func rectangle() { #expect(area(width: 3, height: 4) == 12) }\n",
        ], in: folder)
        let reply = "Sources/Geo/Area.swift\n<<<<<<< SEARCH\n    width + height\n=======\n    width * height\n>>>>>>> REPLACE\n"
        let server = try ScriptedServer([.reply(reply)])
        let run = folder + "/../run"
        let result = try await CLI.run(["fix", folder, "--test", "swift test", "--out", run, "--timeout", "600"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(read(folder + "/Sources/Geo/Area.swift").contains("width * height"))
        #expect(read(run + "/fix.patch").contains("+    width * height"))
        let first = try #require(server.requests().first?["body"]?["messages"]?.arrayValue?[1]["content"]?.stringValue)
        #expect(first.contains("rectangle()"))
        #expect(first.contains("Expectation failed"))
    }
}
