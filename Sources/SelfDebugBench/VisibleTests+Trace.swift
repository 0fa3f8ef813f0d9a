import Foundation

/// `--feedback trace` in a benchmark: the first example that fails is run again under a tracer,
/// and the report ends with the solution's variables after each block of lines and what each call
/// returned (LDB's block-level trace, Zhong et al., 2024), so a model that was told only
/// `circular_shift(12, 2) returned '21', expected "12"` also sees which branch produced it. Only
/// the visible example's own run is traced: nothing of the hidden tests.
extension VisibleTests {
    /// The examples program's tracer: `__selfdebug_trace(code, call)` runs the compiled call under
    /// the harness's tracer (`trace_call` in `selfdebug_fastpath.py`, which `--feedback trace`
    /// uses for test files too), following only the solution's frames: the code above the examples.
    static let pythonTracer = #"""
    def __selfdebug_trace(code, call):
        try:
            from selfdebug_fastpath import trace_call
        except ImportError:  # not run by selfdebug's harness
            return ''
        here = __selfdebug_trace.__code__.co_filename
        first = __selfdebug_examples.__code__.co_firstlineno

        def run():
            try:
                eval(code, globals())
            except Exception:
                pass  # the raising block is in the trace

        traced = trace_call(run, lambda code: code.co_filename == here and code.co_firstlineno < first,
                            lambda frame: frame.f_code.co_name, limit=12)
        if traced is None:
            return ''
        blocks, total = traced
        return ('\n\nTrace of %s (your code: the variables after each block of lines, in order; %d block%s):\n'
                % (call, total, '' if total == 1 else 's') + '\n'.join(blocks))


    """#

    /// How a traced examples program runs: an example whose call raised (the one `check` was
    /// calling) gets the trace of that call as a note on the exception, which the harness reports
    /// after the traceback; the traceback itself is the exception's own.
    static let pythonTracedRun = #"""
    __selfdebug_calling = []
    try:
        __selfdebug_examples()
    except Exception as error:
        if __selfdebug_calling:
            error.__notes__ = list(getattr(error, '__notes__', [])) + [__selfdebug_trace(*__selfdebug_calling[0]).strip()]
        raise

    """#

    /// The same examples with the tracer in their program (Python only: the caller checks).
    public func traced() -> VisibleTests {
        VisibleTests(examples: examples, program: Self.pythonProgram(examples, trace: true))
    }
}
