#!/usr/bin/env python3
"""Runs a command (or follows a running process) and samples, every
interval, how busy each of its threads is, how long its threads waited for
a core that another process held, its resident memory and how far it has
read its input: the timeline of an indexing run, to see which phases keep
only one core busy.

Usage: timeline.py [--interval S] [--csv FILE] [--input PATH] -- COMMAND...
       timeline.py [options] --pid PID

Per thread it reads /proc/PID/task/TID/stat (state, utime + stime) and
/proc/PID/task/TID/schedstat (nanoseconds on a core and waiting on a run
queue); per process /proc/PID/status (VmRSS, VmHWM) and, for --input, the
offset of the descriptor open on that file (/proc/PID/fdinfo). The run-queue
wait is CPU the run wanted while other processes had the cores: on a shared
machine, "busy + waiting" estimates the cores the run would keep busy alone.
A command is run directly (not under a wrapper such as /usr/bin/time, whose
own process would be sampled); its totals come from wait4(2).

Prints one line per sample and a summary: wall and CPU seconds, cores busy
and waiting on average, peak RSS, and the stretches in which fewer than
--serial-below cores were busy or waiting, with the thread that was. The
main thread (its id is the process id) reads the input and, after the
writers are joined, fills the spelling table and writes the facet cache.
Documented in README.md in this folder.
"""

