"""Helpers of benchmarks/run: running `hlhsim run` cases interleaved, medians, output."""
import math
import os
import platform
import statistics
import subprocess

import h5py


class Case:
    """One measured configuration: a config file, a thread count and --set overrides."""

    def __init__(self, config, threads, label="", overrides=None):
        self.config = config
        self.threads = threads
        self.label = label
        self.overrides = overrides or []


class Result:
    """Medians over the repetitions of one case."""

    def __init__(self, runs):
        self.wall = statistics.median(r["wall"] for r in runs)
        self.loops = [r["loop"] for r in runs]  # in the order of the rounds
        self.loop = statistics.median(self.loops)
        self.peak_rss = statistics.median(r["rss"] for r in runs)
        # CPU time the hypervisor gave to others during the runs (all CPUs): on a VM the
        # largest source of run-to-run spread, reported so that figures can be judged.
        self.steal = statistics.median(r["steal"] for r in runs)
        self.retries = sum(r["retries"] for r in runs)  # runs redone for steal (--max-steal-ms)
        self.min_wall = min(r["wall"] for r in runs)
        self.max_wall = max(r["wall"] for r in runs)
        self.info = runs[0]["info"]


def program(args, relative):
    exe = os.path.join(args.build, relative)
    if not os.access(exe, os.X_OK):
        raise SystemExit(f"benchmarks/run: {exe} not built (ninja -C {args.build} {os.path.basename(relative)})")
    return exe


def steal_seconds():
    """CPU seconds stolen by the hypervisor so far, summed over CPUs (/proc/stat); 0 if unknown."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK") if fields[0] == "cpu" else 0.0
    except (OSError, IndexError, ValueError):
        return 0.0


def run_once(args, case, tag):
    exe = program(args, "sim/cli/hlhsim")
    out = os.path.join(args.scratch, f"run_{tag}.h5")
    cmd = ["/usr/bin/time", "-v", exe, "run", case.config, "--threads", str(case.threads),
           "--quiet", "--out", out]
    for o in case.overrides:
        cmd += ["--set", o]
    steal = steal_seconds()
    p = subprocess.run(cmd, capture_output=True, text=True)
    steal = steal_seconds() - steal
    if p.returncode != 0:
        raise SystemExit(f"benchmarks/run: {' '.join(cmd)} failed:\n{p.stderr}")
    rss = wall = None
    for line in p.stderr.splitlines():
        line = line.strip()
        if line.startswith("Maximum resident set size"):
            rss = int(line.split(":")[1]) * 1024
        if line.startswith("Elapsed (wall clock) time"):
            wall = parse_clock(line.split(": ", 1)[1])
    with h5py.File(out, "r") as f:
        prov = f["provenance"].attrs
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in prov["phase_names"]]
        seconds = list(prov["phase_seconds"])
        loop_seconds = float(prov["loop_seconds"])
        periods = list(f.attrs["phase_periods_min"])
        duration = float(f.attrs["duration_min"])
        voxels = int(math.prod(f["grid"].attrs["n"])) if "grid" in f else 0
    os.remove(out)
    # The step loop less output (record and snapshot run alone, never beside another
    # phase); the phases' own times overlap where one ran beside the field steps.
    loop = loop_seconds - sum(s for n, s in zip(names, seconds) if n in ("record", "snapshot"))
    steps = {n: int(math.ceil(duration / p - 1e-9)) for n, p in zip(names, periods)}
    info = {"steps": steps, "duration": duration, "voxels": voxels,
            "phases": dict(zip(names, seconds))}
    return {"wall": wall, "loop": loop, "rss": rss, "steal": steal, "info": info}


def run_calm(args, case, tag):
    """run_once; with --max-steal-ms, done again (up to --steal-retries more times) while the
    host took more CPU than that during the run, keeping the try it disturbed least."""
    tries = [run_once(args, case, f"{tag}_0")]
    limit = getattr(args, "max_steal_ms", None)
    while (limit is not None and tries[-1]["steal"] * 1000 > limit
           and len(tries) <= args.steal_retries):
        tries.append(run_once(args, case, f"{tag}_{len(tries)}"))
    best = min(tries, key=lambda r: r["steal"])
    best["retries"] = len(tries) - 1
    return best


def paired_speedup(one, many):
    """Median over the rounds of one Result's loop time / another's: runs of one round ran
    one after the other, so a drift of the machine's speed between rounds cancels."""
    return statistics.median(a / b for a, b in zip(one.loops, many.loops))


def run_interleaved(args, cases, reps):
    """Runs every case `reps` times, round-robin, and returns a Result per case."""
    runs = [[] for _ in cases]
    for r in range(reps):
        for i, case in enumerate(cases):
            runs[i].append(run_calm(args, case, f"{i}_{r}"))
    return [Result(r) for r in runs]


def parse_clock(text):
    parts = [float(p) for p in text.split(":")]
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def parse_kv(line):
    kv = {}
    for token in line.split():
        if "=" in token:
            k, v = token.split("=", 1)
            kv[k] = v
    return kv


def size_name(n):
    return {10_000: "10k", 100_000: "100k", 1_000_000: "1m"}[n]


def side_for(n):
    """Domain side [um] at W1's density (one cell per 400 um^2), a whole number of 20 um voxels."""
    return max(20, int(round(math.sqrt(400.0 * n) / 20)) * 20)


def w1_line(n, threads, steps_label, sim_min, r, base_rss):
    mech = r.info["steps"].get("mechanics", 0)
    fields = r.info["steps"].get("fields", 0)
    agent_rate = n * mech / r.loop
    voxel_rate = r.info["voxels"] * 2 * fields / r.loop
    per_agent = (r.peak_rss - base_rss) / n
    return (f"W1 N={n} threads={threads} steps={steps_label} sim_min={sim_min:g} "
            f"wall_s={r.wall:.3f} loop_s={r.loop:.3f} wall_s_per_sim_min={r.wall / sim_min:.4f} "
            f"agent_updates_per_s={agent_rate:.3g} voxel_updates_per_s={voxel_rate:.3g} "
            f"bytes_per_agent={per_agent:.0f} peak_rss_MiB={r.peak_rss / 2**20:.0f} "
            f"wall_min_max=[{r.min_wall:.3f},{r.max_wall:.3f}] " + steal_text(r))


def steal_text(r):
    """A Result's steal_ms (and retried=K where runs were redone), for its key=value line."""
    return f"steal_ms={r.steal * 1000:.0f}" + (f" retried={r.retries}" if r.retries else "")


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.node()} {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


class Output:
    """Prints key=value lines (and appends them to a results file) and human tables."""

    def __init__(self, results_path):
        self.results_path = results_path

    def emit(self, line):
        print(line, flush=True)
        if self.results_path:
            with open(self.results_path, "a") as f:
                f.write(line + "\n")

    def table(self, lines, keys):
        rows = [[parse_kv(ln).get(k, "") for k in keys] for ln in lines]
        widths = [max(len(k), *(len(r[i]) for r in rows)) for i, k in enumerate(keys)]
        print()
        print("  ".join(k.ljust(w) for k, w in zip(keys, widths)))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print("  ".join(v.ljust(w) for v, w in zip(r, widths)))
        print(flush=True)
