#!/usr/bin/env python3
"""The PyTorch peer of `weightinit bench` (src/bench/torch.ts runs it when `import torch` works).

A line protocol, so that each case runs right after weightinit's on the same case (the machine's
speed moves within minutes here; cases timed side by side share its moment):
- stdin, first line: {"warmupMs", "budgetMs", "minReps", "maxReps", "longRunMs"};
- stdout, once torch is imported: {"torch": version, "threads": 1};
- then per stdin line {"id", "strategy", "shape", "unit"}, one stdout line {"id", "result"}:
  {"median", "best", "reps", "unit", "warm"} or {"skipped": why};
- it exits at the end of stdin.

Same method as the Node side: one thread (torch.set_num_threads(1)), float32, the in-place
initializers of torch.nn.init on a preallocated tensor in PyTorch's layout [out, in, *kernel],
a warm-up of at least warmupMs, then repetitions until budgetMs (at least minReps, at most
maxReps; one when a call takes longer than longRunMs); median and best, in M elements/s for the
fills ("M/s") and ms for orthogonal_ ("ms").
"""
import json
import math
import os
import statistics
import sys
import time

# One thread in every library torch may call, set before they load: torch.set_num_threads(1)
# does not reach an OpenBLAS that torch only reaches through LAPACK (Debian's python3-torch with
# libopenblas0-pthread: its orthogonal_ ran on both cores, CPU time twice the wall time).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import torch  # noqa: E402 (after the environment above)
from torch.nn import init  # noqa: E402

CALLS = {
    "uniform": lambda w: init.uniform_(w),
    "xavier-uniform": lambda w: init.xavier_uniform_(w),
    "he-uniform": lambda w: init.kaiming_uniform_(w, nonlinearity="relu"),
    "lecun-uniform": lambda w: init.kaiming_uniform_(w, nonlinearity="linear"),
    "normal": lambda w: init.normal_(w),
    "xavier-normal": lambda w: init.xavier_normal_(w),
    "he-normal": lambda w: init.kaiming_normal_(w, nonlinearity="relu"),
    "lecun-normal": lambda w: init.kaiming_normal_(w, nonlinearity="linear"),
    "truncated-normal": lambda w: init.trunc_normal_(w, mean=0.0, std=1.0, a=-2.0, b=2.0),
    "orthogonal": lambda w: init.orthogonal_(w),
}


def time_calls(run, cfg):
    """Wall times in ms after a warm-up (see the module's docstring)."""
    t = time.perf_counter()
    run()
    last = (time.perf_counter() - t) * 1e3
    if last > 5 * cfg["longRunMs"]:
        return [last], False
    start = time.perf_counter()
    while (time.perf_counter() - start) * 1e3 < cfg["warmupMs"]:
        t = time.perf_counter()
        run()
        last = (time.perf_counter() - t) * 1e3
    reps = 1 if last > cfg["longRunMs"] else cfg["maxReps"]
    ms = []
    begin = time.perf_counter()
    while len(ms) < reps and (
        len(ms) < cfg["minReps"] or (time.perf_counter() - begin) * 1e3 < cfg["budgetMs"]
    ):
        t = time.perf_counter()
        run()
        ms.append((time.perf_counter() - t) * 1e3)
    return ms, True


def round4(x):
    return float(f"{x:.4g}") if math.isfinite(x) else x


def measure(case, cfg):
    """One case's result (see the module's docstring)."""
    call = CALLS.get(case["strategy"])
    if call is None:
        return {"skipped": "no PyTorch call for " + case["strategy"]}
    w = torch.empty(case["shape"], dtype=torch.float32)
    with torch.no_grad():
        ms, warm = time_calls(lambda: call(w), cfg)
    n = w.numel()
    conv = (lambda t: n / t / 1e3) if case["unit"] == "M/s" else (lambda t: t)
    return {
        "median": round4(conv(statistics.median(ms))),
        "best": round4(conv(min(ms))),
        "reps": len(ms),
        "unit": case["unit"],
        "warm": warm,
    }


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    cfg = json.loads(sys.stdin.readline())
    torch.set_num_threads(1)
    torch.manual_seed(0)
    send({"torch": torch.__version__, "threads": torch.get_num_threads()})
    for line in sys.stdin:
        if line.strip():
            case = json.loads(line)
            send({"id": case["id"], "result": measure(case, cfg)})


if __name__ == "__main__":
    main()
