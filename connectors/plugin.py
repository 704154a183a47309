"""pdscan's own connectors and file formats, registered through the plugin hooks as a third party's are.

S3 is named by a `ConnectorRef`: boto3 is imported only when an s3:// source is used. The file
and database connectors need only SQLAlchemy (a database driver is loaded when it connects).
"""

from __future__ import annotations

from pdscan.connectors.base import ConnectorRef
from pdscan.connectors.options import S3Options
from pdscan.core.hookspecs import hookimpl


@hookimpl
def pdscan_connectors():
    from pdscan.connectors.files import FileConnector
    from pdscan.connectors.sql.connector import SqlConnector

    return [FileConnector, SqlConnector, ConnectorRef("pdscan.connectors.s3:S3Connector", ("s3",), S3Options)]


@hookimpl
def pdscan_formats():
    from pdscan.connectors.formats.readers import BUILTIN

    return list(BUILTIN)
