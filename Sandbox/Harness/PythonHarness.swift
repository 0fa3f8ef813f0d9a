// The Python test harness: what runs inside the sandbox for Python tests (`PythonTestRunner`
// starts it). Its source is the .py files in Harness/python/, linted and tested as Python
// (Tests/PythonHarnessTests); Sandbox/README.md describes what it does and what it defends.
//
// Why `.embedInCode` and not `Bundle.module`: on Linux, `Bundle.module` looks for the resource
// bundle beside the executable, then at the absolute path of the build folder, and stops the
// program (fatalError) when neither exists, so a `selfdebug` copied or installed elsewhere would
// crash once the build folder is gone (checked with Swift 6.3 on Linux). Embedded files keep the
// binary self-contained, as the harness was when it was a string literal.

/// The Python harness's files, as compiled into the binary.
public enum PythonHarness {
    /// The file the interpreter starts; its modules are imported from the same folder.
    public static let fileName = "selfdebug_harness.py"

    /// Every file of the harness, by name: they are written together into one folder.
    public static let files: [String: String] = [
        "selfdebug_harness.py": text(PackageResources.selfdebug_harness_py),
        "selfdebug_context.py": text(PackageResources.selfdebug_context_py),
        "selfdebug_asserts.py": text(PackageResources.selfdebug_asserts_py),
        "selfdebug_outcomes.py": text(PackageResources.selfdebug_outcomes_py),
        "selfdebug_fastpath.py": text(PackageResources.selfdebug_fastpath_py),
        "selfdebug_realpytest.py": text(PackageResources.selfdebug_realpytest_py),
        "selfdebug_pytest_shim.py": text(PackageResources.selfdebug_pytest_shim_py),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
