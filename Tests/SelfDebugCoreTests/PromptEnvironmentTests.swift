import Foundation
import Testing
@testable import SelfDebugCore

/// The environment sentence told to the model matches how its code is run.
@Suite("The environment sentence of the task prompt")
struct PromptEnvironmentTests {
    @Test func pythonProgramModeSaysTheHiddenTestsRunWithTheFile() {
        var task = TaskSpec(language: .python, solutionFiles: ["solution.py"], tests: [:], body: "Write add(a, b).")
        task.programTests = "assert add(1, 2) == 3\n"
        let prompt = Prompts.task(task, agentTestPath: nil, startingFiles: [:])
        #expect(prompt.contains("Your file and the hidden tests are run together as one program."))
        #expect(!prompt.contains("import your modules"))
    }

    @Test func pythonTestFileModeSaysTheTestsImportTheModules() {
        let task = TaskSpec(language: .python, solutionFiles: ["stats.py"], tests: ["test_stats.py": "from stats import mean\n"], body: "Write mean.")
        let prompt = Prompts.task(task, agentTestPath: nil, startingFiles: [:])
        #expect(prompt.contains("The tests import your modules from the working folder."))
        #expect(!prompt.contains("run together as one program"))
    }

    @Test func swiftProgramModeSaysOneMainFile() {
        var task = TaskSpec(language: .swift, solutionFiles: ["solution.swift"], tests: [:], body: "Write add(_:_:).")
        task.programTests = "assert(add(1, 2) == 3)\n"
        #expect(Prompts.task(task, agentTestPath: nil, startingFiles: [:]).contains("compiled together as one main.swift"))
    }
}
