import Foundation
import Testing
import SelfDebugCore
import SelfDebugModels
import TestSupport

/// Choosing and checking the local model's weights, and reading llama.cpp's timings; no model runs.
@Suite("Local model weights and timings")
struct LocalModelWeightsTests {
    @Test func choicesParseAndFollowPrecedence() throws {
        #expect(LocalModelChoice("small") == .small)
        #expect(LocalModelChoice("default") == .standard)
        #expect(LocalModelChoice("/models/My-Model.Q8_0.gguf")?.file == "/models/My-Model.Q8_0.gguf")
        #expect(LocalModelChoice("/models/My-Model.Q8_0.gguf")?.isBuiltIn == false)
        #expect(LocalModelChoice("huge") == nil)
        #expect(try LocalModelChoice.resolve(flag: nil, environment: [:], configured: nil) == .standard)
        #expect(try LocalModelChoice.resolve(flag: nil, environment: [:], configured: "small") == .small)
        #expect(try LocalModelChoice.resolve(flag: nil, environment: ["SELFDEBUG_LOCAL_MODEL": "default"], configured: "small") == .standard)
        #expect(try LocalModelChoice.resolve(flag: "small", environment: ["SELFDEBUG_LOCAL_MODEL": "default"], configured: nil) == .small)
        #expect(throws: ModelError.self) { try LocalModelChoice.resolve(flag: "huge", environment: [:], configured: nil) }
        #expect(LocalModelChoice.standard.path(home: "/h") == "/h/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
        #expect(LocalModelChoice.small.installCommand == "scripts/install-local-model.sh --small")
    }

    @Test func theConfigurationFileNamesTheLocalModel() throws {
        let folder = try TemporaryFolder.make(prefix: "local-model-config")
        try "local_model: small\n".write(toFile: folder + "/.selfdebug.yml", atomically: true, encoding: .utf8)
        let settings = try Settings.load(projectFolder: folder, environment: ["HOME": folder])
        #expect(settings.localModel == "small")
        #expect(try LocalModelChoice.resolve(flag: nil, environment: [:], configured: settings.localModel) == .small)
        try "local_model: huge\n".write(toFile: folder + "/.selfdebug.yml", atomically: true, encoding: .utf8)
        #expect(throws: TaskFileError.self) { try Settings.load(projectFolder: folder, environment: ["HOME": folder]) }
    }

    /// A pinned model over a small file: size checked every time, the hash once (then the stamp).
    @Test func sizeAlwaysHashOnceThenTheStamp() throws {
        let home = try TemporaryFolder.make(prefix: "weights")
        try FileManager.default.createDirectory(atPath: home + "/models", withIntermediateDirectories: true)
        let content = Data("not really a model".utf8)
        let choice = LocalModelChoice(displayName: "Test", alias: "test", file: "test.gguf", bytes: content.count,
                                      sha256: try Self.sha256(of: content, in: home), installFlag: "--test")
        #expect(throws: ModelError.self) { try LocalModelWeights.verify(choice, home: home) }  // missing
        try content.write(to: URL(fileURLWithPath: choice.path(home: home)))
        let hashes = Counter()
        let hash: (String) throws -> String = { hashes.count += 1; return try LocalModelWeights.sha256($0) }
        try LocalModelWeights.verify(choice, home: home, hash: hash)
        try LocalModelWeights.verify(choice, home: home, hash: hash)
        #expect(hashes.count == 1)
        #expect(FileManager.default.fileExists(atPath: choice.path(home: home) + ".verified"))

        // Same size, other bytes, another mtime: hashed again and refused.
        try Data("not really a modeL".utf8).write(to: URL(fileURLWithPath: choice.path(home: home)))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: choice.path(home: home))
        #expect(throws: ModelError.self) { try LocalModelWeights.verify(choice, home: home, hash: hash) }
        #expect(hashes.count == 2)

        // A partial file: refused by its size, without hashing.
        try Data("short".utf8).write(to: URL(fileURLWithPath: choice.path(home: home)))
        #expect(throws: ModelError.self) { try LocalModelWeights.verify(choice, home: home, hash: hash) }
        #expect(hashes.count == 2)
    }

    @Test func llamaTimingsAreReadFromTheServerLog() {
        let log = """
        Llama.generate: 812 prefix-match hit, remaining 95 prompt tokens to eval
        llama_perf_context_print:        load time =     123.45 ms
        llama_perf_context_print: prompt eval time =    3000.00 ms /    95 tokens (   31.58 ms per token,    31.67 tokens per second)
        llama_perf_context_print:        eval time =    5000.00 ms /    70 runs   (   71.43 ms per token,    14.00 tokens per second)
        llama_perf_context_print:       total time =    8200.00 ms /   165 tokens
        llama_perf_context_print: prompt eval time =    1000.00 ms /    40 tokens (   25.00 ms per token,    40.00 tokens per second)
        llama_perf_context_print:        eval time =    1000.00 ms /    10 runs   (  100.00 ms per token,    10.00 tokens per second)
        """
        let timings = LlamaTimings.parse(log)
        #expect(timings.count == 2)
        #expect(timings[0] == LlamaTimings(cachedPromptTokens: 812, promptTokens: 95, promptMilliseconds: 3000, generatedTokens: 70, generationMilliseconds: 5000))
        #expect(timings[0].generationRate == 14)
        #expect(timings[1].cachedPromptTokens == nil)
        #expect(timings[1].promptRate == 40)
    }

    static func sha256(of data: Data, in folder: String) throws -> String {
        let path = folder + "/probe"
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try LocalModelWeights.sha256(path)
    }
}

/// A counter a non-escaping closure can bump.
final class Counter: @unchecked Sendable {
    var count = 0
}
