"""Timed process execution, the way a container runtime execs a CNI plugin.

One posix_spawn (glibc's vfork-style clone) and one waitpid per call: the
time is the whole exec, from spawn to reaped exit. stdin, stdout and stderr
are memfds, so nothing is read or written while the clock runs.

wait4's ru_maxrss cannot be used as is for the peak RSS: a vfork child that
execs records the RSS of the mm it leaves, which is the benchmark's own
Python. Spawner(measure_rss=True) runs each call under GNU time (a small
process that forks) and reads its %M instead; its times are not comparable.
"""
import ctypes
import os
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Outcome:
    argv: list
    rc: int            # exit status, or -signal
    seconds: float
    max_rss_kib: int   # only with Spawner(measure_rss=True), else 0
    stdout: bytes
    stderr: bytes
    cpu_seconds: float = 0.0  # user + system CPU time of the process (wait4)

    def failure(self):
        """A one-line reason when the call failed, else None."""
        if self.rc == 0:
            return None
        text = (self.stdout + b" " + self.stderr).decode(errors="replace").strip()
        return f"{os.path.basename(self.argv[0])} exited {self.rc}: {' '.join(text.split())[:240]}"


CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


class Spawner:
    """Reuses three memfds for every call, so the per-call overhead is one
    spawn and one wait. With netns (a path such as /run/netns/NAME), each call
    is made from that network namespace: the calling thread enters it (untimed)
    and the child inherits it."""

    GNU_TIME = "/usr/bin/time"

    def __init__(self, measure_rss=False, netns=None):
        self._netns = os.open(netns, os.O_RDONLY | os.O_CLOEXEC) if netns else None
        self._rss_file = tempfile.NamedTemporaryFile(prefix="bench-rss") if measure_rss else None
        self._stdin = os.memfd_create("bench-stdin")
        self._stdout = os.memfd_create("bench-stdout")
        self._stderr = os.memfd_create("bench-stderr")

    def run(self, argv, env=None, stdin=b"", timeout=None):
        """Runs argv to its end; with timeout (seconds), kills it then and
        reports exit status 124 (for untimed set-up calls only: polling)."""
        if self._rss_file:
            outcome = self._spawn([self.GNU_TIME, "-q", "-o", self._rss_file.name, "-f", "%M"]
                                  + list(argv), env, stdin, timeout)
            outcome.argv = list(argv)
            with open(self._rss_file.name) as f:
                text = f.read().split()
            outcome.max_rss_kib = int(text[-1]) if text and text[-1].isdigit() else 0
            return outcome
        return self._spawn(argv, env, stdin, timeout)

    def _spawn(self, argv, env, stdin, timeout):
        if self._netns is not None and _libc.setns(self._netns, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns into the side's host netns")
        for fd in (self._stdin, self._stdout, self._stderr):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
        os.write(self._stdin, stdin)
        os.lseek(self._stdin, 0, os.SEEK_SET)
        actions = [(os.POSIX_SPAWN_DUP2, self._stdin, 0),
                   (os.POSIX_SPAWN_DUP2, self._stdout, 1),
                   (os.POSIX_SPAWN_DUP2, self._stderr, 2)]
        env = os.environ if env is None else env
        start = time.perf_counter_ns()
        try:
            pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        except OSError as e:
            return Outcome(argv=list(argv), rc=127, seconds=0.0, max_rss_kib=0, stdout=b"",
                           stderr=f"cannot exec {argv[0]}: {e.strerror}".encode())
        status, usage = self._wait(pid, timeout)
        seconds = (time.perf_counter_ns() - start) / 1e9
        if status is None:
            return Outcome(argv=list(argv), rc=124, seconds=seconds, max_rss_kib=0, stdout=b"",
                           stderr=f"killed after {timeout} s".encode())
        return Outcome(argv=list(argv), rc=os.waitstatus_to_exitcode(status), seconds=seconds,
                       max_rss_kib=0, stdout=self._read(self._stdout),
                       stderr=self._read(self._stderr),
                       cpu_seconds=usage.ru_utime + usage.ru_stime)

    @staticmethod
    def _wait(pid, timeout):
        """The wait status and resource usage, or None, None if it ran past
        timeout (then killed)."""
        if timeout is None:
            return os.wait4(pid, 0)[1:]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return status, usage
            time.sleep(0.01)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        return None, None

    @staticmethod
    def _read(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)


def check(outcome):
    """Raises RuntimeError with the reason if the call failed; returns it."""
    reason = outcome.failure()
    if reason:
        raise RuntimeError(reason)
    return outcome
