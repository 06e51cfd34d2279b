"""The `carelens` command: the one composition root that knows every package."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from carelens.roi import roi
from carelens.settings import Settings, SettingsError
from carelens.users import users_app
from dashboards.accounts import AccountError
from dashboards.roles import ScopeError
from pipelines.errors import PipelineError

app = typer.Typer(
    name="carelens",
    help="Evidence from Digital Social Care Record exports: load, check and show.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(users_app)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB warehouse file (default: $CARELENS_WAREHOUSE or data/carelens.duckdb).",
    ),
]


def _settings(warehouse: Path | None) -> Settings:
    return Settings.from_env(os.environ, warehouse=warehouse)


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic inbox into.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 1,
    providers: Annotated[int, typer.Option(help="Number of providers in the ICB.")] = 12,
    months: Annotated[int, typer.Option(help="Months of history to generate.")] = 24,
    fault_rate: Annotated[
        float, typer.Option(help="Share of rows given a fault the pipeline must catch.")
    ] = 0.005,
) -> None:
    """Write ODE-1 exports and section 5 inputs for one synthetic ICB, with truth.json."""
    from pipelines.synthetic import generate_icb

    summary = generate_icb(
        out_dir=out, seed=seed, providers=providers, months=months, fault_rate=fault_rate
    )
    typer.echo(summary.describe())


@app.command()
def load(
    inbox: Annotated[Path, typer.Argument(help="Folder holding ODE-1 packages and inputs.")],
    warehouse: WarehouseOption = None,
) -> None:
    """Run the nightly load of INBOX into the warehouse.

    Exit codes: 0 clean; 1 loaded with quarantined rows; 2 something rejected or failed.
    """
    from pipelines.runner import run_nightly

    config = _settings(warehouse).pipeline_config(show_progress=sys.stderr.isatty())
    summary = run_nightly(inbox=inbox, config=config)
    typer.echo(summary.message)
    raise typer.Exit(summary.exit_code)


@app.command()
def schedule(
    inbox: Annotated[Path, typer.Argument(help="Folder holding ODE-1 packages and inputs.")],
    at: Annotated[
        str, typer.Option(help="Time of the nightly run, HH:MM, UK time (Europe/London).")
    ] = "02:00",
    warehouse: WarehouseOption = None,
    run_now: Annotated[bool, typer.Option(help="Also run once at start-up.")] = False,
) -> None:
    """Keep running and load INBOX every night at --at (send SIGUSR1 to load on demand)."""
    from pipelines.runner import run_nightly
    from pipelines.schedule import parse_time_of_day, run_forever

    settings = _settings(warehouse)
    run_forever(
        at=parse_time_of_day(at),
        job=lambda: run_nightly(inbox=inbox, config=settings.pipeline_config(show_progress=False)),
        run_now=run_now,
    )


@app.command()
def serve(
    warehouse: WarehouseOption = None,
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1).")] = 8050,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
) -> None:
    """Serve the dashboard, reading the warehouse read-only; users sign in (`carelens users`).

    Debug mode is always off. Cookies are HTTPS-only unless the host is a loopback address or
    CARELENS_COOKIE_SECURE=false; serve behind a TLS-terminating proxy (docs/security.md).
    """
    from dashboards.app import create_app

    config = _settings(warehouse).dashboard_config(host=host)
    if not config.cookie_secure:
        typer.echo(
            "carelens: warning: cookies are sent over plain HTTP (fine on this machine only)",
            err=True,
        )
    typer.echo(f"carelens dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
    create_app(config).run(host=host, port=port, debug=False)


app.command()(roi)


def main() -> None:
    """Run the CLI; expected failures print one clear line, never a traceback."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except SettingsError as error:
        typer.echo(f"carelens: settings: {error}", err=True)
        sys.exit(2)
    except (PipelineError, AccountError, ScopeError) as error:
        typer.echo(f"carelens: {error}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # last resort: the user sees one line, the log keeps the detail
        logging.getLogger("carelens").debug("unexpected error", exc_info=True)
        typer.echo(f"carelens: unexpected error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)
