// A MetaGPT-style pipeline in Swift: a product manager's requirement, an architect's design and a
// project manager's task list go to selfdebug's engineer stage in-process; QA's tests decide.
// Run: OPENAI_BASE_URL=http://127.0.0.1:8080/v1 swift run selfdebug-pipeline-example [RUN_FOLDER]
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugModels
import SelfDebugSandbox

@main
enum PipelineExample {
    /// Product manager: what to build.
    static let requirement = """
    A small library for a thermostat app: convert temperatures between Celsius and Fahrenheit, \
    and classify a temperature in Celsius as "freezing" (below 0), "cold" (0 up to 15), \
    "mild" (15 up to 25) or "hot" (25 and above).
    """

    /// Architect: the file list and the interfaces.
    static let design = """
    Files: thermo.py
    - celsius_to_fahrenheit(c: float) -> float
    - fahrenheit_to_celsius(f: float) -> float
    - classify(c: float) -> str   # "freezing" | "cold" | "mild" | "hot"
    """

    /// Project manager: the tasks, in order.
    static let tasks = ["Write the two conversion functions.", "Write classify with the four bands, boundaries as stated."]

    /// QA: the acceptance tests.
    static let tests = [
        "test_thermo.py": """
        import pytest
        from thermo import celsius_to_fahrenheit, fahrenheit_to_celsius, classify

        def test_conversions():
            assert celsius_to_fahrenheit(100) == 212
            assert fahrenheit_to_celsius(32) == 0
            assert fahrenheit_to_celsius(celsius_to_fahrenheit(37.5)) == pytest.approx(37.5)

        @pytest.mark.parametrize("c,label", [(-5, "freezing"), (0, "cold"), (14.9, "cold"), (15, "mild"), (25, "hot")])
        def test_classify(c, label):
            assert classify(c) == label
        """,
    ]

    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        do {
            // The model selfdebug itself would pick (SPEC "Which model answers"): the environment
            // (OPENAI_BASE_URL, OPENAI_API_KEY, ANTHROPIC_API_KEY, SELFDEBUG_MODEL...), then the
            // project's and the user's configuration files, else the embedded local model.
            let settings = try Settings.load(environment: environment)
            let model = try ModelSelection().makeModel(environment: environment, settings: settings, onRetry: nil)
            let stage = EngineerStage(model: model.client, modelName: model.name, sandbox: try BubblewrapSandbox())
            let request = EngineerRequest(
                requirement: requirement, design: design, tasks: tasks, language: .python, files: ["thermo.py"], tests: tests,
                limits: .init(maxIterations: 4, timeout: 20))
            let folder = try RunFolder.create(out: CommandLine.arguments.dropFirst().first, slug: "pipeline-thermostat")
            let result = try await stage.run(request, runFolder: folder)
            print(try result.json())
            finish(ExitStatus(for: result, interrupted: false))
        } catch {
            FileHandle.standardError.write(Data("pipeline: \(error)\n".utf8))
            finish(ExitStatus(for: error))
        }
    }

    /// Exits with selfdebug's statuses (README, "Exit status"), stopping the embedded local model's
    /// server if it was started (`exit` runs no `defer`).
    static func finish(_ status: ExitStatus) -> Never {
        LocalModelServer.stopShared()
        exit(status.rawValue)
    }
}
