"""Re-index everything the search covers (or some kinds), in batches.

Run after loading data without signals (bulk loads, the demo data, the benchmark) and after
deploying the search for the first time.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from navet.search import indexing, registry


class Command(BaseCommand):
    help = "Rebuild the search index from the registered providers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="Only this kind (repeatable): " + ", ".join(registry.kinds()),
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = set(options["kind"]) - set(registry.kinds())
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        verbose = options["verbosity"] > 1

        def progress(kind: str, done: int) -> None:
            if verbose:
                self.stdout.write(f"{kind}: {done}")

        counts = indexing.rebuild(
            options["kind"], batch_size=options["batch_size"], progress=progress
        )
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} indexed")
