import Foundation

/// `--feedback trace` in a benchmark: the first example that fails is run again under a tracer,
/// and the report ends with the solution's variables after each block of lines and what each call
/// returned (LDB's block-level trace, Zhong et al., 2024), so a model that was told only
/// `circular_shift(12, 2) returned '21', expected "12"` also sees which branch produced it. Only
/// the visible example's own run is traced: nothing of the hidden tests.
extension VisibleTests {
    /// The examples program's tracer: `__selfdebug_trace(code, call)` runs the compiled call under
    /// `sys.settrace`, follows only the solution's frames (the code above the examples), keeps the
    /// first and the last blocks (loops hide the middle) and stops after 20,000 lines.
    static let pythonTracer = #"""
    def __selfdebug_trace(code, call, limit=12, steps=20000):
        import sys
        here = __selfdebug_trace.__code__.co_filename
        first = __selfdebug_examples.__code__.co_firstlineno
        head, tail, state, total, budget = [], [], {}, [0], [steps]

        def short(value, width):
            try:
                text = repr(value)
            except Exception as error:
                text = '<repr failed: %s>' % type(error).__name__
            return text if len(text) <= width else text[:width] + '...'

        def variables(frame):
            shown = ['%s = %s' % (key, short(value, 60)) for key, value in frame.f_locals.items() if not key.startswith('__')]
            return ', '.join(shown[:8]) or '(no variables)'

        def close(frame, end, note=''):
            start = state[frame][0]
            total[0] += 1
            where = 'line %d' % start if start == end else 'lines %d-%d' % (start, end)
            block = '[%d] %s %s: %s%s' % (total[0], frame.f_code.co_name, where, variables(frame), note)
            if len(head) < limit // 2:
                head.append(block)
            else:
                tail.append(block)
                if len(tail) > limit - limit // 2:
                    tail.pop(0)

        def local(frame, event, arg):
            budget[0] -= 1
            if budget[0] < 0:
                return None
            if event == 'line':
                start, last = state.get(frame, (None, None))
                if start is None:
                    state[frame] = (frame.f_lineno, frame.f_lineno)
                elif frame.f_lineno != last + 1:
                    close(frame, last)
                    state[frame] = (frame.f_lineno, frame.f_lineno)
                else:
                    state[frame] = (start, frame.f_lineno)
            elif event == 'exception' and frame in state:
                close(frame, state[frame][1], ' -> raises %s: %s' % (arg[0].__name__, short(arg[1], 80)))
                state[frame] = (frame.f_lineno, frame.f_lineno)
            elif event == 'return' and frame in state:
                close(frame, state[frame][1], ' -> returns %s' % short(arg, 120))
                del state[frame]
            return local

        def start(frame, event, arg):
            code = frame.f_code
            if event == 'call' and budget[0] > 0 and code.co_filename == here and code.co_firstlineno < first:
                return local
            return None

        sys.settrace(start)
        try:
            eval(code, globals())
        except Exception:
            pass  # the raising block is in the trace
        finally:
            sys.settrace(None)
        if not head:
            return ''
        hidden = total[0] - len(head) - len(tail)
        middle = ['[... %d blocks not shown ...]' % hidden] if hidden > 0 else []
        stopped = ['[the trace stopped after %d lines]' % steps] if budget[0] < 0 else []
        return ('\n\nTrace of %s (your code: the variables after each block of lines, in order; %d block%s):\n'
                % (call, total[0], '' if total[0] == 1 else 's') + '\n'.join(head + middle + tail + stopped))


    """#

    /// The same examples with the tracer in their program (Python only: the caller checks).
    public func traced() -> VisibleTests {
        VisibleTests(examples: examples, program: Self.pythonProgram(examples, trace: true))
    }
}