import argparse
import csv
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def threads(pid):
    """{tid: (state, cpu seconds, run-queue wait seconds)} of every thread of pid."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                sched = f.read().split()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(tid)] = (fields[0], int(sched[0]) / 1e9, int(sched[1]) / 1e9)
    return out


def memory_mb(pid):
    """(VmRSS, VmHWM) of pid in MB."""
    rss = hwm = 0.0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, hwm


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


def finished(pid, child):
    if child:
        try:
            return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True
    return not os.path.exists("/proc/%d" % pid)


def sample_until_done(pid, child, args, input_path):
    """Samples pid until it ends; returns (samples, totals per thread, peak RSS)."""
    samples = []
    start = last_t = time.monotonic()
    last = {}
    totals = {}  # tid -> (cpu s, wait s) as last seen: a joined thread keeps its last value
    peak = 0.0
    base = {}
    if not child:
        # A process followed from the middle of its run: its times so far
        # are the base the first sample and the totals count from.
        base = last = threads(pid)
    while not finished(pid, child) and (not args.duration or time.monotonic() - start < args.duration):
        time.sleep(args.interval)
        now = time.monotonic()
        seen = threads(pid)
        if not seen:
            continue
        dt = now - last_t
        busy = {tid: (cpu - last.get(tid, (None, 0.0, 0.0))[1]) / dt for tid, (_, cpu, _) in seen.items()}
        waiting = sum((wait - last.get(tid, (None, 0.0, 0.0))[2]) / dt for tid, (_, _, wait) in seen.items())
        blocked = sum(1 for state, _, _ in seen.values() if state == "D")
        totals.update({tid: (cpu - base.get(tid, (None, 0.0, 0.0))[1], wait - base.get(tid, (None, 0.0, 0.0))[2])
                       for tid, (_, cpu, wait) in seen.items()})
        rss, hwm = memory_mb(pid)
        peak = max(peak, hwm, rss)
        # A thread asleep (state S) is blocked on a futex: the reader on a
        # full queue, a writer on an empty one (or a lock).
        sleeping_writers = sum(1 for tid, (state, _, _) in seen.items() if tid != pid and state == "S")
        sample = {"t": now - start, "busy": sum(busy.values()), "waiting": waiting, "threads": busy,
                  "in_disk_wait": blocked, "rss": rss, "input": input_offset_mb(pid, input_path),
                  "main_state": seen.get(pid, ("?",))[0], "sleeping_writers": sleeping_writers,
                  "writers": len(seen) - (pid in seen)}
        samples.append(sample)
        shown = " ".join("%s%d:%.2f" % ("main" if tid == pid else "t", tid, b)
                         for tid, b in sorted(busy.items()) if b >= 0.05)
        print("%7.1f s  busy %.2f  waiting %.2f  D %d  rss %6.0f MB  input %s  %s" % (
            sample["t"], sample["busy"], waiting, blocked, rss,
            "-" if sample["input"] is None else "%.0f MB" % sample["input"], shown), file=sys.stderr, flush=True)
        last_t, last = now, seen
    return samples, totals, peak, time.monotonic() - start


def write_csv(path, samples, pid):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t_s", "cores_busy", "cores_waiting", "main_busy", "others_busy", "threads_in_disk_wait",
                    "main_state", "others_asleep", "rss_mb", "input_mb"])
        for s in samples:
            main_busy = s["threads"].get(pid, 0.0)
            w.writerow(["%.1f" % s["t"], "%.2f" % s["busy"], "%.2f" % s["waiting"], "%.2f" % main_busy,
                        "%.2f" % (s["busy"] - main_busy), s["in_disk_wait"], s["main_state"],
                        s["sleeping_writers"], "%.0f" % s["rss"],
                        "" if s["input"] is None else "%.1f" % s["input"]])


def serial_stretches(samples, pid, below, interval):
    """Consecutive samples in which fewer than `below` cores were busy or waiting."""
    stretches, current = [], None
    for s in samples:
        if s["busy"] + s["waiting"] < below:
            top = max(s["threads"], key=s["threads"].get) if s["threads"] else 0
            if current is None:
                current = {"from": s["t"] - interval, "to": s["t"], "cpu": 0.0, "who": {}, "input": s["input"]}
            current["to"] = s["t"]
            current["cpu"] += s["busy"] * interval
            who = "main" if top == pid else "a writer"
            current["who"][who] = current["who"].get(who, 0) + 1
        elif current is not None:
            stretches.append(current)
            current = None
    if current is not None:
        stretches.append(current)
    return stretches


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between samples (default 1)")
    ap.add_argument("--csv", help="write every sample here")
    ap.add_argument("--input", help="the input file whose read offset to follow")
    ap.add_argument("--pid", type=int, help="follow this running process instead of running a command")
    ap.add_argument("--duration", type=float, help="with --pid: stop following after this many seconds")
    ap.add_argument("--serial-below", type=float, default=1.5,
                    help="a sample with fewer cores busy or waiting than this counts as serial (default 1.5)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if bool(command) == bool(args.pid):
        ap.error("give a command to run or --pid, not both")
    input_path = os.path.realpath(args.input) if args.input else None

    usage, rc = None, None
    if command:
        proc = subprocess.Popen(command)
        pid = proc.pid
        samples, totals, peak, wall = sample_until_done(pid, True, args, input_path)
        _, status, usage = os.wait4(pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        proc.returncode = rc
        what = " ".join(command)
    else:
        pid = args.pid
        samples, totals, peak, wall = sample_until_done(pid, False, args, input_path)
        what = "process %d, followed from when timeline.py attached" % pid
    if args.csv:
        write_csv(args.csv, samples, pid)

    sampled_cpu = sum(cpu for cpu, _ in totals.values())
    wait = sum(w for _, w in totals.values())
    cpu = usage.ru_utime + usage.ru_stime if usage else sampled_cpu
    peak = usage.ru_maxrss / 1024 if usage else peak
    print("\ntimeline: %s" % what)
    print("wall %.1f s, CPU %.1f s, cores busy %.2f on average; %.1f s waiting for a core other processes held "
          "(busy + waiting %.2f cores); peak RSS %.0f MB%s" % (
              wall, cpu, cpu / wall if wall else 0, wait, (cpu + wait) / wall if wall else 0, peak,
              ", exit %d" % rc if rc is not None else ""))
    main_cpu = totals.get(pid, (0.0, 0.0))[0]
    print("main thread %.1f s of CPU, the other threads %.1f s" % (main_cpu, sampled_cpu - main_cpu))
    disk = sum(s["in_disk_wait"] for s in samples) * args.interval
    print("thread-seconds in uninterruptible (disk) wait: %.0f" % disk)
    reading = [s for s in samples if s["input"] is not None and s["writers"] > 0]
    if reading:
        blocked_reader = [s for s in reading if s["main_state"] == "S"]
        print("while reading (%d samples): the reader asleep (blocked on a full queue) in %.0f%%, with %.1f of %d "
              "writers asleep (on empty queues) at those moments; writers asleep %.1f on average" % (
                  len(reading), 100.0 * len(blocked_reader) / len(reading),
                  sum(s["sleeping_writers"] for s in blocked_reader) / len(blocked_reader) if blocked_reader else 0,
                  reading[0]["writers"], sum(s["sleeping_writers"] for s in reading) / len(reading)))
    stretches = serial_stretches(samples, pid, args.serial_below, args.interval)
    serial = sum(s["to"] - s["from"] for s in stretches)
    print("under %.1f cores busy or waiting: %.0f s of %.0f s in %d stretches" % (
        args.serial_below, serial, wall, len(stretches)))
    for s in stretches:
        if s["to"] - s["from"] < 2 * args.interval:
            continue
        who = ", ".join("%s %d" % kv for kv in sorted(s["who"].items(), key=lambda kv: -kv[1]))
        print("  %6.1f-%6.1f s (%4.0f s, %.2f cores busy): busiest %s; input at %s" % (
            s["from"], s["to"], s["to"] - s["from"], s["cpu"] / (s["to"] - s["from"]), who,
            "-" if s["input"] is None else "%.0f MB" % s["input"]))
    return rc or 0


if __name__ == "__main__":
    sys.exit(main())
