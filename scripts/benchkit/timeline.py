#!/usr/bin/env python3
"""Runs a command and samples, every interval, how busy each of its threads
is, its resident memory and how far it has read its input: the timeline of
an indexing run, to see which phases keep only one core busy.

Usage: timeline.py [--interval S] [--csv FILE] [--input PATH] -- COMMAND...

The command is run directly (not under a wrapper such as /usr/bin/time,
whose own process would be sampled): its totals come from wait4(2). Reads
/proc/PID/task/*/stat (utime + stime of each thread), /proc/PID/status
(VmRSS) and, for --input, the file offset of the descriptor open on it
(/proc/PID/fdinfo). Prints one line per sample and a summary: wall and CPU
seconds, cores busy on average, peak RSS, and the stretches during which
fewer than --serial-below cores were busy, with the thread that was. The
main thread (its id is the process id) is the one that reads the input and,
after the writers are joined, fills the spelling table and writes the facet
cache. Documented in README.md in this folder.
"""

import argparse
import csv
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def thread_ticks(pid):
    """{tid: user+system ticks} of every thread of pid."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(tid)] = int(fields[11]) + int(fields[12])
    return out


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def input_offset_mb(pid, path):
    """The offset of pid's descriptor open on `path`, in MB, else None."""
    if not path:
        return None
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) != path:
                    continue
                with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                    return int(f.readline().split()[1]) / 1e6
            except OSError:
                continue
    except OSError:
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between samples (default 1)")
    ap.add_argument("--csv", help="write every sample here")
    ap.add_argument("--input", help="the input file whose read offset to follow")
    ap.add_argument("--serial-below", type=float, default=1.5,
                    help="a sample with fewer cores busy than this counts as serial (default 1.5)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command to run")
    input_path = os.path.realpath(args.input) if args.input else None

    start = time.monotonic()
    proc = subprocess.Popen(command)
    pid = proc.pid
    samples = []  # (t, cores busy, {tid: busy}, rss MB, input MB)
    last_t, last = start, {}
    peak = 0.0
    while True:
        time.sleep(args.interval)
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                break
        except ChildProcessError:
            break
        now = time.monotonic()
        ticks = thread_ticks(pid)
        if not ticks:
            continue
        dt = now - last_t
        busy = {tid: (t - last.get(tid, 0)) / TICKS / dt for tid, t in ticks.items()}
        rss = rss_mb(pid)
        peak = max(peak, rss)
        samples.append((now - start, sum(busy.values()), busy, rss, input_offset_mb(pid, input_path)))
        s = samples[-1]
        threads = " ".join("%s%d:%.2f" % ("main" if tid == pid else "t", tid, b)
                           for tid, b in sorted(busy.items()) if b >= 0.05)
        print("%7.1f s  cores %.2f  rss %6.0f MB  input %s  %s" % (
            s[0], s[1], rss, "-" if s[4] is None else "%.0f MB" % s[4], threads), file=sys.stderr, flush=True)
        last_t, last = now, ticks
    # The command's own totals (sampling misses what a thread did after its
    # last sample): user + system CPU and peak RSS, as GNU time reports them.
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc

    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["t_s", "cores_busy", "main_busy", "other_busy", "threads_busy", "rss_mb", "input_mb"])
            for t, cores, busy, rss, offset in samples:
                main_busy = busy.get(pid, 0.0)
                w.writerow(["%.1f" % t, "%.2f" % cores, "%.2f" % main_busy, "%.2f" % (cores - main_busy),
                            sum(1 for b in busy.values() if b >= 0.5), "%.0f" % rss,
                            "" if offset is None else "%.1f" % offset])

    cpu = usage.ru_utime + usage.ru_stime
    print("\ntimeline: %s" % " ".join(command))
    print("wall %.1f s, CPU %.1f s (user %.1f, system %.1f), cores busy %.2f on average, peak RSS %.0f MB "
          "(%.0f MB in the samples), exit %d" % (wall, cpu, usage.ru_utime, usage.ru_stime, cpu / wall if wall else 0,
                                                 usage.ru_maxrss / 1024, peak, rc))
    # Serial stretches: consecutive samples under the threshold.
    stretch = None
    stretches = []
    for t, cores, busy, _, offset in samples:
        if cores < args.serial_below:
            top = max(busy, key=busy.get) if busy else 0
            if stretch is None:
                stretch = {"from": t - args.interval, "to": t, "cpu": 0.0, "threads": {}, "input": offset}
            stretch["to"] = t
            stretch["cpu"] += cores * args.interval
            who = "main" if top == pid else "writer %d" % top
            stretch["threads"][who] = stretch["threads"].get(who, 0) + 1
        elif stretch is not None:
            stretches.append(stretch)
            stretch = None
    if stretch is not None:
        stretches.append(stretch)
    serial = sum(s["to"] - s["from"] for s in stretches)
    print("under %.1f cores busy: %.0f s of %.0f s in %d stretches" % (args.serial_below, serial, wall, len(stretches)))
    for s in stretches:
        if s["to"] - s["from"] < 2 * args.interval:
            continue
        who = ", ".join("%s %d" % kv for kv in sorted(s["threads"].items(), key=lambda kv: -kv[1]))
        print("  %6.1f-%6.1f s (%4.0f s, %.2f cores): busiest %s; input at %s" % (
            s["from"], s["to"], s["to"] - s["from"], s["cpu"] / (s["to"] - s["from"]), who,
            "-" if s["input"] is None else "%.0f MB" % s["input"]))
    return rc


if __name__ == "__main__":
    sys.exit(main())
