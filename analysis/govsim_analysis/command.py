"""Running the govsim binary from Python (notebooks, scripts, tests).

    from govsim_analysis import govsim, load_run
    govsim("run", "--days", 30, "--seed", 1, "-o", "default.h5")   # returns what govsim printed
    run = load_run("default.h5")

Arguments are passed as they are, each converted with str(). The binary is, in this
order: the argument ``executable``; the environment variable ``GOVSIM``; ``build/govsim``
in the current directory or the nearest parent that has one (so a notebook opened in
``notebooks/`` finds ``../build/govsim``); ``govsim`` on ``PATH``.
"""
import os
import shutil
import subprocess
from pathlib import Path


class GovsimError(RuntimeError):
    """govsim exited with a non-zero status; the message is what it wrote to stderr."""

    def __init__(self, cmd, returncode, stdout, stderr):
        self.cmd, self.returncode, self.stdout, self.stderr = cmd, returncode, stdout, stderr
        detail = stderr.strip() or stdout.strip() or "(no message)"
        super().__init__(f"{' '.join(cmd)} exited with status {returncode}:\n{detail}")


def _executable_file(path):
    return path.is_file() and os.access(path, os.X_OK)


def find_govsim(executable=None):
    """Path of the govsim binary (see the module docstring for the order of search)."""
    if executable:
        return str(executable)
    env = os.environ.get("GOVSIM")
    if env:
        return env
    here = Path.cwd()
    for d in (here, *here.parents):
        if _executable_file(d / "build" / "govsim"):
            return str(d / "build" / "govsim")
    found = shutil.which("govsim")
    if found:
        return found
    raise FileNotFoundError("no govsim binary found: set the environment variable GOVSIM to its "
                            "path (for example build/govsim), or put govsim on PATH")


def govsim(*args, executable=None, check=True):
    """Runs ``govsim ARGS...`` and returns its standard output (text).

    Raises GovsimError, with govsim's own message, when it exits with a non-zero
    status (unless check=False).
    """
    cmd = [find_govsim(executable), *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if check and proc.returncode:
        raise GovsimError(cmd, proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout
