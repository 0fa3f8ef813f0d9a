import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox
import SelfDebugModels

/// `selfdebug measure`: times the sandbox's start-up and one test iteration per language, side by
/// side with the plain tools on the same files, and prints medians and ratios.
struct MeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Time the sandbox start-up and one test iteration per language, side by side with plain tools (medians and ratios).")

    @Option(help: "Runs of each measurement.")
    var runs: Int = 20

    @Option(help: "Runs of the Swift measurements (a plain `swift test` is slow).")
    var swiftRuns: Int = 3

    @Flag(name: .customLong("model-wait"), help: "Only measure selfdebug's own CPU while it waits for a slow model (no sandbox needed).")
    var modelWaitOnly = false

    @Option(name: .customLong("wait-seconds"), help: "How long the slow model stays silent before it streams, for the waiting measurement.")
    var waitSeconds: Double = 6

    @Flag(help: "Skip the Swift measurements.")
    var noSwift = false

    @Option(name: .customLong("local-model"), help: "Only measure the embedded local model: prompt and generation tokens per second. `--local-model` alone measures the configured one (SELFDEBUG_LOCAL_MODEL, local_model, else default); `--local-model small` the 0.5B.")
    var localModel: String?

    func run() async throws {
        if modelWaitOnly { return try await measureWaitingForAModel(silence: waitSeconds) }
        guard runs >= 1, swiftRuns >= 1 else { throw AppError(.badInput, "--runs and --swift-runs must be at least 1") }
        if let localModel { return try await measureLocalModel(localModel) }
        let sandbox = try BubblewrapSandbox()
        print("selfdebug measure: medians over \(runs) runs (\(ProcessInfo.processInfo.activeProcessorCount) cores)")

        // 1. Sandbox start-up: /bin/true directly vs inside bubblewrap.
        let folder = NSTemporaryDirectory() + "selfdebug-measure-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let direct = try await Self.median(runs) {
            _ = try await ProcessRunner.run(ProcessSpec(executable: "/bin/true", arguments: [], environment: [:], workingDirectory: folder, timeout: 10))
        }
        let boxed = try await Self.median(runs) {
            _ = try await sandbox.run(SandboxCommand(phase: "measure", argv: ["/bin/true"], workspace: folder, environment: ["PATH": "/usr/bin:/bin"], timeout: 10, limits: ResourceLimits()))
        }
        print(String(format: "sandbox start-up      /bin/true direct %7.1f ms   in bubblewrap %7.1f ms   cost %6.1f ms", direct * 1000, boxed * 1000, (boxed - direct) * 1000))

        // 2. A Python iteration: selfdebug (sandbox + harness) vs plain `python3 -m pytest`.
        let python = try await Toolchain.python()
        let pythonTask = Self.pythonTask
        try Self.write(pythonTask.tests.merging(Self.pythonSolution) { a, _ in a }, to: folder + "/py")
        let executor = try await TaskExecutor.make(for: .python, sandbox: sandbox)
        var verdicts = Set<String>()
        let ours = try await Self.median(runs) {
            verdicts.insert(try await executor.run(ExecRequest(task: pythonTask, files: Self.pythonSolution)).verdict.rawValue)
        }
        let plainEnvironment = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG", "PYENV_ROOT", "PYENV_VERSION"].contains($0.key) }
        // Plain pytest twice: with the real interpreter (the fair comparison, used for the ratio)
        // and as typed, `python3` from PATH (which may be a shim).
        let pytest = try await Self.median(runs) {
            _ = try await ProcessRunner.run(ProcessSpec(executable: python, arguments: ["-m", "pytest", "test_calc.py"], environment: plainEnvironment, workingDirectory: folder + "/py", timeout: 60))
        }
        let typed = Toolchain.find("python3") ?? python
        let pytestTyped = try await Self.median(runs) {
            _ = try await ProcessRunner.run(ProcessSpec(executable: typed, arguments: ["-m", "pytest", "test_calc.py"], environment: plainEnvironment, workingDirectory: folder + "/py", timeout: 60))
        }
        print(String(format: "python iteration      selfdebug %7.1f ms (sandboxed)   %@ -m pytest %7.1f ms (unsandboxed)   %.1fx faster   verdict %@",
                     ours * 1000, python, pytest * 1000, pytest / ours, verdicts.sorted().joined(separator: ",")))
        if typed != python {
            print(String(format: "                      python3 -m pytest as typed (%@) %7.1f ms   %.1fx", typed, pytestTyped * 1000, pytestTyped / ours))
        }

        // Waiting for a model: selfdebug's own CPU while a slow model thinks and streams.
        try await measureWaitingForAModel(silence: waitSeconds)

        // 3. A Swift iteration: selfdebug (sandbox, swiftc, warm module cache) vs `swift test` on the same files.
        guard !noSwift else { return }
        let swiftTask = Self.swiftTask
        let swiftExecutor = try await TaskExecutor.make(for: .swift, sandbox: sandbox)
        _ = try await swiftExecutor.run(ExecRequest(task: swiftTask, files: Self.swiftSolution))  // warm the module cache
        var swiftVerdicts = Set<String>()
        let swiftOurs = try await Self.median(swiftRuns) {
            swiftVerdicts.insert(try await swiftExecutor.run(ExecRequest(task: swiftTask, files: Self.swiftSolution)).verdict.rawValue)
        }
        let package = folder + "/pkg"
        try Self.write([
            "Package.swift": Self.packageManifest,
            "Sources/Calc/Calc.swift": Self.swiftSolution["Calc.swift"]!,
            "Tests/CalcTests/CalcTests.swift": swiftTask.tests["CalcTests.swift"]!,
        ], to: package)
        let swift = (try Toolchain.swiftc() as NSString).deletingLastPathComponent + "/swift"
        var swiftEnvironment = plainEnvironment
        swiftEnvironment["PATH"] = (swift as NSString).deletingLastPathComponent + ":" + (plainEnvironment["PATH"] ?? "/usr/bin:/bin")
        let cold = try await Self.median(1) {
            _ = try await ProcessRunner.run(ProcessSpec(executable: swift, arguments: ["test"], environment: swiftEnvironment, workingDirectory: package, timeout: 600))
        }
        let warm = try await Self.median(swiftRuns) {
            try Self.write(["Sources/Calc/Calc.swift": Self.swiftSolution["Calc.swift"]! + "\n// \(UUID())\n"], to: package)
            _ = try await ProcessRunner.run(ProcessSpec(executable: swift, arguments: ["test"], environment: swiftEnvironment, workingDirectory: package, timeout: 600))
        }
        print(String(format: "swift iteration       selfdebug %7.1f ms (sandboxed, warm cache)   swift test %7.1f ms cold, %7.1f ms after a one-line change   %.1fx / %.1fx faster   verdict %@",
                     swiftOurs * 1000, cold * 1000, warm * 1000, cold / swiftOurs, warm / swiftOurs, swiftVerdicts.sorted().joined(separator: ",")))

        // 4. Package mode: the first iteration builds everything; later ones rebuild what changed.
        var packageTests = ["Package.swift": Self.packageManifest, "Tests/CalcTests/CalcTests.swift": swiftTask.tests["CalcTests.swift"]!]
        packageTests["Tests/CalcTests/NewTests.swift"] = "import Testing\n@testable import Calc\n\n@Test func addsTwo() { #expect(add(2, 2) == 4) }\n"
        let packageTask = TaskSpec(language: .swift, solutionFiles: ["Sources/Calc/Calc.swift"], tests: packageTests, timeout: 600, body: "measure package")
        let packageExecutor = try await TaskExecutor.make(for: .swift, sandbox: sandbox)
        var packageVerdicts = Set<String>()
        var version = 0
        func nextVersion() -> [String: String] {
            version += 1
            return ["Sources/Calc/Calc.swift": Self.swiftSolution["Calc.swift"]! + "// version \(version)\n"]
        }
        let first = try await Self.median(1) {
            packageVerdicts.insert(try await packageExecutor.run(ExecRequest(task: packageTask, files: nextVersion())).verdict.rawValue)
        }
        let later = try await Self.median(swiftRuns) {
            packageVerdicts.insert(try await packageExecutor.run(ExecRequest(task: packageTask, files: nextVersion())).verdict.rawValue)
        }
        print(String(format: "swift package mode    first iteration %7.1f ms   later iterations %7.1f ms (a changed source file)   %.2f of the first   verdict %@",
                     first * 1000, later * 1000, later / first, packageVerdicts.sorted().joined(separator: ",")))
    }

    /// `measure --local-model` with no value means the configured model: the parser needs a value,
    /// so the bare flag becomes `--local-model configured` before parsing.
    static func allowingBareLocalModel(_ arguments: [String]) -> [String] {
        guard arguments.first == "measure" else { return arguments }
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            result.append(argument)
            if argument == "--local-model", next == nil || next!.hasPrefix("-") { result.append("configured") }
        }
        return result
    }

    /// The local model's speed, two ways: the server's own timings (llama.cpp's log: prompt
    /// evaluation and generation alone) and what a client sees (time to the first streamed token,
    /// then the rate of the rest, so HTTP is included); medians over up to 3 requests after a warm-up.
    func measureLocalModel(_ flag: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        let settings = (try? Settings.load(environment: environment)) ?? Settings()
        let log = NSTemporaryDirectory() + "selfdebug-measure-local-\(getpid()).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        environment["SELFDEBUG_LOCAL_MODEL_LOG"] = log
        let server: LocalModelServer
        do {
            let choice = try LocalModelChoice.resolve(flag: flag == "configured" ? nil : flag, environment: environment, configured: settings.localModel)
            server = try await LocalModelServer.started(choice: choice, environment: environment)
        } catch let error as ModelError {
            throw AppError(.unavailable, error.message)
        }
        defer { server.stop() }
        print("local model: \(server.summary)")
        let model = server.model()
        _ = try await model.complete(ChatRequest(model: server.choice.alias, messages: [ChatMessage(role: .user, content: "Hi")], temperature: 0, maxTokens: 1), onDelta: nil)
        var promptRates: [Double] = []
        var generationRates: [Double] = []
        var promptTokens = 0
        for index in 1...max(1, min(runs, 3)) {
            // A different start each time, so the server's prompt cache does not skip the work.
            let prompt = [ChatMessage(role: .user, content: "Request \(index) of \(UUID()). Write a Python function that returns the n-th Fibonacci number, with a docstring and three doctests. "
                + String(repeating: "Be careful with n = 0 and n = 1, and say why negative n is an error. ", count: 24))]
            let first = FirstToken()
            let begin = Date()
            let response = try await model.complete(ChatRequest(model: server.choice.alias, messages: prompt, temperature: 0.2, maxTokens: 128)) { _ in first.mark() }
            let end = Date()
            guard let firstAt = first.time, response.usage.completionTokens > 1 else { continue }
            promptTokens = response.usage.promptTokens
            promptRates.append(Double(response.usage.promptTokens) / firstAt.timeIntervalSince(begin))
            generationRates.append(Double(response.usage.completionTokens - 1) / max(0.001, end.timeIntervalSince(firstAt)))
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        guard !promptRates.isEmpty else { throw AppError(.unavailable, "the local model answered no streamed tokens") }
        let timings = LlamaTimings.parse((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(promptRates.count)
        if let prompt = timings.compactMap(\.promptRate).sorted().dropFirst(timings.count / 2).first,
           let generation = timings.compactMap(\.generationRate).sorted().dropFirst(timings.count / 2).first {
            print(String(format: "server timings: prompt %.1f tokens/s, generation %.1f tokens/s (llama.cpp's timings, medians of %d requests of %d prompt tokens)",
                         prompt, generation, timings.count, promptTokens))
        }
        print(String(format: "client view:    prompt %.1f tokens/s, generation %.1f tokens/s (first streamed token, then the rest, over HTTP; medians of %d requests)",
                     median(promptRates), median(generationRates), promptRates.count))
    }

    static func median(_ count: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }

    static func write(_ files: [String: String], to folder: String) throws {
        for (path, content) in files {
            let full = (folder as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    static let packageManifest = "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"Calc\", targets: [.target(name: \"Calc\"), .testTarget(name: \"CalcTests\", dependencies: [\"Calc\"])])\n"
    static let pythonSolution = ["calc.py": "def add(a, b):\n    return a + b\n\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n"]
    static let pythonTask = TaskSpec(
        language: .python, solutionFiles: ["calc.py"],
        tests: ["test_calc.py": "import pytest\nfrom calc import add, mean\n\ndef test_add():\n    assert add(2, 3) == 5\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n\ndef test_empty():\n    assert mean([]) == 0\n\ndef test_type():\n    with pytest.raises(TypeError):\n        add(1, 'a')\n"],
        timeout: 30, body: "measure")
    static let swiftSolution = ["Calc.swift": "public func add(_ a: Int, _ b: Int) -> Int { a + b }\npublic func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }\n"]
    static let swiftTask = TaskSpec(
        language: .swift, solutionFiles: ["Calc.swift"],
        tests: ["CalcTests.swift": "import XCTest\n@testable import Calc\n\nfinal class CalcTests: XCTestCase {\n    func testAdd() { XCTAssertEqual(add(2, 3), 5) }\n    func testMean() { XCTAssertEqual(mean([1, 2, 3]), 2) }\n    func testEmpty() { XCTAssertEqual(mean([]), 0) }\n}\n"],
        module: "Calc", timeout: 120, body: "measure")
}

/// When the first streamed token arrived.
final class FirstToken: @unchecked Sendable {
    private let lock = NSLock()
    private var at: Date?
    func mark() { lock.withLock { if at == nil { at = Date() } } }
    var time: Date? { lock.withLock { at } }
}
