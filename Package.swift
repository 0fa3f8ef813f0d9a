// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "selfdebug",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "selfdebug", targets: ["selfdebug"]),
        .library(name: "SelfDebugCore", targets: ["SelfDebugCore"]),
        .library(name: "SelfDebugModels", targets: ["SelfDebugModels"]),
        .library(name: "SelfDebugExec", targets: ["SelfDebugExec"]),
        .library(name: "SelfDebugSandbox", targets: ["SelfDebugSandbox"]),
        .library(name: "SelfDebugEngineer", targets: ["SelfDebugEngineer"]),
        .library(name: "SelfDebugApp", targets: ["SelfDebugApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Pre-1.0: pinned exactly.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        // How a process ran (CommandRun, CapturedText): what the sandbox returns and the loop records.
        .target(name: "SelfDebugProcessRecord"),
        // The loop and its types: no network and no process I/O.
        .target(
            name: "SelfDebugCore",
            dependencies: ["SelfDebugProcessRecord", .product(name: "Yams", package: "Yams")]
        ),
        // Model clients over HTTP, and the embedded local model's server (started through the
        // sandbox target's process runner, the one way selfdebug starts a process).
        .target(name: "SelfDebugModels", dependencies: ["SelfDebugCore", "SelfDebugSandbox", "CCurl"]),
        // What defines the sandbox: its profiles, the process runner, and what runs inside it.
        // The Python harness is real .py files compiled into the binary (`.embedInCode`), so an
        // installed or copied `selfdebug` needs no resource bundle beside it (see PythonHarness.swift).
        .target(
            name: "SelfDebugSandbox",
            dependencies: ["SelfDebugProcessRecord", "CSystemShims"],
            path: "Sandbox",
            exclude: ["README.md"],
            resources: [
                "selfdebug_harness.py", "selfdebug_context.py", "selfdebug_asserts.py", "selfdebug_outcomes.py",
                "selfdebug_fastpath.py", "selfdebug_realpytest.py", "selfdebug_pytest_shim.py",
            ].map { .embedInCode("Harness/python/" + $0) }
        ),
        // Running code and tests in the sandbox: workspaces, the Python and Swift test runners.
        .target(name: "SelfDebugExec", dependencies: ["SelfDebugCore", "SelfDebugSandbox"]),
        // The engineer stage as a library: MetaGPT-shaped requests in, verified files out; run folders.
        .target(name: "SelfDebugEngineer", dependencies: ["SelfDebugCore", "SelfDebugExec", "SelfDebugSandbox"]),
        // Benchmark sets: problems, parallel workers with resume and shards, per-turn pass rates.
        .target(name: "SelfDebugBench", dependencies: ["SelfDebugCore", "SelfDebugEngineer"]),
        // The application: solve, fix, engineer and bench as services with typed results and errors,
        // the provider policy, Ctrl-C handling and the one exit-status mapping. The CLI and the MCP
        // server are adapters over it (no argument parsing, no protocol here).
        .target(
            name: "SelfDebugApp",
            dependencies: ["SelfDebugCore", "SelfDebugModels", "SelfDebugExec", "SelfDebugSandbox", "SelfDebugEngineer", "SelfDebugBench"]
        ),
        // glibc calls Swift's Glibc module does not expose.
        .target(name: "CSystemShims"),
        // libcurl's easy interface, with its variadic calls wrapped (Debian: libcurl4-openssl-dev).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        // The command-line interface.
        .executableTarget(
            name: "selfdebug",
            dependencies: [
                "SelfDebugApp", "SelfDebugCore", "SelfDebugModels", "SelfDebugExec", "SelfDebugSandbox", "SelfDebugEngineer", "SelfDebugBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        // A MetaGPT-style pipeline calling the engineer stage in-process (tested end to end).
        .executableTarget(
            name: "selfdebug-pipeline-example",
            dependencies: ["SelfDebugApp", "SelfDebugCore", "SelfDebugModels", "SelfDebugEngineer", "SelfDebugSandbox"],
            path: "Examples/pipeline",
            exclude: ["request.json", "reference.py"]
        ),
        .testTarget(name: "SelfDebugCoreTests", dependencies: ["SelfDebugCore", "TestSupport"]),
        // What the tests share: the scripted OpenAI-compatible server on loopback, temp folders.
        .target(name: "TestSupport", dependencies: ["SelfDebugCore", "SelfDebugSandbox"], path: "Tests/TestSupport"),
        .testTarget(name: "SelfDebugModelsTests", dependencies: ["SelfDebugModels", "SelfDebugCore", "TestSupport"]),
        .testTarget(name: "SelfDebugBenchTests", dependencies: ["SelfDebugBench", "SelfDebugCore", "SelfDebugExec", "SelfDebugSandbox"]),
        .testTarget(name: "SelfDebugAppTests", dependencies: ["SelfDebugApp", "SelfDebugCore", "SelfDebugModels", "SelfDebugEngineer", "TestSupport"]),
        .testTarget(name: "SelfDebugExecTests", dependencies: ["SelfDebugExec", "SelfDebugSandbox", "SelfDebugCore", "TestSupport"]),
        // Runs the built `selfdebug` binary (a dependency, so it is built first) end to end.
        .testTarget(name: "EndToEndTests", dependencies: ["selfdebug", "selfdebug-pipeline-example", "SelfDebugCore", "SelfDebugSandbox", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
