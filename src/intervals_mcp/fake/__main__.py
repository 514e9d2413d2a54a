"""Run the fake for a person: `python -m intervals_mcp.fake --port 8777 --seed 7 --latency 0.1`."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from intervals_mcp.fake.demo import load_demo_athlete
from intervals_mcp.fake.generate import generate_athlete
from intervals_mcp.fake.profile import TIMEZONE
from intervals_mcp.fake.ratelimit import RateLimit
from intervals_mcp.fake.server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m intervals_mcp.fake",
                                     description="Serve a fake Intervals.icu on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8777, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=7, help="synthetic athlete seed")
    parser.add_argument("--years", type=float, default=5.0, help="years of synthetic history")
    parser.add_argument("--athlete-id", default="i12345")
    parser.add_argument("--timezone", default=TIMEZONE, help="the athlete's IANA time zone")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the athlete's today, YYYY-MM-DD (default: the real today)")
    parser.add_argument("--demo", action="store_true",
                        help="serve the fixed demo athlete from data/demo_athlete instead")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--api-key", default="demo", help="the key clients must send")
    parser.add_argument("--no-rate-limit", action="store_true",
                        help="disable the 10 requests/s token bucket")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    store = (load_demo_athlete(args.today) if args.demo
             else generate_athlete(args.seed, args.years, args.today, args.athlete_id, args.timezone))
    serve_forever(store, host=args.host, port=args.port, api_key=args.api_key,
                  latency=args.latency, rate_limit=None if args.no_rate_limit else RateLimit())


if __name__ == "__main__":
    main()
