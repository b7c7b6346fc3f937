#!/usr/bin/env python3
"""nsnet benchmarks, side by side with the reference plugins and runtimes.

  bench.py run --out DIR [--smoke] --nsnet PATH --src DIR
      the whole benchmark: every phase in its own fresh sandbox, then
      DIR/RESULTS.md and DIR/add_latency.png
  bench.py phase NAME --json FILE [phase options]
      one phase, in the current (already sandboxed) namespaces
  bench.py report --out DIR
      RESULTS.md and the plot again from DIR/raw (no measuring)

scripts/bench is the entry point; it builds nsnet and calls `run`.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def phase_cni(args):
    import cni_round
    return cni_round.run_round(args.n, args.sample, args.nsnet, args.budget)


def phase_floor(args):
    import floor
    return floor.run_floor(args.n, args.netlink_floor, args.nsnet)


def phase_growth(args):
    import growth
    return growth.run_growth(args.n, args.reps, args.nsnet, args.netlink_floor)


def phase_ports(args):
    import ports
    return ports.run_ports(args.existing, args.reps, args.nsnet)


def phase_launcher(args):
    import launcher
    return launcher.run_launcher(args.reps, args.running, args.nsnet, args.src, args.workdir)


PHASES = {"cni": phase_cni, "floor": phase_floor, "growth": phase_growth,
          "ports": phase_ports, "launcher": phase_launcher}


def run_phase(args):
    if os.environ.get("NSNET_SANDBOX") != "1":
        sys.exit("bench.py phase: must run inside scripts/sandbox")
    result = PHASES[args.name](args)
    with open(args.json, "w") as f:
        json.dump(result, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--out", required=True)
    run.add_argument("--smoke", action="store_true")
    run.add_argument("--nsnet", required=True)
    run.add_argument("--src", required=True)
    run.add_argument("--netlink-floor")
    phase = sub.add_parser("phase")
    phase.add_argument("name", choices=sorted(PHASES))
    phase.add_argument("--json", required=True)
    phase.add_argument("--nsnet", required=True)
    phase.add_argument("--src")
    phase.add_argument("--n", type=int, default=10)
    phase.add_argument("--sample", type=int, default=100)
    phase.add_argument("--budget", type=float, default=600, help="seconds")
    phase.add_argument("--netlink-floor")
    phase.add_argument("--existing", type=int, default=1)
    phase.add_argument("--reps", type=int, default=10)
    phase.add_argument("--running", type=int, default=10)
    phase.add_argument("--workdir")
    report = sub.add_parser("report")
    report.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "phase":
        run_phase(args)
    elif args.command == "report":
        import driver
        driver.report_again(args.out)
    else:
        import driver
        driver.run_all(args)


if __name__ == "__main__":
    main()
