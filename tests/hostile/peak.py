"""Run a command and write its peak RSS (KB) to a file: `python peak.py OUT CMD...`.

The harness's own `wait4` cannot measure a scan: a child forked from the test process starts with
that process's high-water mark (Linux keeps it across exec), so a large pytest process would be
charged to every scan. This small process forks the scan instead; its exit status is the scan's.
"""

import os
import signal
import sys

out, command = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as fh:
    fh.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
