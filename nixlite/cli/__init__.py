"""The `nixlite` command: a click group whose subcommands load lazily.

Each subcommand lives in its own module (`nixlite/cli/<name>.py`, exposing a
click command named `command`) and is imported only when invoked, so
`nixlite --help` and `nixlite eval -E '1 + 1'` stay fast.  `main()` is the
only place that turns an unexpected exception into "internal error".
"""
from __future__ import annotations

import importlib
import sys

import click

from nixlite import __version__

#: subcommand name -> (module, one-line help); the module defines `command`.
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("nixlite.cli.parse", "Parse a Nix file or expression; print the AST with --dump."),
    "eval": ("nixlite.cli.eval", "Evaluate a Nix file or a containers module and print the result."),
    "options": ("nixlite.cli.options", "List the containers module's options, types and defaults."),
    "render": ("nixlite.cli.render", "Render the artifacts NixOS (or another target) would build."),
    "diff": ("nixlite.cli.diff", "Compare rendered artifacts with a real NixOS build."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (mod, _) in COMMANDS.items() if _module_exists(mod)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _module_exists(COMMANDS[name][0]):
            return None
        return importlib.import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nixlite")
def cli() -> None:
    """nixlite: evaluate Nix and render NixOS containers without Nix.

    \b
    Typical use:
      nixlite eval containers.nix            resolved container options
      nixlite render containers.nix -o out/  the files NixOS would build
      nixlite diff containers.nix --against /mnt/nixos
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: never lets a Python traceback reach the user."""
    from nixlite.errors import NixliteError

    try:
        cli.main(args=argv, prog_name="nixlite", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code if e.exit_code != 1 else 2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except NixliteError as e:
        from nixlite.cli.diagnostics import print_error
        print_error(e)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except (RecursionError, MemoryError) as e:
        click.echo(f"error: {type(e).__name__}: evaluation too deep or too large", err=True)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - the last line of defence
        import traceback
        click.echo(f"nixlite: internal error, please report: {type(e).__name__}: {e}", err=True)
        if "NIXLITE_DEBUG" in __import__("os").environ:
            traceback.print_exc()
        sys.exit(70)
