"""Command-line interface (click). Only this package turns errors into exit codes."""
