"""Run a command and report its wall time, CPU time and peak RSS (getrusage of the child), as JSON.
Node cannot read a child's rusage; Python's resource module can, so the figures are the child's own."""
import json, resource, subprocess, sys, time

start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "code": proc.returncode,
    "wall_s": wall,
    "cpu_s": ru.ru_utime + ru.ru_stime,
    "max_rss_mb": ru.ru_maxrss / 1024,
    "stdout_tail": proc.stdout[-2000:],
    "stderr_tail": proc.stderr[-2000:],
}))
