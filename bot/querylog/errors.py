"""Exceptions raised by the query log. Write failures are never raised to callers of
`record()`; these cover start-up and the read side, where someone can act on them."""

from __future__ import annotations


class QueryLogError(Exception):
    """Base class for query log errors."""


class InvalidRecordError(QueryLogError, ValueError):
    """A `QueryRecord` built with a value the log cannot store."""


class SchemaVersionError(QueryLogError):
    """The database was written by a newer factbot, or is not a query log at all."""


class UserKeyError(QueryLogError):
    """The user-id hashing key file cannot be read or created."""


class LogMissingError(QueryLogError):
    """A report was asked for a database file that does not exist."""
