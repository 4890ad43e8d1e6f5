"""`cchc dossiers generate`: synthetic dossiers in the exchange format (docs/dossier-generator.md).

    cchc dossiers generate --count 1000000 --seed 42 [--orgs orgs.csv | --province P75]
        [--year 2026] [--out dossiers.csv | --database] [--orgs-out orgs.csv] [--jobs 2] [--quiet]

Same seed → same bytes. ``--database`` imports the same rows straight into the database (through
`cchc.dossiers.imports`, as `cchc dossiers import` would the file). Progress on stderr; bad input
exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from django.core.management.base import CommandParser

from cchc.core.actors import SYSTEM
from cchc.core.commands import ToolCommand
from cchc.dossiers.imports import dossiers_generate
from cchc.exchange.errors import ExchangeError
from cchc.exchange.generate import _vn, generate_files, print_progress, province_units, units_from_tree
from cchc.exchange.orgs import read_orgs, write_orgs


class Command(ToolCommand):
    help = "Sinh hồ sơ giả lập theo định dạng trao đổi (dossiers.csv), tái lập được theo seed."
    tool = "dossiers generate"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="số hồ sơ")
        parser.add_argument("--seed", default="0", help="hạt giống ngẫu nhiên (cùng seed → cùng tệp)")
        parser.add_argument("--orgs", help="cây đơn vị có sẵn (orgs.csv); mặc định: cây của --province")
        parser.add_argument(
            "--province", default="P75", help="tỉnh, thành phố (mã P75, P79, …); mặc định P75"
        )
        parser.add_argument("--year", type=int, default=2026, help="năm tiếp nhận (mặc định 2026)")
        parser.add_argument("--out", help="tệp dossiers.csv (mặc định: ra stdout)")
        parser.add_argument("--orgs-out", dest="orgs_out", help="ghi cây đơn vị đã dùng ra orgs.csv")
        parser.add_argument("--jobs", type=int, help="số tiến trình (mặc định: số CPU; không đổi kết quả)")
        parser.add_argument("--quiet", action="store_true", help="không in tiến độ")
        parser.add_argument(
            "--database",
            action="store_true",
            help="nhập thẳng vào cơ sở dữ liệu (cùng các dòng như tệp CSV của cùng seed), không ghi tệp",
        )

    def handle(self, *args, **options) -> None:
        seed = options["seed"]
        seed = int(seed) if isinstance(seed, str) and seed.lstrip("-").isdigit() else seed
        if options["database"]:
            self.into_database(seed, options)
            return
        progress = None if options["quiet"] else print_progress(sys.stderr)
        try:
            stats = generate_files(
                count=options["count"],
                seed=seed,
                out=options["out"],
                orgs=options["orgs"],
                orgs_out=options["orgs_out"],
                province=options["province"],
                year=options["year"],
                jobs=options["jobs"],
                stdout=getattr(self.stdout, "_out", self.stdout) if options["out"] is None else None,
                progress=progress,
            )
        except BrokenPipeError:
            raise  # the reader went away (`| head`): `cchc` stops quietly
        except (ExchangeError, ValueError, OSError) as exc:
            self.fail(str(exc))
            return
        if not options["quiet"]:
            sys.stderr.write(
                f"Đã sinh {_vn(stats.rows)} hồ sơ cho {stats.units} đơn vị trong {stats.seconds:.1f} giây "
                f"({_vn(stats.rate)} hồ sơ/giây).\n"
            )

    def into_database(self, seed, options) -> None:
        if options["out"]:
            self.fail("--out và --database không dùng cùng nhau")
        count, quiet, started = options["count"], options["quiet"], time.perf_counter()
        last = [0.0]

        def progress(lines: int) -> None:
            seconds = time.perf_counter() - started
            if not quiet and (seconds - last[0] >= 1.0 or lines >= count):
                last[0] = seconds
                self.stderr.write(
                    f"  {_vn(lines)} / {_vn(count)} hồ sơ ({100 * lines / max(count, 1):.0f}%), "
                    f"{_vn(lines / seconds)} hồ sơ/giây"
                )
                self.stderr.flush()

        try:
            units = (
                units_from_tree(read_orgs(options["orgs"]))
                if options["orgs"]
                else province_units(options["province"])
            )
            if options["orgs_out"]:
                write_orgs(options["orgs_out"], units)
            report = dossiers_generate(
                actor=SYSTEM, count=count, seed=seed, units=units, year=options["year"], progress=progress
            )
        except BrokenPipeError:
            raise  # the reader went away (`| head`): `cchc` stops quietly
        except (ExchangeError, ValueError, OSError) as exc:
            self.fail(str(exc))
            return
        seconds = time.perf_counter() - started
        if not quiet:
            for reason, n in Counter(bad.reason for bad in report.bad).most_common(10):
                self.stderr.write(f"  {_vn(n)} dòng: {reason}")
        self.stdout.write(
            f"Đã sinh và nhập {_vn(report.created)} hồ sơ ({_vn(report.events)} sự kiện) trong {seconds:.1f} giây "
            f"({_vn(report.created / seconds if seconds else 0)} hồ sơ/giây); {_vn(report.unchanged)} đã có, giữ nguyên; "
            f"{_vn(len(report.bad))} dòng bị bỏ qua."
        )
