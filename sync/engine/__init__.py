"""The sync engine: login, push of the outbox, pull of the changes feed, blob transfers
(DESIGN.md, the sync contract). No Qt here; the desktop drives it from a worker thread."""
