"""bin/lancet-sql in a pseudo-terminal, as a user types: line editing, the Up arrow, history kept across
sessions, Ctrl-C at the prompt."""

import os
import signal
import tempfile

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROMPT = "lancet-sql> "
UP = "\x1bOA"  # what a terminal's Up key sends once the console turned on keypad mode (xterm's kcuu1)


def _sigint_at_default():
    # Run in the background (bin/test &, nohup, a CI runner), these tests ignore SIGINT and the console
    # would inherit that (pexpect resets no signal): a JVM started so never sees Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _console(tmp, history):
    opts = f"{os.environ.get('LANCET_JAVA_OPTS', '')} -Dlancet.history-file={history} -Dray.run-mode=LOCAL"
    env = dict(os.environ, LANCET_JAVA_OPTS=opts.strip(), TERM="xterm")  # bin/test's options (java.io.tmpdir) too
    child = pexpect.spawn(os.path.join(ROOT, "bin", "lancet-sql"), ["--warehouse", os.path.join(tmp, "wh")],
                          cwd=tmp, env=env, encoding="utf-8", timeout=180, dimensions=(40, 200),
                          preexec_fn=_sigint_at_default)
    child.expect_exact(PROMPT)
    return child


def test_the_up_arrow_recalls_statements_and_history_survives_a_restart():
    with tempfile.TemporaryDirectory(prefix="lancet-console-") as tmp:
        history = os.path.join(tmp, "history")
        child = _console(tmp, history)
        child.sendline("SELECT 40 + 2 AS answer;")
        child.expect(r"\| 42 +\|")
        child.expect_exact(PROMPT)
        child.send(UP)  # the last statement comes back for editing
        child.send("\r")
        child.expect(r"\| 42 +\|")
        child.expect_exact(PROMPT)
        assert "^[[A" not in child.before
        # Ctrl-C at the prompt drops what was typed; the next statement runs alone.
        child.send("SELECT 'dropped'")
        child.sendintr()
        child.sendline("SELECT 7 AS seven;")
        child.expect(r"\| 7 +\|")
        child.expect_exact(PROMPT)
        assert "| dropped" not in child.before and "Error" not in child.before, child.before
        child.sendline("exit;")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        with open(history, encoding="utf-8") as f:
            saved = f.read()
        assert "SELECT 40 + 2 AS answer;" in saved and "SELECT 7 AS seven;" in saved, saved

        again = _console(tmp, history)
        again.send(UP + UP)  # the last session's lines: 'exit;', then 'SELECT 7 AS seven;'
        again.send("\r")
        again.expect(r"\| 7 +\|")
        again.expect_exact(PROMPT)
        again.sendline("exit;")
        again.expect(pexpect.EOF)
