"""Daphne with the share links' tokens kept out of its access log (documents/sharing/logs.py):
`python -m cjm.serve` takes Daphne's own arguments (make run, docs/deploy.md).

Daphne writes each request's path to its access log itself, before the application sees it, so
the log's writer is wrapped here rather than in the settings' LOGGING."""

from daphne.cli import CommandLineInterface
from daphne.server import Server

from documents.sharing.logs import hide_tokens


def hiding(action_logger):
    def log(protocol, action, details):
        path = details.get("path")
        action_logger(protocol, action, {**details, "path": path and hide_tokens(path)})

    return log


class HidingServer(Server):
    def __init__(self, *args, action_logger=None, **kwargs):
        action_logger = hiding(action_logger) if action_logger else None
        super().__init__(*args, action_logger=action_logger, **kwargs)


class HidingCommandLine(CommandLineInterface):
    server_class = HidingServer


if __name__ == "__main__":
    HidingCommandLine.entrypoint()
