"""The wire schema: the single contract between the desktop client and the central server.

Both sides import these pydantic models and nothing else of each other (see DESIGN.md, layers).
Every request carries ``PROTOCOL_HEADER: PROTOCOL_VERSION``; a server refuses other versions
with ``ErrorBody.code == "protocol_incompatible"``.
"""

from sync.protocol.version import PROTOCOL_HEADER, PROTOCOL_VERSION

__all__ = ["PROTOCOL_HEADER", "PROTOCOL_VERSION"]
