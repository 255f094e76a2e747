#!/usr/bin/python3
"""Bar chart of the 2-thread speed-up over 1 thread, from benchmarks/run's key=value lines.

    benchmarks/plot_scaling.py RESULTS.txt OUT.png

One bar per W1 case (N, step sizes) and W2 case (2-D, 3-D), next to the speed-up that
trivially parallel arithmetic got on the same machine at the same time (CALIBRATION line):
on a shared VM the second core is often busy, and the bars should be read against that.
A case given by several runs (a file of several `benchmarks/run W1`) is drawn as the
median of its runs, with a line from the lowest to the highest.
Needs matplotlib (python3-matplotlib); nothing in the tests uses it.
"""
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def parse(path):
    lines = []
    with open(path) as f:
        for line in f:
            kv = {}
            for token in line.split():
                if "=" in token:
                    k, v = token.split("=", 1)
                    kv[k] = v
            lines.append((line.split()[0] if line.split() else "", kv))
    return lines


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    lines = parse(sys.argv[1])
    by_case = {}  # label -> (colour, speed-ups of its runs), in order of first appearance
    calib = [float(kv["speedup"]) for tag, kv in lines if tag == "CALIBRATION"]
    fine = [float(kv["fine_speedup"]) for tag, kv in lines
            if tag == "CALIBRATION" and "fine_speedup" in kv]
    for tag, kv in lines:
        if tag == "W1" and "speedup_vs_1_thread" in kv:
            n = int(kv["N"])
            label = f"W1 N={n // 1000}k\n{kv['steps']}"
            by_case.setdefault(label, ("#3b75af", []))[1].append(float(kv["speedup_vs_1_thread"]))
        if tag == "W2" and "speedup_vs_1_threads" in kv:
            label = f"W2 {kv['dims']}-D\nn={kv['n']}"
            by_case.setdefault(label, ("#d08c2f", []))[1].append(float(kv["speedup_vs_1_threads"]))
    labels = [f"{k}\n({len(v[1])} runs)" if len(v[1]) > 1 else k for k, v in by_case.items()]
    colours = [c for c, _ in by_case.values()]
    speedups = [statistics.median(runs) for _, runs in by_case.values()]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(labels) + 2), 4))
    ax.bar(range(len(labels)), speedups, color=colours)
    for i, (_, runs) in enumerate(by_case.values()):
        if len(runs) > 1:
            ax.plot([i, i], [min(runs), max(runs)], color="black", linewidth=1)
    ax.axhline(2.0, color="grey", linestyle=":", label="ideal (2 threads)")
    ax.axhline(1.8, color="#2e8b57", linestyle="-.", label="issue 6 target (1.8x)")
    if calib:
        ax.axhline(max(calib), color="#b03030", linestyle="--",
                   label=f"machine now: trivially parallel work ({min(calib):.2f}-{max(calib):.2f}x)")
    if fine:
        ax.axhline(max(fine), color="#7a4fa0", linestyle=(0, (1, 1)),
                   label=f"the same in ~100 us fork-joins ({min(fine):.2f}-{max(fine):.2f}x)")
    for i, (s, (_, runs)) in enumerate(zip(speedups, by_case.values())):
        ax.text(i, max(runs) + 0.03, f"{s:.2f}", ha="center", fontsize=9)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("speed-up, 2 threads vs 1")
    ax.set_ylim(0, 2.7)
    ax.set_title("hlhsim thread scaling (medians, same runs as benchmarks/README.md)")
    ax.legend(loc="upper center", ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
