import sys

if "--soak" in sys.argv[1:]:  # the replica soak and scale benchmark (bench/soak.py)
    from bench.soak import main as soak

    raise SystemExit(soak([a for a in sys.argv[1:] if a != "--soak"]))

from bench.run import main  # noqa: E402

raise SystemExit(main())
