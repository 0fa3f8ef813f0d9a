import Foundation
import SelfDebugCore

/// One problem of a benchmark set (SPEC's JSONL format; ../shared/benchdata).
public struct BenchProblem: Codable, Sendable, Equatable {
    /// A unique id (`HumanEval/0`).
    public var id: String
    /// `python` or `swift`.
    public var language: Language
    /// What the model sees: a signature with a docstring, a description, or a buggy program.
    public var prompt: String
    /// The function the tests call.
    public var entryPoint: String
    /// Test code run after the solution, as one program.
    public var tests: String
    /// A correct solution, when the set has one.
    public var canonicalSolution: String?
    /// Repair sets (QuixBugs): what to do with the program in `prompt`.
    public var instruction: String?
    /// `--show-first-test`: the first hidden assert was added to the prompt as an example
    /// (``showingFirstTest()``); never read from a set's file.
    public var firstTestShown: Bool?

    /// Reads a JSONL file; a bad line is an error naming its line number.
    public static func load(_ path: String) throws -> [BenchProblem] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BenchError(description: "cannot read \(path)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var problems: [BenchProblem] = []
        var ids = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                let problem = try decoder.decode(BenchProblem.self, from: Data(line.utf8))
                guard ids.insert(problem.id).inserted else { throw BenchError(description: "duplicate id \(problem.id)") }
                problems.append(problem)
            } catch let error as BenchError {
                throw BenchError(description: "\(path):\(index + 1): \(error.description)")
            } catch {
                throw BenchError(description: "\(path):\(index + 1): not a benchmark problem (needs id, language, prompt, entry_point, tests): \(error)")
            }
        }
        guard !problems.isEmpty else { throw BenchError(description: "\(path) holds no problems") }
        return problems
    }

    /// The file the model writes.
    public var solutionFile: String { language == .python ? "solution.py" : "Solution.swift" }

    /// The task the loop works on: the prompt as the model sees it, the tests hidden and appended
    /// to the solution as one program (in `visible` mode the examples read from the prompt,
    /// unvetted, give the feedback).
    public func task(maxIterations: Int, timeout: Double, feedback: FeedbackTests = .hidden) -> TaskSpec {
        task(maxIterations: maxIterations, timeout: timeout, feedback: feedback, visibleTests: VisibleTests.of(self))
    }

    /// The task with the given visible tests in `visible` mode (the benchmark passes
    /// ``VisibleTests/vetted(_:timeout:run:)``'s; nil: the problem has none).
    public func task(maxIterations: Int, timeout: Double, feedback: FeedbackTests, visibleTests: VisibleTests?) -> TaskSpec {
        let body = Prompts.benchmarkTask(id: id, language: language, prompt: prompt, entryPoint: entryPoint, instruction: instruction)
        // Repair sets start from the program to correct.
        let starting = instruction == nil ? [:] : [solutionFile: prompt]
        var task = TaskSpec(
            title: id, language: language, solutionFiles: [solutionFile], tests: [:], timeout: timeout,
            maxIterations: maxIterations, body: body, startingFiles: starting, source: id)
        task.programTests = tests
        if feedback == .visible, let visible = visibleTests {
            task.programTests = visible.program
            task.programTestsAreExamples = true
        }
        return task
    }

    /// A folder name for the problem's run folder.
    public var folderName: String { Self.folderName(for: id) }

    /// The run folder's name for the problem `id`.
    public static func folderName(for id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

/// A benchmark problem's result, one line of `results.jsonl`.
public struct BenchRecord: Codable, Sendable, Equatable {
    /// The problem.
    public var id: String
    /// `solved`, `unsolved` or `error`.
    public var status: String
    /// The turn whose code passed (0: the first answer, 1: after one debugging turn...).
    public var solvedAtTurn: Int?
    /// Model turns taken.
    public var iterations: Int
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// Seconds for the problem.
    public var wallSeconds: Double
    /// Seconds running code.
    public var execSeconds: Double
    /// Seconds waiting for the model.
    public var llmSeconds: Double
    /// The problem's run folder.
    public var runDir: String
    /// The error, when there was one.
    public var error: String?
    /// Which tests gave the feedback: `visible` (the prompt's examples) or `hidden` (oracle).
    public var feedbackTests: String?
    /// Honest mode: the problem had examples the model could be shown.
    public var hadExamples: Bool?
    /// Honest mode: the submitted version passed the visible examples (whatever the hidden tests said).
    public var visiblePassed: Bool?
    /// Model calls made (turns, plus re-asks after a repeated version and free reads).
    public var llmCalls: Int?
    /// Whether the first answer was an earlier run's (a paired comparison, ``PairedFirstAnswer``).
    public var pairedFirstAnswer: Bool?
    /// The problem's first hidden assert was shown in its prompt (`--show-first-test`).
    public var firstTestShown: Bool?
    /// What the model saw of earlier turns (``ConversationStyle``), in a debugging run; absent in
    /// resampling and in records written before it was kept.
    public var conversation: String?
    /// Honest mode: the prompt's examples left out because the reference solution fails them
    /// (``VisibleTests/vetted(_:timeout:run:)``); absent when none were.
    public var examplesLeftOut: Int?

    /// Creates a record.
    public init(id: String, status: String, solvedAtTurn: Int?, iterations: Int, promptTokens: Int, completionTokens: Int,
                wallSeconds: Double, execSeconds: Double, llmSeconds: Double, runDir: String, error: String? = nil) {
        self.id = id
        self.status = status
        self.solvedAtTurn = solvedAtTurn
        self.iterations = iterations
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.wallSeconds = wallSeconds
        self.execSeconds = execSeconds
        self.llmSeconds = llmSeconds
        self.runDir = runDir
        self.error = error
    }
}

/// A benchmark problem in words.
public struct BenchError: Error, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    /// Creates an error.
    public init(description: String) { self.description = description }
}
